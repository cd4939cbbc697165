import * as assert from 'assert';
import * as fs from 'fs';
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
});
