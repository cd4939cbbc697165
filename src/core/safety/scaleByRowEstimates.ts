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
 * live rows): under SMALL_TABLE_ROWS its level drops to info, and its message says how many rows
 * the table holds. Other findings, and tables without an estimate (new ones, never analysed), are
 * returned as they are.
 */
export function scaleByRowEstimates(findings: readonly Finding[], live: Catalog): Finding[] {
  return findings.map((finding) => {
    if (finding.category !== 'safety') return finding;
    const statistics = live.tables.get(finding.object)?.statistics;
    const rows = statistics?.estimatedRows ?? statistics?.liveRows;
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

/** `~340 rows`, `~12 k rows`, `~2.1 M rows`: an estimate, rounded as one. */
export function describeRowCount(rows: number): string {
  const rounded = Math.round(rows);
  if (rounded === 1) return '~1 row';
  if (rounded < 1000) return `~${rounded} rows`;
  const [divisor, unit] = rounded < 1e6 ? [1e3, 'k'] : rounded < 1e9 ? [1e6, 'M'] : [1e9, 'B'];
  const value = rounded / divisor;
  return `~${value < 10 ? Number(value.toFixed(1)) : Math.round(value)} ${unit} rows`;
}
