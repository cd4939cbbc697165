/**
 * Reads a live database into the catalog model, read-only. One query per object family (schemas,
 * relations, columns, constraints, ...), never one per table, so the query count is the same for
 * ten tables and for ten thousand. Expressions are parsed with libpg_query, so rules judge the same
 * tree shape as they do for migrations. A query the role lacks permission for becomes one warning
 * and introspection goes on with the rest.
 */
import type { Node } from '@pgsql/types';
import { throwIfCancelled, type CancellationToken } from '../core/cancellation';
import {
  createCatalog,
  cronJobIdentity,
  cronJobIdentityWithRole,
  qualifiedName,
  type Catalog,
  type CatalogSource,
  type Column,
  type ConstraintKind,
  type CronJob,
  type DefaultPrivilegeObject,
  type Expression,
  type Func,
  type Grants,
  type Index,
  type IndexKey,
  type PolicyCommand,
  type Privilege,
  type Table,
  type TableKind,
  type Trigger,
  type TypeDef,
  type View,
} from '../core/catalog/model';
import { isManagedSchema } from '../core/catalog/platform';
import type { Profile, ResolvedConfig } from '../core/config';
import { getParser, loadParser } from '../core/sql/parser';
import { settingValueText } from '../core/sql/settingValueText';
import type { ConnectionOptions } from './connection';
import { ReadOnlySession, withReadOnlySession } from './readOnlySession';
import { removeSchemaQualifiers } from './removeSchemaQualifiers';

/** Something introspection could not read, said once: which catalog, and what is missing because of it. */
export interface IntrospectionWarning {
  /** The object family the query reads: `policies`, `table statistics`, ... */
  family: string;
  message: string;
}

export interface Introspection {
  catalog: Catalog;
  warnings: IntrospectionWarning[];
  /** Catalog queries made; the same whatever the number of objects. */
  queryCount: number;
}

export interface IntrospectOptions {
  /** Profile (which schemas are managed) and the exposed schemas to use when the database does not say. */
  config: ResolvedConfig;
  /** `database` for a configured database, `shadow` for the shadow database. */
  source?: CatalogSource;
}

/**
 * Opens a read-only session, introspects the database and closes the session. The session reads
 * with the search_path the shadow applies migrations with, so that PostgreSQL prints names the way
 * it prints them in the shadow, whatever the connecting role's own search_path is.
 */
export async function introspectDatabase(connection: ConnectionOptions, options: IntrospectOptions, token?: CancellationToken): Promise<Introspection> {
  const searchPath = introspectionSearchPath(options.config.profile);
  return withReadOnlySession(connection, (session) => introspectCatalog(session, options, token), token, { searchPath });
}

/**
 * The search_path expressions are printed under: the shadow's (`"$user", public, extensions` for
 * Supabase, as `supabase start` sets it; PostgreSQL's default `"$user", public` otherwise) without
 * `"$user"`, which would make names in a schema called like the connecting role print differently.
 */
export function introspectionSearchPath(profile: Profile): string[] {
  return profile === 'supabase' ? ['public', 'extensions'] : ['public'];
}

/** What introspection reads through: a read-only pg session, or PGlite (see shadow.ts). */
export type CatalogReader = Pick<ReadOnlySession, 'queryGuarded' | 'queryCount'>;

