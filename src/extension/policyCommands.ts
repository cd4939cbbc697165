/**
 * The RLS commands of issue 5: Show Policy Matrix, Run Statement as Role… and Run RLS Tests. They
 * adapt src/core/policies and the db simulator to the editor; the objects they drive
 * (StatementSimulator, PolicyTestController, WorkspaceShadow) are built here and exposed to tests.
 */
import * as vscode from 'vscode';
import type { WebviewMessage } from '../../webview/protocol';
import type { DatabaseController } from './databaseCommands';
import { buildPolicyMatrixData, type MatrixCatalogSource } from './policyMatrix';
import { PolicyTestController, type PolicyTestRunSummary } from './policyTestController';
import { ReportPanel } from './reportPanel';
import { registerReportingCommand } from './reportError';
import { StatementSimulator, type RunStatementAsRoleOptions } from './runStatementAsRole';
import type { SchemaTree } from './schemaTree';
import type { AnalysisSnapshot, WorkspaceAnalysis } from './workspaceAnalysis';
import { WorkspaceShadow } from './workspaceShadow';

export interface PolicyCommandContext {
  extension: vscode.ExtensionContext;
  analysis: WorkspaceAnalysis;
  tree: SchemaTree;
  database: DatabaseController;
  log: vscode.LogOutputChannel;
  onPanelMessage(message: WebviewMessage): void;
}

/** What the policy side exposes in the extension's API. */
export interface PolicyTools extends vscode.Disposable {
  simulator: StatementSimulator;
  tests: PolicyTestController;
  shadow: WorkspaceShadow;
  /** Recomputes the matrix the panel shows after a new analysis. */
  refreshMatrix(snapshot: AnalysisSnapshot | undefined): void;
  register(): vscode.Disposable[];
}

export function createPolicyTools(context: PolicyCommandContext): PolicyTools {
  const { extension, analysis, log } = context;
  const shadow = new WorkspaceShadow(extension.globalStorageUri.fsPath, log);
  const openPanel = (tab: 'policies' | 'simulation'): void => {
    // A simulation runs from a .sql editor: its result opens beside it, and the cursor stays there.
    const placement = tab === 'simulation' ? { column: vscode.ViewColumn.Beside, preserveFocus: true } : undefined;
    ReportPanel.show(extension.extensionUri, analysis.current, (message) => context.onPanelMessage(message), tab, placement);
  };
  const simulator = new StatementSimulator(analysis, shadow, context.database.connection, log, (simulation) => {
    ReportPanel.showSimulation(simulation);
    openPanel('simulation');
  });
  const tests = new PolicyTestController(analysis, shadow, log);

  const matrixSource = (snapshot: AnalysisSnapshot | undefined): MatrixCatalogSource | undefined => {
    const connected = context.database.connection.current;
    if (connected && context.tree.currentSource === 'database') return { kind: 'database', profile: connected.label, catalog: connected.catalog };
    return snapshot ? { kind: 'migrations', catalog: snapshot.analysis.catalog } : undefined;
  };

  /** Recomputes the matrix the panel shows, if any, from the catalog the tree now shows. */
  function refreshMatrix(snapshot: AnalysisSnapshot | undefined): void {
    // After a project folder change the old matrix is gone, and the new folder's first analysis brings its own.
    if (!ReportPanel.policyMatrixFollowsAnalysis) return;
    const source = matrixSource(snapshot);
    if (source) ReportPanel.showPolicyMatrix(buildPolicyMatrixData(source, snapshot?.analysis.catalog, snapshot?.folderLabel));
  }
  // Connecting, reading the database again or disconnecting changes the catalog a database matrix shows.
  const connectionChanged = context.database.connection.onDidChange(() => refreshMatrix(analysis.current));

  const command = (id: string, run: (...args: never[]) => unknown): vscode.Disposable => registerReportingCommand(log, id, run);

  return {
    simulator,
    tests,
    shadow,
    refreshMatrix,
    register: () => [
      command('pgreview.showPolicyMatrix', async () => {
        const snapshot = analysis.current ?? (await analysis.run());
        const source = matrixSource(snapshot);
        if (!source) return undefined;
        const matrix = buildPolicyMatrixData(source, snapshot?.analysis.catalog, snapshot?.folderLabel);
        ReportPanel.showPolicyMatrix(matrix);
        openPanel('policies');
        return matrix;
      }),
      command('pgreview.runStatementAsRole', (options?: RunStatementAsRoleOptions) => simulator.run(options)),
      command('pgreview.runRlsTests', async (): Promise<PolicyTestRunSummary | undefined> => {
        const summary = await tests.runAll();
        if (summary) {
          const text = `pgreview: RLS tests: ${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} not run (mistakes in their files)` : ''}.`;
          if (summary.failed > 0 || summary.skipped > 0) {
            void vscode.window.showWarningMessage(text, 'Show Testing View').then((choice) => {
              if (choice) void vscode.commands.executeCommand('workbench.view.testing.focus');
            });
          } else {
            void vscode.window.showInformationMessage(text);
          }
        }
        return summary;
      }),
    ],
    dispose() {
      connectionChanged.dispose();
      tests.dispose();
      shadow.dispose();
    },
  };
}
