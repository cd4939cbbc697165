/**
 * Runs the engine over the workspace's migrations: debounced after edits, one CancellationTokenSource
 * per run (a newer run cancels the older one), the parse of unchanged files reused by one Analyzer.
 * Everything the editor shows (diagnostics, tree, lenses, status, report) listens to `onDidAnalyze`.
 */
import * as vscode from 'vscode';
import { Analyzer, type Analysis } from '../core/analyze';
import { CancelledError } from '../core/cancellation';
import type { ResolvedConfig } from '../core/config';
import type { Finding } from '../core/finding';
import { loadProject, type ProjectProblem, type ProjectReader } from '../core/project/loadProject';
import type { SourceSpan } from '../core/sql/span';
import { createEditorProjectReader, createWorkspaceListing, relativePath } from './editorProjectReader';
import { reportError } from './reportError';
import { readSettings, settingsOverlay } from './settings';

/** One finished run: the analysis and what it was computed from. */
export interface AnalysisSnapshot {
  root: vscode.Uri;
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
  durationMs: number;
}

export class WorkspaceAnalysis implements vscode.Disposable {
  private readonly analyzer = new Analyzer();
  private readonly didAnalyze = new vscode.EventEmitter<AnalysisSnapshot>();
  private readonly disposables: vscode.Disposable[] = [this.didAnalyze];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: vscode.CancellationTokenSource | undefined;
  private latestRun: Promise<AnalysisSnapshot | undefined> | undefined;
  private snapshot: AnalysisSnapshot | undefined;
  /** The file-system listing, reused between runs until a file is created or deleted. */
  private listing: ProjectReader | undefined;
  private loggedProblems = '';

  readonly onDidAnalyze = this.didAnalyze.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.isMigration(event.document.uri) && event.contentChanges.length > 0) this.schedule();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.isMigration(document.uri)) this.schedule();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('pgreview')) this.schedule();
      }),
    );
    const folder = this.root;
    if (folder) {
      // Discovery may pick migrations anywhere (Supabase, Flyway, dbmate, globs), and config files
      // change the result too: a new or deleted file invalidates the listing.
      for (const glob of ['**/*.sql', '**/pgreview.json', '**/supabase/config.toml']) {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
        const invalidate = (): void => {
          this.listing = undefined;
          this.schedule();
        };
        this.disposables.push(watcher, watcher.onDidCreate(invalidate), watcher.onDidDelete(invalidate), watcher.onDidChange(() => this.schedule()));
      }
    }
  }

  /** The last finished run, if any. */
  get current(): AnalysisSnapshot | undefined {
    return this.snapshot;
  }

  /** The folder whose migrations are analysed: the first workspace folder. */
  get root(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  /** Runs after the debounce; a call during the wait restarts it. */
  schedule(): void {
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
    if (this.timer) clearTimeout(this.timer);
    this.running?.cancel();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async analyzeWorkspace(token: vscode.CancellationToken): Promise<AnalysisSnapshot | undefined> {
    const root = this.root;
    if (!root) return undefined;
    const started = Date.now();
    try {
      this.listing ??= createWorkspaceListing(root);
      const reader = createEditorProjectReader(root, this.listing);
      const project = loadProject(reader, { configFile: configWithSettings(reader, readSettings(root)) }, token);
      if (token.isCancellationRequested) return undefined;
      const analysis = this.analyzer.analyze({ files: project.files, config: project.config }, token);
      const snapshot: AnalysisSnapshot = {
        root,
        analysis,
        findings: [...project.findings, ...analysis.findings],
        problems: project.problems,
        config: project.config,
        versions: reader.versions,
        paths: project.paths,
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

/**
 * The project's pgreview.json with the user's `pgreview.*` settings laid over it, or undefined to
 * let loadProject read pgreview.json alone.
 */
function configWithSettings(reader: ProjectReader, settings: ReturnType<typeof readSettings>): { path: string; text: string } | undefined {
  const overlay = settingsOverlay(settings);
  if (!overlay) return undefined;
  const text = reader.readFile('pgreview.json');
  let base: Record<string, unknown> = {};
  if (text !== undefined) {
    try {
      base = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
    } catch {
      // A broken pgreview.json is reported by loadProject, which reads it itself when given nothing.
      return undefined;
    }
  }
  const rules = { ...(base.rules as Record<string, unknown> | undefined), ...overlay.rules };
  return { path: 'pgreview.json', text: JSON.stringify({ ...base, ...overlay, rules }) };
}

/** The editor range of a span (spans are 1-based; VS Code positions are 0-based). */
export function rangeOf(span: SourceSpan): vscode.Range {
  return new vscode.Range(span.line - 1, span.column - 1, span.endLine - 1, span.endColumn - 1);
}
