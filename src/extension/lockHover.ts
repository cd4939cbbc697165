/**
 * Hover on a statement of a pending migration: the table locks it takes, what each blocks, and
 * whether it reads or rewrites the table, as the engine's `statementLocks` says (kept on the
 * Analysis). Every migration counts as pending until the editor knows the database's history.
 */
import * as vscode from 'vscode';
import { describeLock } from '../core/safety/locks';
import { isInside, relativePath } from './editorProjectReader';
import { isSameVersion } from './findingCodeActions';
import { escapeMarkdown } from '../core/report/describeObjects';
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
    const statement = snapshot.analysis.statementLocks.get(path)?.find((candidate) => candidate.span.start <= offset && offset < candidate.span.end);
    if (!statement) return undefined;
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown('**Locks** (pending migration)\n\n');
    for (const lock of statement.locks) markdown.appendMarkdown(`- ${escapeMarkdown(describeLock(lock))}\n`);
    return new vscode.Hover(markdown, new vscode.Range(document.positionAt(statement.span.start), document.positionAt(statement.span.end)));
  }
}
