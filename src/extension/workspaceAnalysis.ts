/**
 * Runs the engine over the project folder's migrations: debounced after edits, one
 * CancellationTokenSource per run (a newer run cancels the older one), the parse of unchanged files
 * reused by one Analyzer. Everything the editor shows (diagnostics, tree, lenses, status, report)
 * listens to `onDidAnalyze`. Which workspace folder is the project (projectFolder.ts) is decided
 * again when folders, settings or files change, and `onDidChangeTarget` tells the views.
 */
import * as vscode from 'vscode';
import { Analyzer, type Analysis, type CatalogAfterFiles } from '../core/analyze';
import { CancelledError } from '../core/cancellation';
import type { ResolvedConfig } from '../core/config';
import type { MigrationLayout } from '../core/discovery/discoverMigrations';
import { PgreviewError } from '../core/errors';
import type { Finding } from '../core/finding';
import { matchMigrationHistory, pendingFromHistory, type HistoryMatch, type MigrationHistory } from '../core/history/matchMigrationHistory';
import { configWithSettings } from '../core/project/editorSettings';
import { loadProject, type Project, type ProjectProblem, type ProjectReader } from '../core/project/loadProject';
import { loadParser } from '../core/sql/parser';
import type { SourceSpan } from '../core/sql/span';
import { isSkippedFolder, SKIPPED_FOLDERS } from '../node/fileSystemProjectReader';
import { pendingInEditor, readGitChanges, type GitChanges, type PendingState } from '../node/gitPendingMigrations';
import { createEditorProjectReader, createWorkspaceListing, isInside, relativePath, type EditorProjectReader } from './editorProjectReader';
import { chooseProjectTarget, type FolderDiscovery, type ProjectTarget } from './projectFolder';
import { reportError } from './reportError';
import { readSettings } from './settings';

/** One finished run: the analysis and what it was computed from. */
export interface AnalysisSnapshot {
  root: vscode.Uri;
  /** The project folder's name (and path inside it) in a multi-root workspace; undefined with one folder. */
  folderLabel: string | undefined;
  analysis: Analysis;
  /** The project's findings (skipped files) and the analysis's, in that order: what every view shows. */
  findings: Finding[];
  /** Configuration and discovery notes, logged to the output channel. */
  problems: ProjectProblem[];
  config: ResolvedConfig;
  /** Document versions of the files read from open editors; code actions check them. */
  versions: Map<string, number>;
  /** Relative paths of every migration discovery found (skipped ones too), in the order they apply. */
  paths: string[];
  /** The migration tool's layout discovery recognised: new migrations are named as it expects. */
  layout: MigrationLayout | undefined;
  /** Which migrations the safety rules judged, and what decided it. */
  pending: PendingState;
  /** The connected database's migration history matched with the files; undefined offline or without a history table. */
  history: HistoryMatch | undefined;
  durationMs: number;
}