/** Reads the catalog through an open read-only session (or PGlite). */
export async function introspectCatalog(session: CatalogReader, options: IntrospectOptions, token?: CancellationToken): Promise<Introspection> {
  await loadParser();
  const startCount = session.queryCount;
  const catalog = createCatalog(options.source ?? 'database');
  const warnings: IntrospectionWarning[] = [];
  const managed = (schema: string): boolean => isManagedSchema(options.config.profile, schema);
  const read = async <Row extends object>(family: string, missing: string, sql: string): Promise<Row[]> => {
    throwIfCancelled(token);
    const result = await session.queryGuarded<Row & Record<string, unknown>>(sql, token);
    if (result.error) {
      warnings.push({ family, message: `Cannot read ${family} (${firstLine(result.error.message)}); ${missing}.` });
      return [];
    }
    return result.rows;
  };

  // A schema of the search_path that the role may not use is left off the effective path, and then
  // PostgreSQL prints every name in it with its schema; those qualifiers are removed again.
  const effectivePath = await read<{ schemas: string[] }>('search path', 'names are printed as the role sees them', EFFECTIVE_SEARCH_PATH_SQL);
  const unusable = new Set(introspectionSearchPath(options.config.profile).filter((schema) => !effectivePath[0]?.schemas.includes(schema)));
  const unqualify = (text: string): string => removeSchemaQualifiers(text, unusable);
  const parse = cachedExpressionParser(unqualify);
  const parseStored = cachedExpressionParser((text) => text);

  const [server] = await read<{ text: string; num: number; database: string; has_cron_jobs: boolean }>(
    'server version',
    'the diff cannot say which PostgreSQL it compared',
    SERVER_SQL,
  );
  if (server) {
    catalog.server = { text: server.text, num: server.num };
    catalog.databaseName = server.database;
  }

  for (const row of await read<SchemaRow>('schemas', 'the catalog has no schemas', SCHEMAS_SQL)) {
    catalog.schemas.set(row.name, { name: row.name, owner: row.owner, comment: row.comment ?? undefined, grants: grantsOf(row.acl, row.owner), platform: managed(row.name), origin: {} });
  }

  for (const row of await read<RelationRow>('relations', 'tables, views and sequences are missing', RELATIONS_SQL)) {
    const qualified = qualifiedName(row.schema, row.name);
    const platform = managed(row.schema);
    if (row.kind === 'S') {
      catalog.sequences.set(qualified, { schema: row.schema, name: row.name, ownedBy: row.owned_by ?? undefined, grants: grantsOf(row.acl, row.owner), platform, origin: {} });
    } else if (row.kind === 'v' || row.kind === 'm') {
      const view: View = {
        schema: row.schema,
        name: row.name,
        kind: row.kind === 'v' ? 'view' : 'materialized_view',
        owner: row.owner,
        definition: parseQuery(unqualify(row.definition ?? '')),
        securityInvoker: isTrueOption(row.reloptions, 'security_invoker'),
        dependsOn: row.depends_on ?? [],
        columns: [],
        grants: grantsOf(row.acl, row.owner),
        indexes: new Map(),
        comment: row.comment ?? undefined,
        platform,
        origin: {},
      };
      catalog.views.set(qualified, view);
    } else {
      const table: Table = {
        schema: row.schema,
        name: row.name,
        kind: TABLE_KINDS[row.kind] ?? 'table',
        owner: row.owner,
        columns: new Map(),
        constraints: new Map(),
        indexes: new Map(),
        policies: new Map(),
        triggers: new Map(),
        rlsEnabled: row.rls_enabled,
        rlsForced: row.rls_forced,
        grants: grantsOf(row.acl, row.owner),
        comment: row.comment ?? undefined,
        platform,
        origin: {},
      };
      if (row.parent) table.partitionOf = row.parent;
      catalog.tables.set(qualified, table);
    }
  }

  /** `public.bookings#2` → `user_id`: constraints name their columns by number. */
  const columnNames = new Map<string, string>();
  const namesOf = (table: string, numbers: number[] | null): string[] => (numbers ?? []).map((number) => columnNames.get(`${table}#${number}`) ?? `#${number}`);
  for (const row of await read<ColumnRow>('columns', 'tables and views have no columns', COLUMNS_SQL)) {
    const qualified = qualifiedName(row.schema, row.table_name);
    columnNames.set(`${qualified}#${row.position}`, row.name);
    const view = catalog.views.get(qualified);
    if (view) {
      view.columns.push(row.name);
      const grants = row.acl ? grantsOf(row.acl, view.owner ?? '') : undefined;
      if (grants && grants.size > 0) (view.columnGrants ??= new Map()).set(row.name, grants);
      continue;
    }
    const table = catalog.tables.get(qualified);
    if (!table) continue;
    const column: Column = { name: row.name, type: unqualify(row.type), notNull: row.not_null, origin: {} };
    if (row.generated === 's' && row.default_expr) column.generated = parse(row.default_expr);
    else if (row.default_expr) column.default = parse(row.default_expr);
    if (row.identity === 'a') column.identity = 'always';
    if (row.identity === 'd') column.identity = 'by default';
    if (row.comment) column.comment = row.comment;
    if (row.acl) {
      const grants = grantsOf(row.acl, table.owner ?? '');
      if (grants.size > 0) column.grants = grants;
    }
    table.columns.set(row.name, column);
  }

  for (const row of await read<ConstraintRow>('constraints', 'primary keys, foreign keys, unique and check constraints are missing', CONSTRAINTS_SQL)) {
    const qualified = qualifiedName(row.schema, row.table_name);
    const table = catalog.tables.get(qualified);
    if (!table) continue;
    const kind = CONSTRAINT_KINDS[row.type];
    if (!kind) continue;
    table.constraints.set(row.name, {
      name: row.name,
      kind,
      columns: namesOf(qualified, row.column_numbers),
      ...(row.type === 'f' && row.ref_table
        ? { references: { table: row.ref_table, columns: namesOf(row.ref_table, row.ref_column_numbers), onDelete: FOREIGN_KEY_ACTIONS[row.on_delete], onUpdate: FOREIGN_KEY_ACTIONS[row.on_update] } }
        : {}),
      ...(row.check_expr ? { check: parse(row.check_expr) } : {}),
      validated: row.validated,
      deferrable: row.deferrable,
      origin: {},
    });
  }

  for (const row of await read<IndexRow>('indexes', 'indexes are missing', INDEXES_SQL)) {
    const qualified = qualifiedName(row.schema, row.table_name);
    const owner = catalog.tables.get(qualified) ?? catalog.views.get(qualified);
    if (!owner) continue;
    const index: Index = {
      name: row.name,
      table: qualified,
      unique: row.is_unique,
      primary: row.is_primary,
      method: row.method,
      keys: indexKeys(row, parse),
      include: (row.key_defs ?? []).slice(row.key_count),
      valid: row.is_valid,
      origin: {},
    };
    if (row.predicate) index.where = parse(row.predicate);
    if (row.constraint_name) index.constraint = row.constraint_name;
    owner.indexes.set(row.name, index);
  }

  for (const row of await read<PolicyRow>('policies', 'RLS policies are missing, so policy rules cannot judge them', POLICIES_SQL)) {
    const qualified = qualifiedName(row.schema, row.table_name);
    const table = catalog.tables.get(qualified);
    if (!table) continue;
    table.policies.set(row.name, {
      name: row.name,
      table: qualified,
      command: POLICY_COMMANDS[row.cmd] ?? 'all',
      permissive: row.permissive,
      roles: row.roles ?? ['public'],
      ...(row.qual ? { using: parse(row.qual) } : {}),
      ...(row.with_check ? { withCheck: parse(row.with_check) } : {}),
      origin: {},
    });
  }

  for (const rawRow of await read<FunctionRow>('functions', 'functions are missing', FUNCTIONS_SQL)) {
    const row = unqualifyFunctionRow(rawRow, unqualify);
    const key = `${qualifiedName(row.schema, row.name)}(${(row.input_types ?? []).join(', ')})`;
    const func: Func = {
      schema: row.schema,
      name: row.name,
      key,
      kind: row.kind === 'p' ? 'procedure' : row.kind === 'a' ? 'aggregate' : 'function',
      arguments: functionArguments(row),
      returns: row.returns ?? undefined,
      language: row.language,
      volatility: row.volatility === 'i' ? 'immutable' : row.volatility === 's' ? 'stable' : 'volatile',
      securityDefiner: row.security_definer,
      config: configMap(row.config),
      body: row.body ?? undefined,
      owner: row.owner,
      grants: grantsOf(row.acl, row.owner),
      comment: row.comment ?? undefined,
      platform: managed(row.schema),
      origin: {},
    };
    if (row.extension) func.extension = row.extension;
    catalog.functions.set(key, func);
  }

  for (const row of await read<TriggerRow>('triggers', 'triggers are missing', TRIGGERS_SQL)) {
    const qualified = qualifiedName(row.schema, row.table_name);
    const table = catalog.tables.get(qualified);
    if (!table) continue;
    table.triggers.set(row.name, triggerOf({ ...row, function_types: row.function_types?.map(unqualify) ?? null, definition: unqualify(row.definition) }, qualified));
  }

  for (const row of await read<TypeRow>('types', 'enums, composite types and domains are missing', TYPES_SQL)) {
    const type: TypeDef = { schema: row.schema, name: row.name, kind: TYPE_KINDS[row.kind] ?? 'base', platform: managed(row.schema), origin: {} };
    if (row.labels) type.values = row.labels;
    if (row.attributes) type.attributes = row.attributes.map(([name, attributeType]) => ({ name, type: unqualify(attributeType) }));
    if (row.base_type) type.baseType = unqualify(row.base_type);
    type.owner = row.owner;
    if (type.kind === 'domain') {
      // typdefault is text stored when the domain was made, not printed for the reading role.
      if (row.default_expr) type.default = parseStored(row.default_expr);
      type.notNull = row.not_null;
      type.constraints = new Map((row.domain_checks ?? []).map(([name, expression, validated]) => [
        name, { name, kind: 'check', columns: [], check: parse(expression), validated, origin: {} },
      ]));
    }
    catalog.types.set(qualifiedName(row.schema, row.name), type);
  }

  for (const row of await read<ExtensionRow>('extensions', 'extensions are missing', EXTENSIONS_SQL)) {
    catalog.extensions.set(row.name, {
      name: row.name,
      schema: row.schema,
      version: row.version,
      defaultVersion: row.default_version ?? undefined,
      platform: managed(row.schema) || row.name === 'plpgsql',
      origin: {},
    });
  }

  for (const row of await read<RoleRow>('roles', 'roles are missing, so grants through role membership cannot be followed', ROLES_SQL)) {
    catalog.roles.set(row.name, {
      name: row.name,
      login: row.login,
      bypassRls: row.bypass_rls,
      superuser: row.superuser,
      inherit: row.inherit,
      memberOf: row.member_of ?? [],
      platform: PLATFORM_ROLES.has(row.name),
      origin: {},
    });
  }

  const defaultPrivileges = await read<DefaultPrivilegeRow>('default privileges', 'grants that new objects receive are unknown', DEFAULT_PRIVILEGES_SQL);
  catalog.defaultPrivileges.push(...defaultPrivilegesOf(defaultPrivileges));

  const settings = await read<{ setting: string }>('role settings', 'the exposed schemas come from the project configuration', EXPOSED_SCHEMAS_SQL);
  catalog.exposedSchemas = exposedSchemasOf(settings) ?? [...options.config.exposedSchemas];

  const tableStatistics = await read<TableStatisticsRow>('table statistics (pg_stat_get_dead_tuples)', 'row counts and table_bloat are unavailable', TABLE_STATISTICS_SQL);
  const rowWidths = await read<RowWidthRow>('column statistics (pg_stats)', 'bloat is estimated from dead rows only', ROW_WIDTHS_SQL);
  applyTableStatistics(catalog, tableStatistics, rowWidths);
  const indexStatistics = await read<IndexStatisticsRow>('index statistics (pg_stat_get_numscans)', 'unused_index cannot run', INDEX_STATISTICS_SQL);
  for (const row of indexStatistics) {
    if (row.statistics_age_seconds !== null) {
      catalog.indexStatisticsAge ??= { database: row.database, seconds: row.statistics_age_seconds, since: row.statistics_never_reset ? 'server_start' : 'reset' };
    }
    const table = catalog.tables.get(qualifiedName(row.schema, row.table_name));
    if (!table) continue;
    table.statistics ??= {};
    table.statistics.indexScans ??= new Map();
    table.statistics.indexScans.set(row.name, Number(row.idx_scan));
  }

  if (server?.has_cron_jobs) {
    // A role that may not read cron.job leaves the jobs unknown (undefined), not absent.
    throwIfCancelled(token);
    const result = await session.queryGuarded<{ job: Record<string, unknown> }>(CRON_JOBS_SQL, token);
    if (result.error) warnings.push({ family: 'pg_cron jobs', message: `Cannot read the pg_cron jobs (${firstLine(result.error.message)}); they are left out.` });
    else catalog.cronJobs = keyCronJobs(result.rows.map(({ job }) => cronJobOf(job)));
  }

  if (catalog.tables.has('storage.buckets')) {
    const buckets = await read<BucketRow>('storage buckets', 'public_bucket_allows_listing cannot run', BUCKETS_SQL);
    catalog.storageBuckets = new Map(buckets.map((row) => [row.id, { id: row.id, name: row.name, public: row.public === true }]));
  }

  return { catalog, warnings, queryCount: session.queryCount - startCount };
}

