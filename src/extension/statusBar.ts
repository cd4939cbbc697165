/**
 * The status bar item: offline or `connected: user@host/db`, and the findings count; in a
 * multi-root workspace, the project folder's name too. A click opens the report.
 */
import * as vscode from 'vscode';
import type { HistoryMatch } from '../core/history/matchMigrationHistory';
import { describePending } from '../node/gitPendingMigrations';
import type { AnalysisSnapshot } from './workspaceAnalysis';

export class FindingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pgreview.status', vscode.StatusBarAlignment.Left, 10);
  private snapshot: AnalysisSnapshot | undefined;
  /** `user@host/db` of the connected database, with its full target for the tooltip. */
  private database: { label: string; target: string } | undefined;

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

  /** The tooltip shown now; tests read it. */
  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }

  update(snapshot: AnalysisSnapshot): void {
    this.snapshot = snapshot;
    this.render();
  }

  /** Shows the connected database, or offline again after a disconnect. */
  setDatabase(database: { label: string; target: string } | undefined): void {
    this.database = database;
    this.render();
  }

  private render(): void {
    const state = this.database ? `connected: ${this.database.label}` : 'offline';
    const icon = this.database ? '$(plug)' : '$(database)';
    const snapshot = this.snapshot;
    if (!snapshot) {
      this.item.text = `${icon} pgreview: ${state}`;
      return;
    }
    const findings = snapshot.findings;
    const errors = findings.filter((finding) => finding.level === 'error').length;
    const folder = snapshot.folderLabel;
    this.item.text = `${icon} pgreview${folder ? ` (${folder})` : ''}: ${state} · ${findings.length} finding${findings.length === 1 ? '' : 's'}`;
    const where = this.database ? `connected to ${this.database.target}` : 'offline, no database connected';
    this.item.tooltip = `pgreview reviewed ${snapshot.paths.length} migration files${folder ? ` of ${folder}` : ''} in ${snapshot.durationMs} ms (${where}). ${describePending(snapshot.pending)}${describeHistoryProblems(snapshot.history)} Click to open the report.`;
    this.item.backgroundColor = errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** ` 1 migration changed after applied, 1 applied migration with no file (supabase_migrations.schema_migrations).`, or nothing. */
function describeHistoryProblems(history: HistoryMatch | undefined): string {
  if (!history) return '';
  const changed = history.files.filter((file) => file.status === 'changed').length;
  const missing = history.missing.length;
  if (changed === 0 && missing === 0) return '';
  const parts = [
    changed > 0 ? `${changed} ${changed === 1 ? 'migration' : 'migrations'} changed after applied` : '',
    missing > 0 ? `${missing} applied ${missing === 1 ? 'migration' : 'migrations'} with no file` : '',
  ].filter(Boolean);
  return ` ${parts.join(', ')} (${history.table}).`;
}