export class WorkspaceAnalysis implements vscode.Disposable {
  private analyzer = new Analyzer();
  private readonly didAnalyze = new vscode.EventEmitter<AnalysisSnapshot>();
  private readonly didChangeTarget = new vscode.EventEmitter<ProjectTarget | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.didAnalyze, this.didChangeTarget];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: vscode.CancellationTokenSource | undefined;
  private latestRun: Promise<AnalysisSnapshot | undefined> | undefined;
  private snapshot: AnalysisSnapshot | undefined;
  private projectTarget: ProjectTarget | undefined;
  /** Set when folders, settings or files changed, so the next run chooses the project folder again. */
  private targetStale = false;
  /** The `pgreview.projectFolder` value last warned about, so a wrong value is reported once. */
  private warnedSetting: string | undefined;
  /** File-system listings by folder URI, reused between runs until a file is created or deleted there. */
  private readonly listings = new Map<string, ProjectReader>();
  private loggedProblems = '';
  /** Set by `dispose`: a watcher callback still awaiting the file system then schedules nothing. */
  private disposed = false;
  /** git's answer for the project folder and pgreview.pendingSince, kept until a file or setting changes. */
  private gitChanges: { key: string; changes: Promise<GitChanges> } | undefined;
  /** The connected database's migration history: while there is one, it decides what is pending. */
  private databaseHistory: MigrationHistory | undefined;

  readonly onDidAnalyze = this.didAnalyze.event;
  /** Fires when another folder becomes the project; its snapshot follows with the next run. */
  readonly onDidChangeTarget = this.didChangeTarget.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.isMigration(event.document.uri) && event.contentChanges.length > 0) this.schedule();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.isMigration(document.uri)) this.schedule();
      }),
      // Any pgreview setting may change which folder is the project (projectFolder, migrations).
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('pgreview')) this.retarget();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) this.forgetListings(folder.uri);
        this.retarget();
      }),
    );
    // Discovery may pick migrations anywhere (Supabase, Flyway, dbmate, globs), and config files
    // change the result too: a new or deleted file invalidates the listing. The watchers cover every
    // workspace folder, so they follow the project folder when it changes, and a folder that gains
    // migrations can become the project.
    for (const glob of WATCHED_FILES) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      const created = (uri: vscode.Uri): void => this.fileChanged(uri, true);
      this.disposables.push(watcher, watcher.onDidCreate(created), watcher.onDidDelete(created), watcher.onDidChange((uri) => this.fileChanged(uri, false)));
    }
    // Folders come and go with their files in one event. `supabase migration new` in a project
    // without supabase/migrations creates the folder and the file at once, and the file's own
    // event can be lost before the new folder is watched; deleting a folder reports the folder
    // alone. So a created folder, or a deleted path that holds migrations, is looked at again too.
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.disposables.push(folders, folders.onDidCreate((uri) => void this.pathCreated(uri)), folders.onDidDelete((uri) => this.pathDeleted(uri)));
    this.chooseTarget((uri) => this.discover(uri));
  }

  /** The last finished run, if any. */
  get current(): AnalysisSnapshot | undefined {
    return this.snapshot;
  }

  /** The folder whose migrations are analysed (see projectFolder.ts). */
  get root(): vscode.Uri | undefined {
    return this.projectTarget?.uri;
  }

  /** The project folder and why it was chosen. */
  get target(): ProjectTarget | undefined {
    return this.projectTarget;
  }

  /** Chooses the project folder again on the next run, and schedules that run. */
  retarget(): void {
    this.targetStale = true;
    this.gitChanges = undefined;
    this.schedule();
  }

  /** The connected database's migration history (undefined after a disconnect, or when it has none). */
  setDatabaseHistory(history: MigrationHistory | undefined): void {
    // A history read again (Refresh, a diff) is a new object; an unchanged one needs no new run.
    if (history === this.databaseHistory || (history && this.databaseHistory && JSON.stringify(history) === JSON.stringify(this.databaseHistory))) return;
    this.databaseHistory = history;
    this.schedule();
  }

  /** What discovery finds in a folder, read now; the Select Project Folder pick shows it. */
  discoverIn(folder: vscode.Uri): FolderDiscovery {
    return this.discover(folder);
  }

  /** Runs after the debounce; a call during the wait restarts it. */
  schedule(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.running?.cancel();
    const root = this.root;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, root ? readSettings(root).debounceMs : 0);
  }

  /** Runs now, cancelling a pending or running one, and resolves with its snapshot. */
  run(): Promise<AnalysisSnapshot | undefined> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.running = source;
    const run = this.analyzeWorkspace(source.token).finally(() => {
      source.dispose();
      if (this.running === source) this.running = undefined;
    });
    this.latestRun = run;
    return run;
  }

  /** Resolves once no run is pending: the snapshot every view shows. Tests wait on this. */
  async settled(): Promise<AnalysisSnapshot | undefined> {
    while (this.timer || this.running) {
      if (this.timer) await new Promise((resolve) => setTimeout(resolve, 20));
      else await this.latestRun;
    }
    return this.snapshot;
  }

  /**
   * The catalog the Analyzer keeps from its last runs (before the file last edited), when it is a
   * state of this snapshot's files: where a catalog as of an earlier file starts replaying.
   */
  checkpointFor(snapshot: AnalysisSnapshot): CatalogAfterFiles | undefined {
    return snapshot === this.snapshot ? this.analyzer.checkpointFor(snapshot.analysis.files, snapshot.config) : undefined;
  }

  /** The editor URI of a file named by a span. */
  uriOf(file: string): vscode.Uri | undefined {
    return this.snapshot ? vscode.Uri.joinPath(this.snapshot.root, file) : undefined;
  }

  /** True for files of the last run's migration set, or matching a glob when no run finished yet. */
  isMigration(uri: vscode.Uri): boolean {
    const root = this.root;
    if (!root || uri.scheme !== root.scheme) return false;
    const path = relativePath(root, uri);
    // Before the first run the set is unknown; any SQL file may be a migration, and a run decides.
    return this.snapshot ? this.snapshot.paths.includes(path) : path.endsWith('.sql');
  }

  private logProblems(problems: readonly ProjectProblem[]): void {
    // The same notes come back on every keystroke; log them when they change.
    const text = problems.map((problem) => `${problem.file ? `${problem.file}: ` : ''}${problem.message}`).join('\n');
    if (text === this.loggedProblems) return;
    this.loggedProblems = text;
    for (const line of text ? text.split('\n') : []) this.log.warn(line);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.running?.cancel();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** A watched file was created or deleted (`listed`), or changed. */
  private fileChanged(uri: vscode.Uri, listed: boolean): void {
    if (listed) this.forgetListings(uri);
    // A saved, created or deleted file may change what git calls uncommitted.
    this.gitChanges = undefined;
    const target = this.projectTarget;
    // When discovery chose the folder, a new migration or config file elsewhere may change the choice.
    const followsDiscovery = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 && target?.reason !== 'setting';
    if (followsDiscovery && (listed || !uri.path.endsWith('.sql'))) this.retarget();
    else if (target && isInside(target.uri, uri)) this.schedule();
  }

  /**
   * Any path was created: a folder may hold migrations whose own events were lost. Only a folder
   * the listing walks and that holds a watched file (a migration or config) is looked at again;
   * build output, dependencies and other folders without SQL drop no listing and start no run.
   */
  private async pathCreated(uri: vscode.Uri): Promise<void> {
    if (isWatchedFile(uri) || this.neverListed(uri)) return;
    try {
      if (!((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory)) return;
    } catch {
      return; // Gone again already: its deletion says what changed.
    }
    if (this.disposed) return;
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, WATCHED_IN_FOLDER), NEVER_LISTED_GLOB, 1);
    if (!this.disposed && found.length > 0) this.fileChanged(uri, true);
  }

  /**
   * True when no listing walks `uri`: it lies outside every workspace folder, or in a folder the
   * listing skips (hidden, dependency or build output), counted from the project folder or the
   * workspace folder that holds it.
   */
  private neverListed(uri: vscode.Uri): boolean {
    const target = this.projectTarget?.uri;
    const base = target && isInside(target, uri) ? target : vscode.workspace.getWorkspaceFolder(uri)?.uri;
    if (!base) return true;
    if (uri.path === base.path) return false;
    return relativePath(base, uri).split('/').some(isSkippedFolder);
  }

  /** Any path was deleted: when it held migrations of the project (a folder), discovery looks again. */
  private pathDeleted(uri: vscode.Uri): void {
    if (isWatchedFile(uri)) return;
    const snapshot = this.snapshot;
    if (snapshot?.paths.some((path) => isInside(uri, vscode.Uri.joinPath(snapshot.root, path)))) this.fileChanged(uri, true);
  }

  /** Drops the listings of the folders that hold `uri`, or that lie inside it (a removed folder). */
  private forgetListings(uri: vscode.Uri): void {
    for (const key of [...this.listings.keys()]) {
      const folder = vscode.Uri.parse(key);
      if (isInside(folder, uri) || isInside(uri, folder)) this.listings.delete(key);
    }
  }

  /** A folder seen as a project: unsaved editor texts, the folder's settings laid over pgreview.json. */
  private loadFolder(root: vscode.Uri, token?: vscode.CancellationToken): LoadedFolder {
    let listing = this.listings.get(root.toString());
    if (!listing) {
      listing = createWorkspaceListing(root);
      this.listings.set(root.toString(), listing);
    }
    const reader = createEditorProjectReader(root, listing);
    const project = loadProject(reader, { configFile: configWithSettings(reader, readSettings(root)) }, token);
    return { root, reader, project };
  }

  /**
   * The migrations pending in `root` without a database history: those git calls uncommitted or
   * untracked (or changed since pgreview.pendingSince) and those with unsaved edits. git runs once
   * per file or setting change, not per keystroke.
   */
  private async pendingIn(root: vscode.Uri, project: Project): Promise<PendingState> {
    if (root.scheme !== 'file') return { pending: undefined, reason: 'the folder is not on disk, so git cannot tell' };
    const since = readSettings(root).pendingSince;
    const key = `${root.toString()}\0${since ?? ''}`;
    if (this.gitChanges?.key !== key) this.gitChanges = { key, changes: readGitChanges(root.fsPath, since) };
    const changes = await this.gitChanges.changes;
    const unsaved = new Set(vscode.workspace.textDocuments.filter((document) => document.isDirty && isInside(root, document.uri)).map((document) => relativePath(root, document.uri)));
    return pendingInEditor(project.paths, changes, unsaved, since);
  }

  /** Loads a folder to see what discovery finds there; `loaded` keeps the result for the run. */
  private discover(folder: vscode.Uri, token?: vscode.CancellationToken, loaded?: Map<string, LoadedFolder>): FolderDiscovery {
    try {
      const result = this.loadFolder(folder, token);
      loaded?.set(folder.toString(), result);
      return { migrations: result.project.paths.length };
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      // A broken pgreview.json still makes a project; anything else means the folder cannot be read.
      return error instanceof PgreviewError ? { migrations: 0, error: error.message } : undefined;
    }
  }

  /**
   * Chooses the project folder (projectFolder.ts). When it is another folder than before, the
   * Analyzer and the snapshot of the old one are dropped and `onDidChangeTarget` fires.
   */
  private chooseTarget(discover: (uri: vscode.Uri) => FolderDiscovery): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    // pgreview.projectFolder is a window setting: any folder as the scope gives the workspace's value,
    // and the resource settings readSettings also reads want a scope in a multi-root workspace.
    const { target, unmatchedSetting } = chooseProjectTarget(folders, readSettings(folders[0]?.uri).projectFolder, discover);
    this.targetStale = false;
    if (unmatchedSetting !== undefined && unmatchedSetting !== this.warnedSetting) {
      const message = `pgreview.projectFolder is "${unmatchedSetting}", which names no workspace folder nor a folder inside one; pgreview reviews ${target?.label ?? 'nothing'} instead.`;
      this.log.warn(message);
      void vscode.window.showWarningMessage(`pgreview: ${message}`);
    }
    this.warnedSetting = unmatchedSetting;
    const previous = this.projectTarget;
    this.projectTarget = target;
    if (target?.uri.toString() === previous?.uri.toString()) return;
    this.analyzer = new Analyzer();
    this.snapshot = undefined;
    this.loggedProblems = '';
    if (target) {
      const why = target.reason === 'setting' ? 'pgreview.projectFolder' : target.reason === 'migrations' ? 'the first workspace folder with migrations' : 'the first workspace folder';
      this.log.info(`reviewing the migrations of ${target.label} (${why})`);
    }
    this.didChangeTarget.fire(target);
  }

  private async analyzeWorkspace(token: vscode.CancellationToken): Promise<AnalysisSnapshot | undefined> {
    const started = Date.now();
    try {
      // Activation only starts loading the parser; every run waits for it, and so does whatever
      // waits for a run (a command that needs a snapshot, the RLS tests).
      await loadParser();
      if (token.isCancellationRequested) return undefined;
      // Choosing the folder loads the candidates; the run reuses the chosen one's load.
      const loaded = new Map<string, LoadedFolder>();
      if (this.targetStale) this.chooseTarget((uri) => this.discover(uri, token, loaded));
      const root = this.root;
      if (!root) return undefined;
      const { reader, project } = loaded.get(root.toString()) ?? this.loadFolder(root, token);
      if (token.isCancellationRequested) return undefined;
      // While a connected database has a history table, it decides what is pending, and the history rules judge it.
      const history = this.databaseHistory ? matchMigrationHistory(this.databaseHistory, project.files) : undefined;
      const pending = history ? { pending: pendingFromHistory(history) } : await this.pendingIn(root, project);
      if (token.isCancellationRequested) return undefined;
      const analysis = this.analyzer.analyze({ files: project.files, config: project.config, pending: pending.pending, layout: project.layout, history }, token);
      const snapshot: AnalysisSnapshot = {
        root,
        folderLabel: (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? this.projectTarget?.label : undefined,
        analysis,
        findings: [...project.findings, ...analysis.findings],
        problems: project.problems,
        config: project.config,
        versions: reader.versions,
        paths: project.paths,
        layout: project.layout,
        pending,
        history,
        durationMs: Date.now() - started,
      };
      this.snapshot = snapshot;
      this.log.info(`analysed ${snapshot.paths.length} migration files in ${snapshot.durationMs} ms: ${snapshot.findings.length} findings`);
      this.logProblems(project.problems);
      this.didAnalyze.fire(snapshot);
      return snapshot;
    } catch (error) {
      if (error instanceof CancelledError) return undefined;
      reportError(this.log, 'The analysis of the migrations failed', error);
      return undefined;
    }
  }
}

