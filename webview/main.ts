/**
 * The report panel's page: tabs built with @vscode-elements/elements. It renders what the
 * extension posts (`HostMessage`) and asks the extension to navigate (`WebviewMessage`); it keeps
 * the last report and tab in `setState` so the panel survives being hidden.
 */
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { DriftChange, DriftData, DriftHistory, DriftStatus, HostMessage, MatrixAccess, MatrixCell, MatrixPolicy, PanelTab, PolicyMatrixData, ReportData, ReportFinding, ReportStatementLocks, SimulationData, WebviewMessage } from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PageState | undefined;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PageState {
  report?: ReportData;
  diff?: DriftData;
  tab: PanelTab;
  grouping: 'rule' | 'table';
  /** Diff filters: a status and a change type, or `all`. */
  statusFilter?: DriftStatus | 'all';
  typeFilter?: string;
  /** Ids of the changes picked for the alignment migration. */
  picked?: number[];
  matrix?: PolicyMatrixData;
  /** The matrix cell whose details are shown: `table|role|command`. */
  selectedCell?: string;
  /** Show only the cells flagged as usual mistakes (the others are dimmed). */
  onlyFlagged?: boolean;
  simulation?: SimulationData;
}

const STATUS_LABELS: Record<DriftStatus, string> = {
  missing_in_database: 'missing in database',
  extra_in_database: 'extra in database',
  changed: 'changed',
};

const TABS: { id: PanelTab; title: string }[] = [
  { id: 'report', title: 'Report' },
  { id: 'diff', title: 'Diff' },
  { id: 'inventory', title: 'Inventory' },
  { id: 'policies', title: 'Policy Matrix' },
  { id: 'simulation', title: 'Simulation' },
];

const ACCESS_LABELS: Record<MatrixAccess, string> = {
  'no grant': 'no grant',
  bypass: 'bypass',
  open: 'open',
  filtered: 'filtered',
  blocked: 'blocked',
};

const ACCESS_MEANINGS: Record<MatrixAccess, string> = {
  'no grant': 'the role lacks the table privilege',
  bypass: 'the role bypasses RLS (BYPASSRLS, or owns the table without FORCE)',
  open: 'RLS is off, or the policies allow every row',
  filtered: 'rows are limited by the combined predicate',
  blocked: 'RLS is on and no policy applies: no row passes',
};

const vscode = acquireVsCodeApi();
let state: PageState = vscode.getState() ?? { tab: 'report', grouping: 'rule' };

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'report':
      state = { ...state, report: message.report };
      break;
    case 'showTab':
      state = { ...state, tab: message.tab };
      break;
    case 'diff':
      // A new diff renumbers the changes: earlier picks no longer mean anything.
      state = { ...state, diff: message.diff, picked: [] };
      break;
    case 'policyMatrix':
      // Another folder's matrix has other tables: a picked cell no longer means anything.
      state = { ...state, matrix: message.matrix, ...(message.matrix?.folder !== state.matrix?.folder ? { selectedCell: undefined } : {}) };
      break;
    case 'simulation':
      state = { ...state, simulation: message.simulation };
      break;
  }
  vscode.setState(state);
  render();
});

render();
vscode.postMessage({ type: 'ready' });

