/** The status bar item: offline or connected, and the findings count. A click opens the report. */
import * as vscode from 'vscode';
import type { AnalysisSnapshot } from './workspaceAnalysis';

export class FindingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pgreview.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'pgreview';
    this.item.command = 'pgreview.showReport';
    this.item.text = '$(database) pgreview: offline';
    this.item.tooltip = 'pgreview: analysing the migrations…';
    this.item.show();
  }

  /** The text shown now; tests read it. */
  get text(): string {
    return this.item.text;
  }

  update(snapshot: AnalysisSnapshot): void {
    const findings = snapshot.findings;
    const errors = findings.filter((finding) => finding.level === 'error').length;
    this.item.text = `$(database) pgreview: offline · ${findings.length} finding${findings.length === 1 ? '' : 's'}`;
    this.item.tooltip = `pgreview reviewed ${snapshot.paths.length} migration files in ${snapshot.durationMs} ms (offline, no database connected). Click to open the report.`;
    this.item.backgroundColor = errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
