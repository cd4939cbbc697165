import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SchemaNode } from '../../../src/extension/schemaTree';
import type { PgreviewApi } from '../../../src/extension/extension';
import { activatedApi, migrationUri, screenshot, waitFor } from './workbench';

suite('schema tree', () => {
  test('public holds the tables the migrations define, with their RLS state', async () => {
    const api = await activatedApi();
    const tables = childrenOf(api, 'schema:public').filter((node) => node.kind === 'table');
    assert.deepStrictEqual(tables.map((node) => node.label), ['profiles', 'vendors', 'bookings', 'payments']);
    const bookings = api.tree.getTreeItem(api.tree.nodeOf('table:public.bookings')!);
    assert.strictEqual(bookings.contextValue, 'table');
    assert.strictEqual((bookings.iconPath as vscode.ThemeIcon).id, 'lock');
    assert.match(String(bookings.description), /^RLS on · 0 policies · \d+ findings?$/);
  });

  test('a table lists its columns and policies', async () => {
    const api = await activatedApi();
    const groups = childrenOf(api, 'table:public.profiles');
    assert.deepStrictEqual(groups.find((group) => group.label === 'Columns')!.children.map((node) => node.label), ['id', 'display_name', 'avatar_url', 'created_at']);
    const policies = groups.find((group) => group.label === 'Policies')!.children;
    assert.deepStrictEqual(policies.map((node) => node.label), ['Owners can read their profile', 'Owners can update their profile']);
    const item = api.tree.getTreeItem(policies[0]);
    assert.strictEqual(item.contextValue, 'policy');
    assert.match(String(item.description), /^select to authenticated/);
  });

  test('functions appear under their schema', async () => {
    const api = await activatedApi();
    const functions = childrenOf(api, 'schema:public').filter((node) => node.kind === 'function');
    assert.deepStrictEqual(functions.map((node) => node.label), ['booking_count(bigint)']);
    assert.strictEqual(api.tree.getTreeItem(functions[0]).contextValue, 'function');
  });

  test('views appear under their schema, extensions in their own folder', async () => {
    const api = await activatedApi();
    const views = childrenOf(api, 'schema:public').filter((node) => node.kind === 'view');
    assert.deepStrictEqual(views.map((node) => [node.label, node.description]), [['vendor_names', 'view · security invoker']]);
    const extensions = api.tree.getChildren().find((node) => node.key === 'group:extensions');
    assert.deepStrictEqual(extensions?.children.map((node) => [node.label, node.description]), [['pg_trgm', 'in extensions']]);
    assert.strictEqual(api.tree.getTreeItem(extensions!.children[0]).contextValue, 'extension');
  });

  test('clicking a tree item goes to its defining statement', async () => {
    const api = await activatedApi();
    const item = api.tree.getTreeItem(api.tree.nodeOf('policy:public.profiles/Owners can update their profile')!);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = await waitFor('the editor', () => vscode.window.activeTextEditor, (value) => value?.document.uri.toString() === migrationUri('20240101000000_profiles.sql').toString());
    assert.strictEqual(editor!.selection.active.line, 14, 'the create policy statement starts on line 15');
  });

  test('"only objects with findings" hides the objects without findings', async () => {
    const api = await activatedApi();
    const tables = childrenOf(api, 'schema:public');
    const profileGroups = childrenOf(api, 'table:public.profiles');
    api.tree.setOnlyFindings(true);
    try {
      const filteredTables = api.tree.getChildren(api.tree.nodeOf('schema:public'));
      assert.ok(filteredTables.some((node) => node.key === 'table:public.bookings'), 'bookings has the planted finding');
      assert.deepStrictEqual(filteredTables.map((node) => node.key), tables.filter((node) => node.findingCount > 0).map((node) => node.key));
      // The profiles policies have findings (the planted auth.uid() call); its columns have none.
      const filteredGroups = api.tree.getChildren(api.tree.nodeOf('table:public.profiles'));
      assert.ok(filteredGroups.some((node) => node.label === 'Policies'));
      assert.ok(!filteredGroups.some((node) => node.label === 'Columns'));
      assert.ok(filteredGroups.length < profileGroups.length);
    } finally {
      api.tree.setOnlyFindings(false);
    }
  });

  test('screenshot: the tree next to a migration with a diagnostic', async () => {
    const api = await activatedApi();
    await vscode.window.showTextDocument(migrationUri('20240102000000_vendors_bookings.sql'), { preview: false, selection: new vscode.Range(23, 0, 23, 0) });
    await vscode.commands.executeCommand('pgreview.schema.focus');
    await vscode.commands.executeCommand('pgreview.revealObject', 'table:public.bookings', { revealInTree: true });
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.ok(api.treeView.visible);
    await screenshot('tree-with-diagnostic');
  });
});

function childrenOf(api: PgreviewApi, key: string): SchemaNode[] {
  const node = api.tree.nodeOf(key);
  assert.ok(node, `no tree node ${key}`);
  return api.tree.getChildren(node);
}
