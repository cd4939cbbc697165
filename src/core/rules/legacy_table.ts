import { objectKey, type Catalog, type Table } from '../catalog/model';
import { quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';
import { legacyReason, liveTwinOf } from './legacyTableName';

export default defineRule({
  id: 'legacy_table',
  name: 'Legacy Table',
  level: 'info',
  category: 'maintenance',
  needs: 'S',
  quotesDatabaseFacts: true,
  description: 'A table is named like a leftover (`*_backup`, `*_bak`, `*_old`, `*_copy`, `tmp_*`, `v1_*`) or was created as a copy with `CREATE TABLE ... AS`: a candidate for the cleanup migration.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) {
      if (table.platform || context.isManagedSchema(table.schema)) continue;
      const reason = legacyReason(table.name, table.createdFrom?.kind === 'as_select');
      if (!reason) continue;
      reports.push({
        object: qualified,
        objectKey: objectKey.table(qualified),
        message: `Table ${qualified} ${reason}: if nothing reads it any more, drop it in a cleanup migration.${describeRows(catalog, table)}`,
        span: table.origin.definedAt,
        suggestions: [{ title: `Drop ${qualified}`, sql: `drop table ${quoteQualified(table.schema, table.name)};\n` }],
      });
    }
    return reports;
  },
});

/**
 * What a live database says of the copy's rows, and of its live twin's (`bookings` for
 * `bookings_backup`): a copy that holds more rows than the table it copies may hold rows the live
 * table lost, so it is called out. Empty for a catalog without statistics (migrations).
 */
function describeRows(catalog: Catalog, table: Table): string {
  if (catalog.source !== 'database' || !table.statistics) return '';
  const rows = (counted: Table) => (counted.statistics?.estimatedRows === undefined ? 'an unknown number of rows (never analysed)' : `about ${counted.statistics.estimatedRows} ${counted.statistics.estimatedRows === 1 ? 'row' : 'rows'}`);
  const twin = liveTwinOf(catalog, table);
  const own = ` The database estimates ${rows(table)} in it`;
  if (!twin) return `${own}.`;
  const [copyRows, liveRows] = [table.statistics.estimatedRows, twin.statistics?.estimatedRows];
  const more = copyRows !== undefined && liveRows !== undefined && copyRows > liveRows
    ? `: it holds more rows than ${twin.schema}.${twin.name}, so rows may have been lost from the live table; compare them before dropping it`
    : '';
  return `${own}, and ${rows(twin)} in ${twin.schema}.${twin.name}${more}.`;
}
