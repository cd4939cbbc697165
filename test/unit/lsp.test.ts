/**
 * `pgreview lsp` at the protocol level: the bundled CLI spawned for real on a copy of the example
 * project, spoken to over JSON-RPC as an editor would (test/support/lspClient.ts). Every wait is
 * for a notification or a response, bounded generously, so a loaded machine is slower, not red.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWorkspaceFoldersNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  type CodeAction,
  type CreateFile,
  type Diagnostic,
  type DocumentSymbol,
  type MarkupContent,
  type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { DOCS_BASE_URL } from '../../src/core/rules/defineRule';
import { git } from '../support/git';
import { startLspClient, type LspClient } from '../support/lspClient';

const ROOT = join(__dirname, '..', '..');
const VENDORS = 'supabase/migrations/20240112110000_vendors_and_adventures.sql';
const BOOKINGS_V2 = 'supabase/migrations/20240410083000_bookings_v2.sql';
const CLEAN_PROJECT = join(ROOT, 'test', 'fixtures', 'projects', 'clean');

describe('pgreview lsp (protocol)', function () {
  this.timeout(180_000);
  let project: string;
  let client: LspClient;

  before(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    project = mkdtempSync(join(tmpdir(), 'pgreview-lsp-'));
    cpSync(join(ROOT, 'examples', 'trvl-social'), project, { recursive: true });
    // A setting through workspace/configuration: the example's no_primary_key findings are turned off.
    client = await startLspClient(project, { rules: { no_primary_key: 'off' } });
  });

  after(async () => {
    if (client) assert.equal(await client.stop(), 0, client.stderr());
    if (project) rmSync(project, { recursive: true, force: true });
  });

  const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.range.start.line + 1}`);

  it('publishes diagnostics for every migration, with the rule as code and its docs as link', async () => {
    const vendors = await client.waitForDiagnostics(client.uriOf(VENDORS), (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'rls_disabled_in_public'));
    const rlsOff = vendors.find((diagnostic) => diagnostic.code === 'rls_disabled_in_public');
    assert.ok(rlsOff);
    assert.deepEqual(rlsOff.range.start, { line: 127, character: 0 });
    assert.equal(rlsOff.source, 'pgreview');
    assert.equal(rlsOff.severity, 1);
    assert.equal(rlsOff.codeDescription?.href, `${DOCS_BASE_URL}rls_disabled_in_public.md`);
    assert.match(rlsOff.message, /public\.adventure_images/);
    // A file no editor opened has its diagnostics too; the setting turned no_primary_key off.
    const bookingsV2 = await client.waitForDiagnostics(client.uriOf(BOOKINGS_V2), (diagnostics) => diagnostics.length > 0);
    assert.ok(codes(bookingsV2).includes('legacy_table 4'), codes(bookingsV2).join(', '));
    assert.ok(!codes(bookingsV2).some((code) => code.startsWith('no_primary_key')), codes(bookingsV2).join(', '));
  });

  it('follows incremental edits: a new problem appears where typed (UTF-16 columns), a fix makes it go', async () => {
    const uri = client.uriOf(VENDORS);
    const text = readFileSync(join(project, VENDORS), 'utf8');
    const lineCount = text.split('\n').length;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text } });
    // 🙂 is two UTF-16 code units (four UTF-8 bytes): the table starts at character 9.
    const table = '/* 🙂 */ create table public.trip_notes (id bigint primary key, body text);\n';
    const end = { line: lineCount - 1, character: 0 };
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: end, end }, text: table }] });
    const added = await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.some((diagnostic) => diagnostic.message.includes('public.trip_notes')));
    const tripNotes = added.find((diagnostic) => diagnostic.code === 'rls_disabled_in_public' && diagnostic.message.includes('public.trip_notes'));
    assert.ok(tripNotes, codes(added).join(', '));
    assert.deepEqual(tripNotes.range.start, { line: lineCount - 1, character: 9 });

    const fix = 'alter table public.trip_notes enable row level security;\ncreate policy "Anyone reads notes" on public.trip_notes for select using (true);\n';
    const after = { line: lineCount, character: 0 };
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: after, end: after }, text: fix }] });
    const fixed = await client.waitForDiagnostics(uri, (diagnostics) => !diagnostics.some((diagnostic) => diagnostic.code === 'rls_disabled_in_public' && diagnostic.message.includes('public.trip_notes')));
    assert.ok(fixed.some((diagnostic) => diagnostic.code === 'rls_disabled_in_public' && diagnostic.message.includes('public.adventure_images')), codes(fixed).join(', '));
  });

  it('offers the in-place fix, a fix migration and ignore comments as code actions', async () => {
    const uri = client.uriOf(VENDORS);
    const diagnostics = client.diagnostics.get(uri) ?? [];
    const initplan = diagnostics.find((diagnostic) => diagnostic.code === 'auth_rls_initplan');
    assert.ok(initplan, codes(diagnostics).join(', '));
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: initplan.range, context: { diagnostics: [initplan] } })) as CodeAction[];
    const titles = actions.map((action) => action.title);
    const inPlace = actions.find((action) => action.isPreferred && action.title.startsWith('Fix:') && !action.title.includes('new migration'));
    assert.ok(inPlace, titles.join(' | '));
    const edit = inPlace.edit?.documentChanges?.[0] as TextDocumentEdit;
    assert.equal(edit.textDocument.uri, uri);
    assert.equal(edit.textDocument.version, 3);
    assert.match(edit.edits[0].newText, /\(select auth\.jwt\(\)\)/);
    assert.ok(titles.includes('Ignore auth_rls_initplan for this statement'), titles.join(' | '));
    assert.ok(titles.includes('Ignore auth_rls_initplan in this file'), titles.join(' | '));

    const rlsOff = (client.diagnostics.get(uri) ?? []).find((diagnostic) => diagnostic.code === 'rls_disabled_in_public');
    assert.ok(rlsOff);
    const rlsActions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: rlsOff.range, context: { diagnostics: [rlsOff] } })) as CodeAction[];
    const migration = rlsActions.find((action) => action.edit?.documentChanges?.some((change) => 'kind' in change && change.kind === 'create'));
    assert.ok(migration, rlsActions.map((action) => action.title).join(' | '));
    const [create, insert] = migration.edit?.documentChanges as [CreateFile, TextDocumentEdit];
    assert.match(create.uri, /\/supabase\/migrations\/\d{14}_pgreview_[a-z0-9_]+\.sql$/);
    assert.equal(insert.textDocument.uri, create.uri);
    assert.match(insert.edits[0].newText, /alter table public\.adventure_images enable row level security/);

    // Applied as a client would (the file created, then opened), the new migration is listed and fixes the finding.
    writeFileSync(fileURLToPath(create.uri), insert.edits[0].newText);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: create.uri, languageId: 'sql', version: 1, text: insert.edits[0].newText } });
    await client.waitForDiagnostics(create.uri, () => true);
    await client.waitForDiagnostics(uri, (diagnostics) => !diagnostics.some((diagnostic) => diagnostic.code === 'rls_disabled_in_public' && diagnostic.message.includes('public.adventure_images')));
  });

  it('hovers a table name with the text VS Code shows', async () => {
    const uri = client.uriOf(VENDORS);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 127, character: 25 } });
    assert.ok(hover);
    const value = (hover.contents as MarkupContent).value;
    // As of the file hovered: the fix migration written above enables RLS later, and the hover says so.
    assert.match(value, /^\*as of 20240112110000\\_vendors\\_and\\_adventures\\\.sql \\\(changed later in \d{14}\\_pgreview\\_.*\\\)\*\n\n\*\*public\\\.adventure\\_images\*\* · RLS \*\*off\*\* · 1 policy/);
    assert.match(value, /\| storage\\_path \| text \| not null \|/);
    assert.deepEqual(hover.range, { start: { line: 127, character: 13 }, end: { line: 127, character: 36 } });
    // A policy's quoted name, and a function's.
    const policy = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 36, character: 20 } });
    assert.match((policy?.contents as MarkupContent).value, /^\*\*Vendor admins can update vendors\*\* on public\\\.vendors · permissive · update to authenticated/);
    const func = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 44, character: 38 } });
    assert.match((func?.contents as MarkupContent).value, /^\*\*public\\\.set\\_updated\\_at\\\(\\\)\*\* · function · returns trigger/);

  });

  it('hovers a statement of a pending migration with the locks it takes', async () => {
    const uri = client.uriOf(BOOKINGS_V2);
    const text = readFileSync(join(project, BOOKINGS_V2), 'utf8');
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text } });
    // `create index bookings_group_id_idx on public.bookings (group_id);` on line 10: every file is pending.
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 9, character: 2 } });
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /^\*\*Locks\*\* \(pending migration\)\n\n- takes a SHARE lock on public\\\.bookings: blocks writes/, value);
    assert.deepEqual(hover?.range?.start, { line: 9, character: 0 });
    // A comment is no statement.
    assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 4 } }), null);
  });

  it('lists the tables, policies, indexes and functions a file creates as document symbols', async () => {
    const uri = client.uriOf(VENDORS);
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    const vendors = symbols.find((symbol) => symbol.name === 'public.vendors');
    assert.ok(vendors, symbols.map((symbol) => symbol.name).join(', '));
    assert.equal(vendors.detail, 'table');
    assert.ok(vendors.children?.some((child) => child.name === 'Vendor admins can update vendors' && child.detail === 'policy'), JSON.stringify(vendors.children));
    assert.ok(symbols.some((symbol) => symbol.name === 'public.trip_notes'), 'the table typed in the editor is in the outline');
    assert.ok(symbols.some((symbol) => symbol.name === 'public.adventure_images' && symbol.range.start.line === 127));
  });
});

