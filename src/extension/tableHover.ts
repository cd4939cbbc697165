/**
 * Hover on a table name in any SQL file: its columns, RLS state, policies and indexes, as the
 * migrations define them after the last migration.
 */
import * as vscode from 'vscode';
import type { Table } from '../core/catalog/model';
import type { WorkspaceAnalysis } from './workspaceAnalysis';

const NAME = /("[^"]+"|[A-Za-z_][\w$]*)(\s*\.\s*("[^"]+"|[A-Za-z_][\w$]*))?/;

export class TableHover implements vscode.HoverProvider {
  constructor(private readonly analysis: WorkspaceAnalysis) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const catalog = this.analysis.current?.analysis.catalog;
    const range = document.getWordRangeAtPosition(position, NAME);
    if (!catalog || !range || token.isCancellationRequested) return undefined;
    const parts = document.getText(range).split('.').map((part) => part.trim().replace(/^"|"$/g, ''));
    // An unqualified name resolves as on Supabase's default search path.
    const qualified = parts.length === 2 ? `${parts[0]}.${parts[1]}` : `public.${parts[0]}`;
    const table = catalog.tables.get(qualified) ?? (parts.length === 2 ? undefined : catalog.tables.get(`${parts[0]}`));
    if (!table) return undefined;
    return new vscode.Hover(describeTable(qualified, table), range);
  }
}

/** Markdown for a table: shared by the hover and the tree's tooltip. */
export function describeTable(qualified: string, table: Table): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  const rls = table.rlsEnabled ? `RLS on${table.rlsForced ? ' (forced)' : ''}` : 'RLS **off**';
  markdown.appendMarkdown(`**${escape(qualified)}** · ${rls} · ${table.policies.size} ${table.policies.size === 1 ? 'policy' : 'policies'}\n\n`);
  if (table.columns.size > 0) {
    markdown.appendMarkdown('| column | type | |\n|---|---|---|\n');
    for (const column of table.columns.values()) {
      markdown.appendMarkdown(`| ${escape(column.name)} | ${escape(column.type)} | ${column.notNull ? 'not null' : ''} |\n`);
    }
    markdown.appendMarkdown('\n');
  }
  if (table.policies.size > 0) {
    markdown.appendMarkdown('**Policies**\n\n');
    for (const policy of table.policies.values()) {
      markdown.appendMarkdown(`- ${escape(policy.name)}: ${policy.command} to ${escape(policy.roles.join(', '))}${policy.using ? ` using \`${policy.using.text}\`` : ''}\n`);
    }
    markdown.appendMarkdown('\n');
  }
  if (table.indexes.size > 0) {
    markdown.appendMarkdown('**Indexes**\n\n');
    for (const index of table.indexes.values()) {
      markdown.appendMarkdown(`- ${escape(index.name)} (${escape(index.keys.map((key) => key.column ?? key.expression?.text ?? '?').join(', '))})\n`);
    }
  }
  return markdown;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
