import { objectKey, type StatisticsAge } from '../catalog/model';
import { quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';

/**
 * Zero scans mean "unused" only once the statistics have counted through a representative
 * period: right after a reset, or on a new database, every index shows zero. A week covers the
 * daily and weekly jobs (pghero advises waiting "a week or two" after a reset).
 */
export const UNUSED_INDEX_MIN_STATISTICS_DAYS = 7;

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
    const age = catalog.indexStatisticsAge;
    if (reports.length === 0 || !age || age.seconds >= UNUSED_INDEX_MIN_STATISTICS_DAYS * 86_400) return reports;
    // Too young to tell: one line that says so, in place of an "unused" for every index.
    return [
      {
        object: age.database,
        objectKey: objectKey.database(age.database),
        message:
          `${reports.length} ${reports.length === 1 ? 'index has' : 'indexes have'} never been scanned, but the statistics of database ${age.database} ` +
          `${describeAge(age)}: too young to call an index unused, so none is reported. unused_index judges indexes once the statistics are ` +
          `${UNUSED_INDEX_MIN_STATISTICS_DAYS} days old.`,
      },
    ];
  },
});

function describeAge(age: StatisticsAge): string {
  const howLong = describeDuration(age.seconds);
  return age.since === 'reset'
    ? `were reset ${howLong} ago (pg_stat_database.stats_reset)`
    : `were never reset and the server started ${howLong} ago, so they may count from then`;
}

function describeDuration(seconds: number): string {
  const [amount, unit] = seconds < 3_600 ? [Math.floor(seconds / 60), 'minute'] : seconds < 86_400 ? [Math.floor(seconds / 3_600), 'hour'] : [Math.floor(seconds / 86_400), 'day'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}