function render(): void {
  const app = document.getElementById('app')!;
  app.replaceChildren();
  const tabs = element('vscode-tabs', { 'selected-index': String(TABS.findIndex((tab) => tab.id === state.tab)) });
  for (const tab of TABS) {
    const header = element('vscode-tab-header', { slot: 'header', id: `tab-${tab.id}` }, tab.title);
    if (tab.id === 'report' && state.report) {
      header.append(element('vscode-badge', { variant: 'counter', slot: 'content-after' }, String(state.report.findings.length)));
    }
    if (tab.id === 'diff' && state.diff) {
      header.append(element('vscode-badge', { variant: 'counter', slot: 'content-after' }, String(state.diff.changes.length)));
    }
    const flagged = state.matrix ? countFlagged(state.matrix) : 0;
    if (tab.id === 'policies' && flagged > 0) {
      header.append(element('vscode-badge', { variant: 'counter', slot: 'content-after', title: `${flagged} cells flagged as usual mistakes` }, String(flagged)));
    }
    tabs.append(header);
  }
  tabs.append(panel(renderReport()), panel(renderDiff()), panel(renderInventory()), panel(renderPolicyMatrix()), panel(renderSimulation()));
  tabs.addEventListener('vsc-tabs-select', (event) => {
    const index = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    state = { ...state, tab: TABS[index]?.id ?? 'report' };
    vscode.setState(state);
    vscode.postMessage({ type: 'tabChanged', tab: state.tab });
  });
  app.append(tabs);
  const { report, diff, matrix, simulation } = state;
  vscode.postMessage({
    type: 'rendered',
    tab: state.tab,
    ...(report ? { report: { folder: report.folder, findings: report.findings.length, locks: report.locks.length } } : {}),
    ...(diff ? { diff: { folder: diff.folder, changes: diff.changes.length, inventoryTables: diff.inventory.migrationTables.length, history: historyRowCount(diff.history) } } : {}),
    ...(matrix ? { matrix: { folder: matrix.folder, rows: matrix.rows.length } } : {}),
    ...(simulation ? { simulation: { folder: simulation.folder, rows: simulation.rows.length } } : {}),
  });
}

function renderPolicyMatrix(): HTMLElement {
  const container = element('div', { id: 'policy-matrix' });
  const matrix = state.matrix;
  if (!matrix) {
    container.append(placeholder('Run pgreview: Show Policy Matrix to see, for every exposed table, what each role may select, insert, update and delete.'));
    return container;
  }
  const cells = matrix.rows.flatMap((row) => row.cells);
  const flagged = countFlagged(matrix);
  const counts = new Map<MatrixAccess, number>();
  for (const cell of cells) counts.set(cell.access, (counts.get(cell.access) ?? 0) + 1);
  const summary = element('p', { class: 'summary' });
  summary.append(element('span', {}, `${matrix.folder ? `${matrix.folder} · ` : ''}${matrix.rows.length} tables × ${matrix.roles.length} roles, from ${matrix.source.kind === 'database' ? `the database ${matrix.source.profile}` : 'the migrations'}`));
  for (const access of Object.keys(ACCESS_LABELS) as MatrixAccess[]) {
    if (counts.get(access)) summary.append(element('span', { class: `access-${cssName(access)}`, title: ACCESS_MEANINGS[access] }, `${counts.get(access)} ${ACCESS_LABELS[access]}`));
  }
  summary.append(element('span', { class: flagged > 0 ? 'flag-text' : 'muted' }, `${flagged} flagged`));
  container.append(summary);
  if (matrix.rows.length === 0) {
    container.append(placeholder('No table in the schemas the API exposes.'));
    return container;
  }
  const filters = element('div', { class: 'filters' });
  const onlyFlagged = element('vscode-checkbox', { label: 'Highlight only the flagged cells', ...(state.onlyFlagged ? { checked: '' } : {}) }) as HTMLElement & { checked: boolean };
  onlyFlagged.addEventListener('change', () => {
    state = { ...state, onlyFlagged: onlyFlagged.checked };
    vscode.setState(state);
    render();
  });
  filters.append(onlyFlagged, element('span', { class: 'muted' }, 'Arrow keys move between cells; Enter shows the predicate and the policies.'));
  container.append(filters);

  const table = element('table', { class: 'matrix', role: 'grid', 'aria-label': 'Policy matrix: tables by role and command' });
  const roleHeader = element('tr', {});
  roleHeader.append(element('th', { scope: 'col', rowspan: '2', class: 'table-name' }, 'Table'));
  for (const role of matrix.roles) roleHeader.append(element('th', { scope: 'colgroup', colspan: String(matrix.commands.length), class: 'role' }, role));
  const commandHeader = element('tr', {});
  for (const role of matrix.roles) {
    matrix.commands.forEach((command, index) => commandHeader.append(element('th', { scope: 'col', class: `command${index === 0 ? ' role-start' : ''}`, title: `${role} ${command}` }, command)));
  }
  const head = element('thead', {});
  head.append(roleHeader, commandHeader);
  table.append(head);
  const body = element('tbody', {});
  // Until the user picks a cell, the details show the first usual mistake, which is what to read first.
  const ids = matrix.rows.flatMap((row) => row.cells.map((cell) => ({ id: cellId(row.table, cell), flagged: cell.flags.length > 0 })));
  const selected = ids.find((candidate) => candidate.id === state.selectedCell)?.id ?? ids.find((candidate) => candidate.flagged)?.id ?? ids[0].id;
  matrix.rows.forEach((row, rowIndex) => {
    const tr = element('tr', { 'data-table': row.table, 'data-kind': row.kind });
    const name = element('th', { scope: 'row', class: 'table-name', title: row.rls }, row.table);
    if (row.kind === 'materialized_view' || !row.rlsEnabled) name.append(element('span', { class: 'muted rls-note' }, ` (${row.rls})`));
    tr.append(name);
    row.cells.forEach((cell, columnIndex) => tr.append(matrixCell(row.table, cell, rowIndex, columnIndex, selected)));
    body.append(tr);
  });
  table.append(body);
  const scroller = element('div', { class: 'matrix-scroller' });
  scroller.append(table);
  container.append(scroller);
  container.append(cellDetails(matrix, selected));
  const materializedViews = container.querySelectorAll('tr[data-kind="materialized_view"] .rls-note').length;
  vscode.postMessage({ type: 'matrixRendered', rows: matrix.rows.length, cells: cells.length, flagged, materializedViews });
  return container;
}

