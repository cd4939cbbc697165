/**
 * The palette commands (category "pgreview") and the internal commands that tree items, lenses
 * and code actions call. Each command is a small adapter over the objects `activate` built.
 */
import * as vscode from 'vscode';
import { allRules, rulesById } from '../core/rules';
import { planBulkFixes } from '../core/rules/planBulkFixes';
import { renderFixMigration } from '../core/rules/renderFixMigration';
import { needsStatementEdit } from '../core/finding';
import type { SourceSpan } from '../core/sql/span';
import type { WebviewMessage } from '../../webview/protocol';
import { FIX_ALL_OF_RULE_COMMAND, WRITE_FIX_MIGRATION_COMMAND } from './findingCodeActions';
import type { FindingDiagnostics } from './findingDiagnostics';
import { writeFixMigration } from './fixMigrationFile';
import { revealPolicy } from './policyMatrix';
import { ReportPanel } from './reportPanel';
import { defaultReportName, exportReport, type ReportFormat } from './reportExport';
import { SET_ALIGNMENT_SELECTION_COMMAND } from './databaseCommands';
import { registerReportingCommand } from './reportError';
import { REVEAL_OBJECT_COMMAND, type SchemaNode, type SchemaTree } from './schemaTree';
import { rangeOf, type WorkspaceAnalysis } from './workspaceAnalysis';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  analysis: WorkspaceAnalysis;
  diagnostics: FindingDiagnostics;
  tree: SchemaTree;
  treeView: vscode.TreeView<SchemaNode>;
  log: vscode.LogOutputChannel;
  /** Reads the connected database's migration history again before Refresh analyses; absent offline. */
  refreshDatabaseHistory?(): Promise<void>;
}

/** Registers every command; the disposables go to `context.subscriptions`. */
export function registerCommands(context: CommandContext): vscode.Disposable[] {
  const { analysis, tree, log } = context;
  const register = (id: string, run: (...args: never[]) => unknown): vscode.Disposable => registerReportingCommand(log, id, run);

  return [
    register('pgreview.reviewWorkspace', async () => {
      const snapshot = await analysis.run();
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      return snapshot ? { files: snapshot.paths.length, findings: snapshot.findings.length } : undefined;
    }),
    register('pgreview.refresh', async () => {
      await context.refreshDatabaseHistory?.();
      const snapshot = await analysis.run();
      return snapshot?.findings.length;
    }),
    register('pgreview.showReport', async () => {
      const snapshot = analysis.current ?? (await analysis.run());
      return ReportPanel.show(context.extension.extensionUri, snapshot, (message) => handleWebviewMessage(context, message));
    }),
    register('pgreview.exportReport', async (format?: ReportFormat, target?: vscode.Uri) => {
      const snapshot = analysis.current ?? (await analysis.run());
      if (!snapshot) return undefined;
      const chosen = format ?? (await pickReportFormat());
      if (!chosen) return undefined;
      const destination = target ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(snapshot.root, defaultReportName(chosen)), title: 'Export pgreview Report' }));
      if (!destination) return undefined;
      const version = String((context.extension.extension.packageJSON as { version?: string }).version ?? '0.0.0');
      const written = await exportReport(snapshot, chosen, destination, context.extension.extensionUri, version);
      log.info(`exported a ${chosen} report to ${written.fsPath}`);
      if (!target) void vscode.window.showInformationMessage(`pgreview: report written to ${vscode.workspace.asRelativePath(written)}`);
      return written;
    }),
    register('pgreview.openRuleDocumentation', async (ruleId?: string) => {
      const id = ruleId ?? (await vscode.window.showQuickPick(allRules.map((rule) => ({ label: rule.id, description: rule.name, detail: rule.description })), { placeHolder: 'Rule' }))?.label;
      if (!id) return undefined;
      const uri = context.diagnostics.docsUri(id);
      if (!rulesById.has(id)) throw new Error(`there is no rule named ${id}`);
      await vscode.commands.executeCommand('markdown.showPreview', uri);
      return uri;
    }),
    register(REVEAL_OBJECT_COMMAND, async (key: string, options?: { revealInTree?: boolean }) => {
      const node = tree.nodeOf(key);
      if (options?.revealInTree && node) {
        await context.treeView.reveal(node, { select: true, focus: false, expand: true });
        return node;
      }
      const span = node?.span;
      return span ? revealSpan(analysis, span) : undefined;
    }),
    register(WRITE_FIX_MIGRATION_COMMAND, async (title: string, sql: string) => {
      const snapshot = analysis.current;
      if (!snapshot) return undefined;
      const uri = await writeFixMigration(snapshot.root, snapshot, title, sql);
      log.info(`wrote a fix migration: ${vscode.workspace.asRelativePath(uri)}`);
      await vscode.window.showTextDocument(uri, { preview: false });
      await analysis.run();
      return uri;
    }),
    register('pgreview.fixAll', () => writeBulkFixes(analysis, log, undefined)),
    register(FIX_ALL_OF_RULE_COMMAND, (rule: string) => writeBulkFixes(analysis, log, rule)),
    register('pgreview.generateFix', async (node?: SchemaNode) => {
      const target = node ?? context.treeView.selection[0];
      const snapshot = analysis.current;
      if (!target || !snapshot) return undefined;
      const keys = new Set<string>();
      const collect = (current: SchemaNode): void => {
        keys.add(current.key);
        current.children.forEach(collect);
      };
      collect(target);
      // A fix that edits a statement and then needs a migration (NOT VALID, then VALIDATE) is
      // offered on its finding only: its migration alone fixes nothing.
      const fixes = snapshot.findings.filter((finding) => keys.has(finding.objectKey) && finding.fix && !needsStatementEdit(finding.fix)).map((finding) => finding.fix!);
      if (fixes.length === 0) {
        void vscode.window.showInformationMessage(`pgreview: no finding on ${target.label} has a fix that needs no choice.`);
        return undefined;
      }
      return vscode.commands.executeCommand(WRITE_FIX_MIGRATION_COMMAND, `Fixes for ${target.key.slice(target.key.indexOf(':') + 1)}`, renderFixMigration(fixes));
    }),
    register('pgreview.tree.showOnlyFindings', () => tree.setOnlyFindings(true)),
    register('pgreview.tree.showAll', () => tree.setOnlyFindings(false)),
    register('pgreview.copyName', async (node?: SchemaNode) => {
      const target = node ?? context.treeView.selection[0];
      if (!target) return undefined;
      const name = target.key.slice(target.key.indexOf(':') + 1);
      await vscode.env.clipboard.writeText(name);
      return name;
    }),
    register('pgreview.showPolicies', async (node?: SchemaNode) => {
      const table = node ?? context.treeView.selection[0];
      const policies = table?.children.find((child) => child.label === 'Policies')?.children ?? [];
      if (!table || policies.length === 0) {
        void vscode.window.showInformationMessage(`pgreview: ${table?.label ?? 'this table'} has no policies.`);
        return [];
      }
      const picked = await vscode.window.showQuickPick(policies.map((policy) => ({ label: policy.label, description: policy.description, key: policy.key })), { placeHolder: `Policies of ${table.label}` });
      if (picked) await vscode.commands.executeCommand(REVEAL_OBJECT_COMMAND, picked.key);
      return policies.map((policy) => policy.label);
    }),
  ];
}

