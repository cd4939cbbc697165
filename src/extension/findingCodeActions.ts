/**
 * Code actions built from finding data: the in-place edit (preferred), "Fix: …" into a new
 * migration, "Fix All of This Rule" (every fix of the rule in one new migration), each suggestion, "Ignore <rule> for this statement" and "Show documentation".
 * They are offered only for the document version the analysis saw, so a stale fix never applies.
 */
import * as vscode from 'vscode';
import { fixIdentity, needsStatementEdit, offerFixesOnce, type Finding, type KeyedAction } from '../core/finding';
import { ignoreStatementComment } from '../core/suppression';
import type { FindingDiagnostics } from './findingDiagnostics';
import { relativePath } from './editorProjectReader';
import type { WorkspaceAnalysis } from './workspaceAnalysis';

export const WRITE_FIX_MIGRATION_COMMAND = 'pgreview.writeFixMigration';
export const FIX_ALL_OF_RULE_COMMAND = 'pgreview.fixAllOfRule';

export class FindingCodeActions implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly analysis: WorkspaceAnalysis,
    private readonly diagnostics: FindingDiagnostics,
  ) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): vscode.CodeAction[] {
    const snapshot = this.analysis.current;
    if (!snapshot || token.isCancellationRequested || !isSameVersion(document, snapshot.versions.get(relativePath(snapshot.root, document.uri)))) return [];
    // Two findings can carry the same fix (RLS off is both rls_disabled_in_public and
    // sensitive_columns_exposed): it is offered once, linked to every diagnostic it fixes.
    const perDiagnostic: { diagnostic: vscode.Diagnostic; actions: KeyedAction<vscode.CodeAction>[] }[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'pgreview') continue;
      const finding = this.diagnostics.findingOf(document.uri, diagnostic);
      if (finding) perDiagnostic.push({ diagnostic, actions: this.actionsFor(document, finding, diagnostic) });
    }
    return offerFixesOnce(perDiagnostic);
  }

  /** The actions for one finding; those that apply a fix carry its identity, so that equal fixes are offered once. */
  private actionsFor(document: vscode.TextDocument, finding: Finding, diagnostic: vscode.Diagnostic): KeyedAction<vscode.CodeAction>[] {
    const actions: KeyedAction<vscode.CodeAction>[] = [];
    const fix = finding.fix;
    if (fix?.edit) {
      const action = new vscode.CodeAction(`Fix: ${fix.title}`, vscode.CodeActionKind.QuickFix);
      const target = this.analysis.uriOf(fix.edit.file) ?? document.uri;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(target, new vscode.Range(document.positionAt(fix.edit.start), document.positionAt(fix.edit.end)), fix.edit.text);
      action.edit = edit;
      // VS Code applies the edit, then runs the command: the new migration is written after it.
      if (fix.sqlAfterEdit) action.command = { command: WRITE_FIX_MIGRATION_COMMAND, title: action.title, arguments: [fix.title, fix.sql] };
      action.isPreferred = true;
      action.diagnostics = [diagnostic];
      actions.push({ action, fixKey: `edit\0${fixIdentity(fix)}` });
    }
    // The migration alone fixes nothing when the fix is an edit of the statement (with or without a migration after it).
    if (fix && !needsStatementEdit(fix)) {
      const title = fix.edit ? `Fix: ${fix.title} (in a new migration)` : `Fix: ${fix.title}`;
      actions.push({ action: this.migrationAction(title, fix.title, fix.sql, diagnostic, !fix.edit), fixKey: `migration\0${fixIdentity({ title: fix.title, sql: fix.sql })}` });
      const fixAll = new vscode.CodeAction(`Fix All of This Rule (${finding.rule}, in a new migration)`, vscode.CodeActionKind.QuickFix);
      fixAll.command = { command: FIX_ALL_OF_RULE_COMMAND, title: fixAll.title, arguments: [finding.rule] };
      fixAll.diagnostics = [diagnostic];
      actions.push({ action: fixAll, fixKey: `fixAll\0${finding.rule}` });
    }
    for (const suggestion of finding.suggestions ?? []) {
      actions.push({ action: this.migrationAction(`${suggestion.title} (in a new migration)`, suggestion.title, suggestion.sql, diagnostic, false), fixKey: `migration\0${fixIdentity(suggestion)}` });
    }
    const ignore = this.ignoreAction(document, finding, diagnostic);
    if (ignore) actions.push({ action: ignore });
    const docs = new vscode.CodeAction(`Show documentation for ${finding.rule}`, vscode.CodeActionKind.QuickFix);
    docs.command = { command: 'pgreview.openRuleDocumentation', title: docs.title, arguments: [finding.rule] };
    docs.diagnostics = [diagnostic];
    actions.push({ action: docs });
    return actions;
  }

  private migrationAction(title: string, fixTitle: string, sql: string, diagnostic: vscode.Diagnostic, preferred: boolean): vscode.CodeAction {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.command = { command: WRITE_FIX_MIGRATION_COMMAND, title, arguments: [fixTitle, sql] };
    action.diagnostics = [diagnostic];
    action.isPreferred = preferred;
    return action;
  }

  /** "Ignore <rule> for this statement": the comment core writes (`ignoreStatementComment`). */
  private ignoreAction(document: vscode.TextDocument, finding: Finding, diagnostic: vscode.Diagnostic): vscode.CodeAction | undefined {
    const snapshot = this.analysis.current;
    const file = snapshot?.analysis.files.find((candidate) => candidate.path === finding.span?.file);
    const ignore = snapshot && file && ignoreStatementComment(file, finding, snapshot.findings);
    if (!ignore) return undefined;
    const action = new vscode.CodeAction(ignore.title, vscode.CodeActionKind.QuickFix);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(ignore.edit.start), document.positionAt(ignore.edit.end)), ignore.edit.text);
    action.edit = edit;
    action.diagnostics = [diagnostic];
    return action;
  }
}

/**
 * True when the analysis saw this text: the version it read from the editor, or, for a file it
 * read from disk, an editor without unsaved changes.
 */
export function isSameVersion(document: vscode.TextDocument, analysedVersion: number | undefined): boolean {
  return analysedVersion === undefined ? !document.isDirty : analysedVersion === document.version;
}
