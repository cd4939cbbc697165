/**
 * Hover on a table, function or policy name in any SQL file. The text comes from core
 * (`describeNameAt`), which every editor front end shares; this file only finds the name under
 * the cursor and turns the markdown into a VS Code hover.
 */
import * as vscode from 'vscode';
import { CatalogsAsOf } from '../core/catalog/catalogsAsOf';
import { describeNameAt, nameAt } from '../core/report/describeNameAt';
import { isInside, relativePath } from './editorProjectReader';
import type { WorkspaceAnalysis } from './workspaceAnalysis';

export class TableHover implements vscode.HoverProvider {
  private readonly catalogs: CatalogsAsOf;

  constructor(private readonly analysis: WorkspaceAnalysis) {
    this.catalogs = new CatalogsAsOf((state) => {
      const current = analysis.current;
      return current === state ? analysis.checkpointFor(current) : undefined;
    });
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const snapshot = this.analysis.current;
    const name = nameAt(document.lineAt(position.line).text, position.character);
    if (!snapshot || !name || token.isCancellationRequested) return undefined;
    const file = document.uri.scheme === snapshot.root.scheme && isInside(snapshot.root, document.uri) ? relativePath(snapshot.root, document.uri) : undefined;
    const markdown = describeNameAt(snapshot, this.catalogs, name.text, file, token);
    return markdown === undefined ? undefined : new vscode.Hover(new vscode.MarkdownString(markdown), new vscode.Range(position.line, name.start, position.line, name.end));
  }
}
