/**
 * The report panel: a webview (bundle `dist/webview.js`) with Report, Diff, Inventory and Policy
 * Matrix tabs. The extension converts the analysis into `ReportData` and posts it; the page posts
 * back navigation requests. One panel at a time.
 */
import * as vscode from 'vscode';
import type { Analysis } from '../core/analyze';
import { rulesById } from '../core/rules';
import { LOCK_BLOCKS } from '../core/safety/locks';
import type { DriftData, HostMessage, PanelTab, PolicyMatrixData, ReportData, ReportFinding, SimulationData, WebviewMessage } from '../../webview/protocol';
import type { AnalysisSnapshot } from './workspaceAnalysis';
import { printableMessage } from '../core/report/printableMessage';

export class ReportPanel implements vscode.Disposable {
  static readonly viewType = 'pgreview.report';
  private static current: ReportPanel | undefined;
  /** The last schema diff, shown by every panel opened until the next diff or a disconnect. */
  private static diff: DriftData | undefined;
  /** The last policy matrix and simulation, shown by every panel opened until the next one. */
  private static matrix: PolicyMatrixData | undefined;
  private static simulation: SimulationData | undefined;
  private static matrixShown = false;

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pending: HostMessage[] = [];
  /** The last message of each type, in the order they were posted, to replay to a reloaded page. */
  private readonly latest = new Map<HostMessage['type'], HostMessage>();
  /** The last message of each type the page sent (the page posts `rendered` on every drawing). */
  private readonly received = new Map<WebviewMessage['type'], WebviewMessage>();
  private readonly didReceive = new vscode.EventEmitter<WebviewMessage>();
  /** Each message the page sends, as it arrives; tests that follow a sequence of drawings listen to it. */
  readonly onDidReceive = this.didReceive.event;

  /** Opens the panel (or brings it to the front) and shows the snapshot. */
  static show(
    extensionUri: vscode.Uri,
    snapshot: AnalysisSnapshot | undefined,
    onMessage: (message: WebviewMessage) => void,
    tab: PanelTab = 'report',
    placement: { column: vscode.ViewColumn; preserveFocus: boolean } = { column: vscode.ViewColumn.Active, preserveFocus: false },
  ): ReportPanel {
    if (ReportPanel.current) {
      ReportPanel.current.panel.reveal(placement.column, placement.preserveFocus);
    } else {
      const panel = vscode.window.createWebviewPanel(ReportPanel.viewType, 'pgreview Report', { viewColumn: placement.column, preserveFocus: placement.preserveFocus }, {
        enableScripts: true,
        retainContextWhenHidden: false,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
      });
      ReportPanel.current = new ReportPanel(panel, extensionUri, onMessage);
    }
    const current = ReportPanel.current;
    if (snapshot) current.post({ type: 'report', report: toReportData(snapshot) });
    current.post({ type: 'diff', diff: ReportPanel.diff });
    current.post({ type: 'policyMatrix', matrix: ReportPanel.matrix });
    current.post({ type: 'simulation', simulation: ReportPanel.simulation });
    current.post({ type: 'showTab', tab });
    return current;
  }

  /** Keeps a schema diff (or clears it) and shows it in the open panel. */
  static showDiff(diff: DriftData | undefined): void {
    ReportPanel.diff = diff;
    ReportPanel.current?.post({ type: 'diff', diff });
  }

  /**
   * Another folder became the project: the open panel drops the old folder's report and policy
   * matrix (the new folder's follow with the next analysis) and the last simulation, which ran on
   * the old folder's shadow (or connection). The schema diff and inventory go with the database
   * controller's diff (`showDiff(undefined)`).
   */
  static projectChanged(): void {
    ReportPanel.matrix = undefined;
    ReportPanel.simulation = undefined;
    ReportPanel.current?.post({ type: 'report', report: undefined });
    ReportPanel.current?.post({ type: 'policyMatrix', matrix: undefined });
    ReportPanel.current?.post({ type: 'simulation', simulation: undefined });
  }

  /** Keeps a policy matrix and shows it in the open panel. */
  static showPolicyMatrix(matrix: PolicyMatrixData): void {
    ReportPanel.matrix = matrix;
    ReportPanel.matrixShown = true;
    ReportPanel.current?.post({ type: 'policyMatrix', matrix });
  }

  /** The policy matrix the panel shows, if any. */
  static get lastPolicyMatrix(): PolicyMatrixData | undefined {
    return ReportPanel.matrix;
  }

  /**
   * True once Show Policy Matrix ran: each analysis recomputes the matrix, also after a project
   * folder change dropped the old folder's.
   */
  static get policyMatrixFollowsAnalysis(): boolean {
    return ReportPanel.matrixShown;
  }

  /** Keeps the result of Run Statement as Role and shows it in the open panel. */
  static showSimulation(simulation: SimulationData): void {
    ReportPanel.simulation = simulation;
    ReportPanel.current?.post({ type: 'simulation', simulation });
  }

