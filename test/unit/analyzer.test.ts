/**
 * The Analyzer re-parses only edited files and replays from a checkpoint before the edited file.
 * Whatever it reuses, its answer must be the answer of a fresh analysis of the same texts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, analyzeFilesOnce, Analyzer, type Analysis, type MigrationFile } from '../../src/core/analyze';
import { renderCatalog } from '../../src/core/catalog/renderCatalog';
import { defaultConfig } from '../../src/core/config';
import { parseSqlFile, type ParsedFile, type ParsedStatement } from '../../src/core/sql/parseSqlFile';
import { loadParser } from '../../src/core/sql/parser';

const migrationsDir = join(__dirname, '..', '..', 'examples', 'trvl-social', 'supabase', 'migrations');

describe('Analyzer (incremental)', () => {
  before(() => loadParser());

  const config = defaultConfig('supabase');
  const original: MigrationFile[] = readdirSync(migrationsDir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ path: `supabase/migrations/${name}`, text: readFileSync(join(migrationsDir, name), 'utf8') }));

  function assertSameAsFresh(incremental: Analysis, files: MigrationFile[]): void {
    const fresh = analyze({ files, config });
    assert.equal(renderCatalog(incremental.catalog), renderCatalog(fresh.catalog));
    const render = (f: Analysis['findings'][number]) => `${placeOf(f)} ${f.rule} ${f.object} ${f.message} ${JSON.stringify(f.fix ?? null)}`;
    assert.deepEqual(incremental.findings.map(render), fresh.findings.map(render));
    assert.deepEqual([...incremental.statementLocks], [...fresh.statementLocks]);
  }

  it('gives a fresh answer after edits to the last file, an earlier file, and after adding and removing files', () => {
    const analyzer = new Analyzer();
    let files = original.map((file) => ({ ...file }));
    assertSameAsFresh(analyzer.analyze({ files, config }), files);

    // Typing in the newest migration: a table without RLS appears, then gets RLS.
    const last = files.length - 1;
    files[last] = { ...files[last], text: `${files[last].text}\ncreate table public.trip_notes (id uuid primary key, body text);\n` };
    let result = analyzer.analyze({ files, config });
    assert.ok(result.findings.some((f) => f.rule === 'rls_disabled_in_public' && f.object === 'public.trip_notes'));
    assertSameAsFresh(result, files);
    files[last] = { ...files[last], text: `${files[last].text}alter table public.trip_notes enable row level security;\n` };
    result = analyzer.analyze({ files, config });
    assert.ok(!result.findings.some((f) => f.rule === 'rls_disabled_in_public' && f.object === 'public.trip_notes'));
    assertSameAsFresh(result, files);

    // An edit to an earlier file must not be hidden by the checkpoint taken after it.
    files[1] = { ...files[1], text: `${files[1].text}\ndrop table if exists public.profiles cascade;\n` };
    assertSameAsFresh(analyzer.analyze({ files, config }), files);
    files[1] = { ...files[1], text: original[1].text };
    assertSameAsFresh(analyzer.analyze({ files, config }), files);

    // The same texts again, a new file at the end, and a file removed.
    assertSameAsFresh(analyzer.analyze({ files, config }), files);
    files = [...files, { path: 'supabase/migrations/29990101000000_more.sql', text: 'alter table public.profiles disable row level security;' }];
    assertSameAsFresh(analyzer.analyze({ files, config }), files);
    files = files.filter((_, index) => index !== 3);
    assertSameAsFresh(analyzer.analyze({ files, config }), files);
  });

  // The replay from the checkpoint copies a table only when it first reads it; every way of
  // changing a table defined in an earlier file must leave the checkpoint's table as it was.
  const editsToEarlierTables = [
    'alter table public.profiles add column nickname text;',
    'alter table public.reviews alter column title set not null, add constraint reviews_title_check check (length(title) > 2);',
    'create policy "Anyone reads reviews" on public.reviews for select using (true);',
    'alter table public.reviews disable row level security;\ngrant all on public.reviews to anon;',
    'create index reviews_title_idx on public.reviews (title);\ncomment on table public.reviews is \'Reviews\';',
    'drop table public.reviews;',
    'drop table public.profiles cascade;',
    'alter table public.reviews rename to trip_reviews;',
    'alter table public.reviews rename column title to headline;',
    'alter table public.profiles rename column id to profile_id;',
    'alter table public.reviews drop column title;',
    'alter table public.reviews add column kind regtype;',
    'create role reviewer;\ngrant authenticated to reviewer;',
    'create policy "Own reviews" on public.reviews for select using (author_id = auth.uid());',
    'create policy "Open" on public.reviews for insert to anon with check (true);',
    'create policy "Admins" on public.reviews for select using ((auth.jwt() -> \'user_metadata\' ->> \'role\') = \'admin\');',
    'create role reviewer;\ncreate policy "Reviewers read" on public.reviews for select to reviewer using (true);',
  ];
  for (const statement of editsToEarlierTables) {
    it(`gives a fresh answer, and keeps the checkpoint, after: ${statement.split('\n')[0]}`, () => {
      const analyzer = new Analyzer();
      const files = original.map((file) => ({ ...file }));
      analyzer.analyze({ files, config });
      const last = files.length - 1;
      for (const edit of [`\n${statement}\n`, `\n${statement}\n-- again\n`]) {
        files[last] = { ...files[last], text: `${original[last].text}${edit}` };
        assertSameAsFresh(analyzer.analyze({ files, config }), files);
      }
      files[last] = { ...files[last], text: original[last].text };
      assertSameAsFresh(analyzer.analyze({ files, config }), files);
    });
  }

  // Some rules cache their reports by table, and an untouched table is the same object from run
  // to run: a finding on an earlier table must come and go with the edit that causes it.
  it('reports on an earlier table when an edit changes it, and stops when the edit is undone', () => {
    const analyzer = new Analyzer();
    const files = original.map((file) => ({ ...file }));
    analyzer.analyze({ files, config });
    const last = files.length - 1;
    const has = (analysis: Analysis, rule: string, object: string) => analysis.findings.some((f) => f.rule === rule && f.object === object);
    files[last] = {
      ...files[last],
      text: `${original[last].text}\ncreate index reviews_title_a on public.reviews (title);\ncreate index reviews_title_b on public.reviews (title);\n`
        + 'create policy "Titled" on public.reviews for select using (title = (select auth.jwt() ->> \'title\'));\n',
    };
    let result = analyzer.analyze({ files, config });
    assert.ok(has(result, 'duplicate_index', 'public.reviews_title_b'));
    assertSameAsFresh(result, files);
    files[last] = { ...files[last], text: `${files[last].text}alter table public.reviews add constraint reviews_title_fk foreign key (title) references public.profiles (id);\n` };
    result = analyzer.analyze({ files, config });
    assert.ok(!has(result, 'unindexed_foreign_keys', 'public.reviews.reviews_title_fk'), 'title has an index');
    assertSameAsFresh(result, files);
    files[last] = { ...files[last], text: `${files[last].text}drop index public.reviews_title_b;\ndrop index public.reviews_title_a;\n` };
    result = analyzer.analyze({ files, config });
    assert.ok(!has(result, 'duplicate_index', 'public.reviews_title_b'));
    assert.ok(has(result, 'policy_column_unindexed', 'public.reviews.title'));
    assert.ok(has(result, 'unindexed_foreign_keys', 'public.reviews.reviews_title_fk'));
    assertSameAsFresh(result, files);
    files[last] = { ...files[last], text: original[last].text };
    result = analyzer.analyze({ files, config });
    assert.ok(!has(result, 'policy_column_unindexed', 'public.reviews.title'));
    assertSameAsFresh(result, files);
  });

  // Rules cache their reports by table (memoizeByObject), and a table the replay does not read
  // is the checkpoint's object: moving the checkpoint to an earlier file and back must neither
  // reuse a report whose table was replayed again nor lose one whose table was not.
  it('gives a fresh answer when the checkpoint moves to an earlier file and back', () => {
    const analyzer = new Analyzer();
    const files = original.map((file) => ({ ...file }));
    analyzer.analyze({ files, config });
    const last = files.length - 1;
    const earlier = files.findIndex((file) => file.path.endsWith('_bookings_and_payments.sql'));
    const keyOnPayments = (analysis: Analysis) => analysis.findings.find((f) => f.rule === 'unindexed_foreign_keys' && f.object === 'public.booking_payments.booking_payments_booking_id_fkey');
    const editLast = (suffix: string) => {
      files[last] = { ...files[last], text: `${original[last].text}\ncreate table public.trip_notes (id uuid primary key, booking_id uuid references public.bookings (id));\n${suffix}` };
      return analyzer.analyze({ files, config });
    };

    let result = editLast('');
    assert.ok(result.findings.some((f) => f.rule === 'unindexed_foreign_keys' && f.object === 'public.trip_notes.trip_notes_booking_id_fkey'));
    assertSameAsFresh(result, files);
    const before = keyOnPayments(result)!.span!;

    // Lines added at the top of the earlier file move every statement and key clause in it.
    files[earlier] = { ...files[earlier], text: `-- moved down\n\n${original[earlier].text}` };
    result = analyzer.analyze({ files, config });
    assert.equal(keyOnPayments(result)!.span!.line, before.line + 2);
    assertSameAsFresh(result, files);

    result = editLast('-- again\n');
    assert.equal(keyOnPayments(result)!.span!.line, before.line + 2);
    assertSameAsFresh(result, files);

    files[earlier] = { ...files[earlier], text: original[earlier].text };
    assertSameAsFresh(analyzer.analyze({ files, config }), files);
    result = editLast('');
    assert.deepEqual(keyOnPayments(result)!.span, before);
    assertSameAsFresh(result, files);
  });

  // policy_infinite_recursion reuses its graph of reads and calls while the policies, views and
  // functions it is built from are the same, and missing_foreign_key reads each table once: every
  // edit below must make their findings come and go exactly as a fresh analysis has them.
  it('finds recursion cycles and missing foreign keys as a fresh analysis does, edit after edit', () => {
    const schema: MigrationFile = {
      path: 'supabase/migrations/20240101000000_schema.sql',
      text: `create table public.groups (id uuid primary key, name text not null);
create table public.group_members (group_id uuid not null references public.groups (id), user_id uuid not null);
create table public.vendors (id uuid primary key, name text not null);
create table public.bookings (id uuid primary key, vendor_id uuid not null, group_id uuid references public.groups (id));
alter table public.groups enable row level security;
alter table public.group_members enable row level security;
create function public.visible_group_ids() returns setof uuid language sql stable as $$ select id from public.vendors $$;
create policy "Members see their groups" on public.groups for select to authenticated using (id in (select public.visible_group_ids()));
create policy "Members see members" on public.group_members for select to authenticated using (exists (select 1 from public.groups g where g.id = group_id));
`,
    };
    const lastPath = 'supabase/migrations/20240102000000_edit.sql';
    const analyzer = new Analyzer();
    const has = (analysis: Analysis, rule: string, object?: string) => analysis.findings.some((f) => f.rule === rule && (object === undefined || f.object === object));
    const recheck = (text: string) => {
      const files = [schema, { path: lastPath, text }];
      const result = analyzer.analyze({ files, config });
      assertSameAsFresh(result, files);
      return result;
    };
    const cycleThroughPolicies = 'create policy "Members see their groups too" on public.groups for select to authenticated using (exists (select 1 from public.group_members m where m.group_id = id));\n';
    const cycleThroughFunction = 'create or replace function public.visible_group_ids() returns setof uuid language sql stable as $$ select group_id from public.group_members $$;\n';
    const foreignKey = 'alter table public.bookings add constraint bookings_vendor_id_fkey foreign key (vendor_id) references public.vendors (id);\n';
    const index = 'create index bookings_vendor_id_idx on public.bookings (vendor_id);\n';

    let result = recheck('-- nothing yet\n');
    assert.ok(!has(result, 'policy_infinite_recursion'));
    assert.ok(has(result, 'missing_foreign_key', 'public.bookings.vendor_id'));

    // A policy that reads back closes a cycle (the same policy reading another table does not); an
    // index on an unrelated table keeps it; dropping the policy breaks it.
    result = recheck(cycleThroughPolicies.replace('public.group_members m', 'public.vendors m'));
    assert.ok(!has(result, 'policy_infinite_recursion'));
    result = recheck(cycleThroughPolicies);
    assert.ok(has(result, 'policy_infinite_recursion'));
    result = recheck(`${cycleThroughPolicies}${index}`);
    assert.ok(has(result, 'policy_infinite_recursion'));
    result = recheck(`${cycleThroughPolicies}${index}drop policy "Members see their groups too" on public.groups;\n`);
    assert.ok(!has(result, 'policy_infinite_recursion'));

    // A function body that changes, with no policy changed, closes a cycle through the function; another body opens it.
    result = recheck(cycleThroughFunction);
    assert.ok(has(result, 'policy_infinite_recursion'));
    result = recheck(cycleThroughFunction.replace('select group_id from public.group_members', 'select id from public.vendors'));
    assert.ok(!has(result, 'policy_infinite_recursion'));
    // Without RLS on group_members its policies are not applied, and the cycle is gone.
    result = recheck(`${cycleThroughFunction}alter table public.group_members disable row level security;\n`);
    assert.ok(!has(result, 'policy_infinite_recursion'));
    result = recheck(cycleThroughFunction);
    assert.ok(has(result, 'policy_infinite_recursion'));

    // A foreign key added to an earlier table ends missing_foreign_key and, without an index, starts unindexed_foreign_keys.
    result = recheck(foreignKey);
    assert.ok(!has(result, 'missing_foreign_key', 'public.bookings.vendor_id'));
    assert.ok(has(result, 'unindexed_foreign_keys', 'public.bookings.bookings_vendor_id_fkey'));
    result = recheck(`${foreignKey}${index}`);
    assert.ok(!has(result, 'unindexed_foreign_keys', 'public.bookings.bookings_vendor_id_fkey'));
    result = recheck(`${foreignKey}${index}drop index public.bookings_vendor_id_idx;\n`);
    assert.ok(has(result, 'unindexed_foreign_keys', 'public.bookings.bookings_vendor_id_fkey'));
    result = recheck(`${foreignKey}alter table public.bookings drop constraint bookings_vendor_id_fkey;\n`);
    assert.ok(has(result, 'missing_foreign_key', 'public.bookings.vendor_id'));

    // The referenced table changes: without its primary key, or with a second table of the same name
    // in another schema, vendor_id names no single table.
    result = recheck('alter table public.vendors drop constraint vendors_pkey;\n');
    assert.ok(!has(result, 'missing_foreign_key', 'public.bookings.vendor_id'));
    result = recheck('create schema billing;\ncreate table billing.vendors (id uuid primary key);\n');
    assert.ok(!has(result, 'missing_foreign_key', 'public.bookings.vendor_id'));
    result = recheck('-- back to the start\n');
    assert.ok(has(result, 'missing_foreign_key', 'public.bookings.vendor_id'));
    assert.ok(!has(result, 'policy_infinite_recursion'));
  });

  it('does not let a replay from the checkpoint change the checkpoint', () => {
    const analyzer = new Analyzer();
    const files = original.map((file) => ({ ...file }));
    analyzer.analyze({ files, config });
    const last = files.length - 1;
    files[last] = { ...files[last], text: `${files[last].text}\nalter table public.profiles disable row level security;\ndrop table public.reviews;\n` };
    analyzer.analyze({ files, config });
    files[last] = { ...files[last], text: original[last].text };
    assertSameAsFresh(analyzer.analyze({ files, config }), files);
  });
});

/** Where a finding is placed, `file:line:column-endLine:endColumn`. */
function placeOf(finding: Analysis['findings'][number]): string {
  const span = finding.span;
  return span ? `${span.file}:${span.line}:${span.column}-${span.endLine}:${span.endColumn}` : '-';
}

