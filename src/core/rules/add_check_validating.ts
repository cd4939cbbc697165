import { addedConstraints } from '../safety/addedConstraints';
import { alterOfExistingTable } from '../safety/existingTableAlter';
import { describeLock } from '../safety/locks';
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
    const altered = alterOfExistingTable(migration);
    if (!altered) return [];
    const { table } = altered;
    const qualified = `${table.schema}.${table.name}`;
    const lock = describeLock({ table: qualified, mode: 'ACCESS EXCLUSIVE', work: 'scan' });
    // A CHECK on an added column is checked against every row too, even when the column is NULL
    // everywhere (PostgreSQL logs "verifying table"), and a column constraint cannot be NOT VALID.
    return addedConstraints(migration, table, altered.commands, 'CONSTR_CHECK')
      .filter((added) => added.column || !added.node.skip_validation)
      .map(({ column, name, clause }) => {
        const report: RuleReport = { object: qualified, objectKey: `constraint:${qualified}/${name}`, message: '', ...(clause ? { span: clause } : {}) };
        if (column) {
          report.message = `Adding the column ${column.colname} with the CHECK ${name} to ${qualified} ${lock}. Add the column without the CHECK, then the CHECK NOT VALID, and validate it in a later migration.`;
          return report;
        }
        report.message = `Adding the CHECK ${name} to ${qualified} without NOT VALID ${lock}. Add it NOT VALID and validate it in a later migration: VALIDATE CONSTRAINT takes only a SHARE UPDATE EXCLUSIVE lock, so reads and writes go on.`;
        if (clause) report.fix = notValidThenValidateFix(table, name, clause);
        return report;
      });
  },
});
