import type { Node } from '@pgsql/types';
import { chooseName } from '../catalog/replay/chooseName';
import { stringList } from '../catalog/replay/names';
import type { Constraint, Table } from '../catalog/model';
import type { Fix } from '../finding';
import { alterOfExistingTable } from '../safety/existingTableAlter';
import { describeLock } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'set_not_null_scanning',
  name: 'Set Not Null Scanning',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration sets NOT NULL on a column of a table that already holds rows, with no validated CHECK (column IS NOT NULL) to prove it, so reads and writes of the table wait while every row is read.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration) {
    const altered = alterOfExistingTable(migration);
    if (!altered) return [];
    const { table, commands } = altered;
    const reports: RuleReport[] = [];
    for (const command of commands) {
      if (command.subtype !== 'AT_SetNotNull' || !command.name) continue;
      const column = table.columns.get(command.name);
      // A column that is already NOT NULL is left alone: PostgreSQL reads nothing.
      if (!column || column.notNull) continue;
      const checks = [...table.constraints.values()].filter((constraint) => constraint.kind === 'check' && provesNotNull(constraint, column.name));
      // PostgreSQL 12+ skips the scan when a validated CHECK proves the column has no NULL
      // (NotNullImpliedByRelConstraints); it logs "existing constraints on column ... are
      // sufficient to prove that it does not contain nulls". A CHECK added in this same statement
      // does not count: it is checked in the same scan.
      if (checks.some((constraint) => constraint.validated)) continue;
      const qualified = `${table.schema}.${table.name}`;
      const notValid = checks[0];
      const lock = describeLock({ table: qualified, mode: 'ACCESS EXCLUSIVE', work: 'scan' });
      const advice = notValid
        ? `Validate ${notValid.name}, which proves it but is NOT VALID, in an earlier migration: SET NOT NULL then reads no row.`
        : `Add CHECK (${column.name} IS NOT NULL) NOT VALID, validate it in a later migration, then SET NOT NULL reads no row and the CHECK can be dropped.`;
      const fix = commands.length === 1 ? setNotNullFix(migration, table, column.name, notValid) : undefined;
      reports.push({
        object: `${qualified}.${column.name}`,
        objectKey: `column:${qualified}.${column.name}`,
        message: `SET NOT NULL on ${qualified}.${column.name} ${lock}. ${advice}`,
        ...(fix ? { fix } : {}),
      });
    }
    return reports;
  },
});

/**
 * The statement replaced in place by the first step that needs no strong lock for long, and the
 * rest in a new migration: either ADD CHECK ... NOT VALID now, then VALIDATE, SET NOT NULL (which
 * then reads nothing) and DROP of the helper CHECK; or, when a NOT VALID CHECK already proves the
 * column, its VALIDATE now and SET NOT NULL after.
 */
function setNotNullFix(migration: MigrationStatement, table: Table, column: string, notValid: Constraint | undefined): Fix {
  const qualified = quoteQualified(table.schema, table.name);
  const { span } = migration.statement;
  const setNotNull = `alter table ${qualified} alter column ${quoteIdent(column)} set not null;\n`;
  if (notValid) {
    return {
      title: `Validate ${notValid.name} first, then set ${column} NOT NULL in a new migration`,
      sql: setNotNull,
      edit: { file: span.file, start: span.start, end: span.end, text: `alter table ${qualified} validate constraint ${quoteIdent(notValid.name)}` },
      sqlAfterEdit: true,
    };
  }
  const name = chooseName(table.name, column, 'not_null', (candidate) => table.constraints.has(candidate));
  const check = quoteIdent(name);
  return {
    title: `Prove ${column} NOT NULL with a CHECK added NOT VALID, then validate it and set NOT NULL in a new migration`,
    sql: `alter table ${qualified} validate constraint ${check};\n${setNotNull}alter table ${qualified} drop constraint ${check};\n`,
    edit: { file: span.file, start: span.start, end: span.end, text: `alter table ${qualified} add constraint ${check} check (${quoteIdent(column)} is not null) not valid` },
    sqlAfterEdit: true,
  };
}

/** True when the CHECK's expression has `column IS NOT NULL` among its top-level ANDs, which is what PostgreSQL's proof finds. */
function provesNotNull(constraint: Constraint, column: string): boolean {
  const conjuncts = (node: Node | undefined): Node[] => {
    if (node && 'BoolExpr' in node && node.BoolExpr.boolop === 'AND_EXPR') return (node.BoolExpr.args ?? []).flatMap(conjuncts);
    return node ? [node] : [];
  };
  return conjuncts(constraint.check?.ast).some((node) => {
    if (!('NullTest' in node) || node.NullTest.nulltesttype !== 'IS_NOT_NULL') return false;
    const argument = node.NullTest.arg;
    if (!argument || !('ColumnRef' in argument)) return false;
    return stringList(argument.ColumnRef.fields).at(-1) === column;
  });
}
