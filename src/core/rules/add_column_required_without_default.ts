import type { ColumnDef } from '@pgsql/types';
import { chooseName } from '../catalog/replay/chooseName';
import type { Suggestion } from '../finding';
import { addedColumns, alterOfExistingTable, columnConstraint, columnFindingPlace, columnTypeText, isSerialColumn, userTypeOf, type ExistingTableAlter } from '../safety/existingTableAlter';
import { describeLock } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { defineRule } from './defineRule';

export default defineRule({
  id: 'add_column_required_without_default',
  name: 'Add Column Required Without Default',
  level: 'error',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration adds a NOT NULL column without a default to a table that already holds rows, so the migration fails as soon as the table has a row: the new column would be NULL in every existing one.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration) {
    const alter = alterOfExistingTable(migration);
    if (!alter) return [];
    return addedColumns(alter)
      .filter((def) => requiresValue(migration, def) && !hasValue(migration, def))
      .map((def) => {
        const column = def.colname!;
        const lock = describeLock({ table: alter.qualified, mode: 'ACCESS EXCLUSIVE', work: 'scan' });
        const suggestion = nullableThenNotNull(migration, alter, def);
        return {
          ...columnFindingPlace(migration, alter, column, def.location),
          message: `ADD COLUMN ${column} on ${alter.qualified} is NOT NULL with no default: it fails with ERROR 23502 (column "${column}" of relation "${alter.table.name}" contains null values) as soon as the table holds a row. The ALTER TABLE ${lock}. Give the column a default (a constant or STABLE one adds it at once), or add it nullable, backfill it and set NOT NULL afterwards.`,
          ...(suggestion ? { suggestions: [suggestion] } : {}),
        };
      });
  },
});

/** NOT NULL written on the column, implied by PRIMARY KEY, or carried by a NOT NULL domain. */
function requiresValue(migration: MigrationStatement, def: ColumnDef): boolean {
  if (def.is_not_null || columnConstraint(def, 'CONSTR_NOTNULL') || columnConstraint(def, 'CONSTR_PRIMARY')) return true;
  return userTypeOf(migration, def.typeName)?.notNull === true;
}

/** A value for the existing rows: a default that is not NULL (the column's or its domain's), an identity, a generated expression, or a serial's sequence. */
function hasValue(migration: MigrationStatement, def: ColumnDef): boolean {
  if (columnConstraint(def, 'CONSTR_IDENTITY') || columnConstraint(def, 'CONSTR_GENERATED')) return true;
  if (isSerialColumn(def)) return true;
  const defaultExpression = columnConstraint(def, 'CONSTR_DEFAULT')?.raw_expr;
  if (defaultExpression) return !('A_Const' in defaultExpression && defaultExpression.A_Const.isnull);
  return userTypeOf(migration, def.typeName)?.default !== undefined;
}

/**
 * Add the column nullable, backfill it, then make it NOT NULL without a long lock: a CHECK
 * (col IS NOT NULL) added NOT VALID, validated in a later migration (VALIDATE takes only a SHARE
 * UPDATE EXCLUSIVE lock), lets SET NOT NULL skip its scan (PG 12+). Offered only for a column
 * whose definition is its type and NOT NULL: other constraints need their own steps.
 */
function nullableThenNotNull(migration: MigrationStatement, alter: ExistingTableAlter, def: ColumnDef): Suggestion | undefined {
  const onlyNotNull = (def.constraints ?? []).every((node) => 'Constraint' in node && node.Constraint.contype === 'CONSTR_NOTNULL');
  if (!onlyNotNull || def.collClause || userTypeOf(migration, def.typeName)?.notNull) return undefined;
  const table = quoteQualified(alter.table.schema, alter.table.name);
  const column = quoteIdent(def.colname!);
  const check = chooseName(alter.table.name, def.colname, 'not_null', (name) => alter.table.constraints.has(name));
  return {
    title: `Add ${def.colname} nullable, backfill it, then set NOT NULL behind a validated CHECK`,
    sql: [
      `alter table ${table} add column ${column} ${columnTypeText(migration, def.typeName)};`,
      `-- Backfill ${def.colname} in batches (update ${table} set ${column} = ... where ...), then, in a later migration:`,
      `alter table ${table} add constraint ${quoteIdent(check)} check (${column} is not null) not valid;`,
      '-- In a migration after that one:',
      `alter table ${table} validate constraint ${quoteIdent(check)};`,
      `alter table ${table} alter column ${column} set not null;`,
      `alter table ${table} drop constraint ${quoteIdent(check)};`,
      '',
    ].join('\n'),
  };
}
