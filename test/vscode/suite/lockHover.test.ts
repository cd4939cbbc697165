import * as assert from 'assert';
import * as vscode from 'vscode';
import { activatedApi, migrationUri, waitFor } from './workbench';

suite('lock hover and the Locks section', () => {
  test('hover on a statement of a pending migration names the lock it takes, what it blocks and the rewrite; the report panel lists it', async function () {
    this.timeout(60_000);
    const api = await activatedApi();
    const added = 'supabase/migrations/20240105000000_bookings_token.sql';
    const uri = migrationUri('20240105000000_bookings_token.sql');
    const text = [
      '-- Each booking gets a token for its public link.',
      'alter table public.bookings add column token uuid default gen_random_uuid();',
      '',
    ].join('\n');
    const hoverText = async (at: string): Promise<string> => {
      const document = await vscode.workspace.openTextDocument(uri);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, document.positionAt(text.indexOf(at) + 2));
      return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    };
    try {
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
      // Other tests' files may come and go meanwhile: what this test waits for is its own file.
      await waitFor('the new migration to be analysed', async () => (await api.analysis.settled())?.paths, (paths) => paths !== undefined && paths.includes(added), 30_000);
      const onStatement = await hoverText('add column');
      assert.match(onStatement, /\*\*Locks\*\* \(pending migration\)/, onStatement);
      assert.match(onStatement, /takes an ACCESS EXCLUSIVE lock on public\\\.bookings: blocks reads and writes; it rewrites the whole table/, onStatement);
      assert.doesNotMatch(await hoverText('Each booking'), /Locks/, 'a comment is no statement');

      // The report panel lists the same statement in its Locks section.
      await vscode.commands.executeCommand('pgreview.showReport');
      const panel = api.reportPanel();
      assert.ok(panel, 'the panel is open');
      const shown = await waitFor('the page to draw the Locks section', () => panel.lastReceived('rendered'), (rendered) => (rendered?.report?.locks ?? 0) > 0, 20_000);
      const statements = [...(await api.analysis.settled())!.analysis.statementLocks.values()].reduce((count, list) => count + list.length, 0);
      assert.strictEqual(shown?.report?.locks, statements);
      panel.dispose();
    } finally {
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
      // What this test owns: its file is gone from the review (other files are other tests' to put back).
      await waitFor('the added migration to leave the review', async () => (await api.analysis.settled())?.paths, (paths) => paths !== undefined && !paths.includes(added), 30_000);
    }
  });
});
