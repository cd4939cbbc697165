import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ConnectionPrompts, DatabaseCommandResult } from '../../../src/extension/databaseCommands';
import { handleWebviewMessage } from '../../../src/extension/commands';
import type { DriftData } from '../../../webview/protocol';
import { activatedApi, migrationUri, restoreMigration, screenshot, waitFor, withAddedMigration, workspaceRoot } from './workbench';

/**
 * The database side against the real PostgreSQL test/vscode/run.mjs starts: its database has the
 * fixture's first two migrations (so `public.payments` of the third is missing), a planted
 * `public.legacy_orders_backup` no migration defines, `public.booking_count` with its body rewritten
 * over three lines, and pg_cron's catalog (made by hand) with a job `refresh-stats` no migration
 * schedules. The workspace settings hold its profile.
 */
suite('database: connect, schema diff, alignment migration', function () {
  this.timeout(120_000);
  const password = process.env.PGREVIEW_TEST_PG_PASSWORD;

  suiteSetup(function () {
    if (!process.env.PGREVIEW_TEST_PG_URL) {
      console.log(`[test] skipping the database tests: ${process.env.PGREVIEW_TEST_PG_UNAVAILABLE ?? 'no test PostgreSQL (run them through test/vscode/run.mjs)'}`);
      this.skip();
    }
  });

  test('Connect picks the profile from the settings, keeps the password in SecretStorage and reads the database', async () => {
    const api = await activatedApi();
    await api.database.connection.forgetPassword('test cluster');
    const asked: vscode.InputBoxOptions[] = [];
    const original = api.database.prompts;
    const prompts: ConnectionPrompts = {
      showQuickPick: async (items) => {
        const labels = items.map((item) => item.label);
        assert.ok(labels.includes('New connection…'), 'the quick pick offers a new connection');
        return items.find((item) => item.label === 'test cluster');
      },
      showInputBox: async (options) => {
        asked.push(options);
        return password;
      },
    };
    api.database.prompts = prompts;
    try {
      const result = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect');
      assert.strictEqual(result.error, undefined);
      assert.strictEqual(result.connected, true);
      assert.strictEqual(result.database, `${process.env.PGREVIEW_TEST_PG_USER}@${process.env.PGREVIEW_TEST_PG_HOST}/${process.env.PGREVIEW_TEST_PG_DATABASE}`);
    } finally {
      api.database.prompts = original;
    }
    assert.strictEqual(asked.length, 1, 'the password is asked once');
    assert.strictEqual(asked[0].password, true, 'the password box hides what is typed');
    assert.strictEqual(await api.database.connection.storedPassword('test cluster'), password, 'the password is read back from SecretStorage');
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('pgreview').get('connections')).includes(password!), 'no password in the settings');
    assert.match(api.statusBar.text, /connected: postgres@127\.0\.0\.1\/pgreview_vscode · \d+ findings/);
    assert.ok(api.database.connection.current?.catalog.tables.has('public.legacy_orders_backup'), 'the connect introspected the database');
    // Connecting again by name finds the stored password and asks nothing.
    api.database.prompts = { ...prompts, showInputBox: async () => assert.fail('the stored password is used') };
    try {
      assert.strictEqual((await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect', 'test cluster')).connected, true);
    } finally {
      api.database.prompts = original;
    }
  });

  test('Show Schema Diff opens the Diff tab with the missing and the extra table', async () => {
    const api = await activatedApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const result = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.showSchemaDiff');
    assert.strictEqual(result.error, undefined);
    const diff = api.database.lastDiff;
    assert.ok(diff, 'the diff ran');
    const described = diff.changes.map((change) => `${change.status} ${change.type} ${change.object}`);
    assert.ok(described.includes('missing_in_database table public.payments'), described.join('\n'));
    assert.ok(described.includes('extra_in_database table public.legacy_orders_backup'), described.join('\n'));
    assert.ok(!described.some((line) => / public\.(profiles|vendors|bookings)$/.test(line)), `tables both sides have are not reported as missing or extra:\n${described.join('\n')}`);
    const roles = diff.changes.find((change) => change.type === 'policy' && change.property === 'roles');
    assert.deepStrictEqual([roles?.object, roles?.migrations, roles?.database], ['public.vendors.Vendors are public', ['anon', 'authenticated'], ['authenticated']]);
    assert.ok(diff.changes.some((change) => change.object === 'public.profiles.avatar_url' && change.status === 'changed'), described.join('\n'));
    const payments = diff.changes.find((change) => change.object === 'public.payments')!;
    assert.match(payments.file ?? '', /20240103000000_payments\.sql$/);
    assert.strictEqual(payments.line, 2);
    assert.deepStrictEqual(diff.data.inventory.missing, ['public.payments']);
    assert.deepStrictEqual(diff.data.inventory.extra, ['public.legacy_orders_backup']);
    assert.deepStrictEqual(diff.data.inventory.migrationTables, ['public.bookings', 'public.payments', 'public.profiles', 'public.vendors']);

    const panel = api.reportPanel();
    assert.ok(panel, 'the panel is open');
    const posted = await waitFor('the page to draw the diff', () => panel.lastReceived('diffRendered'), Boolean, 20_000);
    assert.strictEqual(posted?.rows, diff.changes.length, 'every change is drawn');
    assert.ok(panel.lastReceived('ready'));

    // The tree badges the drift: payments is missing in the database; the database view lists the planted table.
    assert.strictEqual(api.tree.nodeOf('table:public.payments')?.drift, 'missing_in_database');
    assert.strictEqual(await vscode.commands.executeCommand('pgreview.tree.showDatabase'), 'database');
    assert.strictEqual(api.tree.nodeOf('table:public.legacy_orders_backup')?.drift, 'extra_in_database');
    assert.strictEqual(api.tree.nodeOf('table:public.payments'), undefined);
    await vscode.commands.executeCommand('workbench.view.extension.pgreview');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await screenshot('diff-panel');
    assert.strictEqual(await vscode.commands.executeCommand('pgreview.tree.showMigrations'), 'migrations');
  });

  test('the Inventory tab and "go to statement" answer from the panel', async () => {
    const api = await activatedApi();
    const panel = api.reportPanel()!;
    panel.post({ type: 'showTab', tab: 'inventory' });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await screenshot('inventory-panel');
    panel.post({ type: 'showTab', tab: 'diff' });
    // The page's "Go to statement" and "Add to alignment migration" buttons post these messages.
    const diffData: DriftData = api.database.lastDiff!.data;
    const payments = diffData.changes.find((change) => change.object === 'public.payments')!;
    handleWebviewMessage({ analysis: api.analysis }, { type: 'goToStatement', file: payments.file!, line: payments.line! });
    const editor = await waitFor('the migration of public.payments to open', () => vscode.window.activeTextEditor, (shown) => Boolean(shown?.document.uri.path.endsWith('20240103000000_payments.sql')));
    assert.strictEqual(editor!.selection.active.line, payments.line! - 1);
    handleWebviewMessage({ analysis: api.analysis }, { type: 'alignmentSelection', ids: [payments.id] });
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  test('Generate Alignment Migration writes a new migration of the picked change, opened and never applied', async () => {
    const api = await activatedApi();
    const written: vscode.Uri[] = [];
    try {
      const result = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.generateAlignmentMigration');
      assert.ok(result.uri, result.error);
      written.push(result.uri);
      assert.strictEqual(result.changes, 1, 'only the change picked in the panel');
      assert.match(result.uri.path, /\/supabase\/migrations\/\d{14}_pgreview_align_database_with_migrations\.sql$/);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(result.uri));
      // Written to be committed as a migration: it applies after the migrations on a fresh database too.
      assert.match(text, /create table if not exists public\.payments/i);
      assert.ok(!/legacy_orders_backup/.test(text), 'the unpicked change stays out');
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), result.uri.toString(), 'opened for review');
      // Everything: the drop of the planted table is written commented out.
      const all = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.generateAlignmentMigration', { ids: api.database.lastDiff!.changes.map((_change, index) => index) });
      written.push(all.uri!);
      const allText = new TextDecoder().decode(await vscode.workspace.fs.readFile(all.uri!));
      assert.match(allText, /--.*drop table.*legacy_orders_backup/i);
      // Nothing was applied: reading the database again, it still lacks payments.
      assert.strictEqual((await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect', 'test cluster')).connected, true);
      assert.ok(!api.database.connection.current!.catalog.tables.has('public.payments'));
    } finally {
      // The written migrations would change what the later suites analyse: they go, whatever failed.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
      await api.analysis.run();
    }
  });

  test('pg_cron jobs show in a Cron jobs folder with their drift, and a rewritten function body as a unified diff in the panel', async () => {
    const api = await activatedApi();
    const text = "-- Old bookings go at 3:00 every night.\nselect cron.schedule('purge-old-bookings', '0 3 * * *', $$delete from public.bookings where starts_at < now() - interval '1 year'$$);\n";
    try {
      await withAddedMigration(api, '20240104000000_cron.sql', text, async (uri) => {
        const folder = api.tree.getChildren().find((node) => node.key === 'group:cron_jobs');
        assert.deepStrictEqual(folder?.children.map((node) => [node.key, node.label, node.description]), [['cron_job:purge-old-bookings', 'purge-old-bookings', '0 3 * * *']]);
        const item = api.tree.getTreeItem(folder!.children[0]);
        assert.strictEqual(item.contextValue, 'cron_job');
        // The migration states no role: the job is whoever runs the migrations', which the tooltip does not guess.
        assert.match(String(item.tooltip), /^purge-old-bookings runs 0 3 \* \* \*:\ndelete from public\.bookings/);
        await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
        const editor = await waitFor('the cron migration to open', () => vscode.window.activeTextEditor, (shown) => shown?.document.uri.toString() === uri.toString());
        assert.strictEqual(editor!.selection.active.line, 1, 'the cursor is on the cron.schedule statement');

        const result = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.showSchemaDiff');
        assert.strictEqual(result.error, undefined);
        const diff = api.database.lastDiff!;
        const described = diff.changes.map((change) => `${change.status} ${change.type} ${change.object}${change.property ? ` ${change.property}` : ''}`);
        // PGlite has no pg_cron: the migrations' job comes from the replay, the database's from cron.job.
        assert.ok(described.includes('missing_in_database cron_job purge-old-bookings'), described.join('\n'));
        assert.ok(described.includes('extra_in_database cron_job refresh-stats'), described.join('\n'));
        const body = diff.data.changes.find((change) => change.object === 'public.booking_count(bigint)' && change.property === 'body');
        assert.ok(body, described.join('\n'));
        assert.strictEqual(body.migrations, '1 line only in migrations, 3 only in database');
        assert.strictEqual(body.unifiedDiff, [
          '--- database',
          '+++ migrations',
          '@@ -1,3 +1 @@',
          '-select count(*)',
          '-  from public.bookings',
          '-  where vendor_id = p_vendor and starts_at > now()',
          '+select count(*) from public.bookings where vendor_id = p_vendor',
          '',
        ].join('\n'));
        const panel = api.reportPanel();
        assert.ok(panel, 'the panel is open');
        const drawn = await waitFor('the page to draw the diff', () => panel.lastReceived('diffRendered'), (posted) => posted?.rows === diff.changes.length, 20_000);
        assert.strictEqual(drawn?.unifiedDiffs, 1, 'the body difference is drawn under its change');

        assert.strictEqual(api.tree.nodeOf('cron_job:purge-old-bookings')?.drift, 'missing_in_database');
        assert.strictEqual(await vscode.commands.executeCommand('pgreview.tree.showDatabase'), 'database');
        const databaseJobs = api.tree.getChildren().find((node) => node.key === 'group:cron_jobs');
        assert.deepStrictEqual(databaseJobs?.children.map((node) => [node.label, node.description, node.drift]), [['refresh-stats', '@hourly', 'extra_in_database']]);
        await vscode.commands.executeCommand('workbench.view.extension.pgreview');
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await screenshot('diff-cron-jobs-and-body');
      });
    } finally {
      await vscode.commands.executeCommand('pgreview.tree.showMigrations');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('with diffOnSave, saving a migration compares again', async () => {
    const api = await activatedApi();
    const config = vscode.workspace.getConfiguration('pgreview', workspaceRoot());
    await config.update('diffOnSave', true, vscode.ConfigurationTarget.Workspace);
    const uri = migrationUri('20240103000000_payments.sql');
    const before = api.database.lastDiff!;
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(document.lineCount, 0), '\ncreate table public.wallets (id bigint primary key, balance_cents bigint not null default 0);\n');
      await vscode.workspace.applyEdit(edit);
      await document.save();
      const after = await waitFor('a diff after the save', () => api.database.lastDiff, (diff) => diff !== before, 90_000);
      assert.ok(after!.changes.some((change) => change.status === 'missing_in_database' && change.object === 'public.wallets'), 'the saved table is compared');
    } finally {
      await config.update('diffOnSave', undefined, vscode.ConfigurationTarget.Workspace);
      await restoreMigration(api, uri);
    }
  });

  test('Disconnect goes back offline and drops the drift', async () => {
    const api = await activatedApi();
    const result = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.disconnect');
    assert.strictEqual(result.connected, false);
    assert.match(api.statusBar.text, /pgreview: offline · \d+ findings/);
    assert.strictEqual(api.tree.nodeOf('table:public.payments')?.drift, undefined);
    assert.strictEqual(api.tree.currentSource, 'migrations');
    api.reportPanel()?.dispose();
  });

  test('New connection… asks host, port, database, user, sslmode and password, saves the profile without it and connects', async () => {
    const api = await activatedApi();
    const answers = [process.env.PGREVIEW_TEST_PG_HOST!, process.env.PGREVIEW_TEST_PG_PORT!, process.env.PGREVIEW_TEST_PG_DATABASE!, process.env.PGREVIEW_TEST_PG_USER!, password!];
    const titles: string[] = [];
    const original = api.database.prompts;
    api.database.prompts = {
      showQuickPick: async (items, options) => {
        titles.push(options.title ?? '');
        return items.find((item) => item.label === (options.title?.includes('sslmode') ? 'disable' : 'New connection…'));
      },
      showInputBox: async (options) => {
        titles.push(options.title ?? '');
        if (options.title?.includes('Password')) assert.strictEqual(options.password, true);
        return answers.shift();
      },
    };
    const name = `${process.env.PGREVIEW_TEST_PG_USER}@${process.env.PGREVIEW_TEST_PG_HOST}/${process.env.PGREVIEW_TEST_PG_DATABASE}`;
    try {
      const result = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect');
      assert.strictEqual(result.error, undefined);
      assert.strictEqual(result.connected, true);
      assert.deepStrictEqual(titles.map((title) => title.replace(/^pgreview: (New connection — )?/, '')), ['Connect to Database', 'Host', 'Port', 'Database', 'User', 'sslmode', 'Password']);
      const saved = vscode.workspace.getConfiguration('pgreview', workspaceRoot()).inspect<{ name: string; port: number; sslmode: string }[]>('connections')?.workspaceValue ?? [];
      const profile = saved.find((candidate) => candidate.name === name);
      assert.ok(profile, `the profile is saved in the workspace settings: ${JSON.stringify(saved)}`);
      assert.strictEqual(profile.port, Number(process.env.PGREVIEW_TEST_PG_PORT));
      assert.strictEqual(profile.sslmode, 'disable');
      assert.ok(!JSON.stringify(saved).includes(password!), 'no password in the settings');
      assert.strictEqual(await api.database.connection.storedPassword(name), password, 'the password is in SecretStorage');
    } finally {
      api.database.prompts = original;
      await vscode.commands.executeCommand('pgreview.disconnect');
      const config = vscode.workspace.getConfiguration('pgreview', workspaceRoot());
      const kept = (config.inspect<{ name: string }[]>('connections')?.workspaceValue ?? []).filter((candidate) => candidate.name !== name);
      await config.update('connections', kept, vscode.ConfigurationTarget.Workspace);
      await api.database.connection.forgetPassword(name);
    }
  });

  test('an unreachable database gives one clear notification without the password, and diagnostics keep working', async () => {
    const api = await activatedApi();
    const secret = 'unreachable-secret-pw';
    await api.database.connection.storePassword('unreachable', secret);
    const before = api.database.notifications.length;
    const started = Date.now();
    const result = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect', 'unreachable');
    assert.strictEqual(result.connected, false);
    assert.match(result.error ?? '', /Cannot connect to postgres@127\.0\.0\.1:\d+\/postgres: the server refused the connection/);
    assert.strictEqual(api.database.notifications.length, before + 1, 'one notification');
    assert.ok(!api.database.notifications.at(-1)!.includes(secret), 'no password in the notification');
    assert.ok(Date.now() - started < 15_000);
    assert.match(api.statusBar.text, /offline/);
    const snapshot = await api.analysis.run();
    assert.ok(snapshot && snapshot.findings.some((finding) => finding.rule === 'rls_enabled_no_policy'), 'offline findings are still there');
    assert.ok(vscode.languages.getDiagnostics(vscode.Uri.joinPath(workspaceRoot(), 'supabase', 'migrations', '20240102000000_vendors_bookings.sql')).length > 0, 'and so are the diagnostics');
    await api.database.connection.forgetPassword('unreachable');
  });

  test('the output channel logged the connections and never a password', async () => {
    const api = await activatedApi();
    // The log output channel is written to a file under the extension's log folder (or its parent).
    const texts: string[] = [];
    const collect = async (folder: vscode.Uri, depth: number): Promise<void> => {
      let entries: [string, vscode.FileType][] = [];
      try {
        entries = await vscode.workspace.fs.readDirectory(folder);
      } catch {
        return;
      }
      for (const [name, type] of entries) {
        const uri = vscode.Uri.joinPath(folder, name);
        if (type === vscode.FileType.Directory && depth > 0) await collect(uri, depth - 1);
        else if (type === vscode.FileType.File && name.endsWith('.log')) texts.push(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
      }
    };
    await collect(vscode.Uri.joinPath(api.logUri, '..'), 2);
    const log = texts.filter((text) => text.includes('connecting to')).join('\n');
    assert.ok(log.length > 0, 'the log file of the output channel was found');
    assert.match(log, /connected to postgres@127\.0\.0\.1:\d+\/pgreview_vscode/);
    for (const secret of [password!, 'unreachable-secret-pw']) assert.ok(!log.includes(secret), 'no password in the log');
  });
});
