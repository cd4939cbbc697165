import type { Node, SelectStmt, VariableSetStmt } from '@pgsql/types';
import type { Table, View } from '../catalog/model';
import { constantText } from '../sql/constantText';
import { functionCallName } from '../sql/functionCallName';
import { describeLock, SET_LOCK_TIMEOUT, type TableLock } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { blocksWrites, LOCKING_STATEMENT_KINDS } from '../safety/statementLocks';
import { defineRule } from './defineRule';


export default defineRule({
  id: 'lock_timeout_missing',
  name: 'Lock Timeout Missing',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration takes a lock that blocks writes (SHARE or stronger) on a table that already exists without setting lock_timeout first, so while it waits behind a long transaction every later query on the table queues behind it.',
  statementKinds: [...LOCKING_STATEMENT_KINDS, 'VariableSetStmt', 'SelectStmt'],
  checkStatement(migration) {
    // One finding per file: once reported, or once a lock_timeout is set, the file is settled.
    const state = migration.fileMemory.get('lock_timeout_missing') as 'set' | 'reported' | undefined;
    const setting = lockTimeoutSetting(migration);
    if (setting !== undefined) {
      if (state !== 'reported') migration.fileMemory.set('lock_timeout_missing', setting ? 'set' : undefined);
      return [];
    }
    if (state !== undefined) return [];
    const lock = migration.locks().find((candidate) => blocksWrites(candidate.mode) && !isNewTablesReference(migration, candidate) && isExistingRelation(migration, candidate));
    if (!lock) return [];
    migration.fileMemory.set('lock_timeout_missing', 'reported');
    const { file } = migration;
    return [
      {
        object: lock.table,
        objectKey: `migration:${file.path}`,
        message: `No lock_timeout is set before this statement, which ${describeLock(lock)}. While it waits for the lock behind a long-running transaction, every query on ${lock.table} queues behind it. Start the file with ${SET_LOCK_TIMEOUT}`,
        fix: {
          title: 'Set lock_timeout at the top of the file',
          sql: `${SET_LOCK_TIMEOUT}\n`,
          edit: { file: file.path, start: 0, end: 0, text: `${SET_LOCK_TIMEOUT}\n` },
          // A setting lasts for its own file's session: in a new migration it would do nothing here.
          editOnly: true,
        },
      },
    ];
  },
});

/**
 * What the statement does to lock_timeout: true when it sets a timeout (`set [local]
 * lock_timeout = '5s'`, `select set_config('lock_timeout', '5s', ...)`), false when it turns it
 * off (0, DEFAULT, RESET), undefined when it leaves it alone.
 */
function lockTimeoutSetting(migration: MigrationStatement): boolean | undefined {
  const node = migration.statement.node as { VariableSetStmt?: VariableSetStmt; SelectStmt?: SelectStmt };
  if (node.VariableSetStmt) {
    const stmt = node.VariableSetStmt;
    if (stmt.kind === 'VAR_RESET_ALL') return false;
    if (stmt.name !== 'lock_timeout') return undefined;
    return stmt.kind === 'VAR_SET_VALUE' && !isZero(stmt.args?.[0]);
  }
  for (const target of node.SelectStmt?.targetList ?? []) {
    const value = 'ResTarget' in target ? target.ResTarget.val : undefined;
    if (!value || !('FuncCall' in value)) continue;
    const args = value.FuncCall.args ?? [];
    if (functionCallName(value.FuncCall).split('.').pop() === 'set_config' && constantText(args[0]) === 'lock_timeout') return !isZero(args[1]);
  }
  return undefined;
}

/**
 * True for the lock a CREATE TABLE's foreign key takes on the table it references (SHARE ROW
 * EXCLUSIVE): creating tables that reference existing ones is how every schema grows, the lock is
 * released as soon as the empty table exists, and reads go on meanwhile. A partition's parent,
 * locked ACCESS EXCLUSIVE, still counts.
 */
function isNewTablesReference(migration: MigrationStatement, lock: TableLock): boolean {
  return migration.statement.kind === 'CreateStmt' && lock.mode !== 'ACCESS EXCLUSIVE';
}

/** A table or materialized view a migration before this one created (or the platform's): it may hold rows, and queries. */
function isExistingRelation(migration: MigrationStatement, lock: TableLock): boolean {
  const relation: Table | View | undefined = migration.catalog.tables.get(lock.table) ?? migration.catalog.views.get(lock.table);
  if (!relation || relation.platform) return false;
  return !migration.isNewTable(relation);
}

/** `0`, `'0'`, `'0s'`, `'0ms'`: PostgreSQL's "no timeout". */
function isZero(node: Node | undefined): boolean {
  const text = constantText(node);
  return text !== undefined && /^\s*0+\s*(ms|s|min|h|d)?\s*$/i.test(text);
}
