/**
 * Runs the engine over one project folder for the language server, as workspaceAnalysis.ts does
 * for VS Code: one Analyzer that keeps the parse of unchanged files, open documents laid over the
 * disk, re-analysis debounced after edits, and a newer run cancelling an older one. Which
 * migrations are pending comes from git as in VS Code (`pgreview.pendingSince`, and open documents
 * with unsaved edits). Whatever the server shows (diagnostics, code actions, hovers, symbols)
 * reads the last finished snapshot.
 */
import type { MigrationLayout } from '../core/discovery/discoverMigrations';
import { relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Analyzer, type Analysis, type CatalogAfterFiles } from '../core/analyze';
import { CancelledError, type CancellationToken } from '../core/cancellation';
import type { AnalysisState } from '../core/catalog/catalogsAsOf';
import type { ResolvedConfig } from '../core/config';
import type { Finding } from '../core/finding';
import { configWithSettings } from '../core/project/editorSettings';
import { loadProject, type Project, type ProjectProblem, type ProjectReader } from '../core/project/loadProject';
import { createFileSystemProjectReader } from '../node/fileSystemProjectReader';
import { pendingInEditor, readGitChanges, type GitChanges, type PendingState } from '../node/gitPendingMigrations';
import { createOverlayProjectReader, type OpenDocumentText } from '../node/overlayProjectReader';
import { UnchangedFileCache } from '../node/unchangedFileCache';
import type { LspSettings } from './lspSettings';

/** One finished run: the analysis and what it was computed from. */
export interface ProjectSnapshot extends AnalysisState {
  analysis: Analysis;
  config: ResolvedConfig;
  /** The project's findings (skipped files) and the analysis's, in that order. */
  findings: Finding[];
  /** Relative paths of every migration discovery found (skipped ones too), in the order they apply. */
  paths: string[];
  /** The migration tool's layout: new migrations are named as it expects. */
  layout: MigrationLayout | undefined;
  problems: ProjectProblem[];
  /** Which migrations the safety rules judged, and what decided it. */
  pending: PendingState;
  durationMs: number;
}

/** What the session needs from the server: the open documents, and where results and notes go. */
export interface SessionHost {
  /** The open documents, by URI as the client names them. */
  openDocuments(): Iterable<{ uri: string } & OpenDocumentText>;
  settings(): LspSettings;
  onSnapshot(snapshot: ProjectSnapshot): void;
  /** An error that stopped a run (a broken pgreview.json): for the user to see. */
  onError(error: unknown): void;
}

export class ProjectSession {
  private analyzer = new Analyzer();
  private listing: ProjectReader | undefined;
  private readonly diskTexts: UnchangedFileCache;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: { isCancellationRequested: boolean } | undefined;
  private snapshot: ProjectSnapshot | undefined;
  private disposed = false;
  /** git's answer for this folder and pgreview.pendingSince, kept until a file is saved, created or deleted. */
  private gitChanges: { since: string | undefined; changes: Promise<GitChanges> } | undefined;
  /** Until `start`, nothing runs: the client's settings are not known yet. */
  private started = false;

  /** `root` is the project folder on disk. */
  constructor(
    readonly root: string,
    private readonly host: SessionHost,
  ) {
    this.diskTexts = new UnchangedFileCache(root);
  }

  /** The last finished run, if any. */
  get current(): ProjectSnapshot | undefined {
    return this.snapshot;
  }

  /** Allows runs from now on (the settings are read), and runs. */
  start(): Promise<ProjectSnapshot | undefined> {
    this.started = true;
    return this.run();
  }