describe('pgreview lsp (workspace folders, pending migrations)', function () {
  this.timeout(180_000);
  let scratch: string;
  let client: LspClient | undefined;

  before(() => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    scratch = mkdtempSync(join(tmpdir(), 'pgreview-lsp-folders-'));
  });
  afterEach(async () => {
    if (client) assert.equal(await client.stop(), 0, client.stderr());
    client = undefined;
  });
  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** A Supabase project folder (profiles, from the clean fixture) with more migrations beside it. */
  function projectFolder(name: string, migrations: Record<string, string>): string {
    const folder = join(scratch, name);
    cpSync(CLEAN_PROJECT, folder, { recursive: true });
    for (const [file, sql] of Object.entries(migrations)) writeFileSync(join(folder, 'supabase', 'migrations', file), sql);
    return folder;
  }
  const codesOf = (diagnostics: Diagnostic[]): string[] => diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.range.start.line + 1}`);
  const rlsOff = (table: string) => (diagnostics: Diagnostic[]) => diagnostics.some((diagnostic) => diagnostic.code === 'rls_disabled_in_public' && diagnostic.message.includes(table));

  it('reviews every workspace folder as its own project, with its settings, and follows folders added and removed', async () => {
    const web = projectFolder('web', { '20240201000000_bookings.sql': 'create table public.bookings (id uuid primary key, user_id uuid not null);\n' });
    const billing = projectFolder('billing', { '20240201000000_invoices.sql': 'create table public.invoices (id uuid primary key, amount numeric not null);\n' });
    const billingUri = pathToFileURL(billing).href;
    // Settings are asked per folder (scopeUri): billing lowers the rule to a warning, web keeps the default.
    client = await startLspClient([web, billing], (scopeUri: string | undefined) => (scopeUri === billingUri ? { rules: { rls_disabled_in_public: 'warning' } } : null));
    const bookingsUri = client.uriOf('supabase/migrations/20240201000000_bookings.sql', web);
    const bookings = await client.waitForDiagnostics(bookingsUri, rlsOff('public.bookings'));
    assert.equal(bookings.find((diagnostic) => diagnostic.code === 'rls_disabled_in_public')?.severity, 1);
    const invoices = await client.waitForDiagnostics(client.uriOf('supabase/migrations/20240201000000_invoices.sql', billing), rlsOff('public.invoices'));
    assert.equal(invoices.find((diagnostic) => diagnostic.code === 'rls_disabled_in_public')?.severity, 2);
    // Each folder is its own schema: neither project has the other's table.
    assert.ok(!invoices.some((diagnostic) => diagnostic.message.includes('public.bookings')), codesOf(invoices).join(', '));

    const docs = projectFolder('docs', { '20240201000000_articles.sql': 'create table public.articles (id uuid primary key, body text);\n' });
    const docsUri = pathToFileURL(docs).href;
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [{ uri: docsUri, name: 'docs' }], removed: [] } });
    await client.waitForDiagnostics(client.uriOf('supabase/migrations/20240201000000_articles.sql', docs), rlsOff('public.articles'));

    // A removed folder's diagnostics are taken back, and an edit there is no longer reviewed.
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [{ uri: pathToFileURL(web).href, name: 'web' }] } });
    await client.waitForDiagnostics(bookingsUri, (diagnostics) => diagnostics.length === 0);
    await client.waitForDiagnostics(client.uriOf('supabase/migrations/20240101000000_profiles.sql', web), (diagnostics) => diagnostics.length === 0);
    assert.ok(rlsOff('public.invoices')(client.diagnostics.get(client.uriOf('supabase/migrations/20240201000000_invoices.sql', billing)) ?? []), 'billing is still reviewed');
  });

  it('a folder added inside another publishes its files from then on: the outer folder\'s next run does not clear them', async () => {
    // The outer folder reviews the inner project's migrations (pgreview.json globs) and one of its own.
    const outer = join(scratch, 'mono');
    const inner = projectFolder(join('mono', 'app'), { '20240201000000_bookings.sql': 'create table public.bookings (id uuid primary key, user_id uuid not null);\n' });
    mkdirSync(join(outer, 'shared'), { recursive: true });
    const notesPath = join(outer, 'shared', '001_notes.sql');
    writeFileSync(notesPath, 'create table public.notes (id uuid primary key, body text);\n');
    writeFileSync(join(outer, 'pgreview.json'), JSON.stringify({ profile: 'supabase', migrations: ['app/supabase/migrations/*.sql', 'shared/*.sql'] }));
    client = await startLspClient(outer);
    const bookingsUri = client.uriOf('supabase/migrations/20240201000000_bookings.sql', inner);
    await client.waitForDiagnostics(bookingsUri, rlsOff('public.bookings'));

    const runsOf = (name: string) => client!.logs.filter((line) => line.startsWith('analysed') && line.includes(`(${name})`)).length;
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [{ uri: pathToFileURL(inner).href, name: 'app' }], removed: [] } });
    await client.waitForLogs(() => runsOf('app') > 0);
    assert.ok(rlsOff('public.bookings')(client.diagnostics.get(bookingsUri) ?? []));

    // An edit to the outer folder's own file runs it again; the inner folder's file keeps its diagnostics.
    const outerRuns = runsOf('mono');
    const notesUri = pathToFileURL(notesPath).href;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: notesUri, languageId: 'sql', version: 1, text: 'create table public.notes (id uuid primary key, body text, title text);\n' } });
    await client.waitForLogs(() => runsOf('mono') > outerRuns);
    await client.waitForDiagnostics(notesUri, rlsOff('public.notes'));
    assert.ok(rlsOff('public.bookings')(client.diagnostics.get(bookingsUri) ?? []), codesOf(client.diagnostics.get(bookingsUri) ?? []).join(', '));
  });

  it('judges only pending migrations with the safety rules: uncommitted, changed since pgreview.pendingSince, or edited and not saved', async () => {
    const MIGRATIONS = 'supabase/migrations';
    const BIO = `${MIGRATIONS}/20240102000000_profiles_bio.sql`;
    const NAME_INDEX = `${MIGRATIONS}/20240201000000_profiles_name_index.sql`;
    const CREATED_INDEX = `${MIGRATIONS}/20240202000000_profiles_created_index.sql`;
    // main holds the applied migrations; the branch adds a committed index, and one not committed yet.
    const repo = projectFolder('repository', { '20240102000000_profiles_bio.sql': 'alter table public.profiles add column bio text;\n' });
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'applied migrations');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(repo, NAME_INDEX), 'create index profiles_display_name_idx on public.profiles (display_name);\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'an index on the branch');
    mkdirSync(join(repo, MIGRATIONS), { recursive: true });
    writeFileSync(join(repo, CREATED_INDEX), 'create index profiles_created_at_idx on public.profiles (created_at);\n');

    // What the client answers for the pgreview section: nothing set, until the test sets pendingSince.
    const settings: { pendingSince?: string } = {};
    client = await startLspClient(repo, () => (settings.pendingSince === undefined ? null : settings));
    const nonConcurrent = (diagnostics: Diagnostic[]): boolean => diagnostics.some((diagnostic) => diagnostic.code === 'create_index_non_concurrently');
    // Without pgreview.pendingSince, the files not committed yet are pending: the untracked index, not the committed one.
    await client.waitForDiagnostics(client.uriOf(CREATED_INDEX), nonConcurrent);
    const committed = await client.waitForDiagnostics(client.uriOf(NAME_INDEX), () => true);
    assert.ok(!nonConcurrent(committed), codesOf(committed).join(', '));

    // pgreview.pendingSince = main: the branch's commits are pending too, main's history is not.
    settings.pendingSince = 'main';
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.waitForDiagnostics(client.uriOf(NAME_INDEX), nonConcurrent);
    assert.ok(nonConcurrent(client.diagnostics.get(client.uriOf(CREATED_INDEX)) ?? []));
    // The server says which files are pending, once per change (the README quotes this line).
    assert.ok(client.logs.includes('1 pending migration (not committed yet): 20240202000000_profiles_created_index.sql.'), client.logs.join('\n'));
    assert.ok(client.logs.includes('2 pending migrations (added or changed since main): 20240201000000_profiles_name_index.sql, 20240202000000_profiles_created_index.sql.'), client.logs.join('\n'));

    // An unsaved edit makes an applied migration pending, as in VS Code; its saved text makes it applied again.
    const bioUri = client.uriOf(BIO);
    const bio = readFileSync(join(repo, BIO), 'utf8');
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: bioUri, languageId: 'sql', version: 1, text: bio } });
    const end = { line: 1, character: 0 };
    const index = 'create index profiles_bio_idx on public.profiles (bio);\n';
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: bioUri, version: 2 }, contentChanges: [{ range: { start: end, end }, text: index }] });
    const edited = await client.waitForDiagnostics(bioUri, nonConcurrent);
    assert.deepEqual(edited.find((diagnostic) => diagnostic.code === 'create_index_non_concurrently')?.range.start, { line: 1, character: 0 });
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: bioUri, version: 3 }, contentChanges: [{ range: { start: end, end: { line: 2, character: 0 } }, text: '' }] });
    await client.waitForDiagnostics(bioUri, (diagnostics) => !nonConcurrent(diagnostics));
  });
});
