/**
 * Compares the catalog the migrations define with a database's catalog. Both catalogs are first
 * flattened into entries (one per object, each with the properties the diff compares), then the
 * entries are matched by object key. Expressions compare exactly only when both sides were printed
 * by the same code, which is why `pgreview diff` compares a shadow database with the live one.
 */
import type { Catalog, Column, Constraint, CronJob, Expression, Func, Grants, Index, Origin, Policy, Privilege, Table, Trigger, TypeDef, View } from '../catalog/model';
import { objectKey } from '../catalog/model';
import { pairCronJobs, type PairedCronJobs } from './pairCronJobs';
import { isManagedSchema } from '../catalog/platform';
import { columnAcls } from '../catalog/privileges';
import type { Profile } from '../config';
import type { SourceSpan } from '../sql/span';
import type { Change, ChangeType, ChangeValue } from './change';

export interface DiffOptions {
  /** Decides which schemas are platform-managed (compared only for the policies and triggers migrations add). */
  profile: Profile;
  /** Compare grants too (`--with-privileges`). */
  withPrivileges?: boolean;
  /**
   * The catalog whose origins locate changes in the migration files. When the migrations side is
   * a shadow database (which has no spans), pass the replayed catalog here: objects are matched by key.
   * Defaults to the migrations catalog.
   */
  origins?: Catalog;
}

/** The properties of one object, flattened for comparison. */
export interface DiffEntry {
  key: string;
  type: ChangeType;
  object: string;
  /** Key of the entry this one belongs to (a column's table); its changes are implied by the parent's. */
  parent?: string;
  properties: Record<string, ChangeValue | undefined>;
  /**
   * For expression properties, what is compared instead of the text: the parse tree without
   * locations and column qualifiers, so that PostgreSQL versions that print the same expression
   * differently (`bookings.vendor_id` before 16, `vendor_id` after) do not count as a change.
   */
  canonical?: Record<string, string | undefined>;
  /** False when an object only the database has is expected there (platform triggers, platform extensions). */
  reportExtra: boolean;
  span?: SourceSpan;
  /** Spans for properties set by a later statement than the definition (`rls_enabled`). */
  propertySpans?: Record<string, SourceSpan | undefined>;
}

/**
 * The changes that would make `database` match `migrations`, sorted by object type and name.
 * Pure: catalogs in, values out.
 */
