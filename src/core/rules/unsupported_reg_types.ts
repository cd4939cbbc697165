import { objectKey, type Table } from '../catalog/model';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';
import { memoizeByObject } from './memoizeByObject';
import type { RuleContext } from './ruleContext';

export default defineRule({
  id: 'unsupported_reg_types',
  name: 'Unsupported reg types',
  level: 'warning',
  category: 'security',
  needs: 'S',
  description: 'A column has a reg* type that stores object OIDs (regproc, regnamespace, regconfig, ...), which pg_upgrade cannot carry over, so the project cannot be upgraded.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) reports.push(...judgeTable(table, qualified, context));
    return reports;
  },
});

/** The reports on one table, which read nothing but the table: cached by table while it is unchanged. */
const judgeTable = memoizeByObject((table: Table, qualified: string, context: RuleContext): RuleReport[] => {
  const reports: RuleReport[] = [];
  if (table.platform || context.isManagedSchema(table.schema)) return reports;
  for (const column of table.columns.values()) {
    const baseType = column.type.replace(/^pg_catalog\./, '').replace(/(\[\])+$/, '');
    if (!UNSUPPORTED_REG_TYPES.has(baseType)) continue;
    const columnName = quoteIdent(column.name);
    reports.push({
      object: `${qualified}.${column.name}`,
      objectKey: objectKey.column(qualified, column.name),
      message: `Column ${qualified}.${column.name} has type ${column.type}, which pg_upgrade does not support.`,
      // On the column's own definition (or the ALTER COLUMN ... TYPE that set the type), not its whole CREATE TABLE.
      span: column.clauseAt ?? column.origin.definedAt ?? table.origin.definedAt,
      suggestions: [
        {
          title: `Store ${qualified}.${column.name} as text`,
          sql: `alter table ${quoteQualified(table.schema, table.name)} alter column ${columnName} type text${column.type.endsWith('[]') ? '[]' : ''} using ${columnName}::text${column.type.endsWith('[]') ? '[]' : ''};\n`,
        },
      ],
    });
  }
  return reports;
});

/**
 * The reg* types pg_upgrade refuses in user tables (`check_for_reg_data_type_usage` in
 * src/bin/pg_upgrade/check.c): their values are OIDs that change between clusters. regclass,
 * regrole and regtype are missing on purpose; pg_upgrade keeps those OIDs stable.
 */
const UNSUPPORTED_REG_TYPES = new Set([
  'regcollation', 'regconfig', 'regdictionary', 'regnamespace', 'regoper', 'regoperator', 'regproc', 'regprocedure',
]);