/** The files whose creation, deletion or change the analysis follows. */
/** Migrations, settings, and the files some tools order their migrations by (Atlas, Sqitch, Drizzle). */
const WATCHED_FILES = ['**/*.sql', '**/pgreview.json', '**/supabase/config.toml', '**/{atlas.sum,sqitch.plan,meta/_journal.json}'];

/**
 * The folders the listing never walks (SKIPPED_FOLDERS and every hidden folder, at any depth), as a
 * glob for `findFiles`' exclude (matched relative to the workspace folder): nothing created in them
 * changes what discovery finds.
 */
const NEVER_LISTED_GLOB = `**/{${[...SKIPPED_FOLDERS, '.*'].join(',')}}/**`;

/** The WATCHED_FILES a new folder may hold, relative to it (`supabase/config.toml` may be its `config.toml`). */
const WATCHED_IN_FOLDER = '{**/*.sql,**/pgreview.json,**/supabase/config.toml,config.toml,**/atlas.sum,**/sqitch.plan,**/meta/_journal.json}';

/** True for a path one of the WATCHED_FILES watchers reports itself. */
function isWatchedFile(uri: vscode.Uri): boolean {
  const path = uri.path;
  return path.endsWith('.sql') || path.endsWith('/pgreview.json') || path.endsWith('/supabase/config.toml') || path.endsWith('/atlas.sum') || path.endsWith('/sqitch.plan') || path.endsWith('/meta/_journal.json');
}

/** A folder loaded as a project, with the reader that recorded the editor versions it read. */
interface LoadedFolder {
  root: vscode.Uri;
  reader: EditorProjectReader;
  project: Project;
}

/** The editor range of a span (spans are 1-based; VS Code positions are 0-based). */
export function rangeOf(span: SourceSpan): vscode.Range {
  return new vscode.Range(span.line - 1, span.column - 1, span.endLine - 1, span.endColumn - 1);
}
