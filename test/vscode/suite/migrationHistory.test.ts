import * as assert from 'assert';
import { Client } from 'pg';
import * as vscode from 'vscode';
import type { DatabaseCommandResult } from '../../../src/extension/databaseCommands';
import type { SchemaDiff } from '../../../src/extension/schemaDiff';
import { REVEAL_OBJECT_COMMAND, type SchemaNode } from '../../../src/extension/schemaTree';
import { SUPABASE_SCHEMA_MIGRATIONS_SQL } from '../../support/migrationHistoryTables';
import { activatedApi, migrationUri, ruleDiagnostics, waitFor } from './workbench';

const VENDORS = 'supabase/migrations/20240102000000_vendors_bookings.sql';
const PAYMENTS = 'supabase/migrations/20240103000000_payments.sql';

/** Runs SQL on the test database (or another of its server) as the harness's superuser (the extension itself only reads). */
async function runSql(sql: string, url = process.env.PGREVIEW_TEST_PG_URL): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A table lock held for as long as a test needs, and a way to see pgreview's session wait on it. */
async function lockHolder(): Promise<{ lock(table: string): Promise<void>; release(): Promise<void>; pgreviewWaits(what: string): Promise<void>; end(): Promise<void> }> {
  const locker = new Client({ connectionString: process.env.PGREVIEW_TEST_PG_URL });
  await locker.connect();
  // pg_stat_activity is read once per transaction: the locker's own open transaction would see no change.
  const watcher = new Client({ connectionString: process.env.PGREVIEW_TEST_PG_URL });
  await watcher.connect();
  const waiting = async (): Promise<number> => (await watcher.query("select count(*)::int as waiting from pg_stat_activity where datname = current_database() and application_name = 'pgreview' and wait_event_type = 'Lock'")).rows[0].waiting as number;
  return {
    lock: async (table) => void (await locker.query(`begin; lock table ${table} in access exclusive mode`)),
    release: async () => void (await locker.query('commit')),
    pgreviewWaits: async (what) => void (await waitFor(what, waiting, (count) => count > 0, 120_000)),
    end: async () => {
      await locker.end();
      await watcher.end();
    },
  };
}

/** `label: description` of each migration node under "Migrations", or undefined while there is none. */
function migrationStatuses(node: SchemaNode | undefined): string[] | undefined {
  return node?.children.map((child) => `${child.label}: ${child.description}`);
}

/**
 * The migration history while connected: the Supabase CLI's history table, made by hand in the
 * harness's database (it holds the fixture's first two migrations), says 20240101 is applied,
 * 20240102 was applied with other statements, a hotfix version has no file, and 20240103 is
 * pending. The tree, the diagnostics, the status bar and the Diff tab show it; Refresh reads it
 * again; Disconnect drops it.
 */
