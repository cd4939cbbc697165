import { objectKey, type Catalog, type Table } from '../catalog/model';
import { quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';

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

/** Words that mark a copy wherever they stand in the name: `bookings_backup_2024`, `bak_profiles`. */
const COPY_WORDS = new Set(['backup', 'backups', 'bak']);
/** Words that mark a leftover only at either end of the name: `bookings_old`, `old_bookings`, `v1_posts`. */
const EDGE_WORDS = new Set(['old', 'copy', 'v1', 'deprecated', 'legacy']);
/**
 * Words that mark a scratch table only as a prefix: `tmp_import`, `temp_users`. As a suffix
 * `temp` is too often a temperature (`sensor_temp`), so only `_tmp` counts there.
 */
const PREFIX_WORDS = new Set(['tmp', 'temp']);
const SUFFIX_WORDS = new Set(['tmp']);

/**
 * Why the name or the origin of a table looks like a leftover, or undefined. `_archive` is left
 * out on purpose: archive tables are usually kept by design.
 */
function legacyReason(name: string, createdAsSelect: boolean): string | undefined {
  const words = name.toLowerCase().split('_').filter((word) => word !== '');
  // A trailing date or number (`bookings_backup_20240105`) does not hide the word before it.
  while (words.length > 1 && /^\d+$/.test(words[words.length - 1])) words.pop();
  const first = words[0];
  const last = words[words.length - 1];
  if (words.some((word) => COPY_WORDS.has(word))) return 'is named like a backup';
  if (words.length > 1 && (EDGE_WORDS.has(first) || EDGE_WORDS.has(last))) return 'is named like a leftover';
  if (words.length > 1 && (PREFIX_WORDS.has(first) || SUFFIX_WORDS.has(last))) return 'is named like a scratch table';
  if (createdAsSelect) return 'was created as a copy (CREATE TABLE ... AS)';
  return undefined;
}

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

/** The table a copy was taken from: its name without the leftover words, in the same schema. */
function liveTwinOf(catalog: Catalog, table: Table): Table | undefined {
  const words = table.name.toLowerCase().split('_').filter((word) => word !== '');
  while (words.length > 1 && /^\d+$/.test(words[words.length - 1])) words.pop();
  const leftover = (word: string) => COPY_WORDS.has(word) || EDGE_WORDS.has(word) || PREFIX_WORDS.has(word) || SUFFIX_WORDS.has(word);
  const twinName = words.filter((word) => !leftover(word)).join('_');
  const twin = twinName && twinName !== table.name ? catalog.tables.get(`${table.schema}.${twinName}`) : undefined;
  return twin ?? (table.createdFrom?.source ? catalog.tables.get(table.createdFrom.source) : undefined);
}