/**
 * "Fix All" and "Fix All of This Rule": the migration `pgreview fix [--rule R]` writes, from the
 * same plan, written and opened by "Write Fix Migration". Returns its URI, or undefined when no
 * finding has a fix a new migration can hold.
 */
async function writeBulkFixes(analysis: WorkspaceAnalysis, log: vscode.LogOutputChannel, rule: string | undefined): Promise<vscode.Uri | undefined> {
  const snapshot = analysis.current ?? (await analysis.run());
  if (!snapshot) return undefined;
  const plan = planBulkFixes(snapshot.findings, rule === undefined ? undefined : [rule]);
  for (const { finding, reason } of plan.skipped) log.info(`Fix All skipped ${finding.rule} on ${finding.object}: ${reason}`);
  if (plan.sql === '') {
    void vscode.window.showInformationMessage(`pgreview: no finding${rule ? ` of ${rule}` : ''} has a fix that a new migration can hold.`);
    return undefined;
  }
  const fixes = plan.rules.reduce((sum, entry) => sum + entry.fixes, 0);
  const findings = plan.rules.reduce((sum, entry) => sum + entry.findings, 0);
  const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(WRITE_FIX_MIGRATION_COMMAND, plan.title, plan.sql);
  const skipped = plan.skipped.length > 0 ? `; ${plan.skipped.length} in-place fix${plan.skipped.length === 1 ? '' : 'es'} skipped (see the output channel)` : '';
  void vscode.window.showInformationMessage(`pgreview: wrote ${fixes} fix${fixes === 1 ? '' : 'es'} for ${findings} finding${findings === 1 ? '' : 's'} into a new migration${skipped}. Review it before you apply it.`);
  return uri;
}

/** Opens the file of a span and selects the statement. */
export async function revealSpan(analysis: WorkspaceAnalysis, span: SourceSpan): Promise<vscode.TextEditor | undefined> {
  const uri = analysis.uriOf(span.file);
  if (!uri) return undefined;
  const range = rangeOf(span);
  return vscode.window.showTextDocument(uri, { selection: new vscode.Range(range.start, range.start), preview: true });
}

/** What the report panel asks for; the database commands module opens the panel with it too. */
export function handleWebviewMessage(context: Pick<CommandContext, 'analysis'>, message: WebviewMessage): void {
  switch (message.type) {
    case 'goToFinding': {
      const uri = context.analysis.uriOf(message.file);
      if (uri) {
        const position = new vscode.Position(message.line - 1, message.column - 1);
        void vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
      }
      return;
    }
    case 'openRuleDocumentation':
      void vscode.commands.executeCommand('pgreview.openRuleDocumentation', message.rule);
      return;
    case 'goToStatement': {
      const uri = context.analysis.uriOf(message.file);
      if (uri) {
        const position = new vscode.Position(message.line - 1, 0);
        void vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
      }
      return;
    }
    case 'alignmentSelection':
      void vscode.commands.executeCommand(SET_ALIGNMENT_SELECTION_COMMAND, message.ids);
      return;
    case 'generateAlignment':
      void vscode.commands.executeCommand('pgreview.generateAlignmentMigration', { ids: message.ids });
      return;
    case 'goToPolicy':
      void revealPolicy(context.analysis, message.key);
      return;
    case 'ready':
    case 'tabChanged':
    case 'diffRendered':
    case 'matrixRendered':
    case 'simulationRendered':
    case 'rendered':
      return;
  }
}

async function pickReportFormat(): Promise<ReportFormat | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Markdown', format: 'markdown' as const },
      { label: 'SARIF', description: 'for code scanning', format: 'sarif' as const },
      { label: 'JSON', format: 'json' as const },
    ],
    { placeHolder: 'Report format' },
  );
  return picked?.format;
}