export function diffCatalogs(migrations: Catalog, database: Catalog, options: DiffOptions): Change[] {
  // MAINTAIN exists from PostgreSQL 17 on (`grant all` includes it there): when only one side
  // knows it, a shadow on PGlite (PostgreSQL 18) and a PostgreSQL 15 server would differ everywhere.
  const maintainOnBothSides = hasPrivilegeAnywhere(migrations, 'MAINTAIN') && hasPrivilegeAnywhere(database, 'MAINTAIN');
  const flattenOptions = {
    ...options,
    ...(maintainOnBothSides ? {} : { ignoredPrivileges: new Set<Privilege>(['MAINTAIN']) }),
    identityOfPartitionsIgnored: partitionIdentityDiffersByVersion(migrations, database),
  };
  // pg_cron jobs are compared only when both sides know them (a database without pg_cron's
  // catalog, or whose cron.job the role may not read, does not).
  const jobs = comparedCronJobs(migrations, database, options.origins);
  // A job runs in the database it was scheduled in unless it names another: both sides judge a
  // named database against the live one's name (a shadow's own name is a throwaway's).
  const wanted = flattenCatalog({ ...migrations, databaseName: database.databaseName, cronJobs: jobs.wanted }, flattenOptions);
  const actual = flattenCatalog({ ...database, cronJobs: jobs.actual }, flattenOptions);
  const located = options.origins && options.origins !== migrations ? flattenCatalog(options.origins, { ...options, withPrivileges: true }) : wanted;
  const changes: (Change & { parent?: string })[] = [];
  const appeared = new Set<string>();

  for (const [key, entry] of wanted) {
    // An extension in a platform schema counts only when a migration creates it; a shadow database
    // has the platform's own extensions too, and those are no one's change.
    if (entry.type === 'extension' && !entry.reportExtra && !located.has(key)) continue;
    const other = actual.get(key);
    if (!other) {
      appeared.add(key);
      const change: Change & { parent?: string } = { ...locateChange(entry, located), status: 'missing_in_database', parent: entry.parent };
      // A grant's privileges are its content: say which ones are missing.
      if (entry.type === 'grant') change.migrations = entry.properties.privileges;
      changes.push(change);
      continue;
    }
    for (const property of Object.keys({ ...entry.properties, ...other.properties })) {
      const mine = entry.properties[property];
      const theirs = other.properties[property];
      if (sameValue(mine, theirs)) continue;
      const canonicalMine = entry.canonical?.[property];
      const canonicalTheirs = other.canonical?.[property];
      if (canonicalMine !== undefined && canonicalMine === canonicalTheirs) continue;
      const change: Change = { ...locateChange(entry, located, property), status: 'changed', property };
      if (mine !== undefined) change.migrations = mine;
      if (theirs !== undefined) change.database = theirs;
      if (entry.type === 'grant') change.property = grantee(key);
      changes.push(change);
    }
  }
  for (const [key, entry] of actual) {
    if (wanted.has(key) || !entry.reportExtra) continue;
    appeared.add(key);
    const change: Change & { parent?: string } = { ...locateChange(entry, located), status: 'extra_in_database', parent: entry.parent };
    if (entry.type === 'grant') change.database = entry.properties.privileges;
    changes.push(change);
  }
  // A missing table implies its missing columns, constraints, policies: report the table alone.
  const reported = changes.filter((change) => !(change.parent && appeared.has(change.parent)));
  return reported.map(({ parent: _parent, ...change }) => change).sort(compareChanges);
}

/**
 * The pg_cron jobs of the migrations side. A shadow database has none to read (PGlite has no
 * pg_cron, and a server shadow's throwaway database is not pg_cron's), so when the migrations
 * side is a shadow the jobs are the replay's (`origins`), which records every `cron.schedule`.
 */
function migrationCronJobs(migrations: Catalog, origins: Catalog | undefined): Map<string, CronJob> | undefined {
  return migrations.cronJobs ?? origins?.cronJobs;
}

/**
 * The pg_cron jobs the diff compares, keyed in pairs (`pairCronJobs`); neither side's when one side
 * does not know its jobs (a database without pg_cron's catalog, or whose cron.job the role may not read).
 */
export function comparedCronJobs(migrations: Catalog, database: Catalog, origins: Catalog | undefined): PairedCronJobs {
  const migrationJobs = migrationCronJobs(migrations, origins);
  if (migrationJobs === undefined || database.cronJobs === undefined) return { wanted: undefined, actual: undefined };
  return pairCronJobs(migrationJobs, database.cronJobs, migrations.migrationRole);
}

/**
 * True when one side was read from PostgreSQL 17 or later and the other from an earlier one:
 * since 17 a partition inherits its partitioned table's identity column (`attidentity` is set on
 * the partition too), before it did not, so a shadow on PGlite (PostgreSQL 18) and a PostgreSQL
 * 15 server built from the same migrations differ there, and the difference is the version's.
 */
function partitionIdentityDiffersByVersion(a: Catalog, b: Catalog): boolean {
  if (!a.server || !b.server) return false;
  return a.server.num >= 170000 !== b.server.num >= 170000;
}