/**
 * Parses an expression as PostgreSQL prints it (`pg_get_expr`) into the same tree shape the
 * replay builds from migrations: the target of `select <expr>`.
 */
export function parseExpression(text: string): Expression {
  try {
    const result = getParser().parseSync(`select ${text}`) as { stmts?: { stmt: Node }[] };
    const select = result.stmts?.[0]?.stmt as { SelectStmt?: { targetList?: Node[] } } | undefined;
    const target = select?.SelectStmt?.targetList?.[0] as { ResTarget?: { val?: Node } } | undefined;
    return { text, ast: target?.ResTarget?.val };
  } catch {
    // An expression libpg_query cannot parse keeps its text; rules then stay silent about it.
    return { text, ast: undefined };
  }
}

/**
 * parseExpression with a cache by text: a database of thousands of tables repeats the same
 * defaults and policy conditions (`now()`, `(user_id = ( SELECT auth.uid() AS uid))`) thousands of
 * times. Equal texts share one parse tree, which rules only read.
 */
function cachedExpressionParser(unqualify: (text: string) => string): (text: string) => Expression {
  const parsed = new Map<string, Expression>();
  return (printed) => {
    let expression = parsed.get(printed);
    if (!expression) {
      expression = parseExpression(unqualify(printed));
      parsed.set(printed, expression);
    }
    return { text: expression.text, ast: expression.ast };
  };
}

function parseQuery(text: string): Expression {
  try {
    const result = getParser().parseSync(text) as { stmts?: { stmt: Node }[] };
    return { text, ast: result.stmts?.[0]?.stmt };
  } catch {
    return { text, ast: undefined };
  }
}

// ---------------------------------------------------------------------------------------------
// The catalog queries. Each filters out PostgreSQL's own schemas and objects that belong to an
// extension (pg_depend deptype 'e'), except functions, which keep their extension's name.

const USER_SCHEMA = (schemaColumn: string): string =>
  `${schemaColumn} not in ('pg_catalog', 'information_schema') and ${schemaColumn} !~ '^pg_(toast|temp_)'`;

const NOT_EXTENSION_MEMBER = (catalogName: string, oidColumn: string): string =>
  `${oidColumn} not in (select dep.objid from pg_catalog.pg_depend dep where dep.classid = '${catalogName}'::regclass and dep.deptype = 'e')`;

/**
 * The ACL as aclitem texts (`anon=arwdDxt/postgres`); a NULL ACL means the defaults. Parsing the
 * text here is much cheaper than aclexplode per row on a database of thousands of objects.
 */
const ACL_TEXT = (acl: string, kindSql: string, owner: string): string => `coalesce(${acl}, pg_catalog.acldefault(${kindSql}, ${owner}))::text[]`;

