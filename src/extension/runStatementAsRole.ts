/**
 * "pgreview: Run Statement as Role…": runs the statement under the cursor (or the selection) of a
 * .sql file as a role with JWT claims, in a transaction that is rolled back (src/db/simulate.ts),
 * and shows the rows or the error and the policies that applied in the panel's Simulation tab.
 * It runs on the workspace shadow (migrations and supabase/seed.sql) or, when a database is
 * connected and the user picks it, on that database, where only a plain SELECT is allowed.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../core/cancellation';
import type { Catalog } from '../core/catalog/model';
import { InputError } from '../core/errors';
import { listMatrixRoles, MATRIX_API_ROLES } from '../core/policies/computePolicyMatrix';
import type { PolicyTestIdentity } from '../core/policies/policyTests';
import { parseSqlFile } from '../core/sql/parseSqlFile';
import { loadParser } from '../core/sql/parser';
import { checkLiveSimulation, simulateOnDatabase, simulateOnPglite, type SimulationRequest, type SimulationResult } from '../db/simulate';
import type { SimulationData } from '../../webview/protocol';
import type { DatabaseConnection } from './databaseConnection';
import type { ConnectionPrompts } from './databaseCommands';
import { toMatrixPolicy } from './policyMatrix';
import { readWorkspacePolicyTests } from './policyTestController';
import { rangeOf, type WorkspaceAnalysis } from './workspaceAnalysis';
import type { WorkspaceShadow } from './workspaceShadow';

/** Where the statement runs. */
export type SimulationTarget = 'shadow' | 'database';

/**
 * Arguments that answer the prompts, for tests and keybindings: a role, the claims (or an identity
 * of the test files by name), the target and the statement. Whatever is missing is asked for.
 */
export interface RunStatementAsRoleOptions {
  role?: string;
  identity?: string;
  claims?: Record<string, unknown> | null;
  target?: SimulationTarget;
  sql?: string;
}

/** What the command returns: the simulation shown, or the refusal or error the user was shown. */
export interface RunStatementAsRoleResult {
  simulation?: SimulationData;
  /** The message shown when the statement was refused or could not run. */
  error?: string;
}

const CUSTOM_CLAIMS = 'Custom claims…';
const NO_CLAIMS = 'No claims';

export class StatementSimulator {
  /** Replaceable for tests, as DatabaseController's prompts are. */
  prompts: ConnectionPrompts = {
    showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
    showInputBox: (options) => vscode.window.showInputBox(options),
  };

  constructor(
    private readonly analysis: WorkspaceAnalysis,
    private readonly shadow: WorkspaceShadow,
    private readonly connection: DatabaseConnection,
    private readonly log: vscode.LogOutputChannel,
    private readonly show: (simulation: SimulationData) => void,
  ) {}