describe('Analyzer (incremental, every replay fixture)', () => {
  before(() => loadParser());

  const config = defaultConfig('supabase');
  const fixturesDir = join(__dirname, '..', 'fixtures', 'replay');

  function render(analysis: Analysis): string {
    const findings = analysis.findings.map((f) => `${f.span?.file}:${f.span?.line}:${f.span?.column} ${f.rule} ${f.object} ${f.message} ${JSON.stringify(f.fix ?? null)}`);
    return `${renderCatalog(analysis.catalog)}\n${findings.join('\n')}`;
  }

  // Each file in turn is edited twice: the first edit replays from a checkpoint before it, the
  // second replays from the same checkpoint again, which shows whether the first replay (or the
  // rules, with their caches) changed anything the second one reuses.
  for (const name of readdirSync(fixturesDir)) {
    it(`gives a fresh answer for ${name}, whichever file is edited`, () => {
      const original: MigrationFile[] = readdirSync(join(fixturesDir, name))
        .filter((file) => file.endsWith('.sql'))
        .sort()
        .map((file) => ({ path: file, text: readFileSync(join(fixturesDir, name, file), 'utf8') }));
      const analyzer = new Analyzer();
      analyzer.analyze({ files: original, config });
      for (let edited = 0; edited < original.length; edited++) {
        for (const edit of ['\n-- first edit\n', '\n-- second edit\n']) {
          const files = original.map((file, index) => (index === edited ? { ...file, text: file.text + edit } : file));
          assert.equal(render(analyzer.analyze({ files, config })), render(analyze({ files, config })), `${name}: editing ${original[edited].path}`);
        }
      }
    });
  }

  // The replay gives a constraint and the index it builds one Origin, so changing the constraint
  // marks the index changed too; a copy of the checkpoint must keep that sharing.
  it('keeps an index marked changed with the constraint it implements', () => {
    const files: MigrationFile[] = [
      { path: '0001_create.sql', text: 'create table public.trips (id uuid primary key, title text);\n' },
      { path: '0002_validate.sql', text: 'alter table public.trips validate constraint trips_pkey;\n' },
    ];
    const analyzer = new Analyzer();
    analyzer.analyze({ files, config });
    const edited = [files[0], { ...files[1], text: `${files[1].text}-- edited\n` }];
    assert.equal(renderCatalog(analyzer.analyze({ files: edited, config }).catalog), renderCatalog(analyze({ files: edited, config }).catalog));
  });
});

