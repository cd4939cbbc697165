import type { AlterTableStmt, ReindexStmt, TransactionStmt } from '@pgsql/types';
import type { MigrationStatement } from '../safety/migrationStatement';
import { runsOutsideFileTransaction, type RunnerTransaction } from '../safety/runnerTransactions';
import type { SourceSpan } from '../sql/span';
import { defineRule } from './defineRule';

export default defineRule({
  id: 'concurrently_in_transaction',
  name: 'Concurrently In Transaction',
  level: 'error',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration runs CREATE INDEX, DROP INDEX, REINDEX or DETACH PARTITION CONCURRENTLY inside a transaction (its own BEGIN, or the one its migration tool wraps the file in), where PostgreSQL refuses it and the migration fails.',
  statementKinds: ['TransactionStmt', 'IndexStmt', 'DropStmt', 'ReindexStmt', 'AlterTableStmt'],
  checkStatement(migration) {
    if (migration.statement.kind === 'TransactionStmt') {
      rememberTransactionBlock(migration);
      return [];
    }
    const what = concurrentlyForm(migration);
    if (!what) return [];
    const begin = migration.fileMemory.get('concurrently_in_transaction') as SourceSpan | undefined;
    const why = begin ? `inside the BEGIN on line ${begin.line}` : runnerWraps(migration);
    if (!why) return [];
    const table = migration.locks()[0]?.table ?? migration.file.path;
    return [
      {
        object: table,
        objectKey: `concurrently:${migration.file.path}:${migration.statement.span.line}`,
        message: `${what} runs ${why}, and PostgreSQL refuses it inside a transaction block: the migration fails. ${begin ? 'Move it out of the BEGIN ... COMMIT block.' : RUNNER_ADVICE[migration.transaction]}`,
      },
    ];
  },
});

/** How to get the statement out of the runner's transaction, by runner. */
const RUNNER_ADVICE: Record<RunnerTransaction, string> = {
  'per-file': 'Move it to a migration of its own and turn the runner\'s transaction off for that file: `-- migrate:up transaction:false` (dbmate), `run_in_transaction = false` in metadata.toml (diesel), `executeInTransaction=false` in a `<script>.sql.conf` (Flyway), `-- atlas:txmode none` (Atlas), `--! no-transaction` (Graphile Migrate); drizzle-kit migrate has no such switch, so run it outside drizzle.',
  'per-file-except-concurrently': 'The Supabase CLI runs only CREATE/DROP INDEX CONCURRENTLY and REINDEX CONCURRENTLY outside the file\'s transaction: run this statement by hand, outside the migrations, or without CONCURRENTLY.',
  'one-query': 'The file is sent as one query string, which runs as one transaction: move the statement to a migration of its own (dbmate with `transaction:false`, golang-migrate, Prisma, Graphile Migrate with `--! no-transaction`).',
  none: '',
  unknown: '',
};

/** "CREATE INDEX CONCURRENTLY" when the statement is a form PostgreSQL refuses in a transaction block; REFRESH MATERIALIZED VIEW CONCURRENTLY is not one. */
function concurrentlyForm(migration: MigrationStatement): string | undefined {
  const node = migration.statement.node as { AlterTableStmt?: AlterTableStmt; ReindexStmt?: ReindexStmt };
  switch (migration.statement.kind) {
    case 'IndexStmt':
      return runsOutsideFileTransaction(migration.statement) ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return runsOutsideFileTransaction(migration.statement) ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt':
      return runsOutsideFileTransaction(migration.statement) ? 'REINDEX CONCURRENTLY' : undefined;
    case 'AlterTableStmt': {
      const detach = (node.AlterTableStmt?.cmds ?? []).some((cmd) => 'AlterTableCmd' in cmd && cmd.AlterTableCmd.subtype === 'AT_DetachPartition' && cmd.AlterTableCmd.def && 'PartitionCmd' in cmd.AlterTableCmd.def && cmd.AlterTableCmd.def.PartitionCmd.concurrent);
      return detach ? 'DETACH PARTITION CONCURRENTLY' : undefined;
    }
    default:
      return undefined;
  }
}

/** Why the runner runs the statement in a transaction, or undefined when it does not (or pgreview cannot tell). */
function runnerWraps(migration: MigrationStatement): string | undefined {
  switch (migration.transaction) {
    case 'per-file':
      return 'in the transaction the migration tool wraps each file in';
    case 'per-file-except-concurrently':
      return runsOutsideFileTransaction(migration.statement) ? undefined : 'in the transaction the Supabase CLI wraps each file in';
    case 'one-query':
      return migration.file.statements.length > 1 ? 'in one query string with the file\'s other statements' : undefined;
    default:
      return undefined;
  }
}

/** Remembers an open BEGIN (its span) until COMMIT, ROLLBACK or END. */
function rememberTransactionBlock(migration: MigrationStatement): void {
  const kind = (migration.statement.node as { TransactionStmt: TransactionStmt }).TransactionStmt.kind;
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') migration.fileMemory.set('concurrently_in_transaction', migration.statement.span);
  else if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE') migration.fileMemory.delete('concurrently_in_transaction');
}