/** Flattens a catalog into the entries the diff compares, keyed by object key. */
export function flattenCatalog(
  catalog: Catalog,
  options: DiffOptions & { ignoredPrivileges?: ReadonlySet<Privilege>; identityOfPartitionsIgnored?: boolean },
): Map<string, DiffEntry> {
  const entries = new Map<string, DiffEntry>();
  const managed = (schema: string) => isManagedSchema(options.profile, schema);
  const add = (entry: Omit<DiffEntry, 'reportExtra'> & { reportExtra?: boolean }) => entries.set(entry.key, { reportExtra: true, ...entry });
  /** `parent`: what, missing, implies the grant is missing (the owner, or a view for its columns, which have no entry). */
  const addGrants = (ownerKey: string, object: string, grants: Grants, span?: SourceSpan, parent = ownerKey) => {
    if (!options.withPrivileges) return;
    for (const [who, privileges] of grants) {
      const compared = [...privileges].filter((privilege) => !options.ignoredPrivileges?.has(privilege)).sort();
      if (compared.length === 0) continue;
      add({ key: `grant:${ownerKey}/${who}`, type: 'grant', object, parent, properties: { privileges: compared }, span });
    }
  };

  for (const schema of catalog.schemas.values()) {
    if (managed(schema.name)) continue;
    const key = objectKey.schema(schema.name);
    add({ key, type: 'schema', object: schema.name, properties: {}, span: spanOf(schema.origin) });
    addGrants(key, schema.name, schema.grants, spanOf(schema.origin));
  }
  for (const extension of catalog.extensions.values()) {
    // The platform installs extensions into its own schemas; only the ones migrations create count.
    if (managed(extension.schema) && extension.platform) continue;
    add({
      key: objectKey.extension(extension.name), type: 'extension', object: extension.name,
      properties: { schema: extension.schema }, reportExtra: !managed(extension.schema), span: spanOf(extension.origin),
    });
  }
  for (const type of catalog.types.values()) {
    // Base types come from extensions (citext, hstore); migrations do not write them.
    if (managed(type.schema) || type.kind === 'base') continue;
    const qualified = `${type.schema}.${type.name}`;
    add({
      key: objectKey.type(qualified), type: 'type', object: qualified, properties: typeProperties(type), span: spanOf(type.origin),
      canonical: { default: canonicalExpression(type.default) },
    });
  }
  for (const sequence of catalog.sequences.values()) {
    // Sequences owned by a column (serial, identity) come and go with the column.
    if (managed(sequence.schema) || sequence.ownedBy) continue;
    const qualified = `${sequence.schema}.${sequence.name}`;
    const key = objectKey.sequence(qualified);
    add({ key, type: 'sequence', object: qualified, properties: {}, span: spanOf(sequence.origin) });
    addGrants(key, qualified, sequence.grants, spanOf(sequence.origin));
  }
  for (const fn of catalog.functions.values()) {
    if (managed(fn.schema) || fn.extension || fn.platform) continue;
    const key = objectKey.function(fn.key);
    add({ key, type: 'function', object: fn.key, properties: functionProperties(fn), span: spanOf(fn.origin) });
    addGrants(key, fn.key, fn.grants, spanOf(fn.origin));
  }
  for (const [qualified, table] of catalog.tables) {
    const tableKey = objectKey.table(qualified);
    const isManaged = managed(table.schema) || table.platform;
    if (!isManaged) {
      add({
        key: tableKey, type: 'table', object: qualified, properties: tableProperties(table), span: spanOf(table.origin),
        propertySpans: { rls_enabled: table.rlsChangedAt, rls_forced: table.rlsChangedAt },
      });
      addGrants(tableKey, qualified, table.grants, spanOf(table.origin));
      const isPartition = table.partitionOf !== undefined && catalog.tables.get(table.partitionOf)?.kind === 'partitioned';
      for (const column of table.columns.values()) {
        const properties = columnProperties(column);
        if (isPartition && options.identityOfPartitionsIgnored) delete properties.identity;
        add({
          key: objectKey.column(qualified, column.name), type: 'column', object: `${qualified}.${column.name}`, parent: tableKey,
          properties, span: spanOf(column.origin) ?? spanOf(table.origin),
          canonical: { default: canonicalExpression(column.default), generated: canonicalExpression(column.generated) },
        });
        if (column.grants) {
          const columnKey = objectKey.column(qualified, column.name);
          addGrants(columnKey, `${qualified}.${column.name}`, column.grants, spanOf(column.origin) ?? spanOf(table.origin));
        }
      }
      for (const constraint of table.constraints.values()) {
        // PostgreSQL 18 lists NOT NULL as constraints; `nullable` on the column already says it.
        if (constraint.kind === 'not_null') continue;
        add({
          key: objectKey.constraint(qualified, constraint.name), type: 'constraint', object: `${qualified}.${constraint.name}`, parent: tableKey,
          properties: { definition: describeConstraint(constraint), validated: constraint.validated }, span: spanOf(constraint.origin) ?? spanOf(table.origin),
        });
      }
      addIndexes(add, table.schema, tableKey, table.indexes, spanOf(table.origin));
    }
    for (const policy of table.policies.values()) {
      add({
        key: objectKey.policy(qualified, policy.name), type: 'policy', object: `${qualified}.${policy.name}`,
        parent: isManaged ? undefined : tableKey, properties: policyProperties(policy), span: spanOf(policy.origin),
        canonical: { using: canonicalExpression(policy.using), with_check: canonicalExpression(policy.withCheck) },
      });
    }
    for (const trigger of table.triggers.values()) {
      add({
        key: objectKey.trigger(qualified, trigger.name), type: 'trigger', object: `${qualified}.${trigger.name}`,
        parent: isManaged ? undefined : tableKey, properties: triggerProperties(trigger), reportExtra: !isManaged, span: spanOf(trigger.origin),
        canonical: { when: canonicalExpression(trigger.when) },
      });
    }
  }
  for (const [qualified, view] of catalog.views) {
    if (managed(view.schema) || view.platform) continue;
    const key = objectKey.view(qualified);
    add({
      key, type: view.kind, object: qualified, properties: viewProperties(view), span: spanOf(view.origin),
      canonical: { definition: canonicalExpression(view.definition) },
    });
    addGrants(key, qualified, view.grants, spanOf(view.origin));
    for (const [column, grants] of columnAcls(view)) addGrants(objectKey.column(qualified, column), `${qualified}.${column}`, grants, spanOf(view.origin), key);
    addIndexes(add, view.schema, key, view.indexes, spanOf(view.origin));
  }
  for (const [identity, job] of catalog.cronJobs ?? []) {
    add({ key: objectKey.cronJob(identity), type: 'cron_job', object: identity, properties: cronJobProperties(job, catalog.databaseName), span: spanOf(job.origin) });
  }
  return entries;
}

