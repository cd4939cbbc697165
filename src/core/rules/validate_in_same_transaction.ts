import type { Constraint, Table } from '../catalog/model';
import type { Fix } from '../finding';
import { alteredExistingTable } from '../safety/alteredExistingTable';
import { describeLock } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'validate_in_same_transaction',
  name: 'Validate In Same Transaction',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration validates a constraint in the same transaction that added it NOT VALID, so the strong lock of the ADD is held until every row is checked and NOT VALID gains nothing.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration) {
    // Only a runner that wraps the whole file in one transaction keeps the ADD's lock until the
    // VALIDATE: statements that commit one by one (`none`) are fine, and an unknown runner is
    // not judged.
    if (migration.transaction !== 'per-file' && migration.transaction !== 'per-file-except-concurrently') return [];
    const altered = alteredExistingTable(migration);
    if (!altered) return [];
    const { table, commands } = altered;
    const reports: RuleReport[] = [];
    for (const command of commands) {
      if (command.subtype !== 'AT_ValidateConstraint' || !command.name) continue;
      const constraint = table.constraints.get(command.name);
      // The catalog already named the constraint as PostgreSQL did, and knows which statement
      // added it: a NOT VALID constraint added by this file is still unvalidated here.
      const addedAt = constraint?.origin.definedAt;
      if (!constraint || constraint.validated || addedAt?.file !== migration.file.path) continue;
      const qualified = `${table.schema}.${table.name}`;
      reports.push({
        object: qualified,
        objectKey: `constraint:${qualified}/${constraint.name}`,
        message: `VALIDATE CONSTRAINT ${constraint.name} on ${qualified} runs in the transaction that added it NOT VALID: the ADD ${addLocks(migration, table, constraint)}, and holds it until VALIDATE has read every row, so NOT VALID gains nothing. Validate it in a later migration, where it takes only a SHARE UPDATE EXCLUSIVE lock.`,
        related: [{ message: `${constraint.name} is added NOT VALID here`, span: constraint.clauseAt ?? addedAt }],
        ...(commands.length === 1 ? { fix: validateLaterFix(migration, constraint.name) } : {}),
      });
    }
    return reports;
  },
});

/** The locks the ADD took: SHARE ROW EXCLUSIVE on both tables for a foreign key, ACCESS EXCLUSIVE for a CHECK. */
function addLocks(migration: MigrationStatement, table: Table, constraint: Constraint): string {
  const qualified = `${table.schema}.${table.name}`;
  if (constraint.kind !== 'foreign_key') return describeLock({ table: qualified, mode: 'ACCESS EXCLUSIVE', work: 'none' });
  const referenced = constraint.references?.table;
  const own = describeLock({ table: qualified, mode: 'SHARE ROW EXCLUSIVE', work: 'none' });
  if (!referenced || referenced === qualified || !migration.catalog.tables.has(referenced)) return own;
  return `${own}, and ${describeLock({ table: referenced, mode: 'SHARE ROW EXCLUSIVE', work: 'none' })}`;
}

/** The VALIDATE statement moved out of this file, into a new migration. */
function validateLaterFix(migration: MigrationStatement, name: string): Fix {
  const { statement, file } = migration;
  // The statement's span stops before its semicolon; the edit takes the semicolon too.
  const end = file.text[statement.span.end] === ';' ? statement.span.end + 1 : statement.span.end;
  return {
    title: `Validate ${name} in a new migration`,
    sql: `${statement.text};\n`,
    edit: { file: file.path, start: statement.span.start, end, text: '' },
    sqlAfterEdit: true,
  };
}
