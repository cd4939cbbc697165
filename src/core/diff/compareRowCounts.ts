/**
 * The estimated rows of the tables two databases both have, side by side (`diff --from --to`),
 * with a note where a leftover copy (`bookings_backup`, `v1_wallets`) holds more rows than the
 * live table it copies: rows the live table may have lost.
 */
import type { Catalog, Table } from '../catalog/model';
import { legacyReason, liveTwinOf } from '../rules/legacyTableName';

/** One table both databases have. */
export interface RowCountComparison {
  /** The qualified name, `public.bookings`. */
  table: string;
  /** The planner's estimate in each database; undefined when it was never analysed there. */
  from?: number;
  to?: number;
  /** Says which database holds a copy with more rows than its live twin; absent otherwise. */
  note?: string;
}

/**
 * Compares the estimated rows of the tables `from` and `to` both have, in name order, the
 * platform's and managed schemas' tables left out.
 */
export function compareRowCounts(from: Catalog, to: Catalog, isManagedSchema: (schema: string) => boolean, labels: { from: string; to: string }): RowCountComparison[] {
  const rows: RowCountComparison[] = [];
  for (const [qualified, fromTable] of [...from.tables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const toTable = to.tables.get(qualified);
    if (!toTable || fromTable.platform || isManagedSchema(fromTable.schema)) continue;
    const notes = [copyNote(from, fromTable, labels.from), copyNote(to, toTable, labels.to)].filter((note): note is string => note !== undefined);
    rows.push({ table: qualified, from: fromTable.statistics?.estimatedRows, to: toTable.statistics?.estimatedRows, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) });
  }
  return rows;
}

/** The comparison as an aligned text table, a header naming both databases; empty without rows. */
export function renderRowCountsText(rows: readonly RowCountComparison[], labels: { from: string; to: string }): string {
  if (rows.length === 0) return '';
  const count = (value: number | undefined) => (value === undefined ? 'unknown' : String(value));
  const lines: string[][] = [['table', labels.from, labels.to], ...rows.map((row) => [row.table, count(row.from), count(row.to)])];
  const widths = [0, 1, 2].map((column) => Math.max(...lines.map((line) => line[column].length)));
  const text = lines.map((line, index) => {
    const cells = `${line[0].padEnd(widths[0])}  ${line[1].padStart(widths[1])}  ${line[2].padStart(widths[2])}`;
    const note = index > 0 ? rows[index - 1].note : undefined;
    return `  ${note ? `${cells}  ← ${note}` : cells.trimEnd()}`;
  });
  return `Estimated rows of the tables both databases have (unknown: never analysed):\n${text.join('\n')}\n`;
}

/** "more rows than public.bookings in <database>", when the table is a leftover copy that outgrew its twin there. */
function copyNote(catalog: Catalog, table: Table, label: string): string | undefined {
  if (!legacyReason(table.name, table.createdFrom?.kind === 'as_select')) return undefined;
  const twin = liveTwinOf(catalog, table);
  const [copyRows, twinRows] = [table.statistics?.estimatedRows, twin?.statistics?.estimatedRows];
  if (!twin || copyRows === undefined || twinRows === undefined || copyRows <= twinRows) return undefined;
  return `more rows than ${twin.schema}.${twin.name} in ${label} (${copyRows} against ${twinRows})`;
}