function matrixCell(tableName: string, cell: MatrixCell, rowIndex: number, columnIndex: number, selected: string): HTMLElement {
  const id = cellId(tableName, cell);
  const flagged = cell.flags.length > 0;
  const dimmed = state.onlyFlagged && !flagged;
  const classes = ['cell', `access-${cssName(cell.access)}`, flagged ? 'flagged' : '', dimmed ? 'dimmed' : '', columnIndex % 4 === 0 ? 'role-start' : '', id === selected ? 'selected' : ''].filter(Boolean);
  const predicate = [cell.using ? `USING ${cell.using}` : '', cell.withCheck ? `WITH CHECK ${cell.withCheck}` : ''].filter(Boolean).join('\n');
  const tooltip = [`${tableName} · ${cell.role} · ${cell.command}: ${cell.access}`, cell.reason, predicate, ...cell.flags.map((flag) => `⚠ ${flag}`),
    cell.policies.length > 0 ? `Policies: ${cell.policies.map((policy) => policy.name).join(', ')}` : ''].filter(Boolean).join('\n');
  const td = element('td', {
    class: classes.join(' '),
    role: 'gridcell',
    tabindex: id === selected ? '0' : '-1',
    title: tooltip,
    'aria-label': `${tableName}, ${cell.role}, ${cell.command}: ${cell.access}${flagged ? ', flagged' : ''}`,
    'aria-selected': id === selected ? 'true' : 'false',
    'data-cell': id,
    'data-row': String(rowIndex),
    'data-column': String(columnIndex),
  }, `${flagged ? '⚠ ' : ''}${ACCESS_LABELS[cell.access]}`);
  const select = (): void => {
    state = { ...state, selectedCell: id };
    vscode.setState(state);
    render();
    focusCell(rowIndex, columnIndex);
  };
  td.addEventListener('click', select);
  td.addEventListener('keydown', (event) => {
    const moves: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select();
    } else if (moves[event.key]) {
      event.preventDefault();
      const [rowMove, columnMove] = moves[event.key];
      const next = document.querySelector<HTMLElement>(`td[data-row="${rowIndex + rowMove}"][data-column="${columnIndex + columnMove}"]`);
      if (next) {
        td.setAttribute('tabindex', '-1');
        next.setAttribute('tabindex', '0');
        next.focus();
      }
    }
  });
  return td;
}

function focusCell(rowIndex: number, columnIndex: number): void {
  document.querySelector<HTMLElement>(`td[data-row="${rowIndex}"][data-column="${columnIndex}"]`)?.focus();
}

