import type { AlterTableStmt, ColumnDef, Constraint as ConstraintNode } from '@pgsql/types';
import { constraintName } from '../catalog/replay/tables';
import type { Table } from '../catalog/model';
import { describeLock } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { defineRule, type RuleReport } from './defineRule';
import { notValidThenValidateFix } from './notValidThenValidateFix';

export default defineRule({
  id: 'add_check_validating',
  name: 'Add Check Validating',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration adds a CHECK constraint to a table that already holds rows without NOT VALID, so reads and writes of the table wait while every row is checked.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration) {
    const stmt = (migration.statement.node as { AlterTableStmt: AlterTableStmt }).AlterTableStmt;
    if (stmt.objtype !== 'OBJECT_TABLE') return [];
    const table = migration.tableOf(stmt.relation);
    if (!table || table.platform || migration.isNewTable(table)) return [];
    const reports: RuleReport[] = [];
    for (const node of stmt.cmds ?? []) {
      if (!('AlterTableCmd' in node)) continue;
      const { subtype, def } = node.AlterTableCmd;
      if (subtype === 'AT_AddConstraint' && def && 'Constraint' in def) {
        if (def.Constraint.contype === 'CONSTR_CHECK' && !def.Constraint.skip_validation) reports.push(validatingCheck(migration, table, def.Constraint, undefined));
      } else if (subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) {
        // A CHECK on an added column is checked against every row too, even when the column is
        // NULL everywhere (PostgreSQL logs "verifying table"), and it cannot be NOT VALID.
        for (const constraintNode of def.ColumnDef.constraints ?? []) {
          if ('Constraint' in constraintNode && constraintNode.Constraint.contype === 'CONSTR_CHECK') {
            reports.push(validatingCheck(migration, table, constraintNode.Constraint, def.ColumnDef));
          }
        }
      }
    }
    return reports;
  },
});

function validatingCheck(migration: MigrationStatement, table: Table, constraint: ConstraintNode, column: ColumnDef | undefined): RuleReport {
  const qualified = `${table.schema}.${table.name}`;
  const name = constraintName(table, constraint, column?.colname);
  const lock = describeLock({ table: qualified, mode: 'ACCESS EXCLUSIVE', work: 'scan' });
  const clause = migration.clauseAt(column ? column.location : constraint.location);
  const report: RuleReport = { object: qualified, objectKey: `constraint:${qualified}/${name}`, message: '', ...(clause ? { span: clause } : {}) };
  if (column) {
    report.message = `Adding the column ${column.colname} with the CHECK ${name} to ${qualified} ${lock}. Add the column without the CHECK, then the CHECK NOT VALID, and validate it in a later migration.`;
    return report;
  }
  report.message = `Adding the CHECK ${name} to ${qualified} without NOT VALID ${lock}. Add it NOT VALID and validate it in a later migration: VALIDATE CONSTRAINT takes only a SHARE UPDATE EXCLUSIVE lock, so reads and writes go on.`;
  if (clause) report.fix = notValidThenValidateFix(table, name, clause);
  return report;
}