suite('migration history in the editor', function () {
  this.timeout(180_000);

  suiteSetup(function () {
    if (!process.env.PGREVIEW_TEST_PG_URL) this.skip();
  });

  test('the tree lists each migration with its status, the files carry the history findings, Refresh and Disconnect update them', async () => {
    const api = await activatedApi();
    await runSql(`${SUPABASE_SCHEMA_MIGRATIONS_SQL}
      insert into supabase_migrations.schema_migrations values
        ('20231201000000', array['select 1'], 'hotfix'),
        ('20240101000000', null, 'profiles'),
        ('20240102000000', array['create table public.vendors (id bigint primary key)'], 'vendors_bookings');`);
    const original = api.database.prompts;
    api.database.prompts = { ...original, showInputBox: async () => process.env.PGREVIEW_TEST_PG_PASSWORD };
    try {
      const result = await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect', 'test cluster');
      assert.strictEqual(result.error, undefined);
      assert.strictEqual(result.connected, true);
      const statuses = await waitFor('the Migrations node with the history', () => migrationStatuses(api.tree.nodeOf('group:migrations')), (found) => found?.length === 4, 60_000);
      assert.deepStrictEqual(statuses, [
        '20240101000000_profiles.sql: applied',
        '20240102000000_vendors_bookings.sql: changed after applied',
        '20240103000000_payments.sql: pending',
        '20231201000000 (hotfix): applied, file missing',
      ]);
      const group = api.tree.nodeOf('group:migrations')!;
      assert.strictEqual(group.description, '1 pending · 1 changed · 1 missing');
      const changed = api.tree.getTreeItem(api.tree.nodeOf(`migration:${VENDORS}`)!);
      assert.strictEqual((changed.iconPath as vscode.ThemeIcon).id, 'diff-modified');
      assert.match(changed.description as string, /^changed after applied · 1 finding$/);

      // The findings sit on the files: the changed file's first statement, the missing hotfix on the file it sorts before.
      const changedDiagnostics = await waitFor('migration_changed_after_applied on the changed file', () => ruleDiagnostics(migrationUri('20240102000000_vendors_bookings.sql'), 'migration_changed_after_applied'), (found) => found.length === 1, 30_000);
      assert.match(changedDiagnostics[0].message, /^Migration 20240102000000_vendors_bookings\.sql changed after supabase_migrations\.schema_migrations recorded it as applied/);
      const missing = ruleDiagnostics(migrationUri('20240101000000_profiles.sql'), 'applied_migration_missing');
      assert.strictEqual(missing.length, 1);
      assert.match(missing[0].message, /lists migration 20231201000000 \(hotfix\) as applied/);
      assert.match(api.statusBar.tooltip, /1 pending migration \(not listed in supabase_migrations\.schema_migrations\): 20240103000000_payments\.sql\. 1 migration changed after applied, 1 applied migration with no file \(supabase_migrations\.schema_migrations\)\./);

      // A click opens the file at its first statement.
      const paymentsItem = api.tree.getTreeItem(api.tree.nodeOf(`migration:${PAYMENTS}`)!);
      assert.strictEqual(paymentsItem.command?.command, REVEAL_OBJECT_COMMAND);
      await vscode.commands.executeCommand(paymentsItem.command.command, ...(paymentsItem.command.arguments ?? []));
      await waitFor('the pending migration to open', () => vscode.window.activeTextEditor?.document.uri.path, (path) => path?.endsWith(PAYMENTS) === true);

      // The Diff tab has the same section.
      assert.strictEqual((await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.showSchemaDiff')).error, undefined);
      assert.deepStrictEqual(api.database.lastDiff?.data.history, {
        table: 'supabase_migrations.schema_migrations',
        pending: [{ file: PAYMENTS, note: null }],
        changed: [{ file: VENDORS, note: 'its statements differ from those the Supabase CLI recorded when it applied the file' }],
        missing: ['20231201000000 (hotfix)'],
      });
      const panel = api.reportPanel()!;
      await waitFor('the page to draw the history section', () => panel.lastReceived('rendered')?.diff?.history, (rows) => rows === 3, 30_000);

      // A deploy since connecting: Refresh reads the history again.
      await runSql(`insert into supabase_migrations.schema_migrations values ('20240103000000', null, 'payments'); delete from supabase_migrations.schema_migrations where version = '20231201000000';`);
      await vscode.commands.executeCommand('pgreview.refresh');
      const refreshed = await waitFor('the refreshed history', () => migrationStatuses(api.tree.nodeOf('group:migrations')), (found) => found?.length === 3, 30_000);
      assert.deepStrictEqual(refreshed, ['20240101000000_profiles.sql: applied', '20240102000000_vendors_bookings.sql: changed after applied', '20240103000000_payments.sql: applied']);
      await waitFor('the missing-file finding to go', () => ruleDiagnostics(migrationUri('20240101000000_profiles.sql'), 'applied_migration_missing'), (found) => found.length === 0, 30_000);
    } finally {
      api.database.prompts = original;
      await vscode.commands.executeCommand('pgreview.disconnect');
      await runSql('drop schema if exists supabase_migrations cascade;');
      api.reportPanel()?.dispose();
    }
    await waitFor('the Migrations node to go after Disconnect', () => api.tree.nodeOf('group:migrations'), (node) => node === undefined, 30_000);
    await waitFor('the history findings to go after Disconnect', () => ruleDiagnostics(migrationUri('20240102000000_vendors_bookings.sql'), 'migration_changed_after_applied'), (found) => found.length === 0, 30_000);
  });

  test('a Refresh whose history read finishes after a connect to another database does not give that database the first one\'s history', async () => {
    const api = await activatedApi();
    const settings = vscode.workspace.getConfiguration('pgreview');
    const profiles = settings.get<Record<string, unknown>[]>('connections') ?? [];
    const timeout = settings.inspect<number>('statementTimeoutMs')?.workspaceValue;
    await runSql('drop database if exists pgreview_vscode_other');
    await runSql('create database pgreview_vscode_other');
    await runSql(`${SUPABASE_SCHEMA_MIGRATIONS_SQL}\ninsert into supabase_migrations.schema_migrations values ('20240101000000', null, 'profiles'), ('20240102000000', null, 'vendors_bookings');`);
    const other = new URL(process.env.PGREVIEW_TEST_PG_URL!);
    other.pathname = '/pgreview_vscode_other';
    await runSql(`${SUPABASE_SCHEMA_MIGRATIONS_SQL}\ninsert into supabase_migrations.schema_migrations values ('20240101000000', null, 'profiles');`, other.href);
    // The history read below waits on a lock for as long as the test needs: no statement timeout ends it first.
    await settings.update('statementTimeoutMs', 600_000, vscode.ConfigurationTarget.Workspace);
    await settings.update('connections', [...profiles, { ...profiles[0], name: 'other database', database: 'pgreview_vscode_other' }], vscode.ConfigurationTarget.Workspace);
    const original = api.database.prompts;
    api.database.prompts = { ...original, showInputBox: async () => process.env.PGREVIEW_TEST_PG_PASSWORD };
    const locks = await lockHolder();
    try {
      assert.strictEqual((await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect', 'test cluster')).connected, true);
      assert.deepStrictEqual(api.database.connection.current?.history?.entries.map((entry) => entry.version), ['20240101000000', '20240102000000']);
      // The first database's history table is locked: Refresh's read of it waits until the other database is connected.
      await locks.lock('supabase_migrations.schema_migrations');
      const refreshing = api.database.refreshHistory();
      await locks.pgreviewWaits('the history read to wait on the lock');
      assert.strictEqual((await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect', 'other database')).connected, true);
      assert.deepStrictEqual(api.database.connection.current?.history?.entries.map((entry) => entry.version), ['20240101000000']);
      await locks.release();
      await refreshing;
      assert.match(api.database.connection.current?.label ?? '', /\/pgreview_vscode_other$/);
      assert.deepStrictEqual(api.database.connection.current?.history?.entries.map((entry) => entry.version), ['20240101000000'], 'the other database keeps its own history');
    } finally {
      await locks.end();
      api.database.prompts = original;
      await vscode.commands.executeCommand('pgreview.disconnect');
      await settings.update('connections', profiles, vscode.ConfigurationTarget.Workspace);
      await settings.update('statementTimeoutMs', timeout, vscode.ConfigurationTarget.Workspace);
      await runSql('drop schema if exists supabase_migrations cascade;');
      await runSql('drop database if exists pgreview_vscode_other');
    }
  });

  test('a schema diff that finishes after a Refresh of the history is shown', async () => {
    const api = await activatedApi();
    const settings = vscode.workspace.getConfiguration('pgreview');
    const timeout = settings.inspect<number>('statementTimeoutMs')?.workspaceValue;
    await runSql(`${SUPABASE_SCHEMA_MIGRATIONS_SQL}
      insert into supabase_migrations.schema_migrations values ('20240101000000', null, 'profiles');
      create view public.pgreview_locked_view as select 1 as one;`);
    // The diff's catalog read below waits on a lock for as long as the test needs: no statement timeout ends it first.
    await settings.update('statementTimeoutMs', 600_000, vscode.ConfigurationTarget.Workspace);
    const original = api.database.prompts;
    api.database.prompts = { ...original, showInputBox: async () => process.env.PGREVIEW_TEST_PG_PASSWORD };
    const locks = await lockHolder();
    try {
      assert.strictEqual((await vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.connect', 'test cluster')).connected, true);
      // Read through a function: an assertion on the property itself would narrow it for the rest of the test.
      const shownDiff = (): SchemaDiff | undefined => api.database.lastDiff;
      assert.strictEqual(shownDiff(), undefined);
      const before = api.database.connection.current;
      await runSql(`insert into supabase_migrations.schema_migrations values ('20240102000000', null, 'vendors_bookings');`);
      // The view is locked: the diff's catalog read (pg_get_viewdef locks the view) waits on it; Refresh reads only the history table.
      await locks.lock('public.pgreview_locked_view');
      const diffing = vscode.commands.executeCommand<DatabaseCommandResult>('pgreview.showSchemaDiff');
      await locks.pgreviewWaits('the diff\'s catalog read to wait on the lock');
      await api.database.refreshHistory();
      assert.notStrictEqual(api.database.connection.current, before, 'Refresh replaced the connected database with one carrying the new history');
      assert.deepStrictEqual(api.database.connection.current?.history?.entries.map((entry) => entry.version), ['20240101000000', '20240102000000']);
      assert.strictEqual(shownDiff(), undefined, 'the diff is still waiting on the lock');
      await locks.release();
      const result = await diffing;
      assert.strictEqual(result.error, undefined);
      assert.ok((result.changes ?? 0) > 0, `the diff reports its differences: ${JSON.stringify(result)}`);
      assert.strictEqual(shownDiff()?.changes.length, result.changes);
      assert.ok(shownDiff()?.changes.some((change) => change.object.includes('pgreview_locked_view')), 'the locked view is among the differences');
    } finally {
      await locks.end();
      api.database.prompts = original;
      await vscode.commands.executeCommand('pgreview.disconnect');
      await settings.update('statementTimeoutMs', timeout, vscode.ConfigurationTarget.Workspace);
      await runSql('drop view if exists public.pgreview_locked_view; drop schema if exists supabase_migrations cascade;');
      api.reportPanel()?.dispose();
    }
  });
});
