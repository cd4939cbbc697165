/**
 * The "Schema" tree: schemas → tables (columns, indexes, constraints, policies, triggers), views
 * and functions, plus extensions and pg_cron jobs, as the migrations define them or, with the toggle, as the
 * connected database has them. After a schema diff, items carry drift badges (missing in
 * database, extra in database, changed). Nodes are built once per analysis, connection or diff
 * and keyed by object key; `getTreeItem` only reads them.
 */
import * as vscode from 'vscode';
import type { Catalog, Origin, Table } from '../core/catalog/model';
import { objectKey } from '../core/catalog/model';
import { cronJobLabel } from '../core/catalog/renderCatalog';
import type { Change, ChangeStatus } from '../core/diff/change';
import type { Finding } from '../core/finding';
import { fileStartSpan, migrationFileKey, migrationFileName, missingMigrationKey } from '../core/history/historyReview';
import { describeHistoryEntry } from '../core/history/historySection';
import { HISTORY_STATUS_TEXT, type HistoryMatch, type MigrationHistoryStatus } from '../core/history/matchMigrationHistory';
import type { ParsedFile } from '../core/sql/parseSqlFile';
import type { SourceSpan } from '../core/sql/span';
import type { AnalysisSnapshot } from './workspaceAnalysis';

export const REVEAL_OBJECT_COMMAND = 'pgreview.revealObject';

/** Where the tree's objects come from: the migrations (the default) or the connected database. */
export type TreeSource = 'migrations' | 'database';

const DRIFT_BADGES: Record<ChangeStatus, { text: string; icon: string; color: string }> = {
  missing_in_database: { text: 'missing in database', icon: 'diff-removed', color: 'gitDecoration.deletedResourceForeground' },
  extra_in_database: { text: 'extra in database', icon: 'diff-added', color: 'gitDecoration.untrackedResourceForeground' },
  changed: { text: 'changed', icon: 'diff-modified', color: 'gitDecoration.modifiedResourceForeground' },
};

export type SchemaNodeKind =
  | 'schema' | 'table' | 'view' | 'function' | 'extension' | 'cron_job' | 'group'
  | 'column' | 'index' | 'constraint' | 'policy' | 'trigger' | 'migration';

export interface SchemaNode {
  /** The object key (`table:public.bookings`), or `group:<parent key>/<group>` for folders. */
  key: string;
  kind: SchemaNodeKind;
  label: string;
  description?: string;
  tooltip?: string | vscode.MarkdownString;
  icon: vscode.ThemeIcon;
  /** The statement that defines the object, the target of a click. */
  span?: SourceSpan;
  children: SchemaNode[];
  parent?: SchemaNode;
  /** Findings on this object and everything under it. */
  findingCount: number;
  /** How the connected database differs for this very object, after a schema diff. */
  drift?: ChangeStatus;
  /** True when something under this node drifts (a changed column of a table). */
  driftBelow?: boolean;
}

export class SchemaTree implements vscode.TreeDataProvider<SchemaNode> {
  private readonly changed = new vscode.EventEmitter<SchemaNode | undefined>();
  private roots: SchemaNode[] = [];
  private readonly nodes = new Map<string, SchemaNode>();
  private onlyFindings = false;
  private snapshot: AnalysisSnapshot | undefined;
  private database: Catalog | undefined;
  private source: TreeSource = 'migrations';
  private readonly drift = new Map<string, ChangeStatus>();

  readonly onDidChangeTreeData = this.changed.event;

  /** Rebuilds the nodes from a finished analysis. */
  update(snapshot: AnalysisSnapshot): void {
    this.snapshot = snapshot;
    this.rebuild();
  }

  /** The connected database's catalog, or undefined after a disconnect (which also drops the badges). */
  setDatabase(catalog: Catalog | undefined): void {
    this.database = catalog;
    if (!catalog) {
      this.drift.clear();
      this.source = 'migrations';
    }
    void vscode.commands.executeCommand('setContext', 'pgreview.treeSource', this.source);
    this.rebuild();
  }

  /** Badges from a schema diff: each change's status on the node of its object key. */
  setDrift(changes: readonly Change[] | undefined): void {
    this.drift.clear();
    for (const change of changes ?? []) {
      // A property change never hides that the object itself is missing or extra.
      if (!this.drift.has(change.key) || change.status !== 'changed') this.drift.set(change.key, change.status);
    }
    this.rebuild();
  }

  /** Shows the migrations' objects or the connected database's; `database` needs a connection. */
  setSource(source: TreeSource): TreeSource {
    this.source = source === 'database' && this.database ? 'database' : 'migrations';
    void vscode.commands.executeCommand('setContext', 'pgreview.treeSource', this.source);
    this.rebuild();
    return this.source;
  }

  get currentSource(): TreeSource {
    return this.source;
  }