function cellDetails(matrix: PolicyMatrixData, selected: string): HTMLElement {
  const details = element('section', { class: 'cell-details', 'aria-live': 'polite', id: 'cell-details' });
  const row = matrix.rows.find((candidate) => candidate.cells.some((cell) => cellId(candidate.table, cell) === selected));
  const cell = row?.cells.find((candidate) => cellId(row.table, candidate) === selected);
  if (!row || !cell) return details;
  details.append(element('h3', {}, '', `${row.table} · ${cell.role} · ${cell.command}: `, element('span', { class: `access-${cssName(cell.access)}` }, cell.access)));
  details.append(element('p', {}, cell.reason));
  for (const flag of cell.flags) details.append(element('p', { class: 'flag-text' }, `⚠ ${flag}`));
  if (cell.using) details.append(element('div', { class: 'predicate' }, '', element('span', { class: 'muted' }, 'USING (rows it can see or change)'), element('pre', {}, cell.using)));
  if (cell.withCheck) details.append(element('div', { class: 'predicate' }, '', element('span', { class: 'muted' }, 'WITH CHECK (new rows)'), element('pre', {}, cell.withCheck)));
  if (cell.policies.length > 0) {
    details.append(element('span', { class: 'muted' }, 'Policies that produce this cell'));
    details.append(policyList(cell.policies));
  }
  return details;
}

function policyList(policies: MatrixPolicy[]): HTMLElement {
  const list = element('ul', { class: 'policies' });
  for (const policy of policies) {
    const item = element('li', {});
    const kind = `${policy.permissive ? 'permissive' : 'restrictive'}, for ${policy.command}`;
    if (policy.hasLocation) {
      const link = element('a', { href: '#', 'data-policy': policy.key, title: 'Go to the CREATE POLICY statement' }, `"${policy.name}"`);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        vscode.postMessage({ type: 'goToPolicy', key: policy.key });
      });
      item.append(link);
    } else {
      item.append(element('span', {}, `"${policy.name}"`));
    }
    item.append(element('span', { class: 'muted' }, ` (${kind})`));
    list.append(item);
  }
  return list;
}

function renderSimulation(): HTMLElement {
  const container = element('div', { id: 'simulation' });
  const simulation = state.simulation;
  if (!simulation) {
    container.append(placeholder('Put the cursor in a statement of a .sql file and run pgreview: Run Statement as Role… to see what RLS lets a role do.'));
    return container;
  }
  const sub = typeof simulation.claims.sub === 'string' ? `, sub ${simulation.claims.sub}` : '';
  const summary = element('p', { class: 'summary' });
  summary.append(element('span', {}, `${simulation.folder ? `${simulation.folder} · ` : ''}Ran as ${simulation.role} (${simulation.identity}${sub}) on ${simulation.target}`),
    element('span', {}, `rolled back`), element('span', {}, `${simulation.elapsedMs} ms`), element('span', { class: 'muted' }, new Date(simulation.ranAt).toLocaleTimeString()));
  container.append(summary, element('pre', { class: 'statement' }, simulation.sql));
  if (simulation.error) {
    container.append(element('div', { class: 'simulation-error', role: 'alert' }, `ERROR: ${simulation.error.message} (SQLSTATE ${simulation.error.code})`));
  } else if (simulation.columns.length > 0) {
    const shown = simulation.rows.slice(0, 500);
    container.append(element('p', {}, `${simulation.rowCount} ${simulation.rowCount === 1 ? 'row' : 'rows'}${shown.length < simulation.rows.length ? ` (the first ${shown.length} shown)` : ''}`));
    const table = element('table', { class: 'rows', 'aria-label': 'Rows the statement returned' });
    const header = element('tr', {});
    for (const column of simulation.columns) header.append(element('th', { scope: 'col' }, column));
    const head = element('thead', {});
    head.append(header);
    const body = element('tbody', {});
    for (const row of shown) {
      const tr = element('tr', {});
      for (const column of simulation.columns) tr.append(element('td', { class: row[column] === null ? 'muted' : '' }, row[column] ?? 'NULL'));
      body.append(tr);
    }
    table.append(head, body);
    const scroller = element('div', { class: 'matrix-scroller' });
    scroller.append(table);
    container.append(scroller);
  } else {
    container.append(element('p', {}, `${simulation.kind.toUpperCase()}: ${simulation.rowCount} ${simulation.rowCount === 1 ? 'row' : 'rows'}`));
  }
  if (simulation.policies.length > 0) {
    container.append(element('h3', {}, 'Row level security'));
    for (const applied of simulation.policies) {
      const section = element('div', { class: 'applied' });
      section.append(element('span', {}, `${applied.table} ${applied.command}: `), element('span', { class: `access-${cssName(applied.access)}` }, applied.access),
        element('span', { class: 'muted' }, `: ${ACCESS_MEANINGS[applied.access]}`));
      if (applied.predicate && applied.access === 'filtered') section.append(element('pre', {}, applied.predicate));
      if (applied.policies.length > 0) section.append(policyList(applied.policies));
      container.append(section);
    }
  }
  vscode.postMessage({ type: 'simulationRendered', rows: simulation.rows.length, error: simulation.error?.message });
  return container;
}

