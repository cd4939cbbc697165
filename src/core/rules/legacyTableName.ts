/** How a leftover table is named (`bookings_backup`, `v1_wallets`), and the live table it copies. */
import type { Catalog, Table } from '../catalog/model';

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
export function legacyReason(name: string, createdAsSelect: boolean): string | undefined {
  const words = nameWords(name);
  const first = words[0];
  const last = words[words.length - 1];
  if (words.some((word) => COPY_WORDS.has(word))) return 'is named like a backup';
  if (words.length > 1 && (EDGE_WORDS.has(first) || EDGE_WORDS.has(last))) return 'is named like a leftover';
  if (words.length > 1 && (PREFIX_WORDS.has(first) || SUFFIX_WORDS.has(last))) return 'is named like a scratch table';
  if (createdAsSelect) return 'was created as a copy (CREATE TABLE ... AS)';
  return undefined;
}

/** The table a copy was taken from: its name without the leftover words, in the same schema. */
export function liveTwinOf(catalog: Catalog, table: Table): Table | undefined {
  const words = nameWords(table.name);
  const leftover = (word: string) => COPY_WORDS.has(word) || EDGE_WORDS.has(word) || PREFIX_WORDS.has(word) || SUFFIX_WORDS.has(word);
  const twinName = words.filter((word) => !leftover(word)).join('_');
  const twin = twinName && twinName !== table.name ? catalog.tables.get(`${table.schema}.${twinName}`) : undefined;
  return twin ?? (table.createdFrom?.source ? catalog.tables.get(table.createdFrom.source) : undefined);
}

/** The words of a table name, lower case, without a trailing date or number (`bookings_backup_20240105`), which does not hide the word before it. */
function nameWords(name: string): string[] {
  const words = name.toLowerCase().split('_').filter((word) => word !== '');
  while (words.length > 1 && /^\d+$/.test(words[words.length - 1])) words.pop();
  return words;
}