/**
 * A job's schedule, command (whitespace collapsed), role, whether it is active, and the database
 * it runs in when that is not the one the catalog was read from (a migration's `cron.schedule`
 * names none: its jobs run where the migrations ran).
 */
function cronJobProperties(job: CronJob, databaseName: string | undefined): DiffEntry['properties'] {
  return {
    schedule: job.schedule.trim(),
    command: normalizeExpression(job.command) ?? '',
    database: job.database === databaseName ? undefined : job.database,
    username: job.username,
    active: job.active,
  };
}

/** `PRIMARY KEY (id)`, `FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE`, `CHECK (...)`. */
export function describeConstraint(constraint: Constraint, quote: (name: string) => string = (name) => name): string {
  const columns = constraint.columns.map(quote).join(', ');
  const deferrable = constraint.deferrable ? ' DEFERRABLE' : '';
  switch (constraint.kind) {
    case 'primary_key':
      return `PRIMARY KEY (${columns})${deferrable}`;
    case 'unique':
      return `UNIQUE (${columns})${deferrable}`;
    case 'foreign_key': {
      const target = constraint.references;
      if (!target) return `FOREIGN KEY (${columns})`;
      const onDelete = referentialAction('DELETE', target.onDelete);
      const onUpdate = referentialAction('UPDATE', target.onUpdate);
      const table = target.table.split('.').map(quote).join('.');
      return `FOREIGN KEY (${columns}) REFERENCES ${table}(${target.columns.map(quote).join(', ')})${onUpdate}${onDelete}${deferrable}`;
    }
    case 'check': {
      const text = normalizeExpression(constraint.check?.text) ?? '';
      return /^check\b/i.test(text) ? text : `CHECK (${stripOuterParentheses(text)})`;
    }
    case 'exclude':
      return `EXCLUDE (${columns})`;
    default:
      return `NOT NULL ${columns}`;
  }
}

