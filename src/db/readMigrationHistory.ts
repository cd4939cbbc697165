/**
 * Reads the migration runner's history table from a database, read-only: which migrations the
 * Supabase CLI, Flyway, golang-migrate, dbmate or diesel has applied there. core's
 * matchMigrationHistory matches the rows with the files.
 */
import type { CancellationToken } from '../core/cancellation';
import type { PermissionError } from '../core/errors';
import type { MigrationLayout } from '../core/discovery/discoverMigrations';
import { HISTORY_TABLES, type HistoryEntry, type HistoryRunner, type MigrationHistory } from '../core/history/matchMigrationHistory';
import { quoteQualified } from '../core/sql/quoteIdent';
import type { ConnectionOptions } from './connection';
import { withReadOnlySession, type ReadOnlySession } from './readOnlySession';

/** A history, or why there is none: no table of any runner, or one the role may not read. */
export type HistoryReading = { history: MigrationHistory; others: string[] } | { history?: undefined; reason: string; error?: PermissionError };

/** The runners in the order they are preferred when the project's layout names none of them. */
const RUNNERS: readonly HistoryRunner[] = ['supabase', 'flyway', 'golang-migrate', 'dbmate', 'diesel'];

/** Opens a read-only session, reads the history and closes the session. */
export function readMigrationHistoryFrom(connection: ConnectionOptions, layout: MigrationLayout | undefined, token?: CancellationToken): Promise<HistoryReading> {
  return withReadOnlySession(connection, (session) => readMigrationHistory(session, layout, token), token);
}

/**
 * Finds the history tables the database has and reads the one of the project's runner (its
 * layout), else the first found in the order of RUNNERS; `others` names the ones left unread.
 * The tables of runners other than Supabase's are looked for in the schemas of the connecting
 * role's search_path, where the runners create them; a Supabase database's own services keep
 * tables of the same names in auth and realtime, which are never the project's.
 */
export async function readMigrationHistory(session: ReadOnlySession, layout: MigrationLayout | undefined, token?: CancellationToken): Promise<HistoryReading> {
  const found = await session.query<HistoryTableRow>(FIND_HISTORY_TABLES_SQL, token);
  const tables = found.map((row) => ({ runner: runnerOf(row), table: quoteQualified(row.schema, row.name), columns: new Set(row.columns) }));
  const preferred = RUNNERS.find((runner) => runner === layout && tables.some((table) => table.runner === runner));
  const chosen = tables.find((table) => table.runner === preferred) ?? tables.sort((a, b) => RUNNERS.indexOf(a.runner) - RUNNERS.indexOf(b.runner))[0];
  if (!chosen) return { reason: `the database has no migration history table (looked for ${RUNNERS.map((runner) => HISTORY_TABLES[runner]).join(', ')})` };
  const read = await session.queryGuarded<HistoryRow>(historySql(chosen.runner, chosen.table, chosen.columns), token);
  if (read.error) return { reason: `cannot read ${chosen.table} (${read.error.message.split('\n')[0]})`, error: read.error };
  const entries = read.rows.map((row) => toEntry(chosen.runner, row));
  return { history: { runner: chosen.runner, table: chosen.table, entries }, others: tables.filter((table) => table !== chosen).map((table) => table.table) };
}

interface HistoryTableRow {
  schema: string;
  name: string;
  columns: string[];
}

/** The rows of any runner, as the queries below name the columns. */
interface HistoryRow {
  version: string | null;
  name?: string | null;
  statements?: string[] | null;
  checksum?: number | null;
  success?: boolean | null;
  type?: string | null;
  dirty?: boolean | null;
}

const FIND_HISTORY_TABLES_SQL = `
select n.nspname as schema, c.relname as name,
  array(select a.attname::text from pg_catalog.pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'v')
  and ((n.nspname = 'supabase_migrations' and c.relname = 'schema_migrations')
    or (c.relname in ('flyway_schema_history', 'schema_migrations', '__diesel_schema_migrations')
        and n.nspname = any (pg_catalog.current_schemas(false))
        and n.nspname not in ('supabase_migrations', 'auth', 'realtime', 'storage')))
order by pg_catalog.array_position(pg_catalog.current_schemas(false), n.nspname) nulls first, n.nspname, c.relname`;

/** golang-migrate's `schema_migrations` has a `dirty` column; dbmate's has the version only. */
function runnerOf(row: HistoryTableRow): HistoryRunner {
  if (row.schema === 'supabase_migrations') return 'supabase';
  if (row.name === 'flyway_schema_history') return 'flyway';
  if (row.name === '__diesel_schema_migrations') return 'diesel';
  return row.columns.includes('dirty') ? 'golang-migrate' : 'dbmate';
}

/** The query of one runner's table; the Supabase CLI added `name` and `statements` in later versions. */
function historySql(runner: HistoryRunner, table: string, columns: ReadonlySet<string>): string {
  switch (runner) {
    case 'supabase': {
      const name = columns.has('name') ? 'name' : 'null::text as name';
      const statements = columns.has('statements') ? 'statements' : 'null::text[] as statements';
      return `select version::text as version, ${name}, ${statements} from ${table} order by version`;
    }
    case 'flyway':
      return `select version::text as version, script as name, checksum, success, type from ${table} order by installed_rank`;
    case 'golang-migrate':
      return `select version::text as version, dirty from ${table}`;
    case 'dbmate':
    case 'diesel':
      return `select version::text as version from ${table} order by version`;
  }
}

function toEntry(runner: HistoryRunner, row: HistoryRow): HistoryEntry {
  const entry: HistoryEntry = {};
  if (row.version !== null && row.version !== '') entry.version = row.version;
  if (row.name) entry.name = row.name;
  if (row.statements) entry.statements = row.statements;
  if (row.checksum !== undefined && row.checksum !== null) entry.checksum = Number(row.checksum);
  if (row.type) entry.type = row.type;
  if (runner === 'flyway' && row.success === false) entry.success = false;
  if (runner === 'golang-migrate' && row.dirty === true) entry.success = false;
  return entry;
}
