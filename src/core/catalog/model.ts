/**
 * The catalog: one schema model, whatever it was built from (migrations, a live database, a shadow
 * database). Everything here is plain data so that it can be diffed, serialised for the webview
 * and compared in tests. Maps keep insertion order, which is the order objects were defined in.
 */
import type { Node } from '@pgsql/types';
import type { SourceSpan } from '../sql/span';

/** Where a catalog came from; rules use it to pick messages and to skip checks that need a database. */
export type CatalogSource = 'migrations' | 'database' | 'shadow';

/** The places in the migrations that made an object what it is. */
export interface Origin {
  /** The statement that created the object. */
  definedAt?: SourceSpan;
  /** The last statement that changed the object (ALTER, COMMENT, GRANT, ...), if any after creation. */
  changedAt?: SourceSpan;
}

/**
 * A SQL expression: the text as written (or as `pg_get_expr` prints it) and its parse tree.
 * Rules judge `ast`, never `text`.
 *
 * The replay makes a `SourceExpression` (replay/expressions.ts), which cuts `text` out of its
 * statement on first read: `text` is an accessor there, so read it as a property and never copy
 * an Expression with a spread (share it, as `cloneCatalog` does, or build `{ text, ast }`).
 */
export interface Expression {
  text: string;
  ast: Node | undefined;
  /**
   * The statement that wrote this expression, when it came from a migration: a policy's USING may
   * come from an ALTER POLICY that is neither its CREATE nor its last change (a later rename).
   */
  writtenAt?: SourceSpan;
  /**
   * The parse-tree location of `writtenAt`'s first character, so that the locations in `ast`
   * (UTF-8 bytes from where the parser's input began) can be mapped into the statement exactly
   * (`StatementLocator.inText`).
   */
  writtenAtLocation?: number;
}

export type Privilege =
  | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE' | 'REFERENCES' | 'TRIGGER'
  | 'EXECUTE' | 'USAGE' | 'CREATE' | 'MAINTAIN';

/** Grantee name → privileges. `PUBLIC` is the grantee name for PUBLIC. */
export type Grants = Map<string, Set<Privilege>>;

export interface Schema {
  name: string;
  owner?: string;
  comment?: string;
  grants: Grants;
  /** Created by the platform profile (auth, storage, ...), not by a migration. */
  platform: boolean;
  origin: Origin;
}

export interface Column {
  name: string;
  /** As `format_type` prints it: `uuid`, `text`, `timestamp with time zone`, `character varying(20)`, `integer[]`. */
  type: string;
  notNull: boolean;
  default?: Expression;
  identity?: 'always' | 'by default';
  generated?: Expression;
  comment?: string;
  /**
   * Column privileges (`grant select (id, username) on profiles to anon`, pg_attribute.attacl), in
   * the shape of a table's `grants`; absent when the column has none. A role may use a column when
   * it holds the privilege on the table or on the column (`hasColumnPrivilege` in privileges.ts).
   */
  grants?: Grants;
  origin: Origin;
  /**
   * The column's own clause, where findings about the column go (as a constraint's `clauseAt`),
   * so that one column does not light up its whole 40-line CREATE TABLE: the column definition
   * (`config regconfig not null default 'english'`) in the CREATE TABLE or ALTER TABLE ... ADD
   * COLUMN that made it, or, once an ALTER TABLE ... ALTER COLUMN ... TYPE has rewritten it, that
   * command from the column name on (`config type regconfig using ...`). Undefined when the
   * catalog did not come from migrations or the column was copied from another table (LIKE,
   * INHERITS, partitions, CREATE TABLE ... AS).
   */
  clauseAt?: SourceSpan;
}

export type ConstraintKind = 'primary_key' | 'foreign_key' | 'unique' | 'check' | 'exclude' | 'not_null';

export interface ForeignKeyTarget {
  /** Qualified table name, `auth.users`. */
  table: string;
  columns: string[];
  onDelete?: string;
  onUpdate?: string;
}

export interface Constraint {
  name: string;
  kind: ConstraintKind;
  columns: string[];
  references?: ForeignKeyTarget;
  check?: Expression;
  /** False for `NOT VALID` until `VALIDATE CONSTRAINT`. */
  validated: boolean;
  deferrable?: boolean;
  origin: Origin;
  /**
   * The constraint's own clause in the statement that defined it (`origin.definedAt`): the table
   * constraint `foreign key (vendor_id) references vendors (id)`, the whole column definition for
   * a column constraint (`vendor_id uuid references vendors`), or the `CONSTRAINT ...` of an ALTER
   * TABLE ... ADD. Findings about one constraint go there, so that the constraints of one
   * 40-line CREATE TABLE do not all share its range. Undefined when the catalog did not come
   * from migrations or the constraint was copied from another table (LIKE, partitions).
   */
  clauseAt?: SourceSpan;
}