/** Index keys as they read in CREATE INDEX: `user_id, lower(email) text_pattern_ops`. */
export function describeIndexKeys(index: Index, quote: (name: string) => string = (name) => name): string {
  return index.keys
    .map((key) => {
      const target = (key.column !== undefined ? quote(key.column) : undefined) ?? (key.expression ? `(${stripOuterParentheses(normalizeExpression(key.expression.text) ?? '')})` : '');
      return key.options ? `${target} ${key.options}` : target;
    })
    .join(', ');
}

/** Collapses whitespace so that formatting alone never counts as a difference. */
export function normalizeExpression(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed === '' ? undefined : collapsed;
}

function addIndexes(
  add: (entry: Omit<DiffEntry, 'reportExtra'>) => void,
  schema: string,
  parent: string,
  indexes: Map<string, Index>,
  fallbackSpan: SourceSpan | undefined,
): void {
  for (const index of indexes.values()) {
    // An index that implements a primary key or unique constraint comes and goes with the constraint.
    if (index.constraint || index.primary) continue;
    add({
      key: objectKey.index(schema, index.name), type: 'index', object: `${schema}.${index.name}`, parent,
      properties: {
        unique: index.unique,
        columns: describeIndexKeys(index),
        method: index.method,
        include: index.include.length > 0 ? index.include : undefined,
        where: normalizeExpression(index.where?.text),
      },
      span: spanOf(index.origin) ?? fallbackSpan,
      canonical: { where: canonicalExpression(index.where) },
    });
  }
}

function tableProperties(table: Table): DiffEntry['properties'] {
  return { rls_enabled: table.rlsEnabled, rls_forced: table.rlsForced };
}

function columnProperties(column: Column): DiffEntry['properties'] {
  return {
    type: column.type,
    nullable: !column.notNull,
    default: normalizeExpression(column.default?.text),
    identity: column.identity,
    generated: normalizeExpression(column.generated?.text),
  };
}

function policyProperties(policy: Policy): DiffEntry['properties'] {
  return {
    command: policy.command,
    permissive: policy.permissive,
    roles: [...policy.roles].sort(),
    using: normalizeExpression(policy.using?.text),
    with_check: normalizeExpression(policy.withCheck?.text),
  };
}

function triggerProperties(trigger: Trigger): DiffEntry['properties'] {
  return {
    function: trigger.function,
    timing: trigger.timing,
    events: [...trigger.events].sort(),
    for_each: trigger.forEach,
    when: normalizeExpression(trigger.when?.text),
    enabled: trigger.enabled,
  };
}

function functionProperties(fn: Func): DiffEntry['properties'] {
  return {
    arguments: describeArguments(fn),
    returns: fn.returns,
    language: fn.language,
    volatility: fn.volatility,
    security_definer: fn.securityDefiner,
    config: fn.config.size > 0 ? [...fn.config].map(([name, value]) => `${name}=${value}`).sort() : undefined,
    body: fn.body?.trim(),
  };
}

/** The argument list with modes, names and defaults: `owner uuid, limit integer DEFAULT 10`. */
export function describeArguments(fn: Func): string {
  return fn.arguments
    .filter((argument) => argument.mode !== 'table')
    .map((argument) => {
      const mode = argument.mode === 'in' ? '' : `${argument.mode.toUpperCase()} `;
      const name = argument.name ? `${argument.name} ` : '';
      const fallback = argument.default ? ` DEFAULT ${argument.default}` : '';
      return `${mode}${name}${argument.type}${fallback}`;
    })
    .join(', ');
}

function viewProperties(view: View): DiffEntry['properties'] {
  return { definition: normalizeExpression(view.definition.text), security_invoker: view.securityInvoker };
}

