import type { ColumnDef, Node } from '@pgsql/types';
import type { Column, Index, Table } from '../catalog/model';
import { typeChangeWork, usingKeepsValue } from '../safety/columnTypeChange';
import { alterOfExistingTable, columnFindingPlace, columnTypeText, type ExistingTableAlter } from '../safety/existingTableAlter';
import { describeLock, type TableWork } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { expressionFacts } from '../sql/expressionFacts';
import type { RuleReport } from './defineRule';
import { defineRule } from './defineRule';

export default defineRule({
  id: 'column_type_change_rewrite',
  name: 'Column Type Change Rewrite',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration changes the type of a column of a table that already holds rows in a way that is not binary-coercible, so PostgreSQL rewrites the whole table and its indexes (or re-reads every row to re-check a CHECK or rebuild an expression index) while reads and writes wait.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration) {
    const alter = alterOfExistingTable(migration);
    if (!alter) return [];
    const reports: RuleReport[] = [];
    for (const command of alter.commands) {
      const def = command.subtype === 'AT_AlterColumnType' && command.def && 'ColumnDef' in command.def ? command.def.ColumnDef : undefined;
      const column = command.name ? alter.table.columns.get(command.name) : undefined;
      if (!def?.typeName || !column) continue;
      const report = judgeTypeChange(migration, alter, def, column);
      if (report) reports.push(report);
    }
    return reports;
  },
});

/** The finding on one ALTER COLUMN ... TYPE, or undefined when it rewrites and scans nothing (or when it cannot tell). */
function judgeTypeChange(migration: MigrationStatement, alter: ExistingTableAlter, def: ColumnDef, column: Column): RuleReport | undefined {
  const newType = columnTypeText(migration, def.typeName);
  const change = `ALTER COLUMN ${column.name} TYPE ${newType} on ${alter.qualified} (was ${column.type})`;
  const place = columnFindingPlace(migration, alter, column.name, def.location);
  const lock = (work: TableWork) => describeLock({ table: alter.qualified, mode: 'ACCESS EXCLUSIVE', work });
  if (!usingKeepsValue(def, column.name)) {
    return { ...place, message: `${change} computes every row anew from its USING expression, so the ALTER TABLE ${lock('rewrite')}. ${NEW_COLUMN_ADVICE}` };
  }
  const work = typeChangeWork(migration, column, def);
  if (work === 'rewrite') {
    const zoneChange = column.type.startsWith('timestamp') && newType.startsWith('timestamp') && column.type.endsWith(' with time zone') !== newType.endsWith(' with time zone');
    const timeZone = zoneChange
      ? ' (PostgreSQL 12+ skips the rewrite only when the session time zone is UTC, which a migration file does not tell, and still rebuilds the indexes)'
      : '';
    return { ...place, message: `${change} is not binary-coercible${timeZone}, so the ALTER TABLE ${lock('rewrite')}. ${NEW_COLUMN_ADVICE}` };
  }
  if (work !== 'none') return undefined;
  const rereads = rereadsOfKeptColumn(alter.table, column.name);
  if (rereads.length === 0) return undefined;
  return {
    ...place,
    message: `${change} keeps the stored values, but PostgreSQL ${rereads.join(' and ')}, so the ALTER TABLE ${lock('scan')}. Drop them first and add them back without the long lock: a CHECK NOT VALID, then VALIDATE in a later migration; an index with CREATE INDEX CONCURRENTLY.`,
  };
}

/**
 * What PostgreSQL reads every row for when a column's type changes and its values stay: it re-adds
 * the CHECK constraints on the column and validates the validated ones again, and it rebuilds the
 * expression and partial indexes that use the column, whose compatibility it does not assess
 * (ATPostAlterTypeCleanup, CheckIndexCompatible in indexcmds.c). A plain index on the column is kept.
 */
function rereadsOfKeptColumn(table: Table, column: string): string[] {
  const checks = [...table.constraints.values()].filter((constraint) => constraint.kind === 'check' && constraint.validated && constraint.columns.includes(column)).map((check) => check.name);
  const indexes = [...table.indexes.values()]
    .filter((index) => (index.where !== undefined || index.keys.some((key) => key.expression)) && indexUsesColumn(index, column))
    .map((index) => index.name);
  const rereads: string[] = [];
  if (checks.length > 0) rereads.push(`re-checks ${checks.length === 1 ? 'the CHECK constraint' : 'the CHECK constraints'} ${checks.join(', ')} against every row`);
  if (indexes.length > 0) rereads.push(`rebuilds the expression or partial ${indexes.length === 1 ? 'index' : 'indexes'} ${indexes.join(', ')}`);
  return rereads;
}

function indexUsesColumn(index: Index, column: string): boolean {
  if (index.include.includes(column) || index.keys.some((key) => key.column === column || readsColumn(key.expression?.ast, column))) return true;
  return readsColumn(index.where?.ast, column);
}

function readsColumn(expression: Node | undefined, column: string): boolean {
  return expressionFacts(expression).columnRefs.some((ref) => {
    const fields = ref.fields ?? [];
    const last = fields[fields.length - 1];
    return last !== undefined && 'String' in last && last.String.sval === column;
  });
}

const NEW_COLUMN_ADVICE = 'On a large table, add a column of the new type instead, fill it in batches (a trigger keeps new writes in step), and swap the names in a short migration.';
