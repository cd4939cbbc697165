import type { ColumnDef } from '@pgsql/types';
import type { Table } from '../catalog/model';
import { addedConstraints, type AddedConstraint } from '../safety/addedConstraints';
import { alterOfExistingTable, columnConstraint, isSerialColumn } from '../safety/existingTableAlter';
import { describeLock } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { defineRule, type RuleReport } from './defineRule';
import { notValidThenValidateFix } from './notValidThenValidateFix';

export default defineRule({
  id: 'add_foreign_key_validating',
  name: 'Add Foreign Key Validating',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration adds a foreign key to a table that already holds rows without NOT VALID, so writes to both tables wait while every row is checked against the referenced table.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration) {
    const altered = alterOfExistingTable(migration);
    if (!altered) return [];
    return addedConstraints(migration, altered.table, altered.commands, 'CONSTR_FOREIGN')
      // A column added without a default is NULL in every row, and PostgreSQL then marks its
      // foreign key valid without reading a row (transformFKConstraints with skipValidation;
      // test/db/constraintSafety.test.ts checks it): only a column with a default is checked.
      .filter((added) => (added.column ? hasDefaultExpression(added.column) : !added.node.skip_validation))
      .map((added) => validatingForeignKey(migration, altered.table, added));
  },
});

/**
 * The finding on one foreign key that PostgreSQL checks row by row. The referencing table is
 * locked SHARE ROW EXCLUSIVE by ADD CONSTRAINT, ACCESS EXCLUSIVE by ADD COLUMN; the referenced one
 * SHARE ROW EXCLUSIVE, because the key adds triggers to both.
 */
function validatingForeignKey(migration: MigrationStatement, table: Table, { node, column, name, clause }: AddedConstraint): RuleReport {
  const qualified = `${table.schema}.${table.name}`;
  const referenced = migration.tableOf(node.pktable);
  const referencedName = referenced ? `${referenced.schema}.${referenced.name}` : undefined;
  let locks = `${describeLock({ table: qualified, mode: column ? 'ACCESS EXCLUSIVE' : 'SHARE ROW EXCLUSIVE', work: 'scan' })}.`;
  if (referencedName && referencedName !== qualified) locks += ` It also ${describeLock({ table: referencedName, mode: 'SHARE ROW EXCLUSIVE', work: 'none' })}, until every row is checked.`;
  const report: RuleReport = { object: qualified, objectKey: `constraint:${qualified}/${name}`, message: '', ...(clause ? { span: clause } : {}) };
  if (column) {
    report.message = `Adding the column ${column.colname} with a default and the foreign key ${name} to ${qualified} ${locks} Add the column without REFERENCES, then the foreign key NOT VALID, and validate it in a later migration.`;
    return report;
  }
  // Before PostgreSQL 18 a foreign key of a partitioned table cannot be NOT VALID.
  if (table.kind === 'partitioned') {
    report.message = `Adding the foreign key ${name} to the partitioned table ${qualified} without NOT VALID ${locks} A partitioned table's foreign key cannot be NOT VALID before PostgreSQL 18: add it NOT VALID to each partition and validate those in a later migration, or add it in a quiet hour.`;
    return report;
  }
  report.message = `Adding the foreign key ${name} to ${qualified} without NOT VALID ${locks} Add it NOT VALID and validate it in a later migration: VALIDATE CONSTRAINT takes only a SHARE UPDATE EXCLUSIVE lock, so reads and writes go on.`;
  if (clause) report.fix = notValidThenValidateFix(table, name, clause);
  return report;
}

/** True when the added column has a default expression (even `default null`), a generated one or a serial sequence: PostgreSQL then checks its foreign key. */
function hasDefaultExpression(column: ColumnDef): boolean {
  return isSerialColumn(column) || columnConstraint(column, 'CONSTR_DEFAULT') !== undefined || columnConstraint(column, 'CONSTR_GENERATED') !== undefined;
}
