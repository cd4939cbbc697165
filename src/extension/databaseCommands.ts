/**
 * The commands that need a database: Connect, Disconnect, Show Schema Diff and Generate Alignment
 * Migration, the tree's source toggle, and the re-diff after saving a migration (`diffOnSave`).
 * They adapt `src/db` (connection, introspection, the PGlite shadow) and `src/core/diff` to the
 * editor: quick picks, SecretStorage, progress with cancellation, the panel and the tree.
 *
 * The database is only read. An alignment migration is written as a new file for a person to
 * review; nothing is applied.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../core/cancellation';
import { AuthenticationError } from '../core/errors';
import { printableMessage } from '../core/report/printableMessage';
import { describeTarget, type SslMode } from '../db/connection';
import type { WebviewMessage } from '../../webview/protocol';
import { DatabaseConnection, type ConnectedDatabase } from './databaseConnection';
import { writeFixMigration } from './fixMigrationFile';
import type { ProjectTarget } from './projectFolder';
import { ReportPanel } from './reportPanel';
import { reportError } from './reportError';
import { renderAlignmentMigration, runSchemaDiff, type SchemaDiff } from './schemaDiff';
import type { SchemaNode, SchemaTree, TreeSource } from './schemaTree';
import { readSettings, saveConnectionProfile, type ConnectionProfileSetting } from './settings';
import type { FindingsStatusBar } from './statusBar';
import type { AnalysisSnapshot, WorkspaceAnalysis } from './workspaceAnalysis';

/** Internal command the panel calls when the user picks changes for the alignment migration. */
export const SET_ALIGNMENT_SELECTION_COMMAND = 'pgreview.diff.setAlignmentSelection';

const NEW_CONNECTION = 'New connection…';
const SSL_MODES: readonly SslMode[] = ['prefer', 'disable', 'require', 'verify-ca', 'verify-full', 'allow'];

/**
 * The prompts the connect flow uses: VS Code's own by default. The integration suite replaces
 * them to answer the password box, which a test cannot type into.
 */
export interface ConnectionPrompts {
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
}

const VS_CODE_PROMPTS: ConnectionPrompts = {
  showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
  showInputBox: (options) => vscode.window.showInputBox(options),
};

/** What a database command returns: tests assert on it, the palette ignores it. */
export interface DatabaseCommandResult {
  connected: boolean;
  /** `user@host/db` when connected. */
  database?: string;
  /** The one message the user was shown when the command failed. */
  error?: string;
  changes?: number;
  /** The alignment migration written. */
  uri?: vscode.Uri;
}

export interface DatabaseCommandContext {
  extension: vscode.ExtensionContext;
  analysis: WorkspaceAnalysis;
  tree: SchemaTree;
  treeView: vscode.TreeView<SchemaNode>;
  statusBar: FindingsStatusBar;
  log: vscode.LogOutputChannel;
  /** Handles the report panel's messages when this module opens the panel. */
  onPanelMessage(message: WebviewMessage): void;
}

/** The database side of the extension; `activate` exposes it in the API. */
export class DatabaseController implements vscode.Disposable {
  readonly connection: DatabaseConnection;
  /** Replaceable for tests (see ConnectionPrompts). */
  prompts: ConnectionPrompts = VS_CODE_PROMPTS;
  private diff: SchemaDiff | undefined;
  private alignmentSelection: number[] = [];
  private diffRunning: Promise<DatabaseCommandResult> | undefined;
  /** Error notifications the database commands showed, newest last; tests read them. */
  readonly notifications: string[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: DatabaseCommandContext) {
    this.connection = new DatabaseConnection(context.extension.secrets);
    this.disposables.push(
      this.connection,
      this.connection.onDidChange((database) => {
        void vscode.commands.executeCommand('setContext', 'pgreview.connected', database !== undefined);
        context.statusBar.setDatabase(database ? { label: database.label, target: describeTarget(database.options) } : undefined);
        context.tree.setDatabase(database?.catalog);
        context.analysis.setDatabaseHistory(database?.history);
        this.showTreeSource();
      }),
      vscode.workspace.onDidSaveTextDocument((document) => this.diffAfterSave(document)),
      context.analysis.onDidChangeTarget((target) => this.projectChanged(target)),
    );
    void vscode.commands.executeCommand('setContext', 'pgreview.connected', false);
    void vscode.commands.executeCommand('setContext', 'pgreview.treeSource', 'migrations');
  }

