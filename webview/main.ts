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
import type { HostMessage, PanelTab, ReportData, ReportFinding, WebviewMessage } from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PageState | undefined;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PageState {
  report?: ReportData;
  tab: PanelTab;
  grouping: 'rule' | 'table';
}

const TABS: { id: PanelTab; title: string }[] = [
  { id: 'report', title: 'Report' },
  { id: 'diff', title: 'Diff' },
  { id: 'inventory', title: 'Inventory' },
  { id: 'policies', title: 'Policy Matrix' },
];

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
    tabs.append(header);
  }
  tabs.append(panel(renderReport()), panel(placeholder('The schema diff appears here when a database is connected (pgreview: Show Schema Diff).')),
    panel(placeholder('The inventory (tables in the migrations against tables in the database) appears here when a database is connected.')),
    panel(placeholder('The policy matrix (tables × roles × commands) appears here when a database is connected.')));
  tabs.addEventListener('vsc-tabs-select', (event) => {
    const index = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    state = { ...state, tab: TABS[index]?.id ?? 'report' };
    vscode.setState(state);
    vscode.postMessage({ type: 'tabChanged', tab: state.tab });
  });
  app.append(tabs);
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
    element('span', {}, `${report.migrationCount} migration files · ${report.tableCount} tables · ${report.source.kind === 'offline' ? 'offline' : `connected to ${report.source.profile}`}`),
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
  if (report.findings.length === 0) {
    container.append(placeholder('No findings. The migrations pass every enabled rule.'));
    return container;
  }
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
    container.append(section);
  }
  return container;
}

function findingRow(finding: ReportFinding): HTMLElement {
  const where = finding.file ? `${finding.file}:${finding.line}:${finding.column}` : 'no location';
  const row = element('li', { class: 'finding', tabindex: '0', title: `Go to ${where}`, 'data-rule': finding.rule },
    '', element('span', { class: `level-${finding.level}` }, finding.level), ` ${finding.message} `, element('span', { class: 'muted' }, where));
  const go = (): void => {
    if (finding.file && finding.line && finding.column) vscode.postMessage({ type: 'goToFinding', file: finding.file, line: finding.line, column: finding.column });
  };
  row.addEventListener('click', go);
  row.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') go();
  });
  return row;
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