/** One key of an index: a column or an expression, with its options. */
export interface IndexKey {
  column?: string;
  expression?: Expression;
  /** Operator class, collation, ordering, as written, for exact comparison. */
  options?: string;
}

export interface Index {
  /** Schema of the index is the table's schema. */
  name: string;
  table: string;
  unique: boolean;
  primary: boolean;
  method: string;
  keys: IndexKey[];
  include: string[];
  where?: Expression;
  /** False for an index PostgreSQL marks invalid (a failed CREATE INDEX CONCURRENTLY). */
  valid: boolean;
  /** The constraint this index implements (primary key, unique), if any. */
  constraint?: string;
  origin: Origin;
}

export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

export interface Policy {
  name: string;
  /** Qualified table name. */
  table: string;
  command: PolicyCommand;
  permissive: boolean;
  /** Role names; `public` means every role. */
  roles: string[];
  using?: Expression;
  withCheck?: Expression;
  origin: Origin;
}

export interface Trigger {
  name: string;
  table: string;
  /** Qualified function name with argument types, as in `Func.key`. */
  function: string;
  timing: 'before' | 'after' | 'instead of';
  events: string[];
  forEach: 'row' | 'statement';
  when?: Expression;
  enabled: boolean;
  origin: Origin;
}

export type TableKind = 'table' | 'partitioned' | 'foreign';

export interface Table {
  schema: string;
  name: string;
  kind: TableKind;
  owner?: string;
  columns: Map<string, Column>;
  constraints: Map<string, Constraint>;
  indexes: Map<string, Index>;
  policies: Map<string, Policy>;
  triggers: Map<string, Trigger>;
  rlsEnabled: boolean;
  rlsForced: boolean;
  /** The statement that last enabled or disabled RLS (findings about RLS point at it). */
  rlsChangedAt?: SourceSpan;
  /** Qualified name of the parent when this table is a partition (or an `INHERITS` child). */
  partitionOf?: string;
  /** How the table was made, when not by a plain column list: `CREATE TABLE ... AS`, or `LIKE`. */
  createdFrom?: { kind: 'as_select' | 'like'; source?: string };
  grants: Grants;
  comment?: string;
  /** Created by the platform profile (auth.users, storage.objects, ...). */
  platform: boolean;
  /** Estimated live rows, bloat, scans: only from a live database. */
  statistics?: TableStatistics;
  origin: Origin;
}

export interface TableStatistics {
  liveRows?: number;
  /**
   * The planner's estimate of the rows (pg_class.reltuples); undefined when the table was never
   * vacuumed or analysed (reltuples -1), so the count is unknown.
   */
  estimatedRows?: number;
  /**
   * Rows whose `<name>_id` column matches no row of the table its name points at, by column
   * (counted read-only for `missing_foreign_key`); a column that could not be counted is absent.
   */
  orphanRows?: Map<string, number>;
  deadRows?: number;
  bloatBytes?: number;
  sizeBytes?: number;
  /** Index name → number of index scans since statistics were reset. */
  indexScans?: Map<string, number>;
}

export type ViewKind = 'view' | 'materialized_view';

export interface View {
  schema: string;
  name: string;
  kind: ViewKind;
  owner?: string;
  /** The defining query, as written or as `pg_get_viewdef` prints it. */
  definition: Expression;
  /** `WITH (security_invoker = true)`. */
  securityInvoker: boolean;
  /** Qualified names of the relations the query reads, for rules such as auth_users_exposed. */
  dependsOn: string[];
  columns: string[];
  grants: Grants;
  /**
   * Column privileges by column name (`grant select (id, email) on member_directory to
   * authenticated`, pg_attribute.attacl), as a table column's `grants`; absent when no column has any.
   */
  columnGrants?: Map<string, Grants>;
  indexes: Map<string, Index>;
  comment?: string;
  platform: boolean;
  origin: Origin;
}

/** True for a view or materialized view (as against a table of `Table | View`). */
export function isView(relation: Table | View): relation is View {
  return relation.kind === 'view' || relation.kind === 'materialized_view';
}

export interface FunctionArgument {
  name?: string;
  type: string;
  mode: 'in' | 'out' | 'inout' | 'variadic' | 'table';
  default?: string;
}

