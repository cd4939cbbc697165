/**
 * Shows findings as diagnostics on the statements that cause them, and remembers which finding
 * each diagnostic came from, so that code actions are built from the finding's data.
 */
import * as vscode from 'vscode';
import type { Finding, Level } from '../core/finding';
import { rulesById } from '../core/rules';
import { rangeOf, type AnalysisSnapshot } from './workspaceAnalysis';
import { printableMessage } from '../core/report/printableMessage';

export interface LocatedFinding {
  finding: Finding;
  diagnostic: vscode.Diagnostic;
}

export class FindingDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('pgreview');
  private byUri = new Map<string, LocatedFinding[]>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Replaces every diagnostic with the snapshot's findings. */
  show(snapshot: AnalysisSnapshot): void {
    const byUri = new Map<string, LocatedFinding[]>();
    for (const finding of snapshot.findings) {
      // Findings without a place in a migration (objects only a database has) are not diagnostics.
      if (!finding.span || !snapshot.paths.includes(finding.span.file)) continue;
      const uri = vscode.Uri.joinPath(snapshot.root, finding.span.file);
      const located = byUri.get(uri.toString()) ?? [];
      located.push({ finding, diagnostic: this.toDiagnostic(finding, snapshot.root) });
      byUri.set(uri.toString(), located);
    }
    this.byUri = byUri;
    this.collection.clear();
    for (const [uri, located] of byUri) this.collection.set(vscode.Uri.parse(uri), located.map((entry) => entry.diagnostic));
  }

  /** Removes every diagnostic: the project folder changed, and the old folder's findings no longer apply. */
  clear(): void {
    this.byUri = new Map();
    this.collection.clear();
  }

  /** The findings shown on a file. */
  findingsOf(uri: vscode.Uri): readonly LocatedFinding[] {
    return this.byUri.get(uri.toString()) ?? [];
  }

  /** The finding behind a diagnostic VS Code hands back (a copy, so matched by rule and range). */
  findingOf(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Finding | undefined {
    const rule = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
    return this.findingsOf(uri).find(
      (entry) => entry.finding.rule === rule && entry.diagnostic.range.isEqual(diagnostic.range) && entry.diagnostic.message === diagnostic.message,
    )?.finding;
  }

  /** The docs page the extension ships for a rule. */
  docsUri(ruleId: string): vscode.Uri {
    const rule = rulesById.get(ruleId);
    return vscode.Uri.joinPath(this.extensionUri, rule?.docsPath ?? `docs/rules/${ruleId}.md`);
  }

  dispose(): void {
    this.collection.dispose();
  }

  private toDiagnostic(finding: Finding, root: vscode.Uri): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(rangeOf(finding.span!), printableMessage(finding.message), severityOf(finding.level));
    diagnostic.source = 'pgreview';
    diagnostic.code = { value: finding.rule, target: this.docsUri(finding.rule) };
    if (finding.related?.length) {
      diagnostic.relatedInformation = finding.related.map(
        (related) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.joinPath(root, related.span.file), rangeOf(related.span)), related.message),
      );
    }
    return diagnostic;
  }
}

function severityOf(level: Level): vscode.DiagnosticSeverity {
  switch (level) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
  }
}
