import * as assert from 'assert';
import * as vscode from 'vscode';
import { handleWebviewMessage } from '../../../src/extension/commands';
import type { DatabaseCommandResult } from '../../../src/extension/databaseCommands';
import type { PolicyTestRunSummary } from '../../../src/extension/policyTestController';
import type { RunStatementAsRoleResult } from '../../../src/extension/runStatementAsRole';
import type { MatrixCell, PolicyMatrixData } from '../../../webview/protocol';
import { activatedApi, screenshot, waitFor, withAddedMigration, workspaceRoot } from './workbench';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

/**
 * The RLS side of the workspace: its migrations (profiles with owner policies, public vendors,
 * bookings with RLS on and no policy, payments), supabase/seed.sql (alice and bob, a profile,
 * vendor and booking each) and supabase/tests/profiles.rls.yaml, whose last test is planted to fail.
 */
suite('policies: matrix, run as role, RLS tests', function () {
  this.timeout(120_000);

  test('Show Policy Matrix opens the Policy Matrix tab with the cells of the migrations, linked to their policies', async () => {
    const api = await activatedApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const matrix = await vscode.commands.executeCommand<PolicyMatrixData>('pgreview.showPolicyMatrix');
    assert.deepStrictEqual(matrix.source, { kind: 'migrations' });
    assert.deepStrictEqual(matrix.roles, ['anon', 'authenticated', 'service_role']);
    assert.deepStrictEqual(matrix.rows.map((row) => row.table), ['public.bookings', 'public.payments', 'public.profiles', 'public.vendors']);
    const cell = (table: string, role: string, command: string): MatrixCell => {
      const found = matrix.rows.find((row) => row.table === table)?.cells.find((candidate) => candidate.role === role && candidate.command === command);
      assert.ok(found, `a cell for ${table} ${role} ${command}`);
      return found;
    };
    assert.strictEqual(cell('public.bookings', 'authenticated', 'select').access, 'blocked', 'RLS on and no policy');
    assert.strictEqual(cell('public.bookings', 'service_role', 'delete').access, 'bypass');
    const ownProfile = cell('public.profiles', 'authenticated', 'select');
    assert.strictEqual(ownProfile.access, 'filtered');
    assert.strictEqual(ownProfile.using, 'id = auth.uid()');
    const update = cell('public.profiles', 'authenticated', 'update');
    assert.strictEqual(update.access, 'filtered');
    assert.strictEqual(update.flags.length, 0, 'an owner-only UPDATE without WITH CHECK is not flagged: PostgreSQL checks the new row against USING');
    assert.deepStrictEqual(update.policies.map((policy) => [policy.name, policy.hasLocation]), [['Owners can update their profile', true]]);
    const vendors = cell('public.vendors', 'anon', 'select');
    assert.strictEqual(vendors.access, 'open');
    assert.match(vendors.flags[0] ?? '', /owner column \(owner_id\)/);
    assert.strictEqual(cell('public.vendors', 'anon', 'insert').access, 'blocked');

    const panel = api.reportPanel();
    assert.ok(panel, 'the panel is open');
    const rendered = await waitFor('the page to draw the matrix', () => panel.lastReceived('matrixRendered'), Boolean, 20_000);
    // vendors' open SELECT for anon with an owner column; the owner-only profile UPDATE is not flagged.
    assert.deepStrictEqual(rendered, { type: 'matrixRendered', rows: 4, cells: 48, flagged: 1, materializedViews: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await screenshot('policy-matrix');

    // The page's link of a policy goes to its CREATE POLICY statement.
    handleWebviewMessage({ analysis: api.analysis }, { type: 'goToPolicy', key: update.policies[0].key });
    const editor = await waitFor('the migration of the policy', () => vscode.window.activeTextEditor, (candidate) => candidate?.document.uri.path.endsWith('20240101000000_profiles.sql') === true);
    assert.strictEqual(editor!.selection.active.line, 14, 'the cursor is on the CREATE POLICY statement (line 15)');
  });

  test('a materialized view shows in the matrix as the CLI says it: no RLS, open to every role that may SELECT it', async () => {
    const api = await activatedApi();
    const text = 'create materialized view public.vendor_booking_counts as\n  select vendor_id, count(*) as bookings from public.bookings group by vendor_id;\n';
    await withAddedMigration(api, '20240104000000_vendor_booking_counts.sql', text, async () => {
      const matrix = await vscode.commands.executeCommand<PolicyMatrixData>('pgreview.showPolicyMatrix');
      const row = matrix.rows.find((candidate) => candidate.table === 'public.vendor_booking_counts');
      assert.ok(row, matrix.rows.map((candidate) => candidate.table).join(', '));
      assert.deepStrictEqual([row.kind, row.rlsEnabled, row.rls], ['materialized_view', false, 'materialized view, no RLS: open to every role that may SELECT it']);
      assert.notStrictEqual(row.rls, 'RLS off');
      const anonSelect = row.cells.find((cell) => cell.role === 'anon' && cell.command === 'select');
      assert.strictEqual(anonSelect?.access, 'open');
      assert.match(anonSelect?.reason ?? '', /is a materialized view: row level security does not apply, so anon reads every row/);
      assert.strictEqual(row.cells.find((cell) => cell.role === 'authenticated' && cell.command === 'insert')?.access, 'no grant');
      // A table says whether its RLS is on, as before.
      assert.strictEqual(matrix.rows.find((candidate) => candidate.table === 'public.bookings')?.rls, 'RLS on');

      const panel = api.reportPanel();
      assert.ok(panel, 'the panel is open');
      const rendered = await waitFor('the page to draw the matrix with the view', () => panel.lastReceived('matrixRendered'), (posted) => posted?.rows === matrix.rows.length, 20_000);
      assert.strictEqual(rendered?.materializedViews, 1, 'the page labels the materialized view\'s row');
      await screenshot('policy-matrix-materialized-view');
    });
  });

  test('Run Statement as Role runs the statement under the cursor on the shadow, as a saved identity, and shows the rows', async () => {
    const api = await activatedApi();
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select 1;\n\nselect id, display_name\n  from public.profiles\n order by id;\n' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(3, 4, 3, 4);
    const asked: string[][] = [];
    const original = api.policies.simulator.prompts;
    api.policies.simulator.prompts = {
      showQuickPick: async (items) => {
        const labels = items.map((item) => item.label);
        asked.push(labels);
        return items.find((item) => item.label === (asked.length === 1 ? 'authenticated' : 'alice'));
      },
      showInputBox: async () => assert.fail('a saved identity needs no input'),
    };
    let result: RunStatementAsRoleResult | undefined;
    try {
      result = await vscode.commands.executeCommand<RunStatementAsRoleResult>('pgreview.runStatementAsRole');
    } finally {
      api.policies.simulator.prompts = original;
    }
    assert.deepStrictEqual(asked[0], ['anon', 'authenticated', 'service_role']);
    assert.deepStrictEqual(asked[1], ['alice', 'bob', 'Custom claims…', 'No claims'], 'the identities of the test files with that role, then custom claims and none');
    const simulation = result?.simulation;
    assert.ok(simulation, `a simulation: ${JSON.stringify(result)}`);
    assert.strictEqual(simulation.error, undefined);
    assert.strictEqual(simulation.target, 'PGlite shadow');
    assert.deepStrictEqual(simulation.rows, [{ id: ALICE, display_name: 'Alice' }], 'alice sees her own profile only');
    assert.deepStrictEqual(simulation.policies.map((applied) => [applied.table, applied.access, applied.policies.map((policy) => policy.name)]), [['public.profiles', 'filtered', ['Owners can read their profile']]]);
    assert.strictEqual(editor.document.getText(editor.selection), 'select id, display_name\n  from public.profiles\n order by id', 'the statement that ran is selected');
    const panel = api.reportPanel();
    assert.ok(panel);
    await waitFor('the Simulation tab', () => panel.lastReceived('simulationRendered')?.rows === 1, Boolean, 20_000);
    await screenshot('simulation');
  });

  test('Run Statement as Role shows the RLS error of an INSERT as anon, and takes custom claims', async () => {
    const api = await activatedApi();
    const denied = await vscode.commands.executeCommand<RunStatementAsRoleResult>('pgreview.runStatementAsRole', {
      role: 'anon',
      claims: null,
      target: 'shadow',
      sql: `insert into public.vendors (owner_id, name) values ('${BOB}', 'Spam')`,
    });
    assert.match(denied?.simulation?.error?.message ?? '', /new row violates row-level security policy for table "vendors"/);
    assert.strictEqual(denied?.simulation?.error?.code, '42501');
    assert.deepStrictEqual(denied?.simulation?.policies.map((applied) => [applied.table, applied.command, applied.access]), [['public.vendors', 'insert', 'blocked']]);
    const panel = api.reportPanel();
    assert.ok(panel);
    await waitFor('the Simulation tab to show the error', () => /row-level security/.test(panel.lastReceived('simulationRendered')?.error ?? ''), Boolean, 20_000);
    await screenshot('simulation-error');

    const original = api.policies.simulator.prompts;
    api.policies.simulator.prompts = {
      showQuickPick: async (items) => items.find((item) => item.label === 'Custom claims…'),
      showInputBox: async (options) => {
        assert.strictEqual(options.validateInput?.('{not json') !== undefined, true, 'broken JSON is refused as it is typed');
        return JSON.stringify({ sub: BOB, email: 'bob@example.com' });
      },
    };
    try {
      const custom = await vscode.commands.executeCommand<RunStatementAsRoleResult>('pgreview.runStatementAsRole', { role: 'authenticated', target: 'shadow', sql: 'select display_name from public.profiles' });
      assert.deepStrictEqual(custom?.simulation?.rows, [{ display_name: 'Bob' }]);
      assert.strictEqual(custom?.simulation?.identity, 'Custom claims');
    } finally {
      api.policies.simulator.prompts = original;
    }
    // Every simulation is rolled back: the refused insert and the earlier reads left the seed as it was.
    const check = await vscode.commands.executeCommand<RunStatementAsRoleResult>('pgreview.runStatementAsRole', { role: 'service_role', claims: null, target: 'shadow', sql: 'select count(*) as vendors from public.vendors' });
    assert.deepStrictEqual(check?.simulation?.rows, [{ vendors: '2' }]);
  });

  test('on the connected database only a plain SELECT runs, anything else is refused with a clear message, and the matrix can be the database\'s', async function () {
    if (!process.env.PGREVIEW_TEST_PG_URL) this.skip();
    const api = await activatedApi();
    const prompts = api.database.prompts;
    // The database suite stored the password; alone (--grep) this suite answers the password box.
    api.database.prompts = { ...prompts, showInputBox: async () => process.env.PGREVIEW_TEST_PG_PASSWORD };
    let connected: DatabaseCommandResult;
    try {
      connected = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect', 'test cluster');
    } finally {
      api.database.prompts = prompts;
    }
    assert.strictEqual(connected.connected, true, `connected: ${connected.error ?? ''}`);
    try {
      const refused = await vscode.commands.executeCommand<RunStatementAsRoleResult>('pgreview.runStatementAsRole', { role: 'authenticated', identity: 'alice', target: 'database', sql: 'delete from public.vendors' });
      assert.strictEqual(refused?.simulation, undefined, 'nothing ran');
      assert.match(refused?.error ?? '', /only a plain SELECT may run, and this statement is refused: .*DELETE/);
      const escaping = await vscode.commands.executeCommand<RunStatementAsRoleResult>('pgreview.runStatementAsRole', { role: 'authenticated', identity: 'alice', target: 'database', sql: "select set_config('role', 'postgres', true)" });
      assert.strictEqual(escaping?.simulation, undefined, 'nothing ran');
      assert.match(escaping?.error ?? '', /calls set_config \(pg_catalog\.set_config, VOLATILE\): it changes session settings such as the role/);
      const live = await vscode.commands.executeCommand<RunStatementAsRoleResult>('pgreview.runStatementAsRole', { role: 'service_role', claims: null, target: 'database', sql: 'select current_user as role_name' });
      assert.strictEqual(live?.simulation?.error, undefined, JSON.stringify(live));
      assert.match(live?.simulation?.target ?? '', /127\.0\.0\.1/);
      assert.deepStrictEqual(live?.simulation?.rows, [{ role_name: 'service_role' }], 'the SELECT ran as the role');

      // When the tree shows the database, the matrix is the database's: there "Vendors are public"
      // was narrowed to authenticated by hand, and payments does not exist.
      await vscode.commands.executeCommand('pgreview.tree.showDatabase');
      const matrix = await vscode.commands.executeCommand<PolicyMatrixData>('pgreview.showPolicyMatrix');
      assert.deepStrictEqual(matrix.source, { kind: 'database', profile: `${process.env.PGREVIEW_TEST_PG_USER}@${process.env.PGREVIEW_TEST_PG_HOST}/${process.env.PGREVIEW_TEST_PG_DATABASE}` });
      assert.ok(!matrix.rows.some((row) => row.table === 'public.payments'));
      const vendors = matrix.rows.find((row) => row.table === 'public.vendors');
      assert.strictEqual(vendors?.cells.find((cell) => cell.role === 'anon' && cell.command === 'select')?.access, 'blocked');
      const authenticated = vendors?.cells.find((cell) => cell.role === 'authenticated' && cell.command === 'select');
      assert.strictEqual(authenticated?.access, 'open');
      assert.deepStrictEqual(authenticated?.policies.map((policy) => [policy.name, policy.hasLocation]), [['Vendors are public', true]], 'a database policy links to the migration that creates it');
    } finally {
      await vscode.commands.executeCommand('pgreview.tree.showMigrations');
      await vscode.commands.executeCommand('pgreview.disconnect');
      assert.strictEqual(api.database.connection.current, undefined);
    }
  });

  test('Run RLS Tests runs the YAML tests on the shadow and reports the planted failure at its line in the Testing view', async () => {
    const api = await activatedApi();
    const summary = await vscode.commands.executeCommand<PolicyTestRunSummary>('pgreview.runRlsTests');
    assert.ok(summary, 'the tests ran');
    assert.strictEqual(summary.passed, 4, JSON.stringify(summary.results, null, 2));
    assert.strictEqual(summary.failed, 1);
    const failed = summary.results.filter((result) => !result.passed);
    assert.deepStrictEqual(failed.map((result) => [result.file, result.line, result.name, result.actual]), [['supabase/tests/profiles.rls.yaml', 37, 'alice sees her own bookings', 'allowed, 0 rows']]);
    assert.match(failed[0].expected, /exactly the rows where user_id = auth.uid\(\) \(1 row\)/);

    const fileItem = api.policies.tests.controller.items.get('supabase/tests/profiles.rls.yaml');
    assert.ok(fileItem, 'a test item for the file');
    const children: vscode.TestItem[] = [];
    fileItem.children.forEach((child) => children.push(child));
    await vscode.window.showTextDocument(fileItem.uri!, { selection: new vscode.Range(36, 0, 36, 0) });
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await screenshot('rls-tests');
    assert.deepStrictEqual(children.map((child) => [child.label, child.range?.start.line]), [
      ['alice sees exactly her own profile', 13],
      ["bob updates alice's profile and changes nothing", 18],
      ['visitors see every vendor', 25],
      ['visitors cannot create a vendor', 30],
      ['alice sees her own bookings', 36],
    ]);
  });

  test('a mistake in a test file is a diagnostic at its line, and that file does not run', async () => {
    const api = await activatedApi();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'supabase', 'tests', 'broken.rls.yaml');
    const text = 'identities:\n  alice:\n    role: authenticated\ntests:\n  - as: alice\n    select: public.vendors\n    expect: { rows: 2 }\n  - as: nobody\n    select: public.vendors\n    expect: denied\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    try {
      await api.policies.tests.discover();
      const diagnostics = vscode.languages.getDiagnostics(uri);
      assert.deepStrictEqual(diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic.message, diagnostic.source]), [[7, 'unknown identity "nobody"; the file defines alice', 'pgreview']]);
      const summary = await vscode.commands.executeCommand<PolicyTestRunSummary>('pgreview.runRlsTests');
      assert.strictEqual(summary?.skipped, 1, 'the well-formed test of the broken file does not run');
      assert.strictEqual(summary?.passed, 4, 'the other file still runs');
    } finally {
      await vscode.workspace.fs.delete(uri);
      await api.policies.tests.discover();
    }
    assert.deepStrictEqual(vscode.languages.getDiagnostics(uri), []);
  });
});