function typeProperties(type: TypeDef): DiffEntry['properties'] {
  return {
    kind: type.kind,
    values: type.values,
    attributes: type.attributes?.map((attribute) => `${attribute.name} ${attribute.type}`),
    base_type: type.baseType,
    default: normalizeExpression(type.default?.text),
    not_null: type.kind === 'domain' ? type.notNull === true : undefined,
    constraints: type.constraints && type.constraints.size > 0 ? describeDomainConstraints(type) : undefined,
  };
}

/** A domain's CHECK constraints, sorted by name: `amount_positive CHECK (value > 0) NOT VALID`. */
export function describeDomainConstraints(type: TypeDef): string[] {
  return [...(type.constraints?.values() ?? [])]
    .map((constraint) => `${constraint.name} ${describeConstraint(constraint)}${constraint.validated ? '' : ' NOT VALID'}`)
    .sort();
}

function referentialAction(event: string, action: string | undefined): string {
  if (!action || /^no action$/i.test(action) || action === 'a') return '';
  return ` ON ${event} ${action.toUpperCase()}`;
}

/** Parse-tree fields that say where a node was in the text, not what it means. */
const POSITION_KEYS = new Set(['location', 'stmt_location', 'stmt_len', 'list_start', 'list_end']);

/**
 * The parse tree of an expression as a string, without locations, and with column references
 * reduced to the column name. Undefined when there is no tree (then the text is compared).
 */
function canonicalExpression(expression: Expression | undefined): string | undefined {
  if (!expression?.ast) return undefined;
  return JSON.stringify(expression.ast, (key, value: unknown) => {
    if (POSITION_KEYS.has(key)) return undefined;
    if (key === 'ColumnRef' && value && typeof value === 'object' && 'fields' in value && Array.isArray(value.fields)) {
      return { fields: value.fields.slice(-1) };
    }
    return value;
  });
}

function stripOuterParentheses(text: string): string {
  let result = text.trim();
  while (result.startsWith('(') && result.endsWith(')') && isBalanced(result.slice(1, -1))) result = result.slice(1, -1).trim();
  return result;
}

function isBalanced(text: string): boolean {
  let depth = 0;
  for (const character of text) {
    if (character === '(') depth++;
    else if (character === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

function spanOf(origin: Origin): SourceSpan | undefined {
  return origin.definedAt;
}

function hasPrivilegeAnywhere(catalog: Catalog, privilege: Privilege): boolean {
  const holders: { grants: Grants }[] = [...catalog.tables.values(), ...catalog.views.values(), ...catalog.sequences.values()];
  return holders.some((holder) => [...holder.grants.values()].some((privileges) => privileges.has(privilege)));
}

function sameValue(a: ChangeValue | undefined, b: ChangeValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function grantee(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/**
 * The change's identity and location. The location comes from the origins catalog by key; an
 * object the migrations do not define is located at its parent (an extra column at its table).
 */
function locateChange(entry: DiffEntry, located: Map<string, DiffEntry>, property?: string): Omit<Change, 'status'> {
  const origin = located.get(entry.key);
  const span = (property ? origin?.propertySpans?.[property] : undefined) ?? origin?.span ?? (entry.parent ? located.get(entry.parent)?.span : undefined);
  const change: Omit<Change, 'status'> = { type: entry.type, object: entry.object, key: entry.key };
  if (entry.type === 'grant') change.property = grantee(entry.key);
  if (span) {
    change.file = span.file;
    change.line = span.line;
  }
  return change;
}

const TYPE_ORDER: ChangeType[] = [
  'schema', 'extension', 'type', 'sequence', 'function', 'table', 'column', 'constraint', 'index', 'view',
  'materialized_view', 'policy', 'trigger', 'grant', 'cron_job',
];

function compareChanges(a: Change, b: Change): number {
  const byType = TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type);
  if (byType !== 0) return byType;
  if (a.object !== b.object) return a.object < b.object ? -1 : 1;
  const propertyA = a.property ?? '';
  const propertyB = b.property ?? '';
  return propertyA < propertyB ? -1 : propertyA > propertyB ? 1 : 0;
}
