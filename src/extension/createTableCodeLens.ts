/**
 * A CodeLens above each CREATE TABLE in a migration: "RLS on · 3 policies · 1 unindexed FK", read
 * from the catalog and the findings of the last analysis.
 */
import * as vscode from 'vscode';
import type { CreateStmt } from '@pgsql/types';
import { objectKey } from '../core/catalog/model';
import { relativePath } from './editorProjectReader';
import { REVEAL_OBJECT_COMMAND } from './schemaTree';
import { rangeOf, type WorkspaceAnalysis } from './workspaceAnalysis';

export class CreateTableCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;

  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly analysis: WorkspaceAnalysis) {
    this.subscription = analysis.onDidAnalyze(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.CodeLens[] {
    const snapshot = this.analysis.current;
    if (!snapshot || token.isCancellationRequested) return [];
    const path = relativePath(snapshot.root, document.uri);
    const file = snapshot.analysis.files.find((candidate) => candidate.path === path);
    if (!file) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const statement of file.statements) {
      if (statement.kind !== 'CreateStmt') continue;
      const relation = (statement.node as { CreateStmt: CreateStmt }).CreateStmt.relation;
      if (!relation?.relname) continue;
      const qualified = `${relation.schemaname ?? 'public'}.${relation.relname}`;
      const table = snapshot.analysis.catalog.tables.get(qualified);
      if (!table) continue;
      const constraintPrefix = `${objectKey.constraint(qualified, '')}`;
      const unindexed = snapshot.findings.filter((finding) => finding.rule === 'unindexed_foreign_keys' && finding.objectKey.startsWith(constraintPrefix)).length;
      const parts = [
        table.rlsEnabled ? 'RLS on' : 'RLS off',
        `${table.policies.size} ${table.policies.size === 1 ? 'policy' : 'policies'}`,
      ];
      if (unindexed > 0) parts.push(`${unindexed} unindexed FK`);
      const range = rangeOf(statement.span);
      lenses.push(new vscode.CodeLens(new vscode.Range(range.start, range.start), {
        title: parts.join(' · '),
        tooltip: `Show ${qualified} in the pgreview schema tree`,
        command: REVEAL_OBJECT_COMMAND,
        arguments: [objectKey.table(qualified), { revealInTree: true }],
      }));
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
