import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activatedApi, ruleDiagnostics, waitFor, workspaceRoot } from './workbench';

/**
 * `supabase migration new x` in a project without supabase/migrations creates the folder and the
 * file at once: the file's own watcher event can be lost before the new folder is watched, and
 * deleting the folder reports the folder alone. pgreview looks again when a folder comes or goes.
 */
suite('migrations in a brand-new folder', () => {
  test('a migration written with its new folder in one go is analysed, and goes with the folder', async function () {
    this.timeout(60_000);
    const api = await activatedApi();
    const before = [...api.analysis.current!.paths];
    const config = vscode.workspace.getConfiguration('pgreview', workspaceRoot());
    // The project's migrations include the folders inside supabase/migrations (pgreview.migrations).
    await config.update('migrations', ['supabase/migrations/**/*.sql'], vscode.ConfigurationTarget.Workspace);
    const folder = vscode.Uri.joinPath(workspaceRoot(), 'supabase', 'migrations', '20240104000000_audit');
    const migration = vscode.Uri.joinPath(folder, 'migration.sql');
    const path = 'supabase/migrations/20240104000000_audit/migration.sql';
    try {
      await waitFor('the analysis of the pgreview.migrations globs', async () => (await api.analysis.settled())?.paths, (paths) => paths?.length === before.length);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(folder)), 'the folder does not exist yet');
      // As the Supabase CLI does it: the folder, then at once its file, behind the editor's back.
      // (Written through vscode.workspace.fs, the file's own event arrives in this harness.)
      fs.mkdirSync(folder.fsPath);
      fs.writeFileSync(migration.fsPath, 'create table public.audit_events (happened_at timestamptz not null default now(), note text);\n');
      await waitFor('the new migration to be discovered', async () => (await api.analysis.settled())?.paths, (paths) => Boolean(paths?.includes(path)));
      assert.deepStrictEqual(api.analysis.current!.paths, [...before, path]);
      await waitFor('no_primary_key on the new migration', () => ruleDiagnostics(migration, 'no_primary_key'), (found) => found.length === 1);

      // Deleting the folder reports the folder alone, not the migration inside it.
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
      await waitFor('the migration to go with its folder', async () => (await api.analysis.settled())?.paths, (paths) => Boolean(paths && !paths.includes(path)));
      await waitFor('its diagnostics to go', () => ruleDiagnostics(migration, 'no_primary_key'), (found) => found.length === 0);
    } finally {
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
      await config.update('migrations', undefined, vscode.ConfigurationTarget.Workspace);
      await waitFor('the fixture\'s migrations again', async () => (await api.analysis.settled())?.paths, (paths) => JSON.stringify(paths) === JSON.stringify(before));
    }
  });

  test('a new folder without SQL (build output) starts no analysis', async function () {
    this.timeout(60_000);
    const api = await activatedApi();
    const before = await api.analysis.settled();
    assert.ok(before, 'the fixture is analysed');
    const build = vscode.Uri.joinPath(workspaceRoot(), 'build');
    const notes = vscode.Uri.joinPath(workspaceRoot(), 'notes');
    let runs = 0;
    const counting = api.analysis.onDidAnalyze(() => (runs += 1));
    try {
      // As a bundler writes its output: folders and files behind the editor's back, none of them SQL.
      // (build/ is a folder the listing walks, unlike dist/: only its content tells it holds no migration.)
      fs.mkdirSync(path.join(build.fsPath, 'assets'), { recursive: true });
      fs.writeFileSync(path.join(build.fsPath, 'assets', 'x.js'), 'console.log("bundled");\n');
      fs.mkdirSync(path.join(workspaceRoot().fsPath, 'dist', 'assets'), { recursive: true });
      fs.writeFileSync(path.join(workspaceRoot().fsPath, 'dist', 'assets', 'x.js'), 'console.log("bundled");\n');
      // Far longer than the watcher's delay and the debounce (250 ms): a run these folders started would be over.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.strictEqual(await api.analysis.settled(), before, 'the same snapshot');
      assert.strictEqual(runs, 0, 'no analysis ran');

      // The watchers do report new folders here: one that holds SQL is looked at again.
      fs.mkdirSync(notes.fsPath);
      fs.writeFileSync(path.join(notes.fsPath, 'scratch.sql'), 'select 1;\n');
      await waitFor('an analysis after a new folder with SQL', async () => {
        await api.analysis.settled();
        return runs;
      }, (count) => count > 0);
      assert.deepStrictEqual(api.analysis.current!.paths, before.paths, 'a scratch file beside supabase/migrations is no migration');
    } finally {
      counting.dispose();
      for (const folder of [build, notes, vscode.Uri.joinPath(workspaceRoot(), 'dist')]) {
        await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
      }
      await api.analysis.settled();
    }
  });
});
