import { objectKey } from '../catalog/model';
import { quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';

/** Below this much wasted space a table is not worth a finding, whatever the ratio. */
const MINIMUM_BLOAT_BYTES = 1024 * 1024;
/** The share of the table's size that must be waste. */
const MINIMUM_BLOAT_RATIO = 0.5;

export default defineRule({
  id: 'table_bloat',
  name: 'Table Bloat',
  level: 'info',
  category: 'performance',
  needs: 'L',
  description: 'A table is estimated to be mostly dead space (deleted or updated row versions not yet reclaimed), which slows sequential scans and wastes disk.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) {
      if (table.platform || context.isManagedSchema(table.schema)) continue;
      const bloat = table.statistics?.bloatBytes;
      const size = table.statistics?.sizeBytes;
      if (bloat === undefined || size === undefined || size === 0) continue;
      if (bloat < MINIMUM_BLOAT_BYTES || bloat / size < MINIMUM_BLOAT_RATIO) continue;
      reports.push({
        object: qualified,
        objectKey: objectKey.table(qualified),
        message: `Table ${qualified} is about ${Math.round((bloat / size) * 100)}% bloat (${formatBytes(bloat)} of ${formatBytes(size)}); vacuum it and check that autovacuum keeps up.`,
        span: table.origin.definedAt,
        suggestions: [
          { title: `Vacuum ${qualified}`, sql: `vacuum (analyze) ${quoteQualified(table.schema, table.name)};\n` },
        ],
      });
    }
    return reports;
  },
});

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} kB`;
}