/** A join that gives an object's comment without a function call per row. */
const COMMENT_JOIN = (alias: string, catalogName: string, oidColumn: string, subIdColumn = '0'): string =>
  `left join pg_catalog.pg_description ${alias} on ${alias}.objoid = ${oidColumn} and ${alias}.classoid = '${catalogName}'::regclass and ${alias}.objsubid = ${subIdColumn}`;

/** The effective search_path, and the server's version, read here to keep the number of queries. */
const EFFECTIVE_SEARCH_PATH_SQL = 'select pg_catalog.current_schemas(false)::text[] as schemas';

/**
 * The server's version, the database's name, and whether it has pg_cron's job table: looked up in
 * pg_class, since `to_regclass('cron.job')` throws for a role without USAGE on the cron schema.
 */
const SERVER_SQL = `select current_setting('server_version') as text, current_setting('server_version_num')::int as num,
  pg_catalog.current_database() as database, exists (select from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace where n.nspname = 'cron' and c.relname = 'job') as has_cron_jobs`;

/** `to_jsonb` reads whichever columns this pg_cron version has (jobname came in 1.3). */
const CRON_JOBS_SQL = 'select pg_catalog.to_jsonb(j) as job from cron.job j order by j.jobid';

/** The jobs by identity, or by identity and role where two roles have a job of the same name (pg_cron names jobs uniquely per role). */
function keyCronJobs(jobs: CronJob[]): Map<string, CronJob> {
  const count = new Map<string, number>();
  for (const job of jobs) count.set(cronJobIdentity(job), (count.get(cronJobIdentity(job)) ?? 0) + 1);
  return new Map(jobs.map((job) => [count.get(cronJobIdentity(job))! > 1 ? cronJobIdentityWithRole(job) : cronJobIdentity(job), job]));
}

/** A row of `cron.job` in the model. */
function cronJobOf(row: Record<string, unknown>): CronJob {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const job: CronJob = { jobId: Number(row.jobid), schedule: text(row.schedule) ?? '', command: text(row.command) ?? '', active: row.active !== false, origin: {} };
  const name = text(row.jobname);
  if (name !== undefined) job.name = name;
  const database = text(row.database);
  if (database !== undefined) job.database = database;
  const username = text(row.username);
  if (username !== undefined) job.username = username;
  return job;
}

const SCHEMAS_SQL = `
select n.nspname as name, pg_catalog.pg_get_userbyid(n.nspowner) as owner, ds.description as comment,
  ${ACL_TEXT('n.nspacl', `'n'`, 'n.nspowner')} as acl
from pg_catalog.pg_namespace n ${COMMENT_JOIN('ds', 'pg_catalog.pg_namespace', 'n.oid')}
where ${USER_SCHEMA('n.nspname')} and ${NOT_EXTENSION_MEMBER('pg_catalog.pg_namespace', 'n.oid')}
order by n.nspname`;

const RELATIONS_SQL = `
select n.nspname as schema, c.relname as name, c.relkind::text as kind, pg_catalog.pg_get_userbyid(c.relowner) as owner,
  c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced, c.reloptions,
  dc.description as comment,
  ${ACL_TEXT('c.relacl', `(case when c.relkind = 'S' then 's' else 'r' end)::"char"`, 'c.relowner')} as acl,
  (select pn.nspname || '.' || pc.relname from pg_catalog.pg_inherits i join pg_catalog.pg_class pc on pc.oid = i.inhparent
     join pg_catalog.pg_namespace pn on pn.oid = pc.relnamespace where i.inhrelid = c.oid limit 1) as parent,
  case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid, true) end as definition,
  case when c.relkind in ('v', 'm') then array(
    select distinct dn.nspname || '.' || dc.relname from pg_catalog.pg_rewrite r
    join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_catalog.pg_class'::regclass
    join pg_catalog.pg_class dc on dc.oid = d.refobjid join pg_catalog.pg_namespace dn on dn.oid = dc.relnamespace
    where r.ev_class = c.oid and d.refobjid <> c.oid order by 1)::text[] end as depends_on,
  case when c.relkind = 'S' then (
    select dn.nspname || '.' || dc.relname || '.' || a.attname from pg_catalog.pg_depend d
    join pg_catalog.pg_class dc on dc.oid = d.refobjid join pg_catalog.pg_namespace dn on dn.oid = dc.relnamespace
    join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.refclassid = 'pg_catalog.pg_class'::regclass
      and d.deptype in ('a', 'i') and d.refobjsubid > 0 limit 1) end as owned_by
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace ${COMMENT_JOIN('dc', 'pg_catalog.pg_class', 'c.oid')}
where c.relkind in ('r', 'p', 'f', 'v', 'm', 'S') and ${USER_SCHEMA('n.nspname')} and ${NOT_EXTENSION_MEMBER('pg_catalog.pg_class', 'c.oid')}
order by n.nspname, c.relname`;

const COLUMNS_SQL = `
select n.nspname as schema, c.relname as table_name, a.attname as name, a.attnum as position, pg_catalog.format_type(a.atttypid, a.atttypmod) as type,
  a.attnotnull as not_null, pg_catalog.pg_get_expr(d.adbin, d.adrelid) as default_expr, a.attidentity::text as identity,
  a.attgenerated::text as generated, dc.description as comment,
  -- Column privileges (grant select (id, username) ...); NULL when the column has none.
  a.attacl::text[] as acl
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
${COMMENT_JOIN('dc', 'pg_catalog.pg_class', 'c.oid', 'a.attnum')}
where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'f', 'v', 'm') and ${USER_SCHEMA('n.nspname')}
  and ${NOT_EXTENSION_MEMBER('pg_catalog.pg_class', 'c.oid')}
order by n.nspname, c.relname, a.attnum`;

const CONSTRAINTS_SQL = `
select n.nspname as schema, c.relname as table_name, con.conname as name, con.contype::text as type,
  -- Column numbers only: their names come from the columns already read, which saves a join per constraint.
  con.conkey::int[] as column_numbers, fn.nspname || '.' || fc.relname as ref_table, con.confkey::int[] as ref_column_numbers,
  con.confdeltype::text as on_delete, con.confupdtype::text as on_update,
  case when con.contype = 'c' then pg_catalog.pg_get_expr(con.conbin, con.conrelid) end as check_expr,
  con.convalidated as validated, con.condeferrable as deferrable
from pg_catalog.pg_constraint con
join pg_catalog.pg_class c on c.oid = con.conrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
left join pg_catalog.pg_class fc on fc.oid = con.confrelid left join pg_catalog.pg_namespace fn on fn.oid = fc.relnamespace
where con.contype in ('p', 'f', 'u', 'c', 'x') and ${USER_SCHEMA('n.nspname')} and ${NOT_EXTENSION_MEMBER('pg_catalog.pg_class', 'c.oid')}
order by n.nspname, c.relname, con.conname`;

