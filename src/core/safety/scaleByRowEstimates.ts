/**
 * With a database at hand, a lock or a rewrite is as costly as the table is large: the live
 * catalog's row estimates turn a safety warning on a small table into info, and say in every
 * safety finding how many rows the statement touches.
 */
import type { Catalog } from '../catalog/model';
import type { Finding } from '../finding';

/** Under this many rows, a lock or rewrite ends before anyone notices: its safety finding is info. */
export const SMALL_TABLE_ROWS = 10_000;

/**
 * The findings with each safety finding (`category: 'safety'`, whose `object` is the qualified
 * table) scaled by the table's row estimate in `live` (`pg_class.reltuples`, else the statistics'
 * live rows; a partitioned table's is its partitions' sum): under SMALL_TABLE_ROWS its level drops to info, and its message says how many rows
 * the table holds. Other findings, and tables without an estimate (new ones, never analysed), are
 * returned as they are.
 */
export function scaleByRowEstimates(findings: readonly Finding[], live: Catalog): Finding[] {
  return findings.map((finding) => {
    if (finding.category !== 'safety') return finding;
    const rows = estimatedRows(live, finding.object);
    if (rows === undefined) return finding;
    const small = rows < SMALL_TABLE_ROWS && finding.level !== 'info';
    const size = `${finding.object} holds ${describeRowCount(rows)} in the database`;
    return {
      ...finding,
      level: small ? 'info' : finding.level,
      message: `${finding.message} ${small ? `${size}, under ${SMALL_TABLE_ROWS.toLocaleString('en-US')}: reported as info, not ${finding.level}.` : `${size}.`}`,
    };
  });
}

/**
 * A table's row estimate: `reltuples`, else the statistics' live rows. A partitioned table holds
 * no rows of its own, so its estimate is the sum of its partitions' (undefined when one has none).
 */
function estimatedRows(live: Catalog, qualified: string, depth = 0): number | undefined {
  const table = live.tables.get(qualified);
  if (!table) return undefined;
  if (table.kind === 'partitioned' && depth < 8) {
    let sum = 0;
    for (const [name, candidate] of live.tables) {
      if (candidate.partitionOf !== qualified) continue;
      const rows = estimatedRows(live, name, depth + 1);
      if (rows === undefined) return undefined;
      sum += rows;
    }
    return sum;
  }
  return table.statistics?.estimatedRows ?? table.statistics?.liveRows;
}

/** `~340 rows`, `~12 k rows`, `~2.1 M rows`: an estimate, rounded as one. */
export function describeRowCount(rows: number): string {
  const rounded = Math.round(rows);
  if (rounded === 1) return '~1 row';
  if (rounded < 1000) return `~${rounded} rows`;
  const [divisor, unit] = rounded < 1e6 ? [1e3, 'k'] : rounded < 1e9 ? [1e6, 'M'] : [1e9, 'B'];
  const value = rounded / divisor;
  return `~${value < 10 ? Number(value.toFixed(1)) : Math.round(value)} ${unit} rows`;
}