  /** Runs after the debounce; an edit during the wait restarts it, and cancels a run under way. */
  schedule(): void {
    if (this.disposed || !this.started) return;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) this.running.isCancellationRequested = true;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.host.settings().debounceMs);
  }

  /** Files were created or deleted: list the folder again on the next run, and schedule it. */
  filesChanged(): void {
    this.listing = undefined;
    this.gitChanges = undefined;
    this.schedule();
  }

  /** A file was saved: what git calls changed may differ (an edit undone and saved is not), so git is asked again. */
  fileSaved(): void {
    this.gitChanges = undefined;
    this.schedule();
  }

  /** Runs now, cancelling a pending or running one, and resolves with its snapshot. */
  run(): Promise<ProjectSnapshot | undefined> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) this.running.isCancellationRequested = true;
    const token = { isCancellationRequested: false };
    this.running = token;
    return this.analyze(token).finally(() => {
      if (this.running === token) this.running = undefined;
    });
  }

  /** The Analyzer's kept catalog, when it is a state of this snapshot's files: where a catalog as of an earlier file starts. */
  checkpointFor(state: AnalysisState): CatalogAfterFiles | undefined {
    return state === this.snapshot ? this.analyzer.checkpointFor(state.analysis.files, state.config) : undefined;
  }

  /** The project-relative path (forward slashes) of a `file:` URI inside the project, else undefined. */
  pathOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let path: string;
    try {
      path = relative(this.root, fileURLToPath(uri));
    } catch {
      return undefined;
    }
    if (path === '' || path.startsWith('..') || path.startsWith(sep) || /^[A-Za-z]:/.test(path)) return undefined;
    return path.split(sep).join('/');
  }

  /** The URI of a project-relative path: the one the client opened it under, else a `file:` URI. */
  uriOf(path: string): string {
    for (const document of this.host.openDocuments()) if (this.pathOf(document.uri) === path) return document.uri;
    return pathToFileURL(`${this.root}${sep}${path.split('/').join(sep)}`).href;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) this.running.isCancellationRequested = true;
  }

  private async analyze(token: CancellationToken): Promise<ProjectSnapshot | undefined> {
    const started = performance.now();
    try {
      const open = new Map<string, OpenDocumentText>();
      for (const document of this.host.openDocuments()) {
        const path = this.pathOf(document.uri);
        if (path !== undefined) open.set(path, document);
      }
      this.listing ??= this.diskTexts.wrap(createFileSystemProjectReader(this.root));
      const reader = createOverlayProjectReader(this.listing, (path) => open.get(path), this.root);
      const project = loadProject(reader, { configFile: configWithSettings(reader, this.host.settings()) }, token);
      // Edits that arrived while the folder was read are handled first: they cancel this run, and
      // the run they schedule reads their text.
      await new Promise((resolve) => setImmediate(resolve));
      if (token.isCancellationRequested || this.disposed) return undefined;
      const pending = await this.pendingIn(project, open, this.listing);
      if (token.isCancellationRequested || this.disposed) return undefined;
      const analysis = this.analyzer.analyze({ files: project.files, config: project.config, pending: pending.pending, layout: project.layout }, token);
      const snapshot: ProjectSnapshot = {
        analysis,
        config: project.config,
        findings: [...project.findings, ...analysis.findings],
        paths: project.paths,
        layout: project.layout,
        problems: project.problems,
        pending,
        durationMs: performance.now() - started,
      };
      this.snapshot = snapshot;
      this.host.onSnapshot(snapshot);
      return snapshot;
    } catch (error) {
      if (error instanceof CancelledError) return undefined;
      this.host.onError(error);
      return undefined;
    }
  }

  /**
   * The pending migrations: those git calls uncommitted or untracked (or changed since
   * pgreview.pendingSince), and those open with unsaved edits, whose text is not the disk's. git
   * runs once per save, file or setting change, not per keystroke.
   */
  private async pendingIn(project: Project, open: ReadonlyMap<string, OpenDocumentText>, disk: ProjectReader): Promise<PendingState> {
    const since = this.host.settings().pendingSince;
    if (!this.gitChanges || this.gitChanges.since !== since) this.gitChanges = { since, changes: readGitChanges(this.root, since) };
    const changes = await this.gitChanges.changes;
    const unsaved = new Set<string>();
    for (const [path, document] of open) if (document.text !== readDiskText(disk, path)) unsaved.add(path);
    return pendingInEditor(project.paths, changes, unsaved, since);
  }
}

/** A file's text on disk; undefined when it is missing or cannot be read (then an open document's text counts as unsaved). */
function readDiskText(disk: ProjectReader, path: string): string | undefined {
  try {
    return disk.readFile(path);
  } catch {
    return undefined;
  }
}