// The CLI's check parses each file right before its replay and releases the file's statement
// trees after it. Its answer must be a fresh analysis's, expression texts (read from the released
// statements) and fixes included, and no file's trees may outlive its replay.
describe('analyzeFilesOnce (one file\'s trees at a time)', () => {
  before(() => loadParser());

  const config = defaultConfig('supabase');
  const fixturesDir = join(__dirname, '..', 'fixtures', 'replay');
  const projects = [
    { name: 'examples/trvl-social', dir: migrationsDir },
    ...readdirSync(fixturesDir).map((name) => ({ name: `replay fixture ${name}`, dir: join(fixturesDir, name) })),
  ];

  function render(analysis: Analysis): string {
    const findings = analysis.findings.map((f) => `${f.span?.file}:${f.span?.line}:${f.span?.column} ${f.rule} ${f.object} ${f.message} ${JSON.stringify(f.fix ?? null)} ${JSON.stringify(f.suggestions ?? null)}`);
    return `${renderCatalog(analysis.catalog)}\n${findings.join('\n')}\n${JSON.stringify([...analysis.statementLocks])}`;
  }

  for (const { name, dir } of projects) {
    it(`gives a fresh analysis's answer for ${name}, holding one file's trees at a time`, () => {
      const files: MigrationFile[] = readdirSync(dir)
        .filter((file) => file.endsWith('.sql'))
        .sort()
        .map((file) => ({ path: file, text: readFileSync(join(dir, file), 'utf8') }));
      const parsed: ParsedFile[] = [];
      const once = analyzeFilesOnce(
        files,
        (index) => {
          assert.equal(index, parsed.length, 'files are parsed in order, once each');
          for (const earlier of parsed) assert.ok(earlier.statements.every(hasNoTree), `${earlier.path}'s trees are released before the next file is parsed`);
          const file = parseSqlFile(files[index].path, files[index].text);
          parsed.push(file);
          return file;
        },
        config,
      );
      assert.equal(parsed.length, files.length);
      assert.ok(parsed.every((file) => file.statements.every(hasNoTree)));
      assert.equal(render(once), render(analyze({ files, config })));
      assert.deepEqual(
        once.files.map((file) => file.statements.map((statement) => `${statement.kind} ${statement.span.line} ${statement.text}`)),
        files.map((file) => parseSqlFile(file.path, file.text).statements.map((statement) => `${statement.kind} ${statement.span.line} ${statement.text}`)),
      );
    });
  }
});

function hasNoTree(statement: ParsedStatement): boolean {
  return Object.keys(statement.node).length === 0;
}
