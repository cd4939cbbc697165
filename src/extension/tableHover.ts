/**
 * Hover on a table name in any SQL file: its columns, RLS state, policies and indexes; on a
 * function name, its signatures. In a migration, as the migrations define it once that file ran
 * (an older migration does not see a column added later), saying so when that differs from the
 * state after the last migration; elsewhere (seed, tests), after the last migration.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../core/cancellation';
import type { Catalog, Func, Origin, Table } from '../core/catalog/model';
import type { SourceSpan } from '../core/sql/span';
import { CatalogsAsOf } from './catalogsAsOf';
import { isInside, relativePath } from './editorProjectReader';
import type { AnalysisSnapshot, WorkspaceAnalysis } from './workspaceAnalysis';

const NAME = /("[^"]+"|[A-Za-z_][\w$]*)(\s*\.\s*("[^"]+"|[A-Za-z_][\w$]*))?/;

export class TableHover implements vscode.HoverProvider {
  private readonly catalogs: CatalogsAsOf;

  constructor(private readonly analysis: WorkspaceAnalysis) {
    this.catalogs = new CatalogsAsOf(analysis);
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const snapshot = this.analysis.current;
    const range = document.getWordRangeAtPosition(position, NAME);
    if (!snapshot || !range || token.isCancellationRequested) return undefined;
    const parts = document.getText(range).split('.').map((part) => part.trim().replace(/^"|"$/g, ''));
    // An unqualified name resolves as on Supabase's default search path.
    const qualified = parts.length === 2 ? `${parts[0]}.${parts[1]}` : `public.${parts[0]}`;
    const final = snapshot.analysis.catalog;
    const targets = [tableTarget(qualified, parts.length === 2 ? undefined : parts[0]), functionTarget(qualified)];
    const index = migrationIndex(snapshot, document.uri);
    try {
      if (index === undefined) return hover(targets.find((candidate) => candidate.exists(final))?.describe(final), range);
      const asOf = this.catalogs.after(snapshot, index, token);
      const target = targets.find((candidate) => candidate.exists(final) || candidate.exists(asOf));
      return hover(target && this.describeAsOf(snapshot, index, asOf, target, token), range);
    } catch (error) {
      if (error instanceof CancelledError) return undefined;
      throw error;
    }
  }

  /** The object as of migration `index`, with what changes later. */
  private describeAsOf(snapshot: AnalysisSnapshot, index: number, asOfCatalog: Catalog, target: HoverTarget, token: vscode.CancellationToken): vscode.MarkdownString | undefined {
    const files = snapshot.analysis.files;
    const final = snapshot.analysis.catalog;
    const here = baseName(files[index].path);
    if (!target.exists(asOfCatalog)) {
      if (!target.exists(final)) return undefined;
      const created = target.spans(final).map((span) => fileIndexOf(snapshot, span?.file)).filter((at): at is number => at !== undefined && at > index);
      return target.describe(final, created.length > 0 ? `not created yet as of ${here}: created later in ${baseName(files[Math.min(...created)].path)}` : `not defined as of ${here}; after the last migration:`);
    }
    if (!target.exists(final)) {
      const dropped = this.catalogs.droppedAfter(snapshot, index, target.key, (catalog) => target.exists(catalog), token);
      return target.describe(asOfCatalog, `as of ${here} (later dropped or renamed${dropped !== undefined ? ` in ${baseName(files[dropped].path)}` : ''})`);
    }
    const asOf = target.describe(asOfCatalog);
    if (asOf?.value === target.describe(final)?.value) return asOf;
    const later = laterFiles(snapshot, index, target.spans(final));
    return target.describe(asOfCatalog, `as of ${here} (changed later${later.length > 0 ? ` in ${later.map((file) => baseName(file)).join(', ')}` : ''})`);
  }
}

function hover(markdown: vscode.MarkdownString | undefined, range: vscode.Range): vscode.Hover | undefined {
  return markdown && new vscode.Hover(markdown, range);
}

/** What a name under the cursor may be: a table or the functions of that name, looked up in any catalog. */
interface HoverTarget {
  /** Keys the answers of CatalogsAsOf.droppedAfter. */
  key: string;
  exists(catalog: Catalog): boolean;
  /** Markdown for the object in `catalog`, after a note in italics; undefined when the catalog lacks it. */
  describe(catalog: Catalog, note?: string): vscode.MarkdownString | undefined;
  /** Where the object and its parts were created and last changed, in `catalog`. */
  spans(catalog: Catalog): (SourceSpan | undefined)[];
}

function tableTarget(qualified: string, unqualified: string | undefined): HoverTarget {
  const lookup = (catalog: Catalog): Table | undefined => catalog.tables.get(qualified) ?? (unqualified === undefined ? undefined : catalog.tables.get(unqualified));
  return {
    key: `table:${qualified}`,
    exists: (catalog) => lookup(catalog) !== undefined,
    describe: (catalog, note) => {
      const table = lookup(catalog);
      return table && describeTable(qualified, table, note);
    },
    spans: (catalog) => {
      const table = lookup(catalog);
      if (!table) return [];
      const origins: Origin[] = [table.origin, ...[table.columns, table.constraints, table.indexes, table.policies, table.triggers].flatMap((parts) => [...parts.values()].map((part) => part.origin))];
      return [table.rlsChangedAt, ...origins.flatMap((origin) => [origin.definedAt, origin.changedAt])];
    },
  };
}

