import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activatedApi, waitFor, workspaceRoot } from './workbench';

suite('commands', () => {
  test('every contributed command is registered, in category pgreview', async () => {
    await activatedApi();
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string; category: string }[]);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of contributed) {
      assert.ok(registered.has(command.command), `${command.command} is not registered`);
      assert.strictEqual(command.category, 'pgreview');
    }
  });

  test('Review Workspace and Refresh analyse the migrations', async () => {
    const api = await activatedApi();
    const review = await vscode.commands.executeCommand<{ files: number; findings: number }>('pgreview.reviewWorkspace');
    assert.strictEqual(review.files, 3);
    assert.ok(review.findings >= 1);
    assert.strictEqual(await vscode.commands.executeCommand('pgreview.refresh'), api.analysis.current!.findings.length);
  });

  test('Export Report writes SARIF, JSON and Markdown', async () => {
    await activatedApi();
    for (const [format, check] of [
      ['sarif', (text: string) => assert.strictEqual(JSON.parse(text).version, '2.1.0')],
      ['json', (text: string) => assert.ok(JSON.stringify(JSON.parse(text)).includes('rls_enabled_no_policy'))],
      ['markdown', (text: string) => assert.match(text, /rls_enabled_no_policy/)],
    ] as const) {
      const target = vscode.Uri.joinPath(workspaceRoot(), `report.${format}`);
      const written = await vscode.commands.executeCommand<vscode.Uri>('pgreview.exportReport', format, target);
      assert.strictEqual(written?.toString(), target.toString());
      check(new TextDecoder().decode(await vscode.workspace.fs.readFile(target)));
      await vscode.workspace.fs.delete(target);
    }
  });

  test('Open Rule Documentation opens the doc the extension ships', async () => {
    await activatedApi();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('pgreview.openRuleDocumentation', 'rls_enabled_no_policy');
    assert.ok(uri.path.endsWith('/docs/rules/rls_enabled_no_policy.md'));
    // The preview opens a moment after the command returns on a busy machine; once it is there it
    // is closed, so that it cannot take the focus from the editor a later test opens.
    const preview = await waitFor(
      'the rule documentation preview',
      () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.label.includes('rls_enabled_no_policy.md')),
      (tab) => tab !== undefined,
      60_000,
    );
    await vscode.window.tabGroups.close(preview!);
  });

  test('Show Policies and Copy Name act on a tree item', async () => {
    const api = await activatedApi();
    const profiles = api.tree.nodeOf('table:public.profiles')!;
    assert.strictEqual(await vscode.commands.executeCommand('pgreview.copyName', profiles), 'public.profiles');
    assert.strictEqual(await vscode.env.clipboard.readText(), 'public.profiles');
    assert.deepStrictEqual(await vscode.commands.executeCommand('pgreview.showPolicies', api.tree.nodeOf('table:public.bookings')), []);
    let picked: string[] | undefined;
    const picking = vscode.commands.executeCommand<string[]>('pgreview.showPolicies', profiles).then((labels) => (picked = labels));
    // The quick pick opens asynchronously: accept its first item until the command returns.
    await waitFor('the policy quick pick to be accepted', async () => {
      if (!picked) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return picked;
    }, (labels) => labels !== undefined);
    assert.deepStrictEqual(await picking, ['Owners can read their profile', 'Owners can update their profile']);
    // The editor becomes active a moment after showTextDocument resolves on a busy machine.
    await waitFor('picking a policy to go to it', () => vscode.window.activeTextEditor?.document.uri.path, (path) => Boolean(path?.endsWith('20240101000000_profiles.sql')));
  });

  test('Generate Fix writes the fixes of an object\'s findings into one new migration', async () => {
    const api = await activatedApi();
    const written = await vscode.commands.executeCommand<vscode.Uri>('pgreview.generateFix', api.tree.nodeOf('table:public.payments'));
    assert.match(written.path, /\/\d{14}_pgreview_fixes_for_public_payments\.sql$/);
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(written)), /-- Create an index on public\.payments\(booking_id\)\ncreate index/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(written);
    await api.analysis.run();
  });

  test('the tree filter commands toggle the filter', async () => {
    const api = await activatedApi();
    await vscode.commands.executeCommand('pgreview.tree.showOnlyFindings');
    assert.strictEqual(api.tree.isOnlyFindings, true);
    await vscode.commands.executeCommand('pgreview.tree.showAll');
    assert.strictEqual(api.tree.isOnlyFindings, false);
  });

  test('the database commands say they need a connection and leave the review offline', async () => {
    const api = await activatedApi();
    // Connect is driven against a real database in database.test.ts.
    for (const command of ['pgreview.disconnect', 'pgreview.showSchemaDiff', 'pgreview.generateAlignmentMigration']) {
      assert.deepStrictEqual(await vscode.commands.executeCommand(command), { connected: false }, command);
    }
    assert.match(api.statusBar.text, /offline/);
  });

  test('Write Fix Migration and Reveal Object', async () => {
    const api = await activatedApi();
    const written = await vscode.commands.executeCommand<vscode.Uri>('pgreview.writeFixMigration', 'Index bookings by vendor', 'create index on public.bookings (vendor_id);');
    assert.match(written.path, /\/supabase\/migrations\/\d{14}_pgreview_index_bookings_by_vendor\.sql$/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(written);
    await api.analysis.run();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('pgreview.revealObject', 'table:public.payments');
    assert.ok(editor.document.uri.path.endsWith('20240103000000_payments.sql'));
    assert.strictEqual(editor.selection.active.line, 1);
  });
});