function countFlagged(matrix: PolicyMatrixData): number {
  return matrix.rows.reduce((sum, row) => sum + row.cells.filter((cell) => cell.flags.length > 0).length, 0);
}

function cellId(table: string, cell: MatrixCell): string {
  return `${table}|${cell.role}|${cell.command}`;
}

function cssName(access: MatrixAccess): string {
  return access.replace(' ', '-');
}

function renderReport(): HTMLElement {
  const container = element('div', { id: 'report' });
  const report = state.report;
  if (!report) {
    container.append(placeholder('No analysis yet.'));
    return container;
  }
  const summary = element('div', { class: 'counts' });
  summary.append(
    element('span', {}, `${report.folder ? `${report.folder} · ` : ''}${report.migrationCount} migration files · ${report.tableCount} tables · ${report.source.kind === 'offline' ? 'offline' : `connected to ${report.source.profile}`}`),
    countBadge('error', report.counts.error), countBadge('warning', report.counts.warning), countBadge('info', report.counts.info),
  );
  const grouping = element('vscode-single-select', { 'aria-label': 'Group findings' }) as HTMLElement & { value: string };
  grouping.append(element('vscode-option', { value: 'rule', ...(state.grouping === 'rule' ? { selected: '' } : {}) }, 'By rule'),
    element('vscode-option', { value: 'table', ...(state.grouping === 'table' ? { selected: '' } : {}) }, 'By table'));
  grouping.addEventListener('change', () => {
    state = { ...state, grouping: grouping.value === 'table' ? 'table' : 'rule' };
    vscode.setState(state);
    render();
  });
  summary.append(grouping);
  container.append(summary);
  if (report.findings.length === 0) container.append(placeholder('No findings. The migrations pass every enabled rule.'));
  else container.append(...findingSections(report));
  if (report.locks.length > 0) container.append(locksSection(report.locks, report.locksOmitted));
  return container;
}