export interface Func {
  schema: string;
  name: string;
  /** `public.get_user(uuid)`: qualified name and the input argument types, comma-separated. */
  key: string;
  kind: 'function' | 'procedure' | 'aggregate';
  arguments: FunctionArgument[];
  returns?: string;
  language: string;
  volatility: 'immutable' | 'stable' | 'volatile';
  securityDefiner: boolean;
  /** `SET` options: `search_path` → `''`, as written after `=`. */
  config: Map<string, string>;
  body?: string;
  owner?: string;
  grants: Grants;
  comment?: string;
  platform: boolean;
  /** Installed by an extension, not by a migration: rules skip it. */
  extension?: string;
  origin: Origin;
}

export interface TypeDef {
  schema: string;
  name: string;
  kind: 'enum' | 'composite' | 'domain' | 'range' | 'base';
  /** Enum labels in order. */
  values?: string[];
  /** Composite attributes. */
  attributes?: { name: string; type: string }[];
  /** Domain base type. */
  baseType?: string;
  /** Domain: `DEFAULT` (CREATE DOMAIN, ALTER DOMAIN SET / DROP DEFAULT). */
  default?: Expression;
  /** Domain: `NOT NULL` (CREATE DOMAIN, ALTER DOMAIN SET / DROP NOT NULL). */
  notNull?: boolean;
  /** Domain: its CHECK constraints by name (kind `check`, no columns), `validated` false while NOT VALID. */
  constraints?: Map<string, Constraint>;
  owner?: string;
  platform: boolean;
  origin: Origin;
}

export interface Extension {
  name: string;
  schema: string;
  version?: string;
  defaultVersion?: string;
  platform: boolean;
  origin: Origin;
}

export interface Sequence {
  schema: string;
  name: string;
  /** `public.bookings.id` when the sequence is owned by a column (serial, identity). */
  ownedBy?: string;
  grants: Grants;
  platform: boolean;
  origin: Origin;
}

export interface Role {
  name: string;
  login: boolean;
  bypassRls: boolean;
  superuser: boolean;
  inherit: boolean;
  /** Roles this role is a member of. */
  memberOf: string[];
  platform: boolean;
  origin: Origin;
}

export type DefaultPrivilegeObject = 'tables' | 'sequences' | 'functions' | 'types' | 'schemas';

/** One `ALTER DEFAULT PRIVILEGES` entry: objects `forRole` creates in `schema` get `privileges` for `grantee`. */
export interface DefaultPrivilege {
  forRole: string;
  /** Undefined means every schema. */
  schema?: string;
  objectType: DefaultPrivilegeObject;
  grantee: string;
  privileges: Set<Privilege>;
}

export interface Catalog {
  source: CatalogSource;
  schemas: Map<string, Schema>;
  /** Keyed by qualified name, `public.bookings`. */
  tables: Map<string, Table>;
  /** Views and materialized views, keyed by qualified name. */
  views: Map<string, View>;
  /** Keyed by `Func.key`. */
  functions: Map<string, Func>;
  types: Map<string, TypeDef>;
  extensions: Map<string, Extension>;
  sequences: Map<string, Sequence>;
  roles: Map<string, Role>;
  defaultPrivileges: DefaultPrivilege[];
  /** Schemas the Data API exposes; empty when unknown or when the platform has no API. */
  exposedSchemas: string[];
  /** The role that owns what migrations create (Supabase: postgres). */
  migrationRole: string;
  /**
   * The pg_cron jobs (`cron.job`): the replay records what migrations schedule (`select
   * cron.schedule(...)`), introspection reads `cron.job`. Keyed by `cronJobIdentity`, or by
   * `cronJobIdentityWithRole` where the role tells jobs apart (the migrations state the role, or two
   * roles of the database have a job of the same name). Undefined when the jobs
   * are unknown: a database without pg_cron's catalog, or one whose `cron.job` the role may not read.
   */
  cronJobs?: Map<string, CronJob>;
  /** The name of the database the catalog was read from (`current_database()`); undefined for migrations. */
  databaseName?: string;
  /** Supabase Storage buckets by id: data, so only a live database has them (public_bucket_allows_listing). */
  storageBuckets?: Map<string, StorageBucket>;
  /** How long the index scan counters have been counting: only a live database has them (unused_index). */
  indexStatisticsAge?: StatisticsAge;
  /**
   * The PostgreSQL the catalog was read from (a database or a shadow), for the diff: what it
   * says it compared, and the differences only the version makes.
   */
  server?: ServerVersion;
}

