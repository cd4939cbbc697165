/**
 * src/core/sql/parser.ts drives libpg-query's emscripten module itself, reading libpg_query's
 * structs at fixed offsets. These tests hold it to the package's own glue: same trees, same
 * tokens, same errors, on the pinned version.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as libpgQuery from 'libpg-query';
import { getParser, loadParser, parseToJson } from '../../src/core/sql/parser';
import { parseFileToJson, parseSqlFile } from '../../src/core/sql/parseSqlFile';

const root = join(__dirname, '..', '..');

/** What the package's glue answers: a tree, or the error it throws. */
function packageAnswer(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (error) {
    const { name, message, sqlDetails } = error as Error & { sqlDetails?: unknown };
    return { error: { name, message, sqlDetails } };
  }
}

const samples = [
  'select 1',
  "create table public.trips (id uuid primary key, name text not null default 'Trip ✈️');\ncreate index on public.trips (name);",
  "-- مرحبا\ncomment on table public.trips is 'Reisen für alle 😀';",
  "create function public.f() returns int language plpgsql as $$ begin return 1; end $$;",
  '   \n-- only a comment\n',
  ';;',
  'create tabel trips (id int);',
  "select 'é😀' from from;",
  "select 'unterminated",
  'select $$ never closed',
  'select /* open comment',
];

describe('parser glue (libpg-query driven directly)', () => {
  before(async () => {
    await loadParser();
    await libpgQuery.loadModule();
  });

  it('is written for the pinned libpg-query version', () => {
    // The struct offsets in parser.ts are libpg_query 18's (PgQueryParseResult, PgQueryError). A
    // new version may move them: check parser.ts against its wasm/index.cjs, then update this pin.
    const installed = JSON.parse(readFileSync(join(root, 'node_modules', 'libpg-query', 'package.json'), 'utf8')) as { version: string };
    const declared = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(installed.version, '18.1.5');
    assert.equal(declared.dependencies['libpg-query'], '18.1.5');
  });

  it('parses, scans and fails exactly as the package does', () => {
    for (const sql of [...samples, '']) {
      assert.deepEqual(packageAnswer(() => getParser().parseSync(sql)), packageAnswer(() => libpgQuery.parseSync(sql)), `parseSync of ${JSON.stringify(sql)}`);
      assert.deepEqual(packageAnswer(() => getParser().scanSync(sql)), packageAnswer(() => libpgQuery.scanSync(sql)), `scanSync of ${JSON.stringify(sql)}`);
    }
  });

  it('parses PL/pgSQL bodies and fails exactly as the package does', () => {
    const functions = [
      "create function public.is_group_member(target uuid) returns boolean language plpgsql stable as $$ begin return exists (select 1 from public.group_members where group_id = target); end $$",
      "create function public.touch() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$",
      "create function public.broken() returns int language plpgsql as $$ begin retrun 1; end $$",
    ];
    for (const sql of functions) {
      assert.deepEqual(packageAnswer(() => getParser().parsePlpgsqlSync(sql)), packageAnswer(() => libpgQuery.parsePlPgSQLSync(sql)), `parsePlpgsqlSync of ${JSON.stringify(sql)}`);
    }
    assert.throws(() => getParser().parsePlpgsqlSync(functions[2]));
  });

  it('throws a SqlError like the package, with the cursor in code points', () => {
    assert.throws(() => getParser().parseSync("select '😀' from from"), (error: Error & { sqlDetails?: { cursorPosition: number } }) => {
      return error.name === 'SqlError' && /syntax error at or near "from"/.test(error.message) && error.sqlDetails?.cursorPosition === 16;
    });
  });

  it('gives the JSON text of the tree, which a worker thread sends back', () => {
    const sql = samples[1];
    assert.deepEqual(JSON.parse(parseToJson(sql)), libpgQuery.parseSync(sql));
    assert.throws(() => parseToJson('select from from'), { name: 'SqlError' });
  });

  it('parses a long statement as the package does', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => `(${i}, 'booking ${i} für Zoë 😀')`).join(',\n');
    const sql = `insert into public.bookings (id, note) values\n${rows};\nselect 'after the long one';`;
    const ours = getParser().parseSync(sql);
    assert.equal(ours.stmts?.length, 2);
    assert.deepEqual(ours, libpgQuery.parseSync(sql));
  });

  it('parses a statement whose tree outgrows the WASM memory, and keeps reading right afterwards', () => {
    // 1.2 MB of SQL, 54 MB of JSON: more than the module's first 128 MB of memory holds, so the
    // memory grows during the call and the old heap views are detached.
    const sql = `select ${'1,'.repeat(600_000)}'😀'`;
    const [statement] = getParser().parseSync(sql).stmts ?? [];
    const targets = (statement.stmt as { SelectStmt: { targetList: { ResTarget: { val: { A_Const: { sval?: { sval: string } } } } }[] } }).SelectStmt.targetList;
    assert.equal(targets.length, 600_001);
    assert.equal(targets[600_000].ResTarget.val.A_Const.sval?.sval, '😀');
    assert.deepEqual(getParser().parseSync(samples[2]), libpgQuery.parseSync(samples[2]));
    assert.deepEqual(packageAnswer(() => getParser().parseSync(samples[7])), packageAnswer(() => libpgQuery.parseSync(samples[7])));
  });

  it('reads an empty file as no statements (the parser itself refuses an empty string)', () => {
    const file = parseSqlFile('supabase/migrations/20240101000000_empty.sql', '');
    assert.deepEqual([file.statements, file.problems], [[], []]);
    assert.throws(() => getParser().parseSync(''), /Query cannot be empty/);
    assert.equal(parseFileToJson(''), undefined);
  });

  it('places a syntax error after multi-byte characters at its exact column', () => {
    // 'é' is 2 bytes and 1 UTF-16 unit, '✈' 3 bytes and 1 unit, '😀' 4 bytes and 2 units; the
    // parser's cursor counts code points, which is neither.
    const text = "create table public.trips (name text default 'é✈😀');\nselect 'ü😀', * form public.trips;\n";
    const file = parseSqlFile('supabase/migrations/20240101000000_trips.sql', text);
    assert.deepEqual(file.statements.map((statement) => statement.kind), ['CreateStmt']);
    assert.equal(file.problems.length, 1);
    const [problem] = file.problems;
    assert.equal(problem.rule, 'syntax_error');
    assert.equal(text.slice(problem.span.start, problem.span.end), 'form');
    assert.deepEqual([problem.span.line, problem.span.column], [2, 17]);
    // A worker leaves such a file to the main thread's statement-by-statement path.
    assert.equal(parseFileToJson(text), undefined);
  });

  it('builds the same file from its JSON text as from a direct parse', () => {
    const text = "\\set ON_ERROR_STOP on\n-- migrate:up\ncreate table a (id int, note text default 'ß😀');\n-- migrate:down\ndrop table a;\n";
    const json = parseFileToJson(text);
    assert.ok(json);
    assert.deepEqual(parseSqlFile('a.sql', text, json), parseSqlFile('a.sql', text));
  });
});
