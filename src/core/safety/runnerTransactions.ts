/**
 * How each migration tool sends a file to the server: in one transaction, or with some statements
 * split out. `concurrently_in_transaction` and `validate_in_same_transaction` read it.
 *
 * What each runner does, from its source:
 * - Supabase CLI: one pipelined batch per file, which PostgreSQL runs as one implicit transaction
 *   (pkg/migration/file.go ExecBatch). Since 2.109 it runs statements PostgreSQL refuses in a
 *   transaction block on their own after the batch: CREATE [UNIQUE] INDEX CONCURRENTLY, REINDEX ...
 *   CONCURRENTLY, VACUUM, CLUSTER, ALTER SYSTEM; DROP INDEX CONCURRENTLY joined the list after 2.111
 *   (supabase/cli#6276). DETACH PARTITION ... CONCURRENTLY is not on it.
 * - Flyway: one transaction per script, unless the script contains a statement its PostgreSQL
 *   parser knows cannot run in one (`CREATE|DROP [UNIQUE] INDEX CONCURRENTLY`, `VACUUM`, REINDEX of
 *   a schema, database or system): then the whole script runs statement by statement without one
 *   (PostgreSQLParser.detectCanExecuteInTransaction). `executeInTransaction=false` in a
 *   `<script>.sql.conf` beside the file does the same; pgreview does not read that file.
 * - dbmate: one transaction per file, unless its `-- migrate:up` line says `transaction:false`;
 *   then the up section is sent as one query string.
 * - diesel: one transaction per migration, unless its metadata.toml says `run_in_transaction =
 *   false` (pgreview does not read it); the SQL is sent as one query string either way.
 * - golang-migrate: no transaction, but the whole file is one query string (unless the database
 *   URL sets `x-multi-statement`).
 * A query string of several statements runs as one implicit transaction, which refuses CONCURRENTLY
 * as BEGIN does (test/db/lockModes.test.ts shows both on the server).
 */
import type { MigrationLayout } from '../discovery/discoverMigrations';
import type { ParsedFile, ParsedStatement } from '../sql/parseSqlFile';

/**
 * - `per-file`: the whole file runs in one transaction (CONCURRENTLY fails there);
 * - `per-file-except-concurrently`: one transaction per file, but the statements
 *   `runsOutsideFileTransaction` names run on their own after it (the Supabase CLI since 2.109);
 * - `one-query`: no transaction, but the file is sent as one query string, so a file of several
 *   statements runs as one implicit transaction (golang-migrate, dbmate's `transaction:false`);
 * - `none`: statements run one by one, each committing on its own;
 * - `unknown`: the layout does not say (globs, plain numbered files), or a file beside the
 *   migration that pgreview does not read may say.
 */
export type RunnerTransaction = 'per-file' | 'per-file-except-concurrently' | 'one-query' | 'none' | 'unknown';

/** The transaction a layout's runner wraps a migration file in, before any per-file override. */
export function runnerTransaction(layout: MigrationLayout | undefined): RunnerTransaction {
  switch (layout) {
    case 'supabase':
      return 'per-file-except-concurrently';
    case 'flyway':
    case 'diesel':
    case 'dbmate':
    // Atlas's default --tx-mode is file; Graphile Migrate runs each committed file in one
    // transaction; drizzle-kit migrate runs the pending files in one transaction.
    case 'atlas':
    case 'graphile-migrate':
    case 'drizzle':
      return 'per-file';
    // Sqitch hands the script to psql as it is: its own BEGIN ... COMMIT (the templates write one)
    // is the transaction.
    case 'sqitch':
      return 'none';
    // The whole file is one query string: with several statements, one implicit transaction.
    // Prisma sends a migration.sql that way too (a file of one CONCURRENTLY statement works).
    case 'golang-migrate':
    case 'prisma':
      return 'one-query';
    default:
      return 'unknown';
  }
}

/**
 * The transaction the runner wraps this file in, once the file's own say is heard: dbmate's
 * `-- migrate:up transaction:false` line, and Flyway's detection of statements that cannot run in
 * a transaction. A Flyway or diesel file of one statement may be switched out of its transaction
 * by a file beside it that pgreview does not read, so its answer is `unknown`.
 */
export function fileRunnerTransaction(layout: MigrationLayout | undefined, file: ParsedFile): RunnerTransaction {
  const transaction = runnerTransaction(layout);
  switch (layout) {
    case 'dbmate':
      return DBMATE_NO_TRANSACTION.test(file.text) ? 'one-query' : transaction;
    case 'flyway':
      if (file.statements.some(flywayRunsOutsideTransaction)) return 'none';
      return file.statements.length === 1 ? 'unknown' : transaction;
    case 'diesel':
      return file.statements.length === 1 ? 'unknown' : transaction;
    case 'atlas':
      // `atlas migrate apply` runs a file with this directive statement by statement.
      return ATLAS_NO_TRANSACTION.test(file.text) ? 'none' : transaction;
    case 'graphile-migrate':
      // Graphile Migrate sends a `--! no-transaction` migration as one query string.
      return GRAPHILE_NO_TRANSACTION.test(file.text) ? 'one-query' : transaction;
    default:
      return transaction;
  }
}

/** Atlas's per-file switch, a directive comment at the top of the file. */
const ATLAS_NO_TRANSACTION = /^--\s*atlas:txmode\s+none\b/m;

/** Graphile Migrate's per-file switch, a header line of the migration. */
const GRAPHILE_NO_TRANSACTION = /^--!\s*no-transaction\b/m;

/** dbmate's per-file switch, an option on the `-- migrate:up` line (dbmate's migration.go parses the same line). */
const DBMATE_NO_TRANSACTION = /^--\s*migrate:up\b[^\n]*\btransaction:false\b/m;

/**
 * True for a statement a `per-file-except-concurrently` runner (the Supabase CLI) runs on its own,
 * outside the file's transaction: CREATE or DROP INDEX CONCURRENTLY, and REINDEX ... CONCURRENTLY.
 */
export function runsOutsideFileTransaction(statement: ParsedStatement): boolean {
  const node = statement.node as Record<string, { concurrent?: boolean; removeType?: string; params?: unknown[] } | undefined>;
  switch (statement.kind) {
    case 'IndexStmt':
      return node.IndexStmt?.concurrent === true;
    case 'DropStmt':
      return node.DropStmt?.concurrent === true && node.DropStmt.removeType === 'OBJECT_INDEX';
    case 'ReindexStmt':
      return (node.ReindexStmt?.params ?? []).some((param) => (param as { DefElem?: { defname?: string } }).DefElem?.defname === 'concurrently');
    default:
      return false;
  }
}

/** Flyway's list: CREATE or DROP INDEX CONCURRENTLY, and VACUUM, make it run the whole script without a transaction. */
function flywayRunsOutsideTransaction(statement: ParsedStatement): boolean {
  if (statement.kind === 'VacuumStmt') return (statement.node as { VacuumStmt?: { is_vacuumcmd?: boolean } }).VacuumStmt?.is_vacuumcmd === true;
  return (statement.kind === 'IndexStmt' || statement.kind === 'DropStmt') && runsOutsideFileTransaction(statement);
}
