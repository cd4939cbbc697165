/**
 * How each migration tool sends a file to the server: in one transaction, or with some statements
 * split out. `concurrently_in_transaction` and `validate_in_same_transaction` read it.
 */
import type { MigrationLayout } from '../discovery/discoverMigrations';

/**
 * - `per-file`: the whole file runs in one transaction (CONCURRENTLY fails there);
 * - `per-file-except-concurrently`: one transaction per file, but CREATE/DROP INDEX CONCURRENTLY
 *   run on their own after it (the Supabase CLI since 2.109);
 * - `none`: statements run one by one, each committing on its own;
 * - `unknown`: the layout does not say (globs, plain numbered files).
 */
export type RunnerTransaction = 'per-file' | 'per-file-except-concurrently' | 'none' | 'unknown';

/** The transaction a layout's runner wraps a migration file in, before any per-file override. */
export function runnerTransaction(layout: MigrationLayout | undefined): RunnerTransaction {
  switch (layout) {
    case 'supabase':
      return 'per-file-except-concurrently';
    case 'flyway':
    case 'diesel':
    case 'dbmate':
    // Atlas's default --tx-mode is file; Graphile Migrate runs each committed file in one
    // transaction; Prisma sends a file of several statements as one query, which PostgreSQL runs
    // as one implicit transaction; drizzle-kit migrate runs the pending files in one transaction.
    case 'atlas':
    case 'graphile-migrate':
    case 'prisma':
    case 'drizzle':
      return 'per-file';
    // Sqitch hands the script to psql as it is: its own BEGIN ... COMMIT (the templates write one)
    // is the transaction.
    case 'sqitch':
      return 'none';
    default:
      return 'unknown';
  }
}
