import type { AlterTableCmd, AlterTableStmt } from '@pgsql/types';
import type { Table } from '../catalog/model';
import type { MigrationStatement } from './migrationStatement';

/**
 * The table an ALTER TABLE statement changes and its commands, when the table already holds rows:
 * it exists, the platform does not provide it, and no pending migration created it. Undefined for
 * any other statement, where the constraint and column safety rules stay silent.
 */
export function alteredExistingTable(migration: MigrationStatement): { table: Table; commands: AlterTableCmd[] } | undefined {
  const node = migration.statement.node;
  if (!('AlterTableStmt' in node)) return undefined;
  const stmt: AlterTableStmt = node.AlterTableStmt;
  if (stmt.objtype !== 'OBJECT_TABLE') return undefined;
  const table = migration.tableOf(stmt.relation);
  if (!table || table.platform || migration.isNewTable(table)) return undefined;
  return { table, commands: (stmt.cmds ?? []).flatMap((command) => ('AlterTableCmd' in command ? [command.AlterTableCmd] : [])) };
}
