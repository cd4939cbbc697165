import * as assert from 'assert';
import * as vscode from 'vscode';
import { activatedApi, migrationUri, restoreMigration, ruleDiagnostics, waitFor } from './workbench';

const BOOKINGS = '20240102000000_vendors_bookings.sql';
const RULE = 'rls_enabled_no_policy';

suite('diagnostics and quick fixes', () => {
  test('the planted mistake is a diagnostic on its statement, with the rule as code linked to its docs', async () => {
    await activatedApi();
    const uri = migrationUri(BOOKINGS);
    const [diagnostic] = await waitFor('the rls_enabled_no_policy diagnostic', () => ruleDiagnostics(uri, RULE), (found) => found.length === 1);
    assert.strictEqual(diagnostic.source, 'pgreview');
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Information);
    assert.match(diagnostic.message, /public\.bookings has RLS enabled but no policies/);
    // `alter table public.bookings enable row level security` is line 24 (0-based 23), without its semicolon.
    assert.deepStrictEqual([diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character], [23, 0, 23, 53]);
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assert.strictEqual(code.value, RULE);
    assert.ok(code.target.path.endsWith(`/docs/rules/${RULE}.md`), code.target.toString());
  });

  test('code actions: the suggestion, ignore and documentation, offered for the analysed version only', async () => {
    const api = await activatedApi();
    const uri = migrationUri(BOOKINGS);
    await vscode.window.showTextDocument(uri);
    const [diagnostic] = await waitFor('the diagnostic', () => ruleDiagnostics(uri, RULE), (found) => found.length === 1);
    const actions = await codeActionsAt(uri, diagnostic.range);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Add an owner policy to public.bookings (in a new migration)'), titles.join('\n'));
    assert.ok(titles.includes(`Ignore ${RULE} for this statement`), titles.join('\n'));
    assert.ok(titles.includes(`Show documentation for ${RULE}`), titles.join('\n'));
    // Right after an edit, before the debounced run, the actions belong to an older text: none is offered.
    const editor = vscode.window.activeTextEditor!;
    try {
      await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '-- an unsaved edit\n'));
      const stale = (await codeActionsAt(uri, diagnostic.range)).filter((action) => action.title.includes(RULE) || action.title.startsWith('Add an owner policy'));
      assert.deepStrictEqual(stale.map((action) => action.title), []);
    } finally {
      await restoreMigration(api, uri);
    }
    await waitFor('the diagnostic after the restore', () => ruleDiagnostics(uri, RULE), (found) => found.length === 1 && found[0].range.start.line === 23);
  });

  test('the in-place fix is the preferred quick fix: set search_path on the function, and the diagnostic goes away', async () => {
    const api = await activatedApi();
    const uri = migrationUri(BOOKINGS);
    const editor = await vscode.window.showTextDocument(uri);
    const rule = 'function_search_path_mutable';
    const [diagnostic] = await waitFor(`the ${rule} diagnostic`, () => ruleDiagnostics(uri, rule), (found) => found.length === 1);
    const actions = await codeActionsAt(uri, diagnostic.range);
    const preferred = actions.filter((action) => action.isPreferred);
    assert.deepStrictEqual(preferred.map((action) => action.title), ["Fix: Set search_path = '' on public.booking_count(bigint)"]);
    assert.ok(actions.some((action) => action.title === "Fix: Set search_path = '' on public.booking_count(bigint) (in a new migration)"));
    try {
      assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
      assert.match(editor.document.getText(), /stable\s+set search_path = ''\s+as \$\$/i);
      await waitFor('the diagnostic to disappear', () => ruleDiagnostics(uri, rule), (found) => found.length === 0);
    } finally {
      await restoreMigration(api, uri);
    }
    await waitFor('the diagnostic to return after the restore', () => ruleDiagnostics(uri, rule), (found) => found.length === 1);
  });

  test('the planted per-row auth.uid() call: the preferred fix wraps it in (select auth.uid()) in place', async () => {
    const api = await activatedApi();
    const uri = migrationUri('20240101000000_profiles.sql');
    const editor = await vscode.window.showTextDocument(uri);
    const rule = 'auth_rls_initplan';
    const [diagnostic] = await waitFor(`the ${rule} diagnostic`, () => ruleDiagnostics(uri, rule), (found) => found.length === 1);
    assert.strictEqual(diagnostic.range.start.line, 10, 'on the create policy statement, line 11');
    const actions = await codeActionsAt(uri, diagnostic.range);
    const preferred = actions.filter((action) => action.isPreferred && action.title.startsWith('Fix: Wrap the auth calls'));
    assert.strictEqual(preferred.length, 1, actions.map((action) => `${action.isPreferred ? '*' : ' '} ${action.title}`).join('\n'));
    assert.ok(preferred[0].edit, 'an edit in place, not a new migration');
    try {
      assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
      assert.match(editor.document.getText(), /using \(id = \(select auth\.uid\(\)\)\);/);
      await waitFor('the diagnostic to disappear', () => ruleDiagnostics(uri, rule), (found) => found.length === 0);
    } finally {
      await restoreMigration(api, uri);
    }
    await waitFor('the diagnostic to return after the restore', () => ruleDiagnostics(uri, rule), (found) => found.length === 1);
  });

  test('a fix two findings share is offered once', async () => {
    const api = await activatedApi();
    const uri = migrationUri('20240103000000_payments.sql');
    const editor = await vscode.window.showTextDocument(uri);
    try {
      // RLS off on a table with an IBAN: rls_disabled_in_public and sensitive_columns_exposed both fix it by enabling RLS.
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      await editor.edit((builder) => builder.insert(end, '\ncreate table public.booking_payments (id uuid primary key, iban text not null);\nalter table public.booking_payments disable row level security;\n'));
      await editor.document.save();
      await api.analysis.run();
      const diagnostics = await waitFor('both diagnostics on the ALTER TABLE', () => vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.message.includes('booking_payments')), (found) => found.length >= 2);
      const rules = diagnostics.map((diagnostic) => (diagnostic.code as { value: string }).value).sort();
      assert.deepStrictEqual(rules, ['rls_disabled_in_public', 'sensitive_columns_exposed']);
      const actions = await codeActionsAt(uri, diagnostics[0].range);
      const enable = actions.filter((action) => action.title === 'Fix: Enable row level security on public.booking_payments');
      assert.strictEqual(enable.length, 1, actions.map((action) => action.title).join('\n'));
    } finally {
      await restoreMigration(api, uri);
    }
  });

  test('"Fix:" for a rule without an in-place edit writes the fix SQL into a new migration', async () => {
    const api = await activatedApi();
    const uri = migrationUri('20240103000000_payments.sql');
    // Code action providers run on open documents only.
    await vscode.window.showTextDocument(uri);
    const rule = 'unindexed_foreign_keys';
    const [diagnostic] = await waitFor(`the ${rule} diagnostic`, () => ruleDiagnostics(uri, rule), (found) => found.length === 1);
    const fix = (await codeActionsAt(uri, diagnostic.range)).find((action) => action.isPreferred)!;
    assert.strictEqual(fix.title, 'Fix: Create an index on public.payments(booking_id)');
    const written = (await vscode.commands.executeCommand<vscode.Uri>(fix.command!.command, ...(fix.command!.arguments ?? [])))!;
    assert.match(vscode.window.activeTextEditor!.document.getText(), /create index concurrently if not exists "?payments_booking_id_idx"? on/);
    await waitFor('the diagnostic to disappear', () => ruleDiagnostics(uri, rule), (found) => found.length === 0);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(written);
    await api.analysis.run();
    await waitFor('the diagnostic to return', () => ruleDiagnostics(uri, rule), (found) => found.length === 1);
  });

  test('"Ignore" inserts a pgreview-ignore comment above the statement and the diagnostic goes away', async () => {
    const api = await activatedApi();
    const uri = migrationUri(BOOKINGS);
    const editor = await vscode.window.showTextDocument(uri);
    const [diagnostic] = await waitFor('the diagnostic', () => ruleDiagnostics(uri, RULE), (found) => found.length === 1);
    const ignore = (await codeActionsAt(uri, diagnostic.range)).find((action) => action.title === `Ignore ${RULE} for this statement`)!;
    try {
      assert.ok(await vscode.workspace.applyEdit(ignore.edit!));
      assert.strictEqual(editor.document.lineAt(23).text, `-- pgreview-ignore ${RULE}`);
      await waitFor('the diagnostic to disappear', () => ruleDiagnostics(uri, RULE), (found) => found.length === 0);
      // An unsaved edit is what the analysis saw: the editor's text overrides the disk.
      assert.ok(editor.document.isDirty);
    } finally {
      await restoreMigration(api, uri);
    }
    await waitFor('the diagnostic to return after the restore', () => ruleDiagnostics(uri, RULE), (found) => found.length === 1);
  });

  test('"Ignore" on a foreign key\'s clause puts the comment above its statement, and its title says it covers the whole statement', async () => {
    const api = await activatedApi();
    const uri = migrationUri('20240103000000_payments.sql');
    const editor = await vscode.window.showTextDocument(uri);
    const rule = 'unindexed_foreign_keys';
    const ignoreOf = async (diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction> => {
      const actions = await codeActionsAt(uri, diagnostic.range);
      const ignore = actions.find((action) => action.title.startsWith(`Ignore ${rule}`));
      assert.ok(ignore?.edit, actions.map((action) => action.title).join('\n'));
      return ignore;
    };
    const [diagnostic] = await waitFor(`the ${rule} diagnostic`, () => ruleDiagnostics(uri, rule), (found) => found.length === 1);
    // The finding sits on `booking_id bigint not null references public.bookings (id)`, line 4 of a
    // CREATE TABLE that starts on line 2, below the file's leading comment.
    assert.strictEqual(diagnostic.range.start.line, 3);
    const ignore = await ignoreOf(diagnostic);
    assert.strictEqual(ignore.title, `Ignore ${rule} for the whole statement (line 2)`);
    try {
      assert.ok(await vscode.workspace.applyEdit(ignore.edit!));
      assert.deepStrictEqual([0, 1, 2, 4].map((line) => editor.document.lineAt(line).text), [
        '-- Payments belong to a booking.',
        `-- pgreview-ignore ${rule}`,
        'create table public.payments (',
        '  booking_id bigint not null references public.bookings (id),',
      ]);
      await waitFor('the diagnostic to disappear', () => ruleDiagnostics(uri, rule), (found) => found.length === 0);
    } finally {
      await restoreMigration(api, uri);
    }

    // A second foreign key in the same CREATE TABLE: one comment silences both, and the title counts them.
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(4, 0), '  refund_of bigint references public.payments (id),\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const both = await waitFor(`two ${rule} diagnostics`, () => ruleDiagnostics(uri, rule), (found) => found.length === 2);
      const second = both.find((candidate) => candidate.range.start.line === 4)!;
      const ignoreBoth = await ignoreOf(second);
      assert.strictEqual(ignoreBoth.title, `Ignore ${rule} for the whole statement (line 2, 2 findings)`);
      assert.ok(await vscode.workspace.applyEdit(ignoreBoth.edit!));
      assert.strictEqual(editor.document.lineAt(1).text, `-- pgreview-ignore ${rule}`);
      await waitFor('both diagnostics to disappear', () => ruleDiagnostics(uri, rule), (found) => found.length === 0);
    } finally {
      await restoreMigration(api, uri);
    }
    await waitFor('the diagnostic to return after the restore', () => ruleDiagnostics(uri, rule), (found) => found.length === 1 && found[0].range.start.line === 3);
  });

  test('the suggestion writes a new, timestamped migration; the diagnostic goes away, and returns when it is deleted', async () => {
    const api = await activatedApi();
    const uri = migrationUri(BOOKINGS);
    await vscode.window.showTextDocument(uri);
    const [diagnostic] = await waitFor('the diagnostic', () => ruleDiagnostics(uri, RULE), (found) => found.length === 1);
    const fix = (await codeActionsAt(uri, diagnostic.range)).find((action) => action.title.startsWith('Add an owner policy'))!;
    const written = (await vscode.commands.executeCommand<vscode.Uri>(fix.command!.command, ...(fix.command!.arguments ?? [])))!;
    const name = written.path.slice(written.path.lastIndexOf('/') + 1);
    assert.match(name, /^\d{14}_pgreview_add_an_owner_policy_to_public_bookings\.sql$/);
    assert.ok(name.slice(0, 14) > '20240103000000', 'the new migration sorts after the existing ones');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), written.toString(), 'the new migration is opened for review');
    assert.match(vscode.window.activeTextEditor!.document.getText(), /create policy "Owners can read their rows" on public\.bookings/);
    await waitFor('the diagnostic to disappear', () => ruleDiagnostics(uri, RULE), (found) => found.length === 0);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(written);
    await api.analysis.run();
    await waitFor('the diagnostic to return', () => ruleDiagnostics(uri, RULE), (found) => found.length === 1);
  });

  test('hover on a table name shows its columns, RLS state and policies', async () => {
    await activatedApi();
    const uri = migrationUri('20240101000000_profiles.sql');
    const document = await vscode.workspace.openTextDocument(uri);
    const position = document.positionAt(document.getText().indexOf('public.profiles') + 'public.'.length + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /public\\?\.profiles/);
    assert.match(text, /RLS on · 2 policies/);
    assert.match(text, /display\\?_name/);
  });

  test('hover in a migration shows the object as of that file: a column added by a later migration is not there yet, a function dropped later still is', async function () {
    this.timeout(60_000);
    const api = await activatedApi();
    const before = [...(await api.analysis.settled())!.paths];
    const later = migrationUri('20240104000000_bookings_notes.sql');
    const hoverText = async (file: string, name: string): Promise<string> => {
      const uri = migrationUri(file);
      const document = await vscode.workspace.openTextDocument(uri);
      const position = document.positionAt(document.getText().indexOf(name) + 'public.'.length + 2);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
      return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    };
    try {
      await vscode.workspace.fs.writeFile(later, Buffer.from([
        '-- Bookings get a free-text note from the customer.',
        'alter table public.bookings add column customer_note text;',
        '',
        '-- Nothing calls the count any more.',
        'drop function public.booking_count(bigint);',
        '',
      ].join('\n')));
      await waitFor('the later migration to be analysed', async () => (await api.analysis.settled())?.paths.length, (count) => count === before.length + 1);
      const early = await hoverText(BOOKINGS, 'public.bookings (');
      assert.match(early, /starts\\?_at/, early);
      assert.doesNotMatch(early, /customer\\?_note/, 'the column does not exist yet in the file that creates the table');
      assert.match(early, /as of 20240102000000\\?_vendors\\?_bookings\\?\.sql \\?\(changed later in 20240104000000\\?_bookings\\?_notes\\?\.sql\\?\)/, early);
      // A migration between the two sees it as its own file leaves it: without the column too.
      const between = await hoverText('20240103000000_payments.sql', 'public.bookings (');
      assert.doesNotMatch(between, /customer\\?_note/);
      assert.match(between, /as of 20240103000000\\?_payments\\?\.sql/);
      const latest = await hoverText('20240104000000_bookings_notes.sql', 'public.bookings');
      assert.match(latest, /customer\\?_note/, latest);
      assert.doesNotMatch(latest, /as of/, 'the last migration shows the final state, without a note');
      // A function dropped later: the file that defines it shows it, and says where it goes.
      const count = await hoverText(BOOKINGS, 'public.booking_count');
      assert.match(count, /public\\?\.booking\\?_count\\?\(bigint\\?\)\*\* · function · returns bigint · language sql · stable/, count);
      assert.match(count, /as of 20240102000000\\?_vendors\\?_bookings\\?\.sql \\?\(later dropped or renamed in 20240104000000\\?_bookings\\?_notes\\?\.sql\\?\)/, count);
      // A table nothing later changes shows no note either.
      assert.doesNotMatch(await hoverText('20240101000000_profiles.sql', 'public.profiles'), /as of/);
    } finally {
      await vscode.workspace.fs.delete(later).then(undefined, () => undefined);
      await waitFor('the fixture\'s migrations again', async () => (await api.analysis.settled())?.paths, (paths) => JSON.stringify(paths) === JSON.stringify(before));
    }
  });

  test('a CodeLens above each CREATE TABLE summarises RLS and policies', async () => {
    await activatedApi();
    const uri = migrationUri(BOOKINGS);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const titles = lenses.map((lens) => `${lens.range.start.line}: ${lens.command?.title}`);
    assert.ok(titles.some((title) => title.startsWith('1: RLS on · 1 policy')), titles.join('\n'));
    assert.ok(titles.some((title) => title.startsWith('13: RLS on · 0 policies')), titles.join('\n'));
  });
});

async function codeActionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}