const INDEXES_SQL = `
select n.nspname as schema, t.relname as table_name, i.relname as name, am.amname as method,
  x.indisunique as is_unique, x.indisprimary as is_primary, x.indisvalid as is_valid, x.indnkeyatts as key_count,
  -- Column keys by name; only expression keys need pg_get_indexdef, which costs a deparse per call.
  -- The int2vector/oidvector columns are unnested: subscripting them in a subquery defeats the
  -- catalog indexes and made this query quadratic.
  array(select coalesce(a.attname::text, pg_catalog.pg_get_indexdef(x.indexrelid, u.ord::int, true))
    from unnest(x.indkey::int2[]) with ordinality u(attnum, ord)
    left join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = u.attnum and u.attnum <> 0
    order by u.ord) as key_defs,
  array(select u.attnum::int from unnest(x.indkey::int2[]) with ordinality u(attnum, ord) order by u.ord) as attnums,
  array(select u.option::int from unnest(x.indoption::int2[]) with ordinality u(option, ord) order by u.ord) as key_options,
  array(select case when o.opcdefault then '' else o.opcname::text end from unnest(x.indclass::oid[]) with ordinality u(oid, ord)
        join pg_catalog.pg_opclass o on o.oid = u.oid order by u.ord) as opclasses,
  pg_catalog.pg_get_expr(x.indpred, x.indrelid) as predicate,
  (select con.conname from pg_catalog.pg_constraint con where con.conindid = x.indexrelid and con.conrelid = x.indrelid
     and con.contype in ('p', 'u', 'x') limit 1) as constraint_name
from pg_catalog.pg_index x
join pg_catalog.pg_class i on i.oid = x.indexrelid join pg_catalog.pg_class t on t.oid = x.indrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace join pg_catalog.pg_am am on am.oid = i.relam
where t.relkind in ('r', 'p', 'm') and ${USER_SCHEMA('n.nspname')} and ${NOT_EXTENSION_MEMBER('pg_catalog.pg_class', 't.oid')}
order by n.nspname, t.relname, i.relname`;

const POLICIES_SQL = `
select n.nspname as schema, c.relname as table_name, p.polname as name, p.polcmd::text as cmd, p.polpermissive as permissive,
  array(select case when u.oid = 0 then 'public' else r.rolname end from unnest(p.polroles) with ordinality u(oid, ord)
        left join pg_catalog.pg_roles r on r.oid = u.oid order by u.ord)::text[] as roles,
  pg_catalog.pg_get_expr(p.polqual, p.polrelid) as qual, pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as with_check
from pg_catalog.pg_policy p join pg_catalog.pg_class c on c.oid = p.polrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where ${USER_SCHEMA('n.nspname')}
order by n.nspname, c.relname, p.polname`;

const FUNCTIONS_SQL = `
select n.nspname as schema, p.proname as name, p.prokind::text as kind,
  array(select pg_catalog.format_type(t.oid, null) from unnest(p.proargtypes::oid[]) with ordinality t(oid, ord) order by t.ord) as input_types,
  array(select pg_catalog.format_type(t.oid, null) from unnest(p.proallargtypes) with ordinality t(oid, ord) order by t.ord) as all_types,
  p.proargmodes::text[] as modes, p.proargnames::text[] as names,
  pg_catalog.pg_get_function_result(p.oid) as returns, l.lanname as language, p.provolatile::text as volatility,
  p.prosecdef as security_definer, p.proconfig as config, p.prosrc as body, pg_catalog.pg_get_userbyid(p.proowner) as owner,
  ${ACL_TEXT('p.proacl', `'f'`, 'p.proowner')} as acl, dp.description as comment,
  (select e.extname from pg_catalog.pg_depend d join pg_catalog.pg_extension e on e.oid = d.refobjid
     where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e' limit 1) as extension
from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace join pg_catalog.pg_language l on l.oid = p.prolang
${COMMENT_JOIN('dp', 'pg_catalog.pg_proc', 'p.oid')}
where ${USER_SCHEMA('n.nspname')}
order by n.nspname, p.proname, p.oid`;

const TRIGGERS_SQL = `
select n.nspname as schema, c.relname as table_name, t.tgname as name, fn.nspname || '.' || f.proname as function_name,
  array(select pg_catalog.format_type(a.oid, null) from unnest(f.proargtypes::oid[]) with ordinality a(oid, ord) order by a.ord) as function_types,
  t.tgtype::int as type_bits, t.tgenabled::text as enabled, pg_catalog.pg_get_triggerdef(t.oid, true) as definition
from pg_catalog.pg_trigger t
join pg_catalog.pg_class c on c.oid = t.tgrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_proc f on f.oid = t.tgfoid join pg_catalog.pg_namespace fn on fn.oid = f.pronamespace
where not t.tgisinternal and ${USER_SCHEMA('n.nspname')} and ${NOT_EXTENSION_MEMBER('pg_catalog.pg_class', 'c.oid')}
order by n.nspname, c.relname, t.tgname`;

const TYPES_SQL = `
select n.nspname as schema, t.typname as name, t.typtype::text as kind,
  case when t.typtype = 'e' then array(select e.enumlabel from pg_catalog.pg_enum e where e.enumtypid = t.oid order by e.enumsortorder)::text[] end as labels,
  case when t.typtype = 'c' then (select json_agg(json_build_array(a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)) order by a.attnum)
    from pg_catalog.pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped) end as attributes,
  case when t.typtype = 'd' then pg_catalog.format_type(t.typbasetype, t.typtypmod) end as base_type,
  pg_catalog.pg_get_userbyid(t.typowner) as owner,
  case when t.typtype = 'd' then t.typdefault end as default_expr, t.typnotnull as not_null,
  -- A domain's CHECK constraints (from PostgreSQL 17 on, NOT NULL is a constraint too; typnotnull says it).
  case when t.typtype = 'd' then (select json_agg(json_build_array(con.conname, pg_catalog.pg_get_expr(con.conbin, 0), con.convalidated) order by con.conname)
    from pg_catalog.pg_constraint con where con.contypid = t.oid and con.contype = 'c') end as domain_checks
from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
left join pg_catalog.pg_class tc on tc.oid = t.typrelid
where t.typtype in ('e', 'c', 'd', 'r') and (t.typtype <> 'c' or tc.relkind = 'c')
  and ${USER_SCHEMA('n.nspname')} and ${NOT_EXTENSION_MEMBER('pg_catalog.pg_type', 't.oid')}
order by n.nspname, t.typname`;