  private rebuild(): void {
    this.nodes.clear();
    const fromDatabase = this.source === 'database' && this.database;
    const catalog = fromDatabase ? this.database : this.snapshot?.analysis.catalog;
    // Findings are located on the migrations; on the database's objects only drift is shown.
    this.roots = catalog ? buildRoots(catalog, fromDatabase ? [] : this.snapshot?.findings ?? [], this.drift) : [];
    // While a connected database has a history table, each migration's status, whichever source the tree shows.
    const history = this.snapshot?.history;
    if (history) this.roots.push(migrationsNode(history, this.snapshot!.analysis.files, this.snapshot!.findings));
    const register = (node: SchemaNode): void => {
      this.nodes.set(node.key, node);
      node.children.forEach(register);
    };
    this.roots.forEach(register);
    this.changed.fire(undefined);
  }

  /** Shows only objects with findings (and the folders leading to them), or everything. */
  setOnlyFindings(onlyFindings: boolean): void {
    this.onlyFindings = onlyFindings;
    void vscode.commands.executeCommand('setContext', 'pgreview.onlyFindings', onlyFindings);
    this.changed.fire(undefined);
  }

  get isOnlyFindings(): boolean {
    return this.onlyFindings;
  }

  /** The node of an object key, such as `table:public.bookings`. */
  nodeOf(key: string): SchemaNode | undefined {
    return this.nodes.get(key);
  }

  getChildren(element?: SchemaNode): SchemaNode[] {
    const children = element ? element.children : this.roots;
    return this.onlyFindings ? children.filter((child) => child.findingCount > 0) : children;
  }

  getParent(element: SchemaNode): SchemaNode | undefined {
    return element.parent;
  }

  getTreeItem(node: SchemaNode): vscode.TreeItem {
    const collapsible = node.children.length === 0
      ? vscode.TreeItemCollapsibleState.None
      : node.kind === 'schema' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.id = node.key;
    item.contextValue = node.kind;
    const badge = node.drift ? DRIFT_BADGES[node.drift] : undefined;
    // A table keeps its RLS icon (the lock says more); other objects show the drift as their icon.
    item.iconPath = badge && node.kind !== 'table' ? new vscode.ThemeIcon(badge.icon, new vscode.ThemeColor(badge.color)) : node.icon;
    item.tooltip = badge ? `${typeof node.tooltip === 'string' ? `${node.tooltip}\n` : ''}Drift: ${badge.text}` : node.tooltip;
    const findings = node.findingCount > 0 && node.kind !== 'group' ? `${node.findingCount} finding${node.findingCount === 1 ? '' : 's'}` : undefined;
    const driftText = badge ? `⚠ ${badge.text}` : node.driftBelow && node.kind !== 'schema' ? '◦ drift inside' : undefined;
    item.description = [driftText, node.description, findings].filter(Boolean).join(' · ') || undefined;
    if (node.span) item.command = { command: REVEAL_OBJECT_COMMAND, title: 'Go to Definition', arguments: [node.key] };
    return item;
  }
}