  /** The command: asks what is missing, runs with cancellable progress, shows the result. */
  async run(options: RunStatementAsRoleOptions = {}): Promise<RunStatementAsRoleResult | undefined> {
    // Activation does not wait for the parser, and this command may come before the first analysis.
    await loadParser();
    const sql = options.sql ?? this.statementAtCursor();
    if (!sql) return undefined;
    const snapshot = (await this.analysis.settled()) ?? (await this.analysis.run());
    const catalog = snapshot?.analysis.catalog;
    const role = options.role ?? (await this.pickRole(catalog));
    if (!role) return undefined;
    const identity = options.claims !== undefined || options.identity !== undefined
      ? await this.identityFromOptions(options)
      : await this.pickIdentity(role);
    if (!identity) return undefined;
    const connected = this.connection.current;
    const target = options.target ?? (connected ? await this.pickTarget(connected.label) : 'shadow');
    if (!target) return undefined;
    const request: SimulationRequest = { role, claims: identity.claims, sql };

    if (target === 'database') {
      if (!connected) return this.refuse('no database is connected; run the statement on the shadow database, or connect first (pgreview: Connect to Database…).');
      try {
        // Checked before connecting, so a refused statement never reaches the database.
        checkLiveSimulation(sql);
      } catch (error) {
        if (error instanceof InputError) return this.refuse(error.message.replace(' (without --db)', ''));
        throw error;
      }
    }
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `pgreview: running as ${role}`, cancellable: true },
        async (progress, token) => {
          if (target === 'database') {
            progress.report({ message: `on ${connected!.label} (read only)` });
            return simulateOnDatabase(connected!.options, request, connected!.catalog, token);
          }
          if (!snapshot) throw new InputError('the migrations have not been analysed yet; open a folder with supabase/migrations');
          progress.report({ message: 'on the shadow database' });
          return this.shadow.use(snapshot, token, (session) => simulateOnPglite(session.db, request, snapshot.analysis.catalog, token));
        },
      );
      const simulation = toSimulationData(result, identity.name, catalog, snapshot?.folderLabel);
      this.log.info(`ran as ${role} (${identity.name}) on ${result.target}: ${result.error ? `error ${result.error.code}` : `${result.rowCount} rows`} in ${result.elapsedMs} ms`);
      // Another project folder while it ran: the result belongs to the old folder, which the panel no longer shows.
      if (snapshot && this.analysis.root?.toString() !== snapshot.root.toString()) return { simulation };
      this.show(simulation);
      return { simulation };
    } catch (error) {
      if (error instanceof CancelledError) return undefined;
      // The live database refuses a statement only once it has looked up the functions it calls.
      if (error instanceof InputError && target === 'database') return this.refuse(error.message.replace(' (without --db)', ''));
      throw error;
    }
  }

  /** The selection when there is one, else the statement the cursor is in (or just after). */
  private statementAtCursor(): string | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor || (editor.document.languageId !== 'sql' && !editor.document.uri.path.endsWith('.sql'))) {
      void vscode.window.showInformationMessage('pgreview: open a .sql file and put the cursor in a statement (or select one) to run it as a role.');
      return undefined;
    }
    const document = editor.document;
    if (!editor.selection.isEmpty) return document.getText(editor.selection).trim() || undefined;
    const parsed = parseSqlFile(vscode.workspace.asRelativePath(document.uri), document.getText());
    const cursor = editor.selection.active;
    const statements = parsed.statements.map((statement) => ({ statement, range: rangeOf(statement.span) }));
    const containing = statements.find(({ range }) => range.start.isBeforeOrEqual(cursor) && cursor.isBeforeOrEqual(range.end.translate(0, 1)))
      ?? [...statements].reverse().find(({ range }) => range.start.isBeforeOrEqual(cursor))
      ?? statements[0];
    if (!containing) {
      const problem = parsed.problems[0];
      void vscode.window.showWarningMessage(problem ? `pgreview: no statement to run here: ${problem.message}` : 'pgreview: this file has no SQL statement to run.');
      return undefined;
    }
    editor.selection = new vscode.Selection(containing.range.start, containing.range.end);
    return containing.statement.text;
  }

  private async pickRole(catalog: Catalog | undefined): Promise<string | undefined> {
    const roles = catalog ? listMatrixRoles(catalog) : [...MATRIX_API_ROLES];
    const descriptions: Record<string, string> = { anon: 'a visitor who is not signed in', authenticated: 'a signed-in user', service_role: 'the server key: bypasses RLS' };
    const picked = await this.prompts.showQuickPick(roles.map((role) => ({ label: role, description: descriptions[role] ?? 'created by the migrations' })), { title: 'pgreview: Run Statement as Role', placeHolder: 'Role' });
    return picked?.label;
  }

  private async pickIdentity(role: string): Promise<{ name: string; claims?: Record<string, unknown> } | undefined> {
    const identities = await this.savedIdentities();
    type IdentityItem = vscode.QuickPickItem & { identity?: PolicyTestIdentity };
    const items: IdentityItem[] = [
      ...identities.filter((identity) => identity.role === role).map((identity): IdentityItem => ({ label: identity.name, description: describeClaims(identity.claims), identity })),
      { label: CUSTOM_CLAIMS, description: 'type the JWT claims as JSON' },
      { label: NO_CLAIMS, description: role === 'anon' ? 'as the API does for anon' : 'auth.uid() is null' },
    ];
    const picked = await this.prompts.showQuickPick(items, { title: `pgreview: Run Statement as ${role}`, placeHolder: 'Identity (from supabase/tests/*.rls.yaml), custom claims or none' });
    if (!picked) return undefined;
    if (picked.identity) return { name: picked.identity.name, claims: picked.identity.claims };
    if (picked.label === NO_CLAIMS) return { name: NO_CLAIMS };
    const text = await this.prompts.showInputBox({
      title: 'pgreview: JWT claims',
      prompt: 'The claims as a JSON object',
      value: '{"sub": "00000000-0000-4000-8000-000000000000", "email": "user@example.com"}',
      validateInput: (value) => (parseClaims(value) instanceof Error ? (parseClaims(value) as Error).message : undefined),
    });
    if (text === undefined) return undefined;
    const claims = parseClaims(text);
    if (claims instanceof Error) throw new InputError(claims.message);
    return { name: 'Custom claims', claims };
  }

  private async identityFromOptions(options: RunStatementAsRoleOptions): Promise<{ name: string; claims?: Record<string, unknown> }> {
    if (options.identity === undefined) return { name: options.claims ? 'Custom claims' : NO_CLAIMS, claims: options.claims ?? undefined };
    const identity = (await this.savedIdentities()).find((candidate) => candidate.name === options.identity);
    if (!identity) throw new InputError(`no identity named ${options.identity} in supabase/tests/*.rls.yaml`);
    return { name: identity.name, claims: identity.claims };
  }

  private async savedIdentities(): Promise<PolicyTestIdentity[]> {
    const root = this.analysis.root;
    if (!root) return [];
    const { files } = await readWorkspacePolicyTests(root);
    const byName = new Map<string, PolicyTestIdentity>();
    for (const { file } of files) for (const identity of file.identities.values()) if (!byName.has(identity.name)) byName.set(identity.name, identity);
    return [...byName.values()];
  }

  private async pickTarget(profile: string): Promise<SimulationTarget | undefined> {
    const picked = await this.prompts.showQuickPick(
      [
        { label: 'Shadow database', description: 'migrations and supabase/seed.sql on PGlite; any statement', target: 'shadow' as const },
        { label: `Live database: ${profile}`, description: 'SELECT only, read only, rolled back', target: 'database' as const },
      ],
      { title: 'pgreview: Run Statement as Role', placeHolder: 'Where to run it' },
    );
    return picked?.target;
  }

  private refuse(message: string): RunStatementAsRoleResult {
    this.log.warn(`Run Statement as Role refused: ${message}`);
    void vscode.window.showErrorMessage(`pgreview: ${message}`, { modal: false });
    return { error: message };
  }
}