/** A server's PostgreSQL version: `server_version` as it prints it, and `server_version_num`. */
export interface ServerVersion {
  /** `15.18 (Debian 15.18-0+deb12u1)`, `18.6`. */
  text: string;
  /** `150018`, `180006`. */
  num: number;
}

/** The age of a database's usage statistics, which PostgreSQL counts from their last reset. */
export interface StatisticsAge {
  database: string;
  seconds: number;
  /**
   * What they count from: their last reset (`pg_stat_database.stats_reset`), or, when they were
   * never reset (a new database or cluster), the server's start, the nearest time PostgreSQL keeps.
   */
  since: 'reset' | 'server_start';
}

/** A pg_cron job: a command that runs on a schedule, as a row of `cron.job` holds it. */
export interface CronJob {
  /** pg_cron's job id; only a database has it. */
  jobId?: number;
  /** Undefined for a job scheduled without a name (`cron.schedule(schedule, command)`, or pg_cron before 1.3). */
  name?: string;
  /** Cron syntax (`0 3 * * *`), `@daily`, or pg_cron's `30 seconds`. */
  schedule: string;
  command: string;
  /**
   * The database the job runs in. From migrations only when `cron.schedule_in_database` or
   * `cron.alter_job` names one; otherwise the job runs where it was scheduled.
   */
  database?: string;
  /**
   * The role it runs as: pg_cron takes the role that schedules it (`current_user`). A database
   * always has it; migrations only when they state it (`SET ROLE`, `SET SESSION AUTHORIZATION`,
   * or a `username` argument), since the role that runs them is not in the files.
   */
  username?: string;
  active: boolean;
  origin: Origin;
}

/**
 * What identifies a job across a migration and a database: its name, or, for a job without one,
 * its command with the whitespace collapsed (pg_cron gives such a job only an id, which migrations
 * cannot know).
 */
export function cronJobIdentity(job: Pick<CronJob, 'name' | 'command'>): string {
  return job.name ?? `(unnamed) ${job.command.replace(/\s+/g, ' ').trim()}`;
}

/**
 * A job's identity qualified with its role (`purge (username app)`): pg_cron names a job uniquely
 * per role (`jobname` is unique with `username`), so two roles may each have a job `purge`, and
 * such jobs are keyed with their role.
 */
export function cronJobIdentityWithRole(job: Pick<CronJob, 'name' | 'command' | 'username'>): string {
  const identity = cronJobIdentity(job);
  return job.username === undefined ? identity : `${identity} (username ${job.username})`;
}

/** A row of `storage.buckets`. */
export interface StorageBucket {
  id: string;
  name: string;
  /** Files are served by public URL without any policy. */
  public: boolean;
}

/** Creates an empty catalog. */
export function createCatalog(source: CatalogSource): Catalog {
  return {
    source,
    schemas: new Map(),
    tables: new Map(),
    views: new Map(),
    functions: new Map(),
    types: new Map(),
    extensions: new Map(),
    sequences: new Map(),
    roles: new Map(),
    defaultPrivileges: [],
    exposedSchemas: [],
    migrationRole: 'postgres',
    // Migrations start with no job; a database's jobs are unknown until its cron.job is read.
    ...(source === 'migrations' ? { cronJobs: new Map<string, CronJob>() } : {}),
  };
}

/** The object keys of DESIGN.md: `table:public.bookings`, `policy:public.bookings/Owner reads`, ... */
export const objectKey = {
  schema: (name: string) => `schema:${name}`,
  table: (qualified: string) => `table:${qualified}`,
  column: (table: string, column: string) => `column:${table}.${column}`,
  constraint: (table: string, name: string) => `constraint:${table}/${name}`,
  index: (schema: string, name: string) => `index:${schema}.${name}`,
  policy: (table: string, name: string) => `policy:${table}/${name}`,
  trigger: (table: string, name: string) => `trigger:${table}/${name}`,
  view: (qualified: string) => `view:${qualified}`,
  function: (key: string) => `function:${key}`,
  type: (qualified: string) => `type:${qualified}`,
  extension: (name: string) => `extension:${name}`,
  sequence: (qualified: string) => `sequence:${qualified}`,
  role: (name: string) => `role:${name}`,
  database: (name: string) => `database:${name}`,
  /** `cron_job:purge-expired-sessions`; the argument is `cronJobIdentity(job)`. */
  cronJob: (identity: string) => `cron_job:${identity}`,
};

/** `schema.name`, the key of tables, views, types and sequences. */
export function qualifiedName(schema: string, name: string): string {
  return `${schema}.${name}`;
}