function buildRoots(catalog: Catalog, findings: readonly Finding[], drift: ReadonlyMap<string, ChangeStatus>): SchemaNode[] {
  const findingsByKey = countByObjectKey(findings);
  const bySchema = new Map<string, SchemaNode[]>();
  const addToSchema = (schema: string, node: SchemaNode): void => {
    const list = bySchema.get(schema) ?? [];
    list.push(node);
    bySchema.set(schema, list);
  };
  for (const [qualified, table] of catalog.tables) {
    if (!table.platform) addToSchema(table.schema, tableNode(catalog, qualified, table, findingsByKey));
  }
  for (const [qualified, view] of catalog.views) {
    if (view.platform) continue;
    const key = objectKey.view(qualified);
    addToSchema(view.schema, leaf(key, 'view', view.name, view.origin, findingsByKey, {
      icon: new vscode.ThemeIcon(view.kind === 'materialized_view' ? 'symbol-structure' : 'eye'),
      description: view.kind === 'materialized_view' ? 'materialized view' : view.securityInvoker ? 'view · security invoker' : 'view',
    }));
  }
  for (const func of catalog.functions.values()) {
    if (func.platform || func.extension) continue;
    const key = objectKey.function(func.key);
    addToSchema(func.schema, leaf(key, 'function', func.key.slice(func.schema.length + 1), func.origin, findingsByKey, {
      icon: new vscode.ThemeIcon('symbol-function'),
      description: [func.returns ? `returns ${func.returns}` : undefined, func.securityDefiner ? 'security definer' : undefined].filter(Boolean).join(' · '),
    }));
  }
  const roots: SchemaNode[] = [];
  for (const [schema, children] of bySchema) {
    const node: SchemaNode = {
      key: objectKey.schema(schema),
      kind: 'schema',
      label: schema,
      description: catalog.exposedSchemas.includes(schema) ? 'exposed by the API' : undefined,
      icon: new vscode.ThemeIcon('symbol-namespace'),
      span: catalog.schemas.get(schema)?.origin.definedAt,
      children,
      findingCount: (findingsByKey.get(objectKey.schema(schema)) ?? 0) + sum(children),
    };
    adopt(node);
    roots.push(node);
  }
  const extensions = [...catalog.extensions.values()].filter((extension) => !extension.platform);
  if (extensions.length > 0) {
    roots.push(group('group:extensions', 'Extensions', extensions.map((extension) => leaf(objectKey.extension(extension.name), 'extension', extension.name, extension.origin, findingsByKey, {
      icon: new vscode.ThemeIcon('extensions'),
      description: `in ${extension.schema}`,
    }))));
  }
  // Jobs run in no schema: they get a folder of their own. A database whose cron.job could not be read has none.
  const jobs = [...(catalog.cronJobs ?? [])];
  if (jobs.length > 0) {
    roots.push(group('group:cron_jobs', 'Cron jobs', jobs.map(([key, job]) => leaf(objectKey.cronJob(key), 'cron_job', cronJobLabel(job), job.origin, findingsByKey, {
      icon: new vscode.ThemeIcon(job.active ? 'watch' : 'debug-pause'),
      description: [job.schedule, job.active ? undefined : 'inactive', job.database !== undefined && job.database !== catalog.databaseName ? `in ${job.database}` : undefined].filter(Boolean).join(' · '),
      tooltip: `${job.name ?? 'A job without a name'} runs ${job.schedule}${job.username ? ` as ${job.username}` : ''}:\n${job.command}`,
    }))));
  }
  const markDrift = (node: SchemaNode): boolean => {
    node.drift = drift.get(node.key);
    node.driftBelow = node.children.map(markDrift).includes(true);
    return node.drift !== undefined || node.driftBelow;
  };
  if (drift.size > 0) roots.forEach(markDrift);
  return roots;
}

