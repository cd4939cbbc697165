/**
 * The extension's entry point. `activate` builds the objects, wires them to one analysis, pushes
 * every registration to `context.subscriptions` and returns the API the integration tests use.
 * No analysis happens here: it all comes from src/core. Nothing slow happens here either: the
 * parser loads and the first analysis runs after `activate` has returned.
 */
import * as vscode from 'vscode';
import { loadParser } from '../core/sql/parser';
import { handleWebviewMessage, registerCommands } from './commands';
import { CreateTableCodeLens } from './createTableCodeLens';
import { DatabaseController } from './databaseCommands';
import { FindingCodeActions } from './findingCodeActions';
import { FindingDiagnostics } from './findingDiagnostics';
import { ProjectFolderPicker } from './projectFolder';
import { ReportPanel } from './reportPanel';
import { reportError } from './reportError';
import { SchemaTree, type SchemaNode } from './schemaTree';
import { createPolicyTools, type PolicyTools } from './policyCommands';
import { FindingsStatusBar } from './statusBar';
import { LockHover } from './lockHover';
import { TableHover } from './tableHover';
import { WorkspaceAnalysis } from './workspaceAnalysis';

/** What `activate` returns: the objects behind the views, for tests and other extensions. */
export interface PgreviewApi {
  analysis: WorkspaceAnalysis;
  diagnostics: FindingDiagnostics;
  tree: SchemaTree;
  treeView: vscode.TreeView<SchemaNode>;
  codeActions: FindingCodeActions;
  codeLens: CreateTableCodeLens;
  hover: TableHover;
  statusBar: FindingsStatusBar;
  /** Connect, disconnect, schema diff and alignment migration. */
  database: DatabaseController;
  /** Policy matrix, Run Statement as Role and the RLS tests (Testing view). */
  policies: PolicyTools;
  /** Select Project Folder: which workspace folder is reviewed. */
  projectFolder: ProjectFolderPicker;
  reportPanel(): ReportPanel | undefined;
  /** The folder of the extension's logs (the output channel's file); tests check it holds no secret. */
  logUri: vscode.Uri;
  /** Milliseconds from `activate` being called to it returning. */
  activationMs: number;
  /**
   * Milliseconds from the first to the last line of dist/extension.js running: the bundle's top-level
   * evaluation, after the host read and compiled it. Undefined when not bundled.
   */
  bundleEvaluationMs: number | undefined;
  /** Milliseconds from `activate` being called to the first diagnostics being shown; undefined until then. */
  firstDiagnosticsMs(): number | undefined;
}

/** Set by the bundle's first and last lines (scripts/build.mjs); absent when the sources run unbundled. */
declare const PGREVIEW_BUNDLE_STARTED: number | undefined;
declare const PGREVIEW_BUNDLE_EVALUATED: number | undefined;

const SQL_DOCUMENTS: vscode.DocumentSelector = [{ language: 'sql' }, { pattern: '**/*.sql' }];

export async function activate(context: vscode.ExtensionContext): Promise<PgreviewApi> {
  const started = Date.now();
  const bundleEvaluationMs = typeof PGREVIEW_BUNDLE_STARTED === 'number' && typeof PGREVIEW_BUNDLE_EVALUATED === 'number' ? Math.round(PGREVIEW_BUNDLE_EVALUATED - PGREVIEW_BUNDLE_STARTED) : undefined;
  const log = vscode.window.createOutputChannel('pgreview', { log: true });
  context.subscriptions.push(log);

  const analysis = new WorkspaceAnalysis(log);
  const diagnostics = new FindingDiagnostics(context.extensionUri);
  const tree = new SchemaTree();
  const treeView = vscode.window.createTreeView('pgreview.schema', { treeDataProvider: tree, showCollapseAll: true });
  const codeActions = new FindingCodeActions(analysis, diagnostics);
  const codeLens = new CreateTableCodeLens(analysis);
  const hover = new TableHover(analysis);
  const lockHover = new LockHover(analysis);
  const statusBar = new FindingsStatusBar();
  let firstDiagnosticsMs: number | undefined;
  const database = new DatabaseController({ extension: context, analysis, tree, treeView, statusBar, log, onPanelMessage: (message) => handleWebviewMessage({ analysis }, message) });
  const policies = createPolicyTools({ extension: context, analysis, tree, database, log, onPanelMessage: (message) => handleWebviewMessage({ analysis }, message) });
  const projectFolder = new ProjectFolderPicker(analysis, log);
  context.subscriptions.push(
    analysis,
    diagnostics,
    treeView,
    codeLens,
    statusBar,
    analysis.onDidAnalyze((snapshot) => {
      diagnostics.show(snapshot);
      firstDiagnosticsMs ??= Date.now() - started;
      tree.update(snapshot);
      statusBar.update(snapshot);
      ReportPanel.open?.update(snapshot);
      policies.refreshMatrix(snapshot);
    }),
    // The next snapshot replaces the other views; the old folder's diagnostics and the panel's
    // report, policy matrix and simulation go at once. The database controller drops the diff (drift
    // badges, Diff and Inventory tabs) and the connection, whose profile came from the old folder's settings.
    analysis.onDidChangeTarget(() => {
      diagnostics.clear();
      ReportPanel.projectChanged();
    }),
    vscode.languages.registerCodeActionsProvider(SQL_DOCUMENTS, codeActions, { providedCodeActionKinds: FindingCodeActions.providedCodeActionKinds }),
    vscode.languages.registerCodeLensProvider(SQL_DOCUMENTS, codeLens),
    vscode.languages.registerHoverProvider(SQL_DOCUMENTS, hover),
    vscode.languages.registerHoverProvider(SQL_DOCUMENTS, lockHover),
    ...registerCommands({ extension: context, analysis, diagnostics, tree, treeView, log, refreshDatabaseHistory: () => database.refreshHistory() }),
    database,
    ...database.register(),
    policies,
    ...policies.register(),
    ...projectFolder.register(),
    { dispose: () => ReportPanel.open?.dispose() },
  );
  void vscode.commands.executeCommand('setContext', 'pgreview.onlyFindings', false);
  analysis.schedule();
  // Compiling libpg_query's WASM was most of what activation waited for. It starts once activate
  // has returned and overlaps the first run's debounce; every analysis run, and every command that
  // parses before one, awaits the same promise, and reports a failure as its own.
  setTimeout(() => void loadParser().catch((error: unknown) => reportError(log, 'Loading the SQL parser failed', error)), 0);
  const activationMs = Date.now() - started;
  log.info(`activated in ${activationMs} ms${bundleEvaluationMs === undefined ? '' : ` (the bundle's top level ran in ${bundleEvaluationMs} ms)`}`);
  return { analysis, diagnostics, tree, treeView, codeActions, codeLens, hover, statusBar, database, policies, projectFolder, reportPanel: () => ReportPanel.open, logUri: context.logUri, activationMs, bundleEvaluationMs, firstDiagnosticsMs: () => firstDiagnosticsMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
