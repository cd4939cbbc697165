/**
 * pgreview RLS tests (supabase/tests/*.rls.yaml, docs/policy-tests.md) in the Testing view: one test
 * item per expectation at its line in the YAML file, run on the workspace shadow (migrations and
 * supabase/seed.sql), each pass or fail with the expected and the actual outcome. Mistakes in a
 * test file are diagnostics at their line, and that file's tests do not run, as with `pgreview test`.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../core/cancellation';
import type { PolicyTestOutcome } from '../core/policies/judgePolicyTest';
import { parsePolicyTestFile, POLICY_TEST_FILE_PATTERN, type PolicyTest, type PolicyTestFile, type PolicyTestProblem } from '../core/policies/policyTests';
import { summarizePolicyTests } from '../core/policies/renderPolicyTests';
import { runPolicyTests } from '../db/runPolicyTests';
import { relativePath } from './editorProjectReader';
import { reportError } from './reportError';
import type { WorkspaceAnalysis } from './workspaceAnalysis';
import type { WorkspaceShadow } from './workspaceShadow';

const TEST_FILE_GLOB = 'supabase/tests/**/*.rls.{yaml,yml}';

/** The workspace's RLS test files, parsed, with the editor URI of each. */
export interface WorkspacePolicyTests {
  files: { uri: vscode.Uri; file: PolicyTestFile; problems: PolicyTestProblem[] }[];
}

/** Reads and parses every RLS test file of the workspace folder (unsaved edits included). */
export async function readWorkspacePolicyTests(root: vscode.Uri): Promise<WorkspacePolicyTests> {
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(root, TEST_FILE_GLOB));
  const files: WorkspacePolicyTests['files'] = [];
  for (const uri of uris.sort((a, b) => a.path.localeCompare(b.path))) {
    const path = relativePath(root, uri);
    if (!POLICY_TEST_FILE_PATTERN.test(path)) continue;
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    files.push({ uri, ...parsePolicyTestFile(path, text) });
  }
  return { files };
}

/** One expectation's verdict, as the last run left it; tests and the command's caller read it. */
export interface PolicyTestResult {
  file: string;
  line: number;
  name: string;
  passed: boolean;
  expected: string;
  actual: string;
}

/** What a run returns. */
export interface PolicyTestRunSummary {
  passed: number;
  failed: number;
  /** Tests of files with mistakes, which did not run. */
  skipped: number;
  /** Mistakes in test files, shown as diagnostics. */
  problems: PolicyTestProblem[];
  results: PolicyTestResult[];
  durationMs: number;
}

export class PolicyTestController implements vscode.Disposable {
  readonly controller: vscode.TestController;
  readonly diagnostics: vscode.DiagnosticCollection;
  /** The test item of each parsed test, from the last discovery. */
  private readonly itemsByTest = new Map<PolicyTest, vscode.TestItem>();
  private testsByItem = new Map<vscode.TestItem, { file: PolicyTestFile; test: PolicyTest }>();
  private discovered: WorkspacePolicyTests | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private lastRun: PolicyTestRunSummary | undefined;

