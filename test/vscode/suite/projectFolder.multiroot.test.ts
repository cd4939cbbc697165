/**
 * The multi-root workspace (test/vscode/workspace-multiroot): folders web (no migrations),
 * supabase-project (two Supabase migrations) and billing (a dbmate migration). pgreview reviews the
 * first folder with migrations, follows pgreview.projectFolder and "Select Project Folder", and
 * moves everything it shows when folders come and go.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DatabaseCommandResult } from '../../../src/extension/databaseCommands';
import type { PgreviewApi } from '../../../src/extension/extension';
import type { ReportPanel } from '../../../src/extension/reportPanel';
import type { RunStatementAsRoleResult } from '../../../src/extension/runStatementAsRole';
import type { PanelTab, PolicyMatrixData, WebviewMessage } from '../../../webview/protocol';
import { EXTENSION_ID, ruleDiagnostics, screenshot, waitFor } from './workbench';

const REVIEWS = 'supabase/migrations/20240302000000_reviews.sql';
const INVOICES = 'db/migrations/20240401000000_invoices.sql';

/** Activates the extension and waits until it reviews `folder` (a label: name, or name/path). */
async function reviewing(folder: string): Promise<PgreviewApi> {
  const api = await vscode.extensions.getExtension<PgreviewApi>(EXTENSION_ID)!.activate();
  await waitFor(`pgreview to review ${folder}`, async () => {
    const snapshot = await api.analysis.settled();
    return snapshot && api.analysis.target?.label === folder && snapshot.root.toString() === api.analysis.root?.toString() ? snapshot.folderLabel : undefined;
  }, (label) => label === folder);
  return api;
}

function folderUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.name === name);
  if (!folder) throw new Error(`the workspace has no folder ${name}`);
  return folder.uri;
}

function pgreviewDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'pgreview');
}

type Rendered = Extract<WebviewMessage, { type: 'rendered' }>;

/** What the report page last drew: the folders of the report, diff, matrix and simulation it shows. */
function lastRendered(panel: ReportPanel): Rendered | undefined {
  return panel.lastReceived('rendered');
}

/** Records every drawing of the page from now on, until disposed. */
function recordRendered(panel: ReportPanel): vscode.Disposable & { drawn: Rendered[] } {
  const drawn: Rendered[] = [];
  const listening = panel.onDidReceive((message) => {
    if (message.type === 'rendered') drawn.push(message);
  });
  return { drawn, dispose: () => listening.dispose() };
}

/**
 * Hides the panel, which loses its page (retainContextWhenHidden is off), asks for `tab` while it
 * is hidden, and shows it again: the reloaded page says "ready" and gets the latest of each
 * message again, the asked tab last. Resolves with the reloaded page's drawing of that tab.
 */
async function reloadPage(panel: ReportPanel, tab: PanelTab): Promise<Rendered | undefined> {
  assert.notStrictEqual(lastRendered(panel)?.tab, tab, 'the live page shows another tab, so only the replay brings this one');
  let reloaded = false;
  const drawn: Rendered[] = [];
  const listening = panel.onDidReceive((message) => {
    if (message.type === 'ready') reloaded = true;
    else if (reloaded && message.type === 'rendered') drawn.push(message);
  });
  try {
    const column = panel.panel.viewColumn ?? vscode.ViewColumn.One;
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folderUri('supabase-project'), REVIEWS), { viewColumn: column, preview: false });
    await waitFor('the panel to be hidden', () => panel.panel.visible, (visible) => !visible);
    panel.post({ type: 'showTab', tab });
    panel.panel.reveal(column);
    return await waitFor(`the reloaded page to draw the ${tab} tab`, () => drawn.at(-1), (last) => last?.tab === tab, 20_000);
  } finally {
    listening.dispose();
  }
}

async function setProjectFolder(value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('pgreview').update('projectFolder', value, vscode.ConfigurationTarget.Workspace);
}

function workspaceFoldersArrive(timeoutMs: number): Promise<boolean> {
  if (vscode.workspace.workspaceFolders?.length) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(false);
    }, timeoutMs);
    const subscription = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (!vscode.workspace.workspaceFolders?.length) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(true);
    });
  });
}