const EXTENSIONS_SQL = `
select e.extname as name, n.nspname as schema, e.extversion as version, a.default_version
from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
left join pg_catalog.pg_available_extensions a on a.name = e.extname
order by e.extname`;

const ROLES_SQL = `
select r.rolname as name, r.rolcanlogin as login, r.rolbypassrls as bypass_rls, r.rolsuper as superuser, r.rolinherit as inherit,
  array(select g.rolname from pg_catalog.pg_auth_members m join pg_catalog.pg_roles g on g.oid = m.roleid where m.member = r.oid order by g.rolname)::text[] as member_of
from pg_catalog.pg_roles r
where r.rolname !~ '^pg_'
order by r.rolname`;

const DEFAULT_PRIVILEGES_SQL = `
select pg_catalog.pg_get_userbyid(d.defaclrole) as for_role, n.nspname as schema, d.defaclobjtype::text as object_type,
  case when a.grantee = 0 then 'PUBLIC' else pg_catalog.pg_get_userbyid(a.grantee) end as grantee, a.privilege_type as privilege,
  a.grantee = d.defaclrole as is_owner
from pg_catalog.pg_default_acl d left join pg_catalog.pg_namespace n on n.oid = d.defaclnamespace
cross join lateral pg_catalog.aclexplode(d.defaclacl) a
order by 1, 2, 3, 4, 5`;

/** The authenticator role's `pgrst.db_schemas`: the database-specific setting wins over the global one. */
const EXPOSED_SCHEMAS_SQL = `
select s.setting from pg_catalog.pg_db_role_setting rs
join pg_catalog.pg_roles r on r.oid = rs.setrole
cross join lateral unnest(rs.setconfig) s(setting)
where r.rolname = 'authenticator' and rs.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))
  and s.setting like 'pgrst.db\\_schemas=%'
order by rs.setdatabase desc`;

/**
 * The statistics functions behind pg_stat_user_tables, called directly: the view computes twenty
 * figures per table and pgreview needs two. The exact size (a file system call per fork) is read
 * only for tables with dead rows; for the others the page count is close enough.
 */
const TABLE_STATISTICS_SQL = `
select n.nspname as schema, c.relname as table_name,
  pg_catalog.pg_stat_get_live_tuples(c.oid) as live_rows, pg_catalog.pg_stat_get_dead_tuples(c.oid) as dead_rows,
  case when pg_catalog.pg_stat_get_dead_tuples(c.oid) > 0 then pg_catalog.pg_table_size(c.oid)
       else c.relpages::int8 * current_setting('block_size')::int8 end as size_bytes,
  c.relpages as pages, c.reltuples as tuples, current_setting('block_size')::int as block_size
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and ${USER_SCHEMA('n.nspname')}`;

const ROW_WIDTHS_SQL = `
select schemaname as schema, tablename as table_name, sum(avg_width)::int as width
from pg_catalog.pg_stats where ${USER_SCHEMA('schemaname')}
group by schemaname, tablename`;

/**
 * `idx_scan` of pg_stat_user_indexes, from the function behind it, and how long the counters have
 * been counting (the same on every row; read here to keep the number of queries).
 */
const INDEX_STATISTICS_SQL = `
with counting as (
  select d.stats_reset is null as never_reset,
    extract(epoch from pg_catalog.now() - coalesce(d.stats_reset, pg_catalog.pg_postmaster_start_time()))::float8 as age_seconds
  from pg_catalog.pg_stat_database d where d.datname = pg_catalog.current_database()
)
select n.nspname as schema, t.relname as table_name, i.relname as name, pg_catalog.pg_stat_get_numscans(i.oid) as idx_scan,
  pg_catalog.current_database() as database, (select age_seconds from counting) as statistics_age_seconds,
  (select never_reset from counting) as statistics_never_reset
from pg_catalog.pg_index x join pg_catalog.pg_class i on i.oid = x.indexrelid join pg_catalog.pg_class t on t.oid = x.indrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
where ${USER_SCHEMA('n.nspname')}`;

const BUCKETS_SQL = `select id, name, public from storage.buckets order by id`;

// ---------------------------------------------------------------------------------------------
// Rows and their conversion.

interface SchemaRow { name: string; owner: string; comment: string | null; acl: string[] | null }
interface RelationRow {
  schema: string; name: string; kind: string; owner: string; rls_enabled: boolean; rls_forced: boolean; reloptions: string[] | null;
  comment: string | null; acl: string[] | null; parent: string | null; definition: string | null; depends_on: string[] | null; owned_by: string | null;
}
interface ColumnRow {
  schema: string; table_name: string; name: string; position: number; type: string; not_null: boolean; default_expr: string | null;
  identity: string; generated: string; comment: string | null; acl: string[] | null;
}
interface ConstraintRow {
  schema: string; table_name: string; name: string; type: string; column_numbers: number[] | null; ref_table: string | null; ref_column_numbers: number[] | null;
  on_delete: string; on_update: string; check_expr: string | null; validated: boolean; deferrable: boolean;
}
interface IndexRow {
  schema: string; table_name: string; name: string; method: string; is_unique: boolean; is_primary: boolean; is_valid: boolean; key_count: number;
  key_defs: string[] | null; attnums: number[] | null; key_options: number[] | null; opclasses: string[] | null; predicate: string | null; constraint_name: string | null;
}
interface PolicyRow { schema: string; table_name: string; name: string; cmd: string; permissive: boolean; roles: string[] | null; qual: string | null; with_check: string | null }
interface FunctionRow {
  schema: string; name: string; kind: string; input_types: string[] | null; all_types: string[] | null; modes: string[] | null; names: string[] | null;
  returns: string | null; language: string; volatility: string; security_definer: boolean; config: string[] | null; body: string | null; owner: string;
  acl: string[] | null; comment: string | null; extension: string | null;
}
interface TriggerRow { schema: string; table_name: string; name: string; function_name: string; function_types: string[] | null; type_bits: number; enabled: string; definition: string }
interface TypeRow {
  schema: string; name: string; kind: string; labels: string[] | null; attributes: [string, string][] | null; base_type: string | null;
  owner: string; default_expr: string | null; not_null: boolean; domain_checks: [string, string, boolean][] | null;
}
interface ExtensionRow { name: string; schema: string; version: string; default_version: string | null }
interface RoleRow { name: string; login: boolean; bypass_rls: boolean; superuser: boolean; inherit: boolean; member_of: string[] | null }
interface DefaultPrivilegeRow { for_role: string; schema: string | null; object_type: string; grantee: string; privilege: string; is_owner: boolean }
interface TableStatisticsRow { schema: string; table_name: string; live_rows: string; dead_rows: string; size_bytes: string; pages: number; tuples: number; block_size: number }
interface RowWidthRow { schema: string; table_name: string; width: number }
interface IndexStatisticsRow {
  schema: string;
  table_name: string;
  name: string;
  idx_scan: string;
  database: string;
  statistics_age_seconds: number | null;
  statistics_never_reset: boolean | null;
}
interface BucketRow { id: string; name: string; public: boolean | null }

