import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { git } from '../../support/git';
import { activatedApi, migrationUri, restoreMigration, ruleDiagnostics, waitFor, workspaceRoot } from './workbench';

/**
 * Which migrations the safety rules judge in the editor: outside git every one (only tables
 * created in the same file are new); in a repository, the uncommitted and untracked ones.
 */
suite('pending migrations', () => {
  test('outside git every migration is pending; in a repository only an uncommitted one is judged', async function () {
    this.timeout(120_000);
    const api = await activatedApi();
    const root = workspaceRoot().fsPath;
    const before = await api.analysis.run();
    assert.ok(before);
    assert.strictEqual(before.pending.pending, undefined);
    assert.match(api.statusBar.tooltip, /Every migration counts as pending, and only tables created in the same file as new \(pgreview\.pendingSince needs a git repository, and .* is not in one\)\./);

    const added = migrationUri('20240110000000_payments_paid_at.sql');
    const addedPath = 'supabase/migrations/20240110000000_payments_paid_at.sql';
    const payments = migrationUri('20240103000000_payments.sql');
    const paymentsPath = 'supabase/migrations/20240103000000_payments.sql';
    try {
      git(root, 'init', '-q');
      git(root, 'add', '.');
      git(root, 'commit', '-q', '-m', 'applied migrations');
      fs.writeFileSync(added.fsPath, 'create index payments_paid_at_idx on public.payments (paid_at);\n');
      const snapshot = await waitFor('the new migration as pending', () => api.analysis.settled(), (current) => current?.pending.pending?.paths.has(addedPath) === true, 30_000);
      assert.deepStrictEqual([...snapshot!.pending.pending!.paths], [addedPath]);
      await waitFor('create_index_non_concurrently on the new migration', () => ruleDiagnostics(added, 'create_index_non_concurrently'), (found) => found.length === 1);
      assert.match(api.statusBar.tooltip, /1 pending migration \(not committed yet\): 20240110000000_payments_paid_at\.sql\./);

      // A committed migration edited and not saved is pending while the edit lasts. It creates
      // public.payments, which is then new (empty): the index the added file builds on it is safe.
      const editor = await vscode.window.showTextDocument(payments);
      await editor.edit((builder) => builder.insert(new vscode.Position(editor.document.lineCount, 0), '\ncreate index profiles_created_at_idx on public.profiles (created_at);\n'));
      const edited = await waitFor('the edited migration as pending', () => api.analysis.run(), (current) => current?.pending.pending?.paths.has(paymentsPath) === true, 30_000);
      assert.deepStrictEqual(
        edited!.findings.filter((finding) => finding.rule === 'create_index_non_concurrently').map((finding) => `${finding.span?.file} ${finding.object}`),
        [`${paymentsPath} public.profiles`],
      );
    } finally {
      await restoreMigration(api, payments);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      // The repository goes first: deleting the file then makes git look again, and find none.
      fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
      fs.rmSync(added.fsPath, { force: true });
      await waitFor('the fixture\'s migrations again, none pending', () => api.analysis.settled(), (current) => current !== undefined && !current.paths.includes(addedPath) && current.pending.pending === undefined, 30_000);
    }
  });
});
