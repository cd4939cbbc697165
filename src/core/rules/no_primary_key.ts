import { objectKey, type Table } from '../catalog/model';
import type { Suggestion } from '../finding';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'no_primary_key',
  name: 'No Primary Key',
  level: 'info',
  category: 'performance',
  needs: 'S',
  description: 'A table has no primary key, so rows cannot be addressed one by one: updates from the API, logical replication and tools that edit rows need one.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) {
      if (table.platform || context.isManagedSchema(table.schema)) continue;
      // Foreign tables cannot have a primary key, and a partition takes its key from the parent.
      // splinter also looks only at ordinary tables.
      if (table.kind !== 'table' || table.partitionOf !== undefined) continue;
      if ([...table.constraints.values()].some((constraint) => constraint.kind === 'primary_key')) continue;
      if ([...table.indexes.values()].some((index) => index.primary)) continue;
      reports.push({
        object: qualified,
        objectKey: objectKey.table(qualified),
        message: `Table ${qualified} has no primary key.`,
        span: table.origin.definedAt,
        suggestions: [suggestPrimaryKey(table)],
      });
    }
    return reports;
  },
});

/**
 * A person chooses the key. When an `id` column exists it is the likely one; otherwise the
 * suggestion adds an identity column, which fills existing rows.
 */
function suggestPrimaryKey(table: Table): Suggestion {
  const qualified = quoteQualified(table.schema, table.name);
  if (table.columns.has('id')) {
    return { title: `Make ${table.schema}.${table.name}.id the primary key`, sql: `alter table ${qualified} add primary key (${quoteIdent('id')});\n` };
  }
  return {
    title: `Add an identity primary key to ${table.schema}.${table.name}`,
    sql: `alter table ${qualified} add column id bigint generated always as identity primary key;\n`,
  };
}
