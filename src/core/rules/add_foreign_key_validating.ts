import type { AlterTableStmt, ColumnDef, Constraint as ConstraintNode } from '@pgsql/types';
import { stringList } from '../catalog/replay/names';
import { constraintName } from '../catalog/replay/tables';
import type { Table } from '../catalog/model';
import { SERIAL_TYPE_NAMES } from '../sql/formatTypeName';
import { describeLock, type LockMode } from '../safety/locks';
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
    const stmt = (migration.statement.node as { AlterTableStmt: AlterTableStmt }).AlterTableStmt;
    if (stmt.objtype !== 'OBJECT_TABLE') return [];
    const table = migration.tableOf(stmt.relation);
    if (!table || table.platform || migration.isNewTable(table)) return [];
    const reports: RuleReport[] = [];
    for (const node of stmt.cmds ?? []) {
      if (!('AlterTableCmd' in node)) continue;
      const command = node.AlterTableCmd;
      const def = command.def;
      if (command.subtype === 'AT_AddConstraint' && def && 'Constraint' in def) {
        const constraint = def.Constraint;
        if (constraint.contype !== 'CONSTR_FOREIGN' || constraint.skip_validation) continue;
        reports.push(validatingForeignKey(migration, table, constraint, undefined));
      } else if (command.subtype === 'AT_AddColumn' && def && 'ColumnDef' in def && hasDefaultExpression(def.ColumnDef)) {
        // A column added without a default is NULL in every row, and PostgreSQL then marks its
        // foreign key valid without reading a row (transformFKConstraints with skipValidation;
        // test/db/constraintSafety.test.ts checks it): only a column with a default is checked.
        for (const constraintNode of def.ColumnDef.constraints ?? []) {
          if ('Constraint' in constraintNode && constraintNode.Constraint.contype === 'CONSTR_FOREIGN') {
            reports.push(validatingForeignKey(migration, table, constraintNode.Constraint, def.ColumnDef));
          }
        }
      }
    }
    return reports;
  },
});

/**
 * The finding on one foreign key that PostgreSQL checks row by row. The referencing table is
 * locked SHARE ROW EXCLUSIVE by ADD CONSTRAINT, ACCESS EXCLUSIVE by ADD COLUMN; the referenced one
 * SHARE ROW EXCLUSIVE, because the key adds triggers to both.
 */
function validatingForeignKey(migration: MigrationStatement, table: Table, constraint: ConstraintNode, column: ColumnDef | undefined): RuleReport {
  const qualified = `${table.schema}.${table.name}`;
  const name = constraintName(table, constraint, column?.colname);
  const referenced = migration.tableOf(constraint.pktable);
  const referencedName = referenced ? `${referenced.schema}.${referenced.name}` : undefined;
  const mode: LockMode = column ? 'ACCESS EXCLUSIVE' : 'SHARE ROW EXCLUSIVE';
  let locks = `${describeLock({ table: qualified, mode, work: 'scan' })}.`;
  if (referencedName && referencedName !== qualified) locks += ` It also ${describeLock({ table: referencedName, mode: 'SHARE ROW EXCLUSIVE', work: 'none' })}, until every row is checked.`;
  const clause = migration.clauseAt(column ? column.location : constraint.location);
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
  const typeNames = stringList(column.typeName?.names);
  if (typeNames.length === 1 && SERIAL_TYPE_NAMES.has(typeNames[0])) return true;
  return (column.constraints ?? []).some((node) => 'Constraint' in node && (node.Constraint.contype === 'CONSTR_DEFAULT' || node.Constraint.contype === 'CONSTR_GENERATED'));
}
