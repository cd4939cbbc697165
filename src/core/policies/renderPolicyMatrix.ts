/**
 * The policy matrix as text (a terminal table per table, then the predicates and flags), JSON (the
 * matrix as data, versioned) and Markdown (one table per table, for a pull request comment).
 */
import type { MatrixCommand, PolicyAccess, PolicyMatrix, PolicyMatrixCell, PolicyMatrixRow } from './computePolicyMatrix';

/** Short labels for the grid, so that four commands fit on a terminal line per role. */
const ACCESS_LABEL: Record<PolicyAccess, string> = {
  'no grant': 'no grant',
  bypass: 'bypass',
  open: 'OPEN',
  filtered: 'filtered',
  blocked: 'blocked',
};

/** Renders the matrix for a terminal: a grid per table, then each filtered cell's predicate and each flag. */
export function renderPolicyMatrixText(matrix: PolicyMatrix): string {
  if (matrix.rows.length === 0) return 'No tables in the exposed schemas.\n';
  const out: string[] = [];
  const roleWidth = Math.max(4, ...matrix.roles.map((role) => role.length));
  const columnWidth = 10;
  for (const row of matrix.rows) {
    out.push(`${row.table}  (${describeMatrixRowRls(row)})`);
    out.push(`  ${'role'.padEnd(roleWidth)}  ${matrix.commands.map((command) => command.padEnd(columnWidth)).join('')}`.trimEnd());
    for (const role of matrix.roles) {
      const labels = matrix.commands.map((command) => {
        const cell = findCell(row, role, command);
        const label = cell ? `${ACCESS_LABEL[cell.access]}${cell.flags.length > 0 ? '!' : ''}` : '-';
        return label.padEnd(columnWidth);
      });
      out.push(`  ${role.padEnd(roleWidth)}  ${labels.join('')}`.trimEnd());
    }
    for (const cell of row.cells) {
      if (cell.access === 'filtered') {
        out.push(`  ${cell.role} ${cell.command}: ${collapseWhitespace(describePredicate(cell))}  [${cell.policies.map((policy) => policy.name).join(', ')}]`);
      }
      for (const flag of cell.flags) out.push(`  ! ${flag.id}: ${flag.message}`);
    }
    out.push('');
  }
  out.push(describeMatrixSummary(matrix));
  return `${out.join('\n')}\n`;
}

/** Renders the matrix as JSON: `{ version: 1, roles, commands, tables: [{ table, cells }] }`. */
export function renderPolicyMatrixJson(matrix: PolicyMatrix): string {
  return `${JSON.stringify({ version: 1, roles: matrix.roles, commands: matrix.commands, tables: matrix.rows }, null, 2)}\n`;
}

/** Renders the matrix as GitHub-flavoured Markdown: one table per database table, predicates and flags below it. */
export function renderPolicyMatrixMarkdown(matrix: PolicyMatrix, options: { title?: string } = {}): string {
  const out: string[] = [`## ${options.title ?? 'pgreview policy matrix'}`, '', `**${describeMatrixSummary(matrix)}**`, ''];
  for (const row of matrix.rows) {
    out.push(`### \`${row.table}\` (${describeMatrixRowRls(row)})`, '');
    out.push(`| role | ${matrix.commands.join(' | ')} |`, `| --- | ${matrix.commands.map(() => '---').join(' | ')} |`);
    for (const role of matrix.roles) {
      const labels = matrix.commands.map((command) => {
        const cell = findCell(row, role, command);
        if (!cell) return '-';
        const label = cell.access === 'open' ? '**open**' : cell.access;
        return cell.flags.length > 0 ? `${label} ⚠️` : label;
      });
      out.push(`| ${role} | ${labels.join(' | ')} |`);
    }
    const details = row.cells.filter((cell) => cell.access === 'filtered' || cell.flags.length > 0);
    if (details.length > 0) out.push('');
    for (const cell of details) {
      if (cell.access === 'filtered') {
        out.push(`- ${cell.role} ${cell.command}: \`${escapeBackticks(describePredicate(cell))}\` (${cell.policies.map((policy) => `"${policy.name}"`).join(', ')})`);
      }
      for (const flag of cell.flags) out.push(`- ⚠️ \`${flag.id}\`: ${flag.message}`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** One line with the counts: tables, cells per access, flags. */
export function describeMatrixSummary(matrix: PolicyMatrix): string {
  const counts = new Map<PolicyAccess, number>();
  let flags = 0;
  for (const row of matrix.rows) {
    for (const cell of row.cells) {
      counts.set(cell.access, (counts.get(cell.access) ?? 0) + 1);
      flags += cell.flags.length;
    }
  }
  const order: PolicyAccess[] = ['open', 'filtered', 'blocked', 'bypass', 'no grant'];
  const parts = order.filter((access) => counts.has(access)).map((access) => `${counts.get(access)} ${access}`);
  const tables = `${matrix.rows.length} ${matrix.rows.length === 1 ? 'table' : 'tables'} × ${matrix.roles.length} ${matrix.roles.length === 1 ? 'role' : 'roles'}`;
  return `${tables}: ${parts.join(', ') || 'no cells'}; ${flags} ${flags === 1 ? 'flag' : 'flags'}.`;
}

/**
 * A row's RLS state in words, for every front end: `RLS on`, `RLS on, forced`, `RLS off`, or for a
 * materialized view, which PostgreSQL never filters, who reads it.
 */
export function describeMatrixRowRls(row: Pick<PolicyMatrixRow, 'kind' | 'rlsEnabled' | 'rlsForced'>): string {
  if (row.kind === 'materialized_view') return 'materialized view, no RLS: open to every role that may SELECT it';
  if (!row.rlsEnabled) return 'RLS off';
  return row.rlsForced ? 'RLS on, forced' : 'RLS on';
}

function describePredicate(cell: PolicyMatrixCell): string {
  if (cell.command === 'insert') return `WITH CHECK ${cell.withCheck ?? 'true'}`;
  if (cell.command === 'update') {
    return `USING ${cell.using ?? 'true'} WITH CHECK ${cell.withCheck ?? 'true'}`;
  }
  return `USING ${cell.using ?? 'true'}`;
}

function findCell(row: PolicyMatrixRow, role: string, command: MatrixCommand): PolicyMatrixCell | undefined {
  return row.cells.find((cell) => cell.role === role && cell.command === command);
}

function escapeBackticks(text: string): string {
  return collapseWhitespace(text.replace(/`/g, "'"));
}

/** Policies spread over several lines read better on one line in a grid's notes. */
function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}