/**
 * The folders are the fixture. On a slow machine the browser workbench (code-server) started the
 * extension host with the workspace file and no folders, and loaded them only when a later test
 * wrote a workspace setting, which makes the workbench read the file again. When they are missing,
 * the suite writes and removes a harmless workspace setting itself.
 */
async function workspaceFoldersLoaded(): Promise<void> {
  if (await workspaceFoldersArrive(10_000)) return;
  console.log('[test] the workspace file\'s folders are missing 10 s after the start: writing a workspace setting to make the workbench read the file again');
  const files = vscode.workspace.getConfiguration('files');
  await files.update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
  await files.update('autoSave', undefined, vscode.ConfigurationTarget.Workspace);
  if (!(await workspaceFoldersArrive(40_000))) throw new Error('the workspace file\'s folders did not arrive');
}

suite('multi-root workspace', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await workspaceFoldersLoaded();
  });

  teardown(async () => {
    if (vscode.workspace.getConfiguration('pgreview').inspect('projectFolder')?.workspaceValue !== undefined) await setProjectFolder(undefined);
  });

  test('reviews the first folder in which discovery finds migrations, and names it in the status bar', async () => {
    assert.deepStrictEqual(vscode.workspace.workspaceFolders?.map((folder) => folder.name), ['web', 'supabase-project', 'billing']);
    const api = await reviewing('supabase-project');
    const snapshot = api.analysis.current!;
    assert.strictEqual(api.analysis.target?.reason, 'migrations');
    assert.strictEqual(snapshot.root.toString(), folderUri('supabase-project').toString());
    assert.deepStrictEqual(snapshot.paths, ['supabase/migrations/20240301000000_listings.sql', REVIEWS]);
    assert.strictEqual(snapshot.config.profile, 'supabase');
    const reviews = vscode.Uri.joinPath(folderUri('supabase-project'), REVIEWS);
    await waitFor('rls_disabled_in_public on the reviews migration', () => ruleDiagnostics(reviews, 'rls_disabled_in_public'), (found) => found.length === 1);
    assert.strictEqual(api.statusBar.text, `$(database) pgreview (supabase-project): offline · ${snapshot.findings.length} findings`);
    await vscode.window.showTextDocument(reviews);
    await screenshot('multi-root-status-bar');
  });

  test('pgreview.projectFolder switches to another folder and clears the old folder\'s diagnostics', async () => {
    await reviewing('supabase-project');
    const reviews = vscode.Uri.joinPath(folderUri('supabase-project'), REVIEWS);
    const invoices = vscode.Uri.joinPath(folderUri('billing'), INVOICES);
    await waitFor('the supabase-project diagnostics', () => pgreviewDiagnostics(reviews), (found) => found.length > 0);

    await setProjectFolder('billing');
    const api = await reviewing('billing');
    assert.strictEqual(api.analysis.target?.reason, 'setting');
    assert.deepStrictEqual(api.analysis.current!.paths, [INVOICES]);
    await waitFor('rls_disabled_in_public on the invoices migration', () => ruleDiagnostics(invoices, 'rls_disabled_in_public'), (found) => found.length === 1);
    assert.deepStrictEqual(pgreviewDiagnostics(reviews), [], 'the diagnostics of supabase-project are cleared');
    assert.match(api.statusBar.text, /^\$\(database\) pgreview \(billing\): offline · 1 finding$/);

    await setProjectFolder(undefined);
    await reviewing('supabase-project');
    await waitFor('the supabase-project diagnostics again', () => pgreviewDiagnostics(reviews), (found) => found.length > 0);
    assert.deepStrictEqual(pgreviewDiagnostics(invoices), []);
  });

  test('pgreview.projectFolder may name a folder inside a workspace folder; an unknown name falls back to discovery', async () => {
    await setProjectFolder('billing/db');
    const api = await reviewing('billing/db');
    assert.strictEqual(api.analysis.root?.toString(), vscode.Uri.joinPath(folderUri('billing'), 'db').toString());
    assert.deepStrictEqual(api.analysis.current!.paths, ['migrations/20240401000000_invoices.sql']);

    await setProjectFolder('no-such-folder');
    await reviewing('supabase-project');
    assert.strictEqual(api.analysis.target?.reason, 'migrations');
  });

  test('Select Project Folder lists the folders with what discovery finds, and writes the workspace setting', async () => {
    const api = await reviewing('supabase-project');
    const palette = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus.commandPalette as { command: string; when?: string }[]);
    assert.strictEqual(palette.find((entry) => entry.command === 'pgreview.selectProjectFolder')?.when, 'workspaceFolderCount > 1', 'the command is in the palette only in a multi-root workspace');

    const original = api.projectFolder.prompts;
    let listed: { label: string; description?: string }[] = [];
    api.projectFolder.prompts = {
      showQuickPick: async (items) => {
        listed = items.filter((item) => item.kind !== vscode.QuickPickItemKind.Separator).map((item) => ({ label: item.label, description: item.description }));
        return items.find((item) => item.label === 'billing');
      },
    };
    try {
      const target = await vscode.commands.executeCommand<{ label: string } | undefined>('pgreview.selectProjectFolder');
      assert.deepStrictEqual(listed, [
        { label: 'web', description: 'no migrations found' },
        { label: 'supabase-project', description: '2 migrations · reviewed now' },
        { label: 'billing', description: '1 migration' },
        { label: 'Automatic', description: 'the first folder in which pgreview finds migrations' },
      ]);
      assert.strictEqual(target?.label, 'billing');
      assert.strictEqual(vscode.workspace.getConfiguration('pgreview').inspect('projectFolder')?.workspaceValue, 'billing');
      await reviewing('billing');

      api.projectFolder.prompts = { showQuickPick: async (items) => items.find((item) => item.label === 'Automatic') };
      await vscode.commands.executeCommand('pgreview.selectProjectFolder');
      assert.strictEqual(vscode.workspace.getConfiguration('pgreview').inspect('projectFolder')?.workspaceValue, undefined, 'Automatic removes the setting');
      await reviewing('supabase-project');
    } finally {
      api.projectFolder.prompts = original;
    }
  });

  test('Select Project Folder shows a real quick pick; picking a folder without migrations reviews it', async () => {
    const api = await reviewing('supabase-project');
    const reviews = vscode.Uri.joinPath(folderUri('supabase-project'), REVIEWS);
    let done = false;
    const selecting = vscode.commands.executeCommand('pgreview.selectProjectFolder').then(() => (done = true));
    // The quick pick opens asynchronously: accept its first item (web) until the command returns.
    await waitFor('the project folder quick pick to be accepted', async () => {
      if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return done;
    }, Boolean);
    await selecting;
    assert.strictEqual(vscode.workspace.getConfiguration('pgreview').inspect('projectFolder')?.workspaceValue, 'web');
    await reviewing('web');
    assert.deepStrictEqual(api.analysis.current!.paths, []);
    assert.deepStrictEqual(pgreviewDiagnostics(reviews), []);
    assert.match(api.statusBar.text, /pgreview \(web\): offline · 0 findings/);
  });

  test('a folder that gains migrations before the project folder becomes the project; losing them gives it back', async () => {
    await reviewing('supabase-project');
    // A numbered migration at web's root: a folder the watchers already watch (a file written at
    // once into a brand-new folder can escape inotify before the folder itself is watched).
    const migration = vscode.Uri.joinPath(folderUri('web'), '001_newsletter.sql');
    try {
      await vscode.workspace.fs.writeFile(migration, new TextEncoder().encode('create table public.newsletter_signups (email text not null);\n'));
      const api = await reviewing('web');
      assert.deepStrictEqual(api.analysis.current!.paths, ['001_newsletter.sql']);
      await waitFor('no_primary_key on the new migration', () => ruleDiagnostics(migration, 'no_primary_key'), (found) => found.length === 1);
    } finally {
      await vscode.workspace.fs.delete(migration);
    }
    await reviewing('supabase-project');
    assert.deepStrictEqual(pgreviewDiagnostics(migration), []);
  });

  test('a schema diff, its inventory and the connection belong to the project folder: another folder drops them from the panel', async function () {
    this.timeout(120_000);
    if (!process.env.PGREVIEW_TEST_PG_URL) {
      console.log(`[test] skipping: ${process.env.PGREVIEW_TEST_PG_UNAVAILABLE ?? 'no test PostgreSQL (run the suite through test/vscode/run.mjs)'}`);
      this.skip();
    }
    const api = await reviewing('supabase-project');
    const project = folderUri('supabase-project');
    const settingsFolder = vscode.Uri.joinPath(project, '.vscode');
    const hadSettings = await vscode.workspace.fs.stat(settingsFolder).then(() => true, () => false);
    // The profile sits in supabase-project's own settings, as pgreview.connections is a resource setting.
    const config = vscode.workspace.getConfiguration('pgreview', project);
    const name = 'supabase-project cluster';
    const profile = { name, host: process.env.PGREVIEW_TEST_PG_HOST, port: Number(process.env.PGREVIEW_TEST_PG_PORT), database: process.env.PGREVIEW_TEST_PG_DATABASE, user: process.env.PGREVIEW_TEST_PG_USER, sslmode: 'disable' };
    await config.update('connections', [profile], vscode.ConfigurationTarget.WorkspaceFolder);
    await api.database.connection.storePassword(name, process.env.PGREVIEW_TEST_PG_PASSWORD!);
    try {
      await reviewing('supabase-project');
      const connected = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect', name);
      assert.strictEqual(connected.error, undefined);
      assert.strictEqual(connected.connected, true);
      const diffed = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.showSchemaDiff');
      assert.strictEqual(diffed.error, undefined);
      assert.deepStrictEqual(api.database.lastDiff?.data.inventory.missing, ['public.listings', 'public.reviews'], 'the diff compared supabase-project\'s migrations');
      const panel = api.reportPanel();
      assert.ok(panel, 'the panel is open');
      await waitFor('the page to show supabase-project\'s report and diff', () => lastRendered(panel), (shown) => shown?.report?.folder === 'supabase-project' && shown.diff?.folder === 'supabase-project' && shown.diff.inventoryTables === 2, 20_000);
      assert.ok(api.tree.nodeOf('table:public.listings')?.drift, 'the tree badges the drift');

      await api.projectFolder.select('billing');
      await reviewing('billing');
      assert.strictEqual(api.database.lastDiff, undefined, 'the diff of supabase-project is dropped');
      assert.strictEqual(api.database.connection.current, undefined, 'the connection of supabase-project\'s profile ends');
      assert.match(api.statusBar.text, /^\$\(database\) pgreview \(billing\): offline · 1 finding$/);
      const shown = await waitFor('the page to show billing\'s report and no diff', () => lastRendered(panel), (last) => last?.report?.folder === 'billing', 20_000);
      assert.strictEqual(shown?.diff, undefined, 'the Diff and Inventory tabs no longer show supabase-project\'s diff');
      // A page reloaded (a hidden panel's) gets the same state again: its Inventory tab draws no diff.
      const inventory = await reloadPage(panel, 'inventory');
      assert.deepStrictEqual([inventory?.report?.folder, inventory?.diff], ['billing', undefined]);
      // Show Schema Diff now offers to connect (with billing's profiles) instead of showing the old diff.
      assert.strictEqual((await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.showSchemaDiff')).connected, false);
      assert.strictEqual(api.database.lastDiff, undefined);
    } finally {
      api.reportPanel()?.dispose();
      if (api.database.connection.current) await vscode.commands.executeCommand('pgreview.disconnect');
      await api.database.connection.forgetPassword(name);
      await config.update('connections', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      if (!hadSettings) await vscode.workspace.fs.delete(settingsFolder, { recursive: true, useTrash: false });
    }
  });

  test('the policy matrix and the last simulation belong to the project folder: another folder clears them at once, and brings its own matrix', async function () {
    this.timeout(120_000);
    const api = await reviewing('supabase-project');
    try {
      const matrix = await vscode.commands.executeCommand<PolicyMatrixData>('pgreview.showPolicyMatrix');
      assert.strictEqual(matrix.folder, 'supabase-project');
      assert.deepStrictEqual(matrix.rows.map((row) => row.table), ['public.listings', 'public.reviews']);
      const ran = await vscode.commands.executeCommand<RunStatementAsRoleResult>('pgreview.runStatementAsRole', { role: 'service_role', claims: null, target: 'shadow', sql: 'select count(*) as listings from public.listings' });
      assert.strictEqual(ran?.simulation?.error, undefined, JSON.stringify(ran));
      assert.strictEqual(ran?.simulation?.folder, 'supabase-project', 'it ran on supabase-project\'s shadow');
      assert.deepStrictEqual(ran?.simulation?.rows, [{ listings: '0' }]);
      const panel = api.reportPanel();
      assert.ok(panel, 'the panel is open');
      await waitFor('the page to show supabase-project\'s matrix and simulation', () => lastRendered(panel), (shown) => shown?.matrix?.folder === 'supabase-project' && shown.matrix.rows === 2 && shown.simulation?.folder === 'supabase-project' && shown.simulation.rows === 1, 20_000);

      const recording = recordRendered(panel);
      let shown: Rendered | undefined;
      try {
        await api.projectFolder.select('billing');
        await reviewing('billing');
        shown = await waitFor('the page to show billing\'s report and matrix', () => lastRendered(panel), (last) => last?.report?.folder === 'billing' && last.matrix?.folder === 'billing', 20_000);
      } finally {
        recording.dispose();
      }
      assert.deepStrictEqual(shown?.matrix, { folder: 'billing', rows: 1 }, 'billing\'s matrix: public.invoices');
      assert.strictEqual(shown?.simulation, undefined, 'the Simulation tab no longer shows what ran on supabase-project\'s shadow');
      // At once: the page drew nothing of supabase-project's after the change, before billing's analysis.
      const drawn = recording.drawn;
      const cleared = drawn.findIndex((message) => message.report === undefined && message.matrix === undefined && message.simulation === undefined);
      assert.ok(cleared >= 0, `the page drew an empty report, matrix and simulation first: ${JSON.stringify(drawn)}`);
      assert.deepStrictEqual(drawn.slice(cleared).filter((message) => [message.report, message.matrix, message.simulation].some((part) => part?.folder === 'supabase-project')), []);
      // A reloaded page (a hidden panel's) gets the same state again: billing's matrix, no simulation.
      const policiesTab = await reloadPage(panel, 'policies');
      assert.deepStrictEqual([policiesTab?.matrix?.folder, policiesTab?.simulation], ['billing', undefined]);
    } finally {
      api.reportPanel()?.dispose();
    }
  });

  test('removing and adding workspace folders moves the review', async () => {
    const api = await reviewing('supabase-project');
    const project = folderUri('supabase-project');
    const reviews = vscode.Uri.joinPath(project, REVIEWS);
    const changed = (): Promise<unknown> => new Promise((resolve) => {
      const subscription = vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        subscription.dispose();
        resolve(event);
      });
    });

    let change = changed();
    assert.ok(vscode.workspace.updateWorkspaceFolders(1, 1), 'supabase-project can be removed');
    await change;
    await reviewing('billing');
    assert.deepStrictEqual(pgreviewDiagnostics(reviews), [], 'the removed folder keeps no diagnostics');

    change = changed();
    assert.ok(vscode.workspace.updateWorkspaceFolders(1, 0, { uri: project, name: 'supabase-project' }), 'supabase-project can be added back');
    await change;
    await reviewing('supabase-project');
    assert.ok(api.analysis.current!.paths.includes(REVIEWS));
    await waitFor('the supabase-project diagnostics again', () => pgreviewDiagnostics(reviews), (found) => found.length > 0);
  });
});