  /** The open panel, if any. */
  static get open(): ReportPanel | undefined {
    return ReportPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    onMessage: (message: WebviewMessage) => void,
  ) {
    panel.webview.html = renderHtml(panel.webview, extensionUri);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage(
      (message: WebviewMessage) => {
        this.received.set(message.type, message);
        this.didReceive.fire(message);
        if (message.type === 'ready') {
          // A hidden panel loses its page (retainContextWhenHidden is off) and reloads it when shown
          // again: the new page says "ready" once more and gets the latest of each message again.
          const replay = this.ready ? [...this.latest.values()] : this.pending.splice(0);
          this.ready = true;
          for (const queued of replay) void this.panel.webview.postMessage(queued);
        }
        onMessage(message);
      },
      null,
      this.disposables,
    );
  }

  /** The last message of a type the page sent, if any; tests read it to know what the page drew. */
  lastReceived<T extends WebviewMessage['type']>(type: T): Extract<WebviewMessage, { type: T }> | undefined {
    return this.received.get(type) as Extract<WebviewMessage, { type: T }> | undefined;
  }

  /** The diff the panel shows, if any. */
  static get lastDiff(): DriftData | undefined {
    return ReportPanel.diff;
  }

  /** Sends a message now, or once the page says it is ready. */
  post(message: HostMessage): void {
    // showTab comes last on a replay, so the page ends on the tab it was asked for.
    this.latest.delete(message.type);
    this.latest.set(message.type, message);
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.pending.push(message);
  }

  /** Shows a newer analysis in the open panel. */
  update(snapshot: AnalysisSnapshot): void {
    this.post({ type: 'report', report: toReportData(snapshot) });
  }

  dispose(): void {
    if (ReportPanel.current === this) ReportPanel.current = undefined;
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.didReceive.dispose();
  }
}

/** Converts an analysis into the panel's plain shape. */
export function toReportData(snapshot: AnalysisSnapshot): ReportData {
  const diff = ReportPanel.lastDiff;
  const analysis: Analysis = snapshot.analysis;
  const counts = { error: 0, warning: 0, info: 0 };
  const findings: ReportFinding[] = snapshot.findings.map((finding) => {
    counts[finding.level] += 1;
    return {
      rule: finding.rule,
      level: finding.level,
      category: finding.category,
      message: printableMessage(finding.message),
      object: finding.object,
      table: tableOfObjectKey(finding.objectKey),
      file: finding.span?.file,
      line: finding.span?.line,
      column: finding.span?.column,
    };
  });
  const ruleIds = [...new Set(findings.map((finding) => finding.rule))];
  return {
    ...(snapshot.folderLabel !== undefined ? { folder: snapshot.folderLabel } : {}),
    analysedAt: new Date().toISOString(),
    migrationCount: snapshot.paths.length,
    tableCount: [...analysis.catalog.tables.values()].filter((table) => !table.platform).length,
    counts,
    findings,
    rules: ruleIds.map((id) => ({ id, name: rulesById.get(id)?.name ?? id, description: rulesById.get(id)?.description ?? '' })),
    source: diff ? { kind: 'connected', profile: diff.profile } : { kind: 'offline' },
    ...toReportLocks(analysis),
  };
}

/**
 * The locks of each statement of the pending migrations, with the words core gives each mode. A
 * project whose every file counts as pending can have thousands; the panel gets the newest
 * `MAX_REPORTED_LOCKS`, which are the ones being written.
 */
function toReportLocks(analysis: Analysis): Pick<ReportData, 'locks' | 'locksOmitted'> {
  const texts = new Map(analysis.files.map((file) => [file.path, file.text]));
  const all = [...analysis.statementLocks].flatMap(([path, statements]) =>
    statements.map(({ span, locks }) => ({
      file: path,
      line: span.line,
      column: span.column,
      statement: printableMessage(firstLine(texts.get(path)?.slice(span.start, span.end) ?? '')),
      locks: locks.map((lock) => ({ table: lock.table, mode: lock.mode, work: lock.work, blocks: LOCK_BLOCKS[lock.mode] })),
    })),
  );
  const omitted = Math.max(0, all.length - MAX_REPORTED_LOCKS);
  return { locks: all.slice(omitted), locksOmitted: omitted };
}

const MAX_REPORTED_LOCKS = 500;

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** `public.bookings` for keys of a table and of what belongs to it (columns, constraints, policies, triggers). */
function tableOfObjectKey(key: string): string | undefined {
  const match = /^(table|column|constraint|policy|trigger):(.+)$/.exec(key);
  if (!match) return undefined;
  const rest = match[2];
  if (match[1] === 'table') return rest;
  if (match[1] === 'column') return rest.split('.').slice(0, 2).join('.');
  return rest.slice(0, rest.indexOf('/'));
}

function renderHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = createNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource} 'nonce-${nonce}'; font-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>pgreview Report</title>
<style nonce="${nonce}">
  body { padding: 0 16px; color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  .counts { display: flex; gap: 8px; margin: 12px 0; align-items: center; }
  .finding { cursor: pointer; }
  .finding:hover, .finding:focus { background: var(--vscode-list-hoverBackground); outline: none; }
  .level-error { color: var(--vscode-errorForeground); }
  .level-warning { color: var(--vscode-editorWarning-foreground); }
  .level-info { color: var(--vscode-editorInfo-foreground); }
  .muted { color: var(--vscode-descriptionForeground); }
  h3 { margin: 16px 0 4px; }
  .filters { display: flex; gap: 12px; margin: 12px 0; align-items: center; flex-wrap: wrap; }
  .change { display: grid; grid-template-columns: 9em 6em minmax(10em, 1.3fr) minmax(6em, 1fr) minmax(6em, 1fr) 28em; gap: 8px; align-items: start; padding: 4px 2px; border-bottom: 1px solid var(--vscode-panel-border); }
  .change > span { min-width: 0; overflow-wrap: anywhere; }
  .change.header { font-weight: 600; color: var(--vscode-descriptionForeground); }
  .change code { white-space: pre-wrap; word-break: break-word; font-family: var(--vscode-editor-font-family); font-size: 0.95em; }
  .status-missing_in_database { color: var(--vscode-gitDecoration-deletedResourceForeground); }
  .status-extra_in_database { color: var(--vscode-gitDecoration-untrackedResourceForeground); }
  .status-changed { color: var(--vscode-gitDecoration-modifiedResourceForeground); }
  pre.unified-diff { margin: 0 0 8px 15em; padding: 6px 8px; overflow-x: auto; font-family: var(--vscode-editor-font-family); font-size: 0.95em; background: var(--vscode-textCodeBlock-background); border-bottom: 1px solid var(--vscode-panel-border); }
  pre.unified-diff .added { color: var(--vscode-gitDecoration-addedResourceForeground); background: var(--vscode-diffEditor-insertedLineBackground); }
  pre.unified-diff .removed { color: var(--vscode-gitDecoration-deletedResourceForeground); background: var(--vscode-diffEditor-removedLineBackground); }
  pre.unified-diff .hunk, pre.unified-diff .header { color: var(--vscode-descriptionForeground); }
  .actions { display: flex; gap: 6px; flex-wrap: wrap; justify-content: flex-end; }
  .summary span + span::before { content: ' · '; color: var(--vscode-descriptionForeground); }
  .inventory { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
  .picked { background: var(--vscode-list-inactiveSelectionBackground); }
  .matrix-scroller { overflow-x: auto; margin: 8px 0; }
  table.matrix, table.rows { border-collapse: collapse; font-size: 0.95em; }
  table.matrix th, table.matrix td, table.rows th, table.rows td { border: 1px solid var(--vscode-panel-border); padding: 3px 6px; }
  table.matrix th { font-weight: 600; color: var(--vscode-descriptionForeground); background: var(--vscode-editorWidget-background); }
  table.matrix th.table-name { text-align: left; white-space: nowrap; position: sticky; left: 0; z-index: 1; }
  table.matrix th.command { font-weight: normal; font-size: 0.9em; }
  table.matrix .role-start { border-left: 2px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); }
  td.cell { text-align: center; white-space: nowrap; cursor: pointer; }
  td.cell:hover { background: var(--vscode-list-hoverBackground); }
  td.cell:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
  td.cell.selected { outline: 2px solid var(--vscode-focusBorder); outline-offset: -2px; }
  td.cell.flagged { background: var(--vscode-inputValidation-warningBackground); box-shadow: inset 0 0 0 1px var(--vscode-editorWarning-foreground); font-weight: 600; }
  td.cell.dimmed { opacity: 0.35; }
  .access-no-grant { color: var(--vscode-descriptionForeground); font-style: italic; }
  .access-bypass { color: var(--vscode-charts-purple); }
  .access-open { color: var(--vscode-charts-orange); }
  .access-filtered { color: var(--vscode-charts-blue); }
  .access-blocked { color: var(--vscode-descriptionForeground); }
  .flag-text { color: var(--vscode-editorWarning-foreground); }
  .cell-details { border-top: 1px solid var(--vscode-panel-border); margin-top: 8px; padding-top: 4px; }
  .cell-details pre, #simulation pre { white-space: pre-wrap; font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 4px 8px; margin: 2px 0 8px; }
  ul.policies { margin: 4px 0; }
  .simulation-error { color: var(--vscode-errorForeground); border: 1px solid var(--vscode-inputValidation-errorBorder); background: var(--vscode-inputValidation-errorBackground); padding: 6px 8px; margin: 8px 0; }
  table.rows th { text-align: left; color: var(--vscode-descriptionForeground); }
  .applied { margin: 4px 0; }
</style>
</head>
<body>
<div id="app" data-nonce="${nonce}"><p class="muted">Loading the report…</p></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}