const HISTORY_ICONS: Record<MigrationHistoryStatus | 'missing', vscode.ThemeIcon> = {
  applied: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  pending: new vscode.ThemeIcon('clock'),
  changed: new vscode.ThemeIcon('diff-modified', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  missing: new vscode.ThemeIcon('question', new vscode.ThemeColor('problemsWarningIcon.foreground')),
};

/**
 * "Migrations": each file with what the history table says of it (a click opens the file), then
 * the applied versions whose file is missing. Keys are the history findings' object keys.
 */
function migrationsNode(history: HistoryMatch, files: readonly ParsedFile[], findings: readonly Finding[]): SchemaNode {
  const findingsByKey = countByObjectKey(findings);
  const parsed = new Map(files.map((file) => [file.path, file]));
  const children: SchemaNode[] = history.files.map((file) => {
    const key = migrationFileKey(file.path);
    const source = parsed.get(file.path);
    return {
      key,
      kind: 'migration',
      label: migrationFileName(file.path),
      description: HISTORY_STATUS_TEXT[file.status],
      tooltip: `${file.path}: ${HISTORY_STATUS_TEXT[file.status]} according to ${history.table}${file.note ? ` (${file.note})` : ''}`,
      icon: HISTORY_ICONS[file.status],
      span: source ? fileStartSpan(source) : undefined,
      children: [],
      findingCount: findingsByKey.get(key) ?? 0,
    };
  });
  for (const entry of history.missing) {
    const key = missingMigrationKey(history.table, entry);
    children.push({
      key,
      kind: 'migration',
      label: describeHistoryEntry(entry),
      description: HISTORY_STATUS_TEXT.missing,
      tooltip: `${history.table} lists ${describeHistoryEntry(entry)} as applied, but no migration file has that version`,
      icon: HISTORY_ICONS.missing,
      children: [],
      findingCount: findingsByKey.get(key) ?? 0,
    });
  }
  const count = (status: MigrationHistoryStatus) => history.files.filter((file) => file.status === status).length;
  const parts = [
    count('pending') > 0 ? `${count('pending')} pending` : '',
    count('changed') > 0 ? `${count('changed')} changed` : '',
    history.missing.length > 0 ? `${history.missing.length} missing` : '',
  ].filter(Boolean);
  const node: SchemaNode = {
    key: 'group:migrations',
    kind: 'group',
    label: 'Migrations',
    description: parts.length > 0 ? parts.join(' · ') : 'all applied',
    tooltip: `What ${history.table} (${history.runner}) says of each migration file`,
    icon: new vscode.ThemeIcon('history'),
    children,
    findingCount: sum(children),
  };
  adopt(node);
  return node;
}

function tableNode(catalog: Catalog, qualified: string, table: Table, findingsByKey: Map<string, number>): SchemaNode {
  const tableKey = objectKey.table(qualified);
  const exposed = catalog.exposedSchemas.includes(table.schema);
  const groups: SchemaNode[] = [];
  const columns = [...table.columns.values()].map((column) => leaf(objectKey.column(qualified, column.name), 'column', column.name, column.origin, findingsByKey, {
    icon: new vscode.ThemeIcon('symbol-field'),
    description: `${column.type}${column.notNull ? ' not null' : ''}`,
  }));
  const indexes = [...table.indexes.values()].map((index) => leaf(objectKey.index(table.schema, index.name), 'index', index.name, index.origin, findingsByKey, {
    icon: new vscode.ThemeIcon('list-ordered'),
    description: `${index.unique ? 'unique ' : ''}${index.method} (${index.keys.map((key) => key.column ?? key.expression?.text ?? '?').join(', ')})`,
  }));
  const constraints = [...table.constraints.values()].map((constraint) => leaf(objectKey.constraint(qualified, constraint.name), 'constraint', constraint.name, constraint.origin, findingsByKey, {
    icon: new vscode.ThemeIcon(constraint.kind === 'foreign_key' ? 'references' : 'symbol-key'),
    description: `${constraint.kind.replace('_', ' ')} (${constraint.columns.join(', ')})${constraint.references ? ` → ${constraint.references.table}` : ''}`,
  }));
  const policies = [...table.policies.values()].map((policy) => leaf(objectKey.policy(qualified, policy.name), 'policy', policy.name, policy.origin, findingsByKey, {
    icon: new vscode.ThemeIcon('shield'),
    description: `${policy.command} to ${policy.roles.join(', ')}${policy.permissive ? '' : ' · restrictive'}`,
    tooltip: [policy.using ? `using (${policy.using.text})` : '', policy.withCheck ? `with check (${policy.withCheck.text})` : ''].filter(Boolean).join('\n') || undefined,
  }));
  const triggers = [...table.triggers.values()].map((trigger) => leaf(objectKey.trigger(qualified, trigger.name), 'trigger', trigger.name, trigger.origin, findingsByKey, {
    icon: new vscode.ThemeIcon('zap'),
    description: `${trigger.timing} ${trigger.events.join(' or ')} → ${trigger.function}`,
  }));
  groups.push(group(`group:${tableKey}/columns`, 'Columns', columns));
  if (indexes.length > 0) groups.push(group(`group:${tableKey}/indexes`, 'Indexes', indexes));
  if (constraints.length > 0) groups.push(group(`group:${tableKey}/constraints`, 'Constraints', constraints));
  // Policies stay visible when there are none: "0 policies" is what a reviewer looks for.
  groups.push(group(`group:${tableKey}/policies`, 'Policies', policies));
  if (triggers.length > 0) groups.push(group(`group:${tableKey}/triggers`, 'Triggers', triggers));
  const rls = table.rlsEnabled ? `RLS on${table.rlsForced ? ' (forced)' : ''}` : 'RLS off';
  const node: SchemaNode = {
    key: tableKey,
    kind: 'table',
    label: table.name,
    description: `${rls} · ${table.policies.size} ${table.policies.size === 1 ? 'policy' : 'policies'}`,
    tooltip: `${qualified}: ${rls}${!table.rlsEnabled && exposed ? ', in a schema the API exposes' : ''}`,
    icon: table.rlsEnabled
      ? new vscode.ThemeIcon('lock')
      : exposed ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon('table'),
    span: table.origin.definedAt,
    children: groups,
    findingCount: (findingsByKey.get(tableKey) ?? 0) + sum(groups),
  };
  adopt(node);
  return node;
}

function leaf(
  key: string,
  kind: SchemaNodeKind,
  label: string,
  origin: Origin,
  findingsByKey: Map<string, number>,
  extra: { icon: vscode.ThemeIcon; description?: string; tooltip?: string },
): SchemaNode {
  return { key, kind, label, ...extra, description: extra.description || undefined, span: origin.definedAt, children: [], findingCount: findingsByKey.get(key) ?? 0 };
}

function group(key: string, label: string, children: SchemaNode[]): SchemaNode {
  const node: SchemaNode = { key, kind: 'group', label, description: String(children.length), icon: new vscode.ThemeIcon('folder'), children, findingCount: sum(children) };
  adopt(node);
  return node;
}

function adopt(parent: SchemaNode): void {
  for (const child of parent.children) child.parent = parent;
}

function countByObjectKey(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.objectKey, (counts.get(finding.objectKey) ?? 0) + 1);
  return counts;
}

function sum(nodes: readonly SchemaNode[]): number {
  return nodes.reduce((total, node) => total + node.findingCount, 0);
}
