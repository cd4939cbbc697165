/**
 * Code actions built from finding data, as VS Code's findingCodeActions.ts offers them: the fix
 * edited in place (preferred), the fix written into a new migration, each suggestion in a new
 * migration, and comments that ignore the rule for the statement or the file. They are offered
 * only while the document holds the text the analysis saw, so a stale edit never applies, and
 * their text edits carry the document's version for clients that check it.
 */
import type { CodeAction, CodeActionParams, Diagnostic, TextDocumentEdit, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { CodeActionKind } from 'vscode-languageserver/node';
import { fixIdentity, offerFixesOnce, type Finding, type KeyedAction, type TextEdit } from '../core/finding';
import { migrationSlugOf, nextMigrationPath, renderNewMigrationText } from '../core/discovery/nextMigrationPath';
import type { ParsedFile } from '../core/sql/parseSqlFile';
import type { SourceSpan } from '../core/sql/span';
import { ignoreFileComment, ignoreStatementComment } from '../core/suppression';
import type { ProjectSnapshot } from './projectSession';
import { diagnosticOf, rangeOfOffsets, rangesTouch, sameRange } from './protocolValues';

/** What building code actions needs from the server. */
export interface CodeActionContext {
  snapshot: ProjectSnapshot;
  /** The document's project-relative path. */
  path: string;
  /** The document's text and version now. */
  text: string;
  version: number;
  uriOf(path: string): string;
  /** The open document's version at a project-relative path, if it is open. */
  openVersion(path: string): number | undefined;
  /** True when a file exists at a project-relative path (on disk or open). */
  exists(path: string): boolean;
  /** The client applies `documentChanges`, whose text edits carry the document version. */
  documentChanges: boolean;
  /** The client applies resource operations in `documentChanges`: a fix migration can be created. */
  canCreateFiles: boolean;
  now: Date;
}

/** The actions for the findings at `params.range` (those of `params.context.diagnostics`, or any there). */
export function codeActionsFor(params: CodeActionParams, context: CodeActionContext): CodeAction[] {
  const { snapshot, path } = context;
  const file = snapshot.analysis.files.find((candidate) => candidate.path === path);
  if (!file || file.text !== context.text) return [];
  const uriOf = context.uriOf;
  const shown = snapshot.findings
    .filter((finding): finding is Finding & { span: SourceSpan } => finding.span?.file === path)
    .map((finding) => ({ finding, diagnostic: diagnosticOf(finding, uriOf) }));
  const requested = params.context.diagnostics.filter((diagnostic) => diagnostic.source === 'pgreview');
  const matched = requested.length > 0
    ? shown.filter((entry) => requested.some((diagnostic) => diagnostic.code === entry.finding.rule && sameRange(diagnostic.range, entry.diagnostic.range) && diagnostic.message === entry.diagnostic.message))
    : shown.filter((entry) => rangesTouch(entry.diagnostic.range, params.range));
  // Two findings can carry the same fix (RLS off is both rls_disabled_in_public and
  // sensitive_columns_exposed): it is offered once, linked to every diagnostic it fixes.
  return offerFixesOnce(matched.map(({ finding, diagnostic }) => ({ diagnostic, actions: actionsFor(finding, diagnostic, file, context) })));
}

/** The actions for one finding; those that apply a fix carry its identity, so that equal fixes are offered once. */
function actionsFor(finding: Finding, diagnostic: Diagnostic, file: ParsedFile, context: CodeActionContext): KeyedAction<CodeAction>[] {
  const actions: KeyedAction<CodeAction>[] = [];
  const fix = finding.fix;
  if (fix?.edit) {
    const target = context.snapshot.analysis.files.find((candidate) => candidate.path === fix.edit?.file);
    if (target) actions.push({ action: quickFix(`Fix: ${fix.title}`, diagnostic, textEdit(target, fix.edit, context), true), fixKey: `edit\0${fixIdentity(fix)}` });
  }
  if (fix && context.canCreateFiles) {
    const title = fix.edit ? `Fix: ${fix.title} (in a new migration)` : `Fix: ${fix.title}`;
    actions.push({ action: quickFix(title, diagnostic, fixMigrationEdit(fix.title, fix.sql, context), !fix.edit), fixKey: `migration\0${fixIdentity({ title: fix.title, sql: fix.sql })}` });
  }
  for (const suggestion of context.canCreateFiles ? (finding.suggestions ?? []) : []) {
    actions.push({ action: quickFix(`${suggestion.title} (in a new migration)`, diagnostic, fixMigrationEdit(suggestion.title, suggestion.sql, context), false), fixKey: `migration\0${fixIdentity(suggestion)}` });
  }
  const statement = ignoreStatementComment(file, finding, context.snapshot.findings);
  if (statement) actions.push({ action: quickFix(statement.title, diagnostic, textEdit(file, statement.edit, context), false) });
  const wholeFile = ignoreFileComment(file, finding.rule);
  actions.push({ action: quickFix(wholeFile.title, diagnostic, textEdit(file, wholeFile.edit, context), false) });
  return actions;
}

function quickFix(title: string, diagnostic: Diagnostic, edit: WorkspaceEdit, isPreferred: boolean): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit, isPreferred };
}

/** An edit of an analysed file, positioned in the text the analysis saw (the open document holds that same text). */
function textEdit(file: ParsedFile, edit: TextEdit, context: CodeActionContext): WorkspaceEdit {
  const uri = context.uriOf(file.path);
  const change: LspTextEdit = { range: rangeOfOffsets(file.lines, edit.start, edit.end), newText: edit.text };
  if (!context.documentChanges) return { changes: { [uri]: [change] } };
  const documentEdit: TextDocumentEdit = { textDocument: { uri, version: context.openVersion(file.path) ?? null }, edits: [change] };
  return { documentChanges: [documentEdit] };
}

/** Creates a new migration next to the others holding the fix SQL (core names it), for a person to review. */
function fixMigrationEdit(title: string, sql: string, context: CodeActionContext): WorkspaceEdit {
  const sequence = { layout: context.snapshot.layout, paths: context.snapshot.paths };
  let taken = 0;
  let path = nextMigrationPath(sequence, migrationSlugOf(title), context.now, taken);
  // An existing file is never overwritten: the next version is taken instead.
  while (context.exists(path)) path = nextMigrationPath(sequence, migrationSlugOf(title), context.now, ++taken);
  const uri = context.uriOf(path);
  return {
    documentChanges: [
      { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } },
      { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: renderNewMigrationText(context.snapshot.layout, title, sql) }] },
    ],
  };
}