function functionTarget(qualified: string): HoverTarget {
  const dot = qualified.indexOf('.');
  const schema = qualified.slice(0, dot);
  const name = qualified.slice(dot + 1);
  const lookup = (catalog: Catalog): Func[] => [...catalog.functions.values()].filter((func) => func.schema === schema && func.name === name);
  return {
    key: `function:${qualified}`,
    exists: (catalog) => lookup(catalog).length > 0,
    describe: (catalog, note) => {
      const functions = lookup(catalog);
      return functions.length > 0 ? describeFunctions(functions, note) : undefined;
    },
    spans: (catalog) => lookup(catalog).flatMap((func) => [func.origin.definedAt, func.origin.changedAt]),
  };
}

/** The index in `analysis.files` of the migration `uri`, if it is one. */
function migrationIndex(snapshot: AnalysisSnapshot, uri: vscode.Uri): number | undefined {
  if (uri.scheme !== snapshot.root.scheme || !isInside(snapshot.root, uri)) return undefined;
  return fileIndexOf(snapshot, relativePath(snapshot.root, uri));
}

function fileIndexOf(snapshot: AnalysisSnapshot, path: string | undefined): number | undefined {
  if (path === undefined) return undefined;
  const index = snapshot.analysis.files.findIndex((file) => file.path === path);
  return index >= 0 ? index : undefined;
}

/** The migrations after `index` that created or changed the object or one of its parts, in order (at most three). */
function laterFiles(snapshot: AnalysisSnapshot, index: number, spans: (SourceSpan | undefined)[]): string[] {
  const later = new Set<number>();
  for (const span of spans) {
    const at = fileIndexOf(snapshot, span?.file);
    if (at !== undefined && at > index) later.add(at);
  }
  return [...later].sort((a, b) => a - b).slice(0, 3).map((at) => snapshot.analysis.files[at].path);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Markdown for a table, after a note in italics (which state it is): shared by the hover and the tree's tooltip. */
export function describeTable(qualified: string, table: Table, note?: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  if (note) markdown.appendMarkdown(`*${escapeMarkdown(note)}*\n\n`);
  const rls = table.rlsEnabled ? `RLS on${table.rlsForced ? ' (forced)' : ''}` : 'RLS **off**';
  markdown.appendMarkdown(`**${escapeMarkdown(qualified)}** · ${rls} · ${table.policies.size} ${table.policies.size === 1 ? 'policy' : 'policies'}\n\n`);
  if (table.columns.size > 0) {
    markdown.appendMarkdown('| column | type | |\n|---|---|---|\n');
    for (const column of table.columns.values()) {
      markdown.appendMarkdown(`| ${escapeMarkdown(column.name)} | ${escapeMarkdown(column.type)} | ${column.notNull ? 'not null' : ''} |\n`);
    }
    markdown.appendMarkdown('\n');
  }
  if (table.policies.size > 0) {
    markdown.appendMarkdown('**Policies**\n\n');
    for (const policy of table.policies.values()) {
      markdown.appendMarkdown(`- ${escapeMarkdown(policy.name)}: ${policy.command} to ${escapeMarkdown(policy.roles.join(', '))}${policy.using ? ` using \`${policy.using.text}\`` : ''}\n`);
    }
    markdown.appendMarkdown('\n');
  }
  if (table.indexes.size > 0) {
    markdown.appendMarkdown('**Indexes**\n\n');
    for (const index of table.indexes.values()) {
      markdown.appendMarkdown(`- ${escapeMarkdown(index.name)} (${escapeMarkdown(index.keys.map((key) => key.column ?? key.expression?.text ?? '?').join(', '))})\n`);
    }
  }
  return markdown;
}

/** Markdown text with its special characters escaped, as a hover shows a name or an expression. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** Markdown for the functions of one name (each overload): signature, result and the settings that matter for security. */
export function describeFunctions(functions: Func[], note?: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  if (note) markdown.appendMarkdown(`*${escapeMarkdown(note)}*\n\n`);
  for (const func of functions) {
    const searchPath = func.config.get('search_path');
    const traits = [
      escapeMarkdown(func.kind),
      func.returns ? `returns ${escapeMarkdown(func.returns)}` : undefined,
      `language ${escapeMarkdown(func.language)}`,
      func.volatility,
      func.securityDefiner ? '**security definer**' : undefined,
      searchPath !== undefined ? `search\\_path ${escapeMarkdown(searchPath || "''")}` : undefined,
    ];
    markdown.appendMarkdown(`**${escapeMarkdown(func.key)}** · ${traits.filter((trait) => trait !== undefined).join(' · ')}\n\n`);
  }
  return markdown;
}