  constructor(
    private readonly analysis: WorkspaceAnalysis,
    private readonly shadow: WorkspaceShadow,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.controller = vscode.tests.createTestController('pgreview.rlsTests', 'pgreview RLS tests');
    this.diagnostics = vscode.languages.createDiagnosticCollection('pgreview-rls-tests');
    this.controller.resolveHandler = async () => void (await this.discover());
    this.controller.refreshHandler = async () => void (await this.discover());
    this.controller.createRunProfile('Run on the shadow database', vscode.TestRunProfileKind.Run, async (request, token) => void (await this.runRequest(request, token)), true);
    this.disposables.push(this.controller, this.diagnostics);
    // The watcher covers every workspace folder and keeps the project folder's files, so it follows
    // the project folder when another one is chosen; the change of folder itself rediscovers.
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${TEST_FILE_GLOB}`);
    const rediscover = (): void => void this.discover().catch((error: unknown) => reportError(log, 'Reading the RLS test files failed', error));
    const rediscoverIfTestFile = (uri: vscode.Uri): void => {
      if (this.isTestFile(uri)) rediscover();
    };
    this.disposables.push(watcher, watcher.onDidCreate(rediscoverIfTestFile), watcher.onDidDelete(rediscoverIfTestFile), watcher.onDidChange(rediscoverIfTestFile),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && this.isTestFile(event.document.uri)) rediscover();
      }),
      analysis.onDidChangeTarget(rediscover));
  }

  /** The results of the last run, if any. */
  get lastResults(): PolicyTestRunSummary | undefined {
    return this.lastRun;
  }

  /** Parses the test files again: test items for the Testing view, diagnostics for their mistakes. */
  async discover(): Promise<WorkspacePolicyTests> {
    const root = this.analysis.root;
    const discovered: WorkspacePolicyTests = root ? await readWorkspacePolicyTests(root) : { files: [] };
    this.discovered = discovered;
    this.itemsByTest.clear();
    this.testsByItem = new Map();
    this.diagnostics.clear();
    const fileItems: vscode.TestItem[] = [];
    for (const { uri, file, problems } of discovered.files) {
      const fileItem = this.controller.createTestItem(file.path, file.path, uri);
      fileItem.canResolveChildren = false;
      file.tests.forEach((test, index) => {
        const item = this.controller.createTestItem(`${file.path}#${index}`, test.name, uri);
        item.range = new vscode.Range(test.line - 1, 0, test.line - 1, 0);
        item.description = `as ${test.identity.name}`;
        fileItem.children.add(item);
        this.itemsByTest.set(test, item);
        this.testsByItem.set(item, { file, test });
      });
      if (problems.length > 0) {
        fileItem.error = new vscode.MarkdownString(`This file has ${problems.length} ${problems.length === 1 ? 'mistake' : 'mistakes'}; its tests do not run until they are fixed (see the Problems view).`);
      }
      this.diagnostics.set(uri, problems.map((problem) => {
        const diagnostic = new vscode.Diagnostic(new vscode.Range(problem.line - 1, 0, problem.line - 1, Number.MAX_SAFE_INTEGER), problem.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'pgreview';
        diagnostic.code = 'rls_test_file';
        return diagnostic;
      }));
      fileItems.push(fileItem);
    }
    this.controller.items.replace(fileItems);
    return discovered;
  }

  /** Runs every test (the palette command), with progress in a notification. */
  runAll(): Thenable<PolicyTestRunSummary | undefined> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'pgreview: running the RLS tests', cancellable: true }, async (progress, token) => {
      await this.discover();
      progress.report({ message: 'opening the shadow database' });
      return this.runRequest(new vscode.TestRunRequest(), token);
    });
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private isTestFile(uri: vscode.Uri): boolean {
    const root = this.analysis.root;
    return root !== undefined && uri.scheme === root.scheme && POLICY_TEST_FILE_PATTERN.test(relativePath(root, uri));
  }

  private async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<PolicyTestRunSummary | undefined> {
    const started = Date.now();
    const discovered = this.discovered ?? (await this.discover());
    const wanted = this.selectTests(request);
    const run = this.controller.createTestRun(request, 'pgreview RLS tests', true);
    const problems = discovered.files.flatMap((entry) => entry.problems);
    const runnable: PolicyTestFile[] = [];
    let skipped = 0;
    for (const { file, problems: fileProblems } of discovered.files) {
      const tests = file.tests.filter((test) => wanted.has(test));
      if (tests.length === 0) continue;
      if (fileProblems.length > 0) {
        for (const test of tests) run.skipped(this.itemsByTest.get(test)!);
        skipped += tests.length;
        continue;
      }
      for (const test of tests) run.started(this.itemsByTest.get(test)!);
      runnable.push({ ...file, tests });
    }
    try {
      const snapshot = (await this.analysis.settled()) ?? (await this.analysis.run());
      if (!snapshot) throw new Error('the migrations have not been analysed (is a folder open?)');
      const outcomes = runnable.length === 0 ? [] : await this.shadow.use(snapshot, token, (session) => runPolicyTests(session.db, runnable, token));
      for (const outcome of outcomes) this.reportOutcome(run, outcome);
      const summary = summarizePolicyTests(outcomes);
      this.lastRun = {
        passed: summary.passed,
        failed: summary.failed,
        skipped,
        problems,
        results: outcomes.map((outcome) => ({ file: outcome.file, line: outcome.test.line, name: outcome.test.name, passed: outcome.passed, expected: outcome.expected, actual: outcome.actual })),
        durationMs: Date.now() - started,
      };
      this.log.info(`RLS tests: ${summary.passed} passed, ${summary.failed} failed, ${skipped} not run, in ${this.lastRun.durationMs} ms`);
      return this.lastRun;
    } catch (error) {
      const message = error instanceof CancelledError ? 'cancelled' : error instanceof Error ? error.message : String(error);
      for (const file of runnable) for (const test of file.tests) run.errored(this.itemsByTest.get(test)!, new vscode.TestMessage(message));
      if (!(error instanceof CancelledError)) reportError(this.log, 'The RLS tests could not run', error);
      return undefined;
    } finally {
      run.end();
    }
  }

  /** The tests a request asks for: the included items and their children, minus the excluded ones. */
  private selectTests(request: vscode.TestRunRequest): Set<PolicyTest> {
    const excluded = new Set(request.exclude ?? []);
    const roots = request.include ?? [...this.iterateItems(this.controller.items)];
    const wanted = new Set<PolicyTest>();
    const visit = (item: vscode.TestItem): void => {
      if (excluded.has(item)) return;
      const entry = this.testsByItem.get(item);
      if (entry) wanted.add(entry.test);
      for (const child of this.iterateItems(item.children)) visit(child);
    };
    roots.forEach(visit);
    return wanted;
  }

  private *iterateItems(collection: vscode.TestItemCollection): Generator<vscode.TestItem> {
    const items: vscode.TestItem[] = [];
    collection.forEach((item) => items.push(item));
    yield* items;
  }

  private reportOutcome(run: vscode.TestRun, outcome: PolicyTestOutcome): void {
    const item = this.itemsByTest.get(outcome.test);
    if (!item) return;
    if (outcome.passed) {
      run.passed(item);
      return;
    }
    const rows = [...(outcome.missingRows ?? []).map((row) => `- ${row}`), ...(outcome.unexpectedRows ?? []).map((row) => `+ ${row}`)];
    const message = vscode.TestMessage.diff(`${outcome.test.name}: expected ${outcome.expected}, but got ${outcome.actual}${rows.length > 0 ? `\n${rows.join('\n')}` : ''}`, outcome.expected, outcome.actual);
    if (item.uri && item.range) message.location = new vscode.Location(item.uri, item.range);
    run.failed(item, message);
  }
}
