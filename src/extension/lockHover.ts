/**
 * Hover on a statement of a pending migration: the table locks it takes, what each blocks, and
 * whether it reads or rewrites the table, as the engine's `statementLocks` says (kept on the
 * Analysis). Every migration counts as pending until the editor knows the database's history.
 */
import * as vscode from 'vscode';
import { describeStatementLocks, statementLocksAt } from '../core/report/describeStatementLocks';
import { isInside, relativePath } from './editorProjectReader';
import { isSameVersion } from './findingCodeActions';
import type { WorkspaceAnalysis } from './workspaceAnalysis';

export class LockHover implements vscode.HoverProvider {
  constructor(private readonly analysis: WorkspaceAnalysis) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const snapshot = this.analysis.current;
    if (!snapshot || token.isCancellationRequested || document.uri.scheme !== snapshot.root.scheme || !isInside(snapshot.root, document.uri)) return undefined;
    const path = relativePath(snapshot.root, document.uri);
    // Offsets of an older text would point at the wrong statement.
    if (!isSameVersion(document, snapshot.versions.get(path))) return undefined;
    const offset = document.offsetAt(position);
    const statement = statementLocksAt(snapshot.analysis, path, offset);
    if (!statement) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(describeStatementLocks(statement)), new vscode.Range(document.positionAt(statement.span.start), document.positionAt(statement.span.end)));
  }
}
