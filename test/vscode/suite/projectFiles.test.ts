import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activatedApi, migrationUri, ruleDiagnostics, waitFor } from './workbench';

/**
 * The editor reads the project by the CLI's rules (src/node/fileSystemProjectReader.ts): a
 * migration that is a symbolic link out of the project is not reviewed, and says so, even while
 * it is open in an editor with unsaved changes.
 */
suite('project files the editor does not review', () => {
  test('a migration linked to a file outside the project is a file_skipped diagnostic, open or not', async function () {
    this.timeout(90_000);
    const api = await activatedApi();
    const before = [...((await api.analysis.settled())?.paths ?? [])];
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'pgreview-outside-'));
    fs.writeFileSync(path.join(outside, 'secrets.sql'), 'create table public.secrets (id bigint primary key, token text);\n');
    const link = migrationUri('20240109000000_secrets.sql');
    const linkPath = 'supabase/migrations/20240109000000_secrets.sql';
    const skipped = () => ruleDiagnostics(link, 'file_skipped');
    try {
      fs.symlinkSync(path.join(outside, 'secrets.sql'), link.fsPath);
      await waitFor('the link to be discovered', async () => (await api.analysis.settled())?.paths, (paths) => Boolean(paths?.includes(linkPath)), 30_000);
      const [diagnostic] = await waitFor('file_skipped on the link', skipped, (found) => found.length === 1);
      assert.match(diagnostic.message, /is a symbolic link to .*secrets\.sql, outside the project/);

      // Open, with an unsaved edit: the text comes from the editor, and the rule still holds.
      const editor = await vscode.window.showTextDocument(link);
      await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '-- an unsaved edit\n'));
      const analysed = await api.analysis.run();
      assert.ok(analysed && analysed.paths.includes(linkPath));
      assert.deepStrictEqual(
        analysed.findings.filter((finding) => finding.span?.file === linkPath).map((finding) => finding.rule),
        ['file_skipped'],
      );
      assert.strictEqual(skipped().length, 1);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(link.fsPath, { force: true });
      fs.rmSync(outside, { recursive: true, force: true });
      await waitFor('the fixture\'s migrations again', async () => (await api.analysis.settled())?.paths, (paths) => JSON.stringify(paths) === JSON.stringify(before), 30_000);
    }
  });
});