const TABLE_KINDS: Record<string, TableKind> = { r: 'table', p: 'partitioned', f: 'foreign' };
const CONSTRAINT_KINDS: Record<string, ConstraintKind> = { p: 'primary_key', f: 'foreign_key', u: 'unique', c: 'check', x: 'exclude' };
const FOREIGN_KEY_ACTIONS: Record<string, string | undefined> = { a: undefined, r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const POLICY_COMMANDS: Record<string, PolicyCommand> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };
const TYPE_KINDS: Record<string, TypeDef['kind']> = { e: 'enum', c: 'composite', d: 'domain', r: 'range' };
const DEFAULT_PRIVILEGE_OBJECTS: Record<string, DefaultPrivilegeObject> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' };
const FUNCTION_ARGUMENT_MODES: Record<string, FunctionArgumentMode> = { i: 'in', o: 'out', b: 'inout', v: 'variadic', t: 'table' };
type FunctionArgumentMode = Func['arguments'][number]['mode'];

/** Roles the Supabase platform creates; never the subject of a finding. */
const PLATFORM_ROLES = new Set([
  'anon', 'authenticated', 'service_role', 'authenticator', 'postgres', 'supabase_admin', 'supabase_auth_admin', 'supabase_storage_admin',
  'dashboard_user', 'pgbouncer', 'supabase_realtime_admin', 'supabase_replication_admin', 'supabase_read_only_user', 'supabase_functions_admin',
]);

/**
 * Grants from aclitem texts such as `anon=arwdDxt/postgres` (`=X/postgres` is PUBLIC). The owner's
 * own entry is left out, as the replay leaves out the owner's implicit rights.
 */
function grantsOf(acl: string[] | null, owner: string): Grants {
  const grants: Grants = new Map();
  for (const item of acl ?? []) {
    const parsed = parseAclItem(item);
    if (!parsed || parsed.grantee === owner) continue;
    const set = grants.get(parsed.grantee) ?? new Set<Privilege>();
    for (const privilege of parsed.privileges) set.add(privilege);
    if (set.size > 0) grants.set(parsed.grantee, set);
  }
  return grants;
}

/** Privilege letters of aclitem's text form (PostgreSQL's acl.c); `*` after a letter marks WITH GRANT OPTION. */
const ACL_LETTERS: Record<string, Privilege> = {
  a: 'INSERT', r: 'SELECT', w: 'UPDATE', d: 'DELETE', D: 'TRUNCATE', x: 'REFERENCES', t: 'TRIGGER',
  X: 'EXECUTE', U: 'USAGE', C: 'CREATE', m: 'MAINTAIN',
};

function parseAclItem(item: string): { grantee: string; privileges: Privilege[] } | undefined {
  let index = 0;
  let grantee = '';
  if (item.startsWith('"')) {
    // A quoted role name doubles its inner quotes.
    index = 1;
    while (index < item.length) {
      if (item[index] === '"' && item[index + 1] === '"') {
        grantee += '"';
        index += 2;
      } else if (item[index] === '"') {
        index++;
        break;
      } else {
        grantee += item[index++];
      }
    }
  } else {
    while (index < item.length && item[index] !== '=') grantee += item[index++];
  }
  if (item[index] !== '=') return undefined;
  // The letters run up to the slash before the grantor; they never contain a slash themselves.
  const slash = item.indexOf('/', index + 1);
  const letters = item.slice(index + 1, slash === -1 ? undefined : slash);
  const privileges: Privilege[] = [];
  for (const letter of letters) {
    const privilege = ACL_LETTERS[letter];
    if (privilege) privileges.push(privilege);
  }
  return { grantee: grantee === '' ? 'PUBLIC' : grantee, privileges };
}

function isTrueOption(options: string[] | null, name: string): boolean {
  const option = options?.find((entry) => entry.startsWith(`${name}=`));
  return option !== undefined && ['true', 'on', '1', 'yes'].includes(option.slice(name.length + 1).toLowerCase());
}

/**
 * `search_path=""` → `search_path` → `''`. PostgreSQL stores a setting's value flattened, with the
 * elements of search_path quoted as identifiers (`"$user", public`); the value is re-spelt as the
 * replay spells the SET clause of a migration (`'$user', public`), so both sides compare equal.
 */
function configMap(entries: string[] | null): Map<string, string> {
  const config = new Map<string, string>();
  for (const entry of entries ?? []) {
    const equals = entry.indexOf('=');
    if (equals <= 0) continue;
    const name = entry.slice(0, equals);
    const value = entry.slice(equals + 1);
    const elements = name === 'search_path' ? (value.match(/"(?:[^"]|"")*"|[^,]+/g) ?? ['']) : [value];
    config.set(name, elements.map((element) => storedSettingValueText(element.trim())).join(', '));
  }
  return config;
}

/** One element of a stored setting: an identifier PostgreSQL quoted is unquoted, a number stays bare (as the replay keeps `set work_mem = 4096`). */
function storedSettingValueText(stored: string): string {
  const quoted = /^"((?:[^"]|"")*)"$/.exec(stored);
  if (quoted) return settingValueText(quoted[1].replace(/""/g, '"'));
  return /^-?\d+(\.\d+)?$/.test(stored) ? stored : settingValueText(stored);
}

function functionArguments(row: FunctionRow): Func['arguments'] {
  // proallargtypes is NULL when every argument is IN; then proargtypes lists them all.
  const types = row.all_types && row.all_types.length > 0 ? row.all_types : row.input_types ?? [];
  return types.map((type, index) => {
    const argument: Func['arguments'][number] = { type, mode: FUNCTION_ARGUMENT_MODES[row.modes?.[index] ?? 'i'] ?? 'in' };
    const name = row.names?.[index];
    if (name) argument.name = name;
    return argument;
  });
}

