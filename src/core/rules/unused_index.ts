import { objectKey } from '../catalog/model';
import { quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'unused_index',
  name: 'Unused Index',
  level: 'info',
  category: 'performance',
  needs: 'L',
  description: 'An index has never been used to read the table since statistics were last reset, yet every write still pays to maintain it.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) {
      if (table.platform || context.isManagedSchema(table.schema)) continue;
      const scans = table.statistics?.indexScans;
      // Without statistics (a catalog from migrations, or a role that cannot read
      // pg_stat_user_indexes) nothing is known, and the rule stays silent.
      if (!scans) continue;
      for (const index of table.indexes.values()) {
        // Unique and primary key indexes enforce a constraint even when no query reads them (splinter 0005).
        if (index.unique || index.primary || index.constraint) continue;
        if (scans.get(index.name) !== 0) continue;
        reports.push({
          object: `${table.schema}.${index.name}`,
          objectKey: objectKey.index(table.schema, index.name),
          message: `Index ${table.schema}.${index.name} on ${qualified} has never been scanned; drop it if no query needs it.`,
          span: index.origin.definedAt,
          suggestions: [{ title: `Drop the index ${table.schema}.${index.name}`, sql: `drop index concurrently ${quoteQualified(table.schema, index.name)};\n` }],
        });
      }
    }
    return reports;
  },
});