/** The findings, one collapsible section per rule or per table. */
function findingSections(report: ReportData): HTMLElement[] {
  const sections: HTMLElement[] = [];
  const groups = new Map<string, ReportFinding[]>();
  for (const finding of report.findings) {
    const key = state.grouping === 'rule' ? finding.rule : finding.table ?? finding.object;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  for (const [key, findings] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const rule = report.rules.find((candidate) => candidate.id === key);
    const section = element('vscode-collapsible', { heading: `${key} (${findings.length})`, open: '', 'data-group': key });
    if (rule && state.grouping === 'rule') {
      const docs = element('a', { href: '#', class: 'muted' }, `${rule.name}: ${rule.description}`);
      docs.addEventListener('click', (event) => {
        event.preventDefault();
        vscode.postMessage({ type: 'openRuleDocumentation', rule: rule.id });
      });
      section.append(element('p', {}, '', docs));
    }
    const list = element('ul', { role: 'list' });
    for (const finding of findings) list.append(findingRow(finding));
    section.append(list);
    sections.push(section);
  }
  return sections;
}

/** "Locks": each statement of the pending migrations, with the lock it takes on each table and whether it reads or rewrites it. */
function locksSection(statements: ReportStatementLocks[], omitted: number): HTMLElement {
  const section = element('vscode-collapsible', { heading: `Locks (${statements.length + omitted} statements of pending migrations)`, open: '', 'data-group': 'locks' });
  if (omitted > 0) section.append(placeholder(`The ${omitted} earliest are left out; the newest ${statements.length} follow.`));
  const list = element('ul', { role: 'list', class: 'locks' });
  for (const statement of statements) {
    const where = `${statement.file}:${statement.line}`;
    const row = element('li', { class: 'finding', tabindex: '0', title: `Go to ${where}` }, '', element('code', {}, statement.statement), ' ', element('span', { class: 'muted' }, where));
    const locks = element('ul', { role: 'list' });
    for (const lock of statement.locks) {
      const work = lock.work === 'rewrite' ? '; rewrites the table' : lock.work === 'scan' ? '; reads every row' : '';
      locks.append(element('li', { 'data-mode': lock.mode }, `${lock.mode} on ${lock.table}: ${lock.blocks}${work}`));
    }
    row.append(locks);
    onActivate(row, () => vscode.postMessage({ type: 'goToFinding', file: statement.file, line: statement.line, column: statement.column }));
    list.append(row);
  }
  section.append(list);
  return section;
}

function renderDiff(): HTMLElement {
  const container = element('div', { id: 'diff' });
  const diff = state.diff;
  if (!diff) {
    container.append(placeholder('Connect to a database (pgreview: Connect to Database…), then run pgreview: Show Schema Diff to compare it with the migrations.'));
    return container;
  }
  const count = (status: DriftStatus): number => diff.changes.filter((change) => change.status === status).length;
  const picked = new Set(state.picked ?? []);
  const summary = element('p', { class: 'summary' });
  summary.append(element('span', {}, `${diff.target} (${diff.profile})${diff.folder ? ` against the migrations of ${diff.folder}` : ''}, compared ${new Date(diff.comparedAt).toLocaleTimeString()} in ${diff.durationMs} ms: ${diff.changes.length} differences`),
    element('span', { class: 'status-missing_in_database' }, `${count('missing_in_database')} missing in database`),
    element('span', { class: 'status-extra_in_database' }, `${count('extra_in_database')} extra in database`),
    element('span', { class: 'status-changed' }, `${count('changed')} changed`));
  container.append(summary);
  if (diff.history && historyRowCount(diff.history) > 0) container.append(historySection(diff.history));
  if (diff.changes.length === 0) {
    container.append(placeholder('No differences: the database matches the migrations.'));
    return container;
  }

  const filters = element('div', { class: 'filters' });
  const statusSelect = select('Filter by status', [['all', 'All statuses'], ...Object.entries(STATUS_LABELS)], state.statusFilter ?? 'all');
  statusSelect.addEventListener('change', () => {
    state = { ...state, statusFilter: statusSelect.value as DriftStatus | 'all' };
    vscode.setState(state);
    render();
  });
  const types = [...new Set(diff.changes.map((change) => change.type))].sort();
  const typeSelect = select('Filter by type', [['all', 'All types'], ...types.map((type): [string, string] => [type, type])], state.typeFilter ?? 'all');
  typeSelect.addEventListener('change', () => {
    state = { ...state, typeFilter: typeSelect.value };
    vscode.setState(state);
    render();
  });
  const generate = element('vscode-button', { id: 'generate-alignment' }, picked.size > 0 ? `Generate alignment migration (${picked.size} picked)` : 'Generate alignment migration (all)');
  generate.addEventListener('click', () => vscode.postMessage({ type: 'generateAlignment', ids: [...picked] }));
  filters.append(element('span', {}, 'Status'), statusSelect, element('span', {}, 'Type'), typeSelect, generate);
  container.append(filters);

  const shown = diff.changes.filter((change) => (state.statusFilter ?? 'all') === 'all' || change.status === state.statusFilter)
    .filter((change) => (state.typeFilter ?? 'all') === 'all' || change.type === state.typeFilter);
  const groups = new Map<string, DriftChange[]>();
  for (const change of shown) groups.set(change.group, [...(groups.get(change.group) ?? []), change]);
  for (const [group, changes] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const section = element('vscode-collapsible', { heading: `${group} (${changes.length})`, open: '', 'data-group': group });
    const table = element('div', { role: 'table', 'aria-label': `Differences of ${group}` });
    const header = element('div', { class: 'change header', role: 'row' });
    for (const title of ['Status', 'Type', 'Object', 'Migrations', 'Database', '']) header.append(element('span', { role: 'columnheader' }, title));
    table.append(header);
    for (const change of changes) {
      table.append(changeRow(change, picked));
      if (change.unifiedDiff) table.append(unifiedDiffBlock(change.object, change.unifiedDiff));
    }
    section.append(table);
    container.append(section);
  }
  if (diff.shadowErrors.length > 0) {
    const errors = element('vscode-collapsible', { heading: `Statements that failed on the fresh shadow database (${diff.shadowErrors.length})` });
    const list = element('ul', {});
    for (const error of diff.shadowErrors) list.append(element('li', {}, `${error.file ? `${error.file}:${error.line}: ` : ''}${error.message}`));
    errors.append(list);
    container.append(errors);
  }
  vscode.postMessage({ type: 'diffRendered', rows: shown.length, groups: groups.size, unifiedDiffs: container.querySelectorAll('pre.unified-diff').length });
  return container;
}

/** The migration-history section: pending, changed after applied, applied but file missing; the files open on a click. */
function historySection(history: DriftHistory): HTMLElement {
  const section = element('vscode-collapsible', { heading: `Migration history (${history.table}): ${history.pending.length} pending, ${history.changed.length} changed after applied, ${history.missing.length} applied but file missing`, open: '', id: 'migration-history' });
  const list = element('ul', {});
  const fileRow = (status: string, file: { file: string; note: string | null }): HTMLElement => {
    const row = element('li', { class: 'finding', tabindex: '0', role: 'link', 'data-history': status }, `${status}: ${file.file}${file.note ? ` (${file.note})` : ''}`);
    onActivate(row, () => vscode.postMessage({ type: 'goToStatement', file: file.file, line: 1 }));
    return row;
  };
  list.append(
    ...history.pending.map((file) => fileRow('pending', file)),
    ...history.changed.map((file) => fileRow('changed after applied', file)),
    ...history.missing.map((entry) => element('li', { 'data-history': 'applied, file missing' }, `applied, file missing: ${entry}`)),
  );
  section.append(list);
  return section;
}

function historyRowCount(history: DriftHistory | undefined): number {
  return history ? history.pending.length + history.changed.length + history.missing.length : 0;
}

function changeRow(change: DriftChange, picked: Set<number>): HTMLElement {
  const row = element('div', { class: `change${picked.has(change.id) ? ' picked' : ''}`, role: 'row', 'data-change': String(change.id) });
  const object = change.property ? `${change.object} · ${change.property}` : change.object;
  row.append(
    element('span', { class: `status-${change.status}`, role: 'cell' }, STATUS_LABELS[change.status]),
    element('span', { role: 'cell' }, change.type),
    element('span', { role: 'cell' }, object),
    valueCell(change.migrations ?? (change.status === 'extra_in_database' ? '(absent)' : change.status === 'missing_in_database' ? '(defined)' : '(none)')),
    valueCell(change.unifiedDiff ? '(the whole difference is below)' : change.database ?? (change.status === 'missing_in_database' ? '(absent)' : change.status === 'extra_in_database' ? '(present)' : '(none)')),
  );
  const actions = element('span', { class: 'actions', role: 'cell' });
  if (change.file && change.line) {
    const go = element('vscode-button', { secondary: '', title: `Go to ${change.file}:${change.line}` }, 'Go to statement');
    go.addEventListener('click', () => vscode.postMessage({ type: 'goToStatement', file: change.file!, line: change.line! }));
    actions.append(go);
  }
  const isPicked = picked.has(change.id);
  const add = element('vscode-button', { secondary: '', title: isPicked ? 'Leave this change out of the alignment migration' : 'Add this change to the alignment migration' }, isPicked ? 'Remove from alignment' : 'Add to alignment migration');
  add.addEventListener('click', () => {
    const next = new Set(state.picked ?? []);
    if (next.has(change.id)) next.delete(change.id);
    else next.add(change.id);
    state = { ...state, picked: [...next].sort((a, b) => a - b) };
    vscode.setState(state);
    vscode.postMessage({ type: 'alignmentSelection', ids: state.picked ?? [] });
    render();
  });
  actions.append(add);
  row.append(actions);
  return row;
}

/** A function body's difference, one line per element, coloured as a diff editor colours it. */
function unifiedDiffBlock(object: string, unified: string): HTMLElement {
  const block = element('pre', { class: 'unified-diff', role: 'note', 'aria-label': `Body of ${object}: database to migrations` });
  for (const line of unified.replace(/\n$/, '').split('\n')) {
    const kind = line.startsWith('+++') || line.startsWith('---') ? 'header' : line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'added' : line.startsWith('-') ? 'removed' : 'same';
    block.append(element('span', { class: kind }, line), '\n');
  }
  return block;
}

function valueCell(text: string): HTMLElement {
  const cell = element('span', { role: 'cell' });
  cell.append(element('code', {}, text));
  return cell;
}

function renderInventory(): HTMLElement {
  const container = element('div', { id: 'inventory' });
  const inventory = state.diff?.inventory;
  if (!inventory) {
    container.append(placeholder('The inventory (tables the migrations define against tables in the database) appears here after pgreview: Show Schema Diff.'));
    return container;
  }
  const folder = state.diff?.folder;
  container.append(element('p', { class: 'counts' }, `${inventory.migrationTables.length} tables defined by ${folder ? `the migrations of ${folder}` : 'migrations'}, ${inventory.databaseTables.length} present in the database.`));
  const columns = element('div', { class: 'inventory' });
  columns.append(tableList(`Missing in the database (${inventory.missing.length})`, inventory.missing, 'status-missing_in_database', 'Every table the migrations define is in the database.'),
    tableList(`Extra in the database (${inventory.extra.length})`, inventory.extra, 'status-extra_in_database', 'The database has no table the migrations do not define.'));
  container.append(columns);
  const all = element('vscode-collapsible', { heading: `All tables defined by migrations (${inventory.migrationTables.length})` });
  all.append(element('ul', {}, '', ...inventory.migrationTables.map((name) => element('li', {}, name))));
  container.append(all);
  return container;
}

function tableList(title: string, names: string[], className: string, empty: string): HTMLElement {
  const section = element('section', {});
  section.append(element('h3', { class: className }, title));
  if (names.length === 0) section.append(placeholder(empty));
  else section.append(element('ul', {}, '', ...names.map((name) => element('li', {}, name))));
  return section;
}

function select(label: string, options: [string, string][], value: string): HTMLElement & { value: string } {
  const control = element('vscode-single-select', { 'aria-label': label }) as HTMLElement & { value: string };
  for (const [optionValue, text] of options) control.append(element('vscode-option', { value: optionValue, ...(optionValue === value ? { selected: '' } : {}) }, text));
  return control;
}

function findingRow(finding: ReportFinding): HTMLElement {
  const where = finding.file ? `${finding.file}:${finding.line}:${finding.column}` : 'no location';
  const row = element('li', { class: 'finding', tabindex: '0', title: `Go to ${where}`, 'data-rule': finding.rule },
    '', element('span', { class: `level-${finding.level}` }, finding.level), ` ${finding.message} `, element('span', { class: 'muted' }, where));
  onActivate(row, () => {
    if (finding.file && finding.line && finding.column) vscode.postMessage({ type: 'goToFinding', file: finding.file, line: finding.line, column: finding.column });
  });
  return row;
}

/** Runs `go` when the row is clicked, or chosen with Enter or Space. */
function onActivate(row: HTMLElement, go: () => void): void {
  row.addEventListener('click', go);
  row.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') go();
  });
}

function countBadge(level: 'error' | 'warning' | 'info', count: number): HTMLElement {
  return element('span', { class: `level-${level}` }, `${count} ${level}${count === 1 ? '' : 's'}`);
}

function panel(content: HTMLElement): HTMLElement {
  const tabPanel = element('vscode-tab-panel', {});
  tabPanel.append(content);
  return tabPanel;
}

function placeholder(text: string): HTMLElement {
  return element('p', { class: 'muted' }, text);
}

function element(tag: string, attributes: Record<string, string>, text = '', ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  node.append(...children);
  return node;
}