  /** The last schema diff, if any. */
  get lastDiff(): SchemaDiff | undefined {
    return this.diff;
  }

  /** Registers the commands; the disposables go to `context.subscriptions`. */
  register(): vscode.Disposable[] {
    const command = (id: string, run: (...args: never[]) => Promise<unknown> | unknown): vscode.Disposable =>
      vscode.commands.registerCommand(id, async (...args: never[]) => {
        try {
          return await run(...args);
        } catch (error) {
          return this.fail(`The command ${id} failed`, error);
        }
      });
    return [
      command('pgreview.connect', (profileName?: string) => this.connect(profileName)),
      command('pgreview.disconnect', () => this.disconnect()),
      command('pgreview.showSchemaDiff', () => this.showSchemaDiff()),
      command('pgreview.generateAlignmentMigration', (options?: { ids?: number[] }) => this.generateAlignmentMigration(options?.ids)),
      command(SET_ALIGNMENT_SELECTION_COMMAND, (ids: number[]) => {
        this.alignmentSelection = [...ids];
        return this.alignmentSelection.length;
      }),
      command('pgreview.tree.showDatabase', () => this.setTreeSource('database')),
      command('pgreview.tree.showMigrations', () => this.setTreeSource('migrations')),
    ];
  }

  /**
   * Picks a profile (or creates one), finds its password in SecretStorage (or asks for it) and
   * proves the connection with a read-only introspection. Refused in an untrusted workspace.
   */
  async connect(profileName?: string): Promise<DatabaseCommandResult> {
    const { log } = this.context;
    if (!vscode.workspace.isTrusted) {
      const message = 'pgreview connects to databases only in a trusted workspace; the review of the migrations stays offline.';
      log.warn(message);
      void vscode.window.showWarningMessage(`pgreview: ${message}`);
      return { connected: false, error: message };
    }
    const root = this.context.analysis.root;
    const settings = readSettings(root);
    const picked = profileName
      ? { profile: settings.connections.find((profile) => profile.name === profileName), isNew: false }
      : await this.pickProfile(settings.connections);
    if (!picked) return this.result();
    if (!picked.profile) throw new Error(`there is no connection profile named ${profileName} in pgreview.connections`);
    const profile = picked.profile;
    let password = await this.connection.storedPassword(profile.name);
    if (password === undefined && !picked.isNew) {
      password = await this.prompts.showInputBox({
        title: `Password for ${profile.user}@${profile.host}/${profile.database}`,
        prompt: 'Kept in VS Code\'s secret storage. Leave empty to use PGPASSWORD or ~/.pgpass.',
        password: true,
        ignoreFocusOut: true,
      });
      if (password === undefined) return this.result();
      if (password) await this.connection.storePassword(profile.name, password);
    }
    const snapshot = this.context.analysis.current ?? (await this.context.analysis.run());
    if (!snapshot) throw new Error('the migrations could not be analysed, so the database profile (Supabase or PostgreSQL) is unknown');
    const target = describeTarget({ user: profile.user, host: profile.host, port: profile.port ?? 5432, database: profile.database });
    log.info(`connecting to ${target} (profile ${profile.name})`);
    try {
      const connected = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `pgreview: connecting to ${target}`, cancellable: true },
        (_progress, token) => this.connection.connect(profile, password || undefined, snapshot.config, settings.statementTimeoutMs, token, snapshot.layout),
      );
      log.info(`connected to ${describeTarget(connected.options)}: ${connected.catalog.tables.size} tables read`);
      log.info(connected.history ? `pending migrations: those ${connected.history.table} does not list` : `${connected.noHistoryReason}: git decides which migrations are pending`);
      return this.result();
    } catch (error) {
      // A rejected password is not kept: the next Connect asks again.
      if (error instanceof AuthenticationError) await this.connection.forgetPassword(profile.name);
      return this.fail('Could not connect to the database', error);
    }
  }

  /**
   * Reads the connected database's migration history again, for Refresh: a deploy since connecting
   * changes what is pending. Nothing happens offline.
   */
  async refreshHistory(): Promise<void> {
    if (!this.connection.current) return;
    try {
      const reading = await this.connection.readHistoryAgain(this.context.analysis.current?.layout);
      if (reading) this.context.analysis.setDatabaseHistory(reading.history);
    } catch (error) {
      this.fail('Could not read the migration history again', error);
    }
  }

  disconnect(): DatabaseCommandResult {
    const was = this.connection.current;
    this.connection.disconnect();
    this.dropDiff();
    if (was) {
      this.context.log.info(`disconnected from ${describeTarget(was.options)}`);
    } else {
      void vscode.window.showInformationMessage('pgreview: no database is connected; the review is offline.');
    }
    return this.result();
  }

  /**
   * Another folder became the project. The diff compared the old folder's migrations, and the
   * connection belongs to the old folder too: its profile came from that folder's
   * `pgreview.connections` (a resource setting), and its catalog was read with that folder's
   * profile (which schemas are the platform's, which are exposed). Both go; Connect then offers
   * the new folder's profiles. This is the one place a folder change drops the diff (the tree's
   * drift badges and the panel's Diff and Inventory tabs included).
   */
  private projectChanged(target: ProjectTarget | undefined): void {
    this.dropDiff();
    const was = this.connection.current;
    if (!was || !this.connection.disconnect()) return;
    const message = target
      ? `disconnected from ${was.label} (profile ${was.profile.name}), a connection of the previous project folder: pgreview now reviews ${target.label}. Connect again to compare its migrations.`
      : `disconnected from ${was.label} (profile ${was.profile.name}): no folder is open to review.`;
    this.context.log.info(message);
    void vscode.window.showInformationMessage(`pgreview: ${message}`, 'Connect…').then((choice) => {
      if (choice) void vscode.commands.executeCommand('pgreview.connect');
    });
  }

  /** Forgets the schema diff and the changes picked from it, and clears it from the tree and the panel. */
  private dropDiff(): void {
    this.diff = undefined;
    this.alignmentSelection = [];
    this.context.tree.setDrift(undefined);
    ReportPanel.showDiff(undefined);
  }

  /** Runs the diff with cancellable progress and shows it in the panel's Diff tab. */
  async showSchemaDiff(): Promise<DatabaseCommandResult> {
    const connected = this.requireConnection('Show Schema Diff');
    if (!connected) return this.result();
    const result = await this.runDiff(connected, vscode.ProgressLocation.Notification);
    if (this.diff) {
      const snapshot = this.context.analysis.current;
      ReportPanel.show(this.context.extension.extensionUri, snapshot, (message) => this.context.onPanelMessage(message), 'diff');
    }
    return result;
  }

  /**
   * Writes the alignment migration (of the picked changes, or of all) as a new migration file
   * with the next timestamp name and opens it for review. It is never applied.
   */
  async generateAlignmentMigration(ids?: number[]): Promise<DatabaseCommandResult> {
    const connected = this.requireConnection('Generate Alignment Migration');
    if (!connected) return this.result();
    if (!this.diff) {
      await this.runDiff(connected, vscode.ProgressLocation.Notification);
      if (!this.diff) return this.result();
    }
    const diff: SchemaDiff = this.diff;
    const picked = ids && ids.length > 0 ? ids : this.alignmentSelection;
    if (diff.changes.length === 0) {
      void vscode.window.showInformationMessage(`pgreview: ${connected.label} matches the migrations; there is nothing to align.`);
      return this.result({ changes: 0 });
    }
    const { sql, count } = renderAlignmentMigration(diff, picked);
    const snapshot = this.context.analysis.current;
    if (!snapshot) return this.result();
    const header = `-- Makes ${connected.label} match the migrations (${count} of ${diff.changes.length} differences, compared ${diff.data.comparedAt}).`;
    const uri = await writeFixMigration(snapshot.root, snapshot, 'Align database with migrations', `${header}\n${sql}`);
    this.context.log.info(`wrote an alignment migration of ${count} changes: ${vscode.workspace.asRelativePath(uri)}`);
    await vscode.window.showTextDocument(uri, { preview: false });
    return this.result({ changes: count, uri });
  }

  /** Toggles the tree between the migrations and the connected database; says which in the view's description. */
  setTreeSource(source: TreeSource): TreeSource {
    if (source === 'database' && !this.connection.current) {
      void vscode.window.showInformationMessage('pgreview: connect to a database first (pgreview: Connect to Database…).');
    }
    const shown = this.context.tree.setSource(source);
    this.showTreeSource();
    return shown;
  }

  private showTreeSource(): void {
    const connected = this.connection.current;
    const fromDatabase = connected !== undefined && this.context.tree.currentSource === 'database';
    this.context.treeView.description = fromDatabase ? `database: ${connected.label}` : undefined;
    this.context.treeView.message = fromDatabase ? `Objects in ${connected.label}, as last read. Findings are shown on the migrations' objects.` : undefined;
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private async runDiff(connected: ConnectedDatabase, location: vscode.ProgressLocation): Promise<DatabaseCommandResult> {
    // A diff already running answers this request too: two shadows at once only cost time.
    this.diffRunning ??= this.diffOnce(connected, location).finally(() => {
      this.diffRunning = undefined;
    });
    return this.diffRunning;
  }

  private async diffOnce(connected: ConnectedDatabase, location: vscode.ProgressLocation): Promise<DatabaseCommandResult> {
    const { analysis, log, extension } = this.context;
    const snapshot: AnalysisSnapshot | undefined = (await analysis.settled()) ?? (await analysis.run());
    if (!snapshot) return this.result();
    const cacheDirectory = extension.globalStorageUri.fsPath;
    try {
      const diff = await vscode.window.withProgress(
        { location, title: 'pgreview: schema diff', cancellable: true },
        (progress, token) => runSchemaDiff(snapshot, connected, cacheDirectory, { report: (step) => progress.report({ message: step }) }, token),
      );
      // A disconnect or another connection (each connect resolves new options; a Refresh keeps them),
      // or another project folder, during the diff: its result belongs to nothing shown.
      if (this.connection.current?.options !== connected.options || analysis.root?.toString() !== snapshot.root.toString()) return this.result();
      for (const warning of diff.warnings) log.warn(warning);
      for (const finding of diff.shadowFindings) log.warn(`shadow: ${finding.span ? `${finding.span.file}:${finding.span.line}: ` : ''}${printableMessage(finding.message)}`);
      log.info(`schema diff with ${diff.data.target}: ${diff.changes.length} differences in ${diff.data.durationMs} ms`);
      this.diff = diff;
      this.alignmentSelection = [];
      this.connection.updateCatalog(diff.database);
      this.connection.updateHistory(diff.history, connected.options);
      analysis.setDatabaseHistory(diff.history);
      this.context.tree.setDatabase(diff.database);
      this.context.tree.setDrift(diff.changes);
      ReportPanel.showDiff(diff.data);
      return this.result({ changes: diff.changes.length });
    } catch (error) {
      if (error instanceof CancelledError) {
        log.info('schema diff cancelled');
        return this.result();
      }
      return this.fail('The schema diff failed', error);
    }
  }

  /** After a migration is saved: re-diff when connected and `pgreview.diffOnSave` is on. */
  private diffAfterSave(document: vscode.TextDocument): void {
    const connected = this.connection.current;
    const root = this.context.analysis.root;
    if (!connected || !root || !readSettings(root).diffOnSave || !this.context.analysis.isMigration(document.uri)) return;
    void this.runDiff(connected, vscode.ProgressLocation.Window);
  }

  /** The connection, or undefined after offering to connect (the command can then be run again). */
  private requireConnection(title: string): ConnectedDatabase | undefined {
    const connected = this.connection.current;
    if (connected) return connected;
    const message = `pgreview: ${title} needs a database connection. Offline review of the migrations keeps working.`;
    this.context.log.info(message);
    void vscode.window.showInformationMessage(message, 'Connect…').then(async (choice) => {
      if (!choice) return;
      const result = await this.connect();
      if (result.connected) await vscode.commands.executeCommand(title === 'Show Schema Diff' ? 'pgreview.showSchemaDiff' : 'pgreview.generateAlignmentMigration');
    });
    return undefined;
  }

  private async pickProfile(profiles: readonly ConnectionProfileSetting[]): Promise<{ profile: ConnectionProfileSetting | undefined; isNew: boolean } | undefined> {
    const items: (vscode.QuickPickItem & { profile?: ConnectionProfileSetting })[] = [
      ...profiles.map((profile) => ({
        label: profile.name,
        description: describeTarget({ user: profile.user, host: profile.host, port: profile.port ?? 5432, database: profile.database }),
        detail: `sslmode ${profile.sslmode ?? 'prefer'}`,
        profile,
      })),
      { label: NEW_CONNECTION, description: 'host, port, database, user, sslmode; the password goes to secret storage' },
    ];
    const picked = await this.prompts.showQuickPick(items, { title: 'pgreview: Connect to Database', placeHolder: 'Connection profile (pgreview.connections)', ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.profile) return { profile: picked.profile, isNew: false };
    const created = await this.createProfile(profiles);
    return created ? { profile: created, isNew: true } : undefined;
  }

  /** Asks for a new profile, saves it in the workspace settings and its password in SecretStorage. */
  private async createProfile(existing: readonly ConnectionProfileSetting[]): Promise<ConnectionProfileSetting | undefined> {
    const ask = (title: string, value: string, validate?: (text: string) => string | undefined): Thenable<string | undefined> =>
      this.prompts.showInputBox({ title: `pgreview: New connection — ${title}`, value, ignoreFocusOut: true, validateInput: (text) => (text.trim() ? validate?.(text) : `The ${title.toLowerCase()} is required.`) });
    const host = await ask('Host', 'localhost');
    if (host === undefined) return undefined;
    const port = await ask('Port', '5432', (text) => (/^\d{1,5}$/.test(text.trim()) && Number(text) <= 65535 ? undefined : 'A port is a number from 1 to 65535.'));
    if (port === undefined) return undefined;
    const database = await ask('Database', 'postgres');
    if (database === undefined) return undefined;
    const user = await ask('User', 'postgres');
    if (user === undefined) return undefined;
    const sslmode = await this.prompts.showQuickPick(SSL_MODES.map((mode) => ({ label: mode })), { title: 'pgreview: New connection — sslmode', placeHolder: 'sslmode', ignoreFocusOut: true });
    if (!sslmode) return undefined;
    const password = await this.prompts.showInputBox({
      title: 'pgreview: New connection — Password',
      prompt: 'Kept in VS Code\'s secret storage, never in settings. Leave empty to use PGPASSWORD or ~/.pgpass.',
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) return undefined;
    const baseName = `${user.trim()}@${host.trim()}/${database.trim()}`;
    let name = baseName;
    for (let suffix = 2; existing.some((profile) => profile.name === name); suffix++) name = `${baseName} (${suffix})`;
    const profile: ConnectionProfileSetting = { name, host: host.trim(), port: Number(port), database: database.trim(), user: user.trim(), sslmode: sslmode.label };
    await saveConnectionProfile(this.context.analysis.root, profile);
    if (password) await this.connection.storePassword(name, password);
    this.context.log.info(`saved the connection profile ${name} in the workspace settings`);
    return profile;
  }

  private result(extra: Partial<DatabaseCommandResult> = {}): DatabaseCommandResult {
    const current = this.connection.current;
    return { connected: current !== undefined, ...(current ? { database: current.label } : {}), ...extra };
  }

  private fail(what: string, error: unknown): DatabaseCommandResult {
    if (error instanceof CancelledError) return this.result();
    reportError(this.context.log, what, error);
    const message = error instanceof Error ? error.message : String(error);
    this.notifications.push(`${what}. ${message}`);
    return this.result({ error: message });
  }
}
