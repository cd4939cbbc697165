import * as assert from 'assert';
import * as vscode from 'vscode';
import { renderNewMigrationText } from '../../../src/core/discovery/nextMigrationPath';
import { planBulkFixes } from '../../../src/core/rules/planBulkFixes';
import { activatedApi, migrationUri, ruleDiagnostics, waitFor } from './workbench';

const BOOKINGS = '20240102000000_vendors_bookings.sql';

/**
 * "Fix All of This Rule" and "Fix All" write the migration `pgreview fix [--rule R]` writes: the
 * same plan (core's planBulkFixes), the same name and text, after every existing migration.
 */
suite('Fix All', () => {
  test('"Fix All of This Rule" on a diagnostic writes the rule\'s fixes into one new migration, and the diagnostic goes away', async () => {
    const api = await activatedApi();
    const uri = migrationUri(BOOKINGS);
    await vscode.window.showTextDocument(uri);
    const rule = 'function_search_path_mutable';
    const [diagnostic] = await waitFor(`the ${rule} diagnostic`, () => ruleDiagnostics(uri, rule), (found) => found.length === 1);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const fixAll = actions.filter((action) => action.title === `Fix All of This Rule (${rule}, in a new migration)`);
    assert.strictEqual(fixAll.length, 1, actions.map((action) => action.title).join('\n'));
    const snapshot = api.analysis.current!;
    const plan = planBulkFixes(snapshot.findings, [rule]);

    const written = await vscode.commands.executeCommand<vscode.Uri>(fixAll[0].command!.command, ...(fixAll[0].command!.arguments ?? []));
    try {
      assert.match(written.path, /\/supabase\/migrations\/\d{14}_pgreview_fixes_of_function_search_path_mutable\.sql$/);
      assert.strictEqual(new TextDecoder().decode(await vscode.workspace.fs.readFile(written)), renderNewMigrationText('supabase', plan.title, plan.sql));
      await waitFor('the diagnostic to disappear', () => ruleDiagnostics(uri, rule), (found) => found.length === 0);
    } finally {
      await removeMigration(written);
    }
    await waitFor('the diagnostic to return once the migration is removed', () => ruleDiagnostics(uri, rule), (found) => found.length === 1);
  });

  test('"Fix All" on the Schema tree writes every fix that needs no choice, and leaves no such finding', async () => {
    const api = await activatedApi();
    const contributes = vscode.extensions.getExtension('pgreview.pgreview')!.packageJSON.contributes as { menus: Record<string, { command: string; when?: string }[]> };
    assert.ok(contributes.menus['view/title'].some((entry) => entry.command === 'pgreview.fixAll' && entry.when?.startsWith('view == pgreview.schema')));
    const before = api.analysis.current ?? (await api.analysis.run())!;
    const plan = planBulkFixes(before.findings);
    assert.ok(plan.rules.length >= 2, plan.sql);

    const written = await vscode.commands.executeCommand<vscode.Uri>('pgreview.fixAll');
    try {
      assert.match(written.path, /\/supabase\/migrations\/\d{14}_pgreview_fixes\.sql$/);
      assert.strictEqual(new TextDecoder().decode(await vscode.workspace.fs.readFile(written)), renderNewMigrationText('supabase', plan.title, plan.sql));
      // A run started before the file was written (by the watcher) may finish first: wait for the one that read it.
      const after = (await waitFor('the analysis that read the fix migration', () => api.analysis.current, (snapshot) => snapshot?.paths.at(-1) !== undefined && written.path.endsWith(snapshot.paths.at(-1)!)))!;
      assert.deepStrictEqual(after.findings.filter((finding) => finding.fix && !finding.fix.editOnly).map((finding) => `${finding.rule} ${finding.object}`), []);
    } finally {
      await removeMigration(written);
    }
  });
});

async function removeMigration(uri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  await vscode.workspace.fs.delete(uri);
  const api = await activatedApi();
  await api.analysis.run();
}