/** A function's types as they would print with every schema of the search_path usable. */
function unqualifyFunctionRow(row: FunctionRow, unqualify: (text: string) => string): FunctionRow {
  return {
    ...row,
    input_types: row.input_types?.map(unqualify) ?? null,
    all_types: row.all_types?.map(unqualify) ?? null,
    returns: row.returns === null ? null : unqualify(row.returns),
  };
}

function indexKeys(row: IndexRow, parse: (text: string) => Expression): IndexKey[] {
  const keys: IndexKey[] = [];
  for (let index = 0; index < row.key_count; index++) {
    const definition = row.key_defs?.[index] ?? '';
    const key: IndexKey = row.attnums?.[index] === 0 ? { expression: parse(definition) } : { column: definition };
    // indoption bit 0 is DESC and bit 1 is NULLS FIRST (pg_index.h); NULLS FIRST is the default for DESC.
    const option = row.key_options?.[index] ?? 0;
    const words: string[] = [];
    if (row.opclasses?.[index]) words.push(row.opclasses[index]);
    const descending = (option & 1) === 1;
    const nullsFirst = (option & 2) === 2;
    if (descending) words.push('desc');
    if (nullsFirst && !descending) words.push('nulls first');
    if (!nullsFirst && descending) words.push('nulls last');
    if (words.length > 0) key.options = words.join(' ');
    keys.push(key);
  }
  return keys;
}

function triggerOf(row: TriggerRow, table: string): Trigger {
  // tgtype bits from pg_trigger.h: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32, INSTEAD 64.
  const bits = row.type_bits;
  const events: string[] = [];
  if (bits & 4) events.push('insert');
  if (bits & 16) events.push('update');
  if (bits & 8) events.push('delete');
  if (bits & 32) events.push('truncate');
  const trigger: Trigger = {
    name: row.name,
    table,
    function: `${row.function_name}(${(row.function_types ?? []).join(', ')})`,
    timing: bits & 64 ? 'instead of' : bits & 2 ? 'before' : 'after',
    events,
    forEach: bits & 1 ? 'row' : 'statement',
    enabled: row.enabled !== 'D',
    origin: {},
  };
  const when = whenClauseOf(row.definition);
  if (when) trigger.when = when;
  return trigger;
}

/** The WHEN condition of a trigger, taken from the parse of `pg_get_triggerdef`. */
function whenClauseOf(definition: string): Expression | undefined {
  try {
    const result = getParser().parseSync(definition) as { stmts?: { stmt: Node }[] };
    const stmt = result.stmts?.[0]?.stmt as { CreateTrigStmt?: { whenClause?: Node } } | undefined;
    const ast = stmt?.CreateTrigStmt?.whenClause;
    if (!ast) return undefined;
    const text = /\bWHEN \(([\s\S]*)\) EXECUTE /.exec(definition)?.[1] ?? definition;
    return { text, ast };
  } catch {
    return undefined;
  }
}

function defaultPrivilegesOf(rows: DefaultPrivilegeRow[]): Catalog['defaultPrivileges'] {
  const entries = new Map<string, Catalog['defaultPrivileges'][number]>();
  const globalEntries = new Set<string>();
  for (const row of rows) {
    const objectType = DEFAULT_PRIVILEGE_OBJECTS[row.object_type];
    if (!objectType) continue;
    if (row.schema === null) globalEntries.add(`${row.for_role}\u0000${row.object_type}`);
    if (row.is_owner) continue;
    const key = `${row.for_role}\u0000${row.schema ?? ''}\u0000${objectType}\u0000${row.grantee}`;
    const entry = entries.get(key) ?? { forRole: row.for_role, ...(row.schema ? { schema: row.schema } : {}), objectType, grantee: row.grantee, privileges: new Set<Privilege>() };
    entry.privileges.add(row.privilege as Privilege);
    entries.set(key, entry);
  }
  // A global entry stores the whole default ACL. When it lacks PUBLIC for functions or types,
  // someone revoked PostgreSQL's built-in grant; the replay records that as an empty entry.
  for (const global of globalEntries) {
    const [forRole, code] = global.split('\u0000');
    const objectType = DEFAULT_PRIVILEGE_OBJECTS[code];
    if (objectType !== 'functions' && objectType !== 'types') continue;
    const key = `${forRole}\u0000\u0000${objectType}\u0000PUBLIC`;
    if (!entries.has(key)) entries.set(key, { forRole, objectType, grantee: 'PUBLIC', privileges: new Set() });
  }
  return [...entries.values()];
}

function exposedSchemasOf(rows: { setting: string }[]): string[] | undefined {
  const setting = rows[0]?.setting;
  if (setting === undefined) return undefined;
  return setting
    .slice(setting.indexOf('=') + 1)
    .split(',')
    .map((schema) => schema.trim().replace(/^"(.*)"$/, '$1'))
    .filter((schema) => schema !== '');
}

function applyTableStatistics(catalog: Catalog, rows: TableStatisticsRow[], widths: RowWidthRow[]): void {
  const widthByTable = new Map(widths.map((row) => [qualifiedName(row.schema, row.table_name), row.width]));
  for (const row of rows) {
    const qualified = qualifiedName(row.schema, row.table_name);
    const table = catalog.tables.get(qualified);
    if (!table) continue;
    const liveRows = Number(row.live_rows);
    const deadRows = Number(row.dead_rows);
    const sizeBytes = Number(row.size_bytes);
    table.statistics = {
      ...table.statistics,
      liveRows,
      // reltuples is -1 until the table is first vacuumed or analysed (PostgreSQL 14 on): unknown, not empty.
      estimatedRows: row.tuples < 0 ? undefined : Math.round(Number(row.tuples)),
      deadRows,
      sizeBytes,
      bloatBytes: estimateBloatBytes(row, widthByTable.get(qualified), liveRows, deadRows, sizeBytes),
    };
  }
}

/**
 * Bloat: the table's pages minus the pages its live rows need. With column widths from ANALYZE
 * (pg_stats) the need is rows × (width + tuple header and item pointer, 28 bytes) per usable page;
 * without them, the share of dead rows in the table's size.
 */
function estimateBloatBytes(row: TableStatisticsRow, width: number | undefined, liveRows: number, deadRows: number, sizeBytes: number): number {
  if (width !== undefined && row.tuples > 0 && row.pages > 0) {
    const usablePerPage = row.block_size - 24;
    const neededPages = Math.ceil((Math.max(liveRows, row.tuples) * (width + 28)) / usablePerPage);
    return Math.max(0, (row.pages - neededPages) * row.block_size);
  }
  const rows = liveRows + deadRows;
  return rows > 0 ? Math.round((sizeBytes * deadRows) / rows) : 0;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