/** The simulator's result in the panel's plain shape; `folder` is the project folder's label in a multi-root workspace. */
export function toSimulationData(result: SimulationResult, identity: string, migrationsCatalog: Catalog | undefined, folder?: string): SimulationData {
  return {
    ...(folder !== undefined ? { folder } : {}),
    role: result.role,
    identity,
    claims: result.claims,
    sql: result.sql,
    target: result.target,
    kind: result.kind,
    columns: result.columns,
    rows: result.rows,
    rowCount: result.rowCount,
    error: result.error,
    policies: result.policies.map((applied) => ({
      table: applied.table,
      command: applied.command,
      access: applied.cell.access,
      predicate: applied.command === 'insert' ? applied.cell.withCheck : applied.cell.using,
      policies: applied.cell.policies.map((policy) => toMatrixPolicy(policy, migrationsCatalog)),
    })),
    elapsedMs: result.elapsedMs,
    ranAt: new Date().toISOString(),
  };
}

function describeClaims(claims: Record<string, unknown> | undefined): string {
  if (!claims) return 'no claims';
  const text = JSON.stringify(claims);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function parseClaims(text: string): Record<string, unknown> | Error {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new Error(`not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return new Error('the claims must be a JSON object, such as {"sub": "<uuid>"}');
  return value as Record<string, unknown>;
}
