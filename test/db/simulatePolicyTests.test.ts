/**
 * `pgreview test`, `pgreview simulate` and `pgreview policies` run as the CLI runs them: the
 * example project's RLS tests pass, the deliberately broken fixture fails on the test that catches
 * its policy, and the pgTAP export gives the same verdicts on a real PostgreSQL server with pgTAP.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Command } from '../../src/cli/command';
import policies from '../../src/cli/commands/policies';
import simulate from '../../src/cli/commands/simulate';
import test from '../../src/cli/commands/test';
import { loadParser } from '../../src/core/sql/parser';
import { applyProjectToServer } from '../support/applyProjectToServer';
import { runCliCommand, type CliRun } from '../support/runCliCommand';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = 'examples/trvl-social';
const BROKEN = 'test/fixtures/policy-tests/broken-bookings';
const BOB_CLAIMS = '{"sub":"22222222-2222-4222-8222-222222222222"}';

function runCommand(command: Command, ...args: string[]): Promise<CliRun> {
  return runCliCommand(command, ROOT, args);
}

/** Runs a pgTAP script and returns its TAP lines (`ok 1 - ...`, `not ok 2 - ...`). */
async function runPgtap(url: string, sql: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const results = (await client.query(sql)) as unknown as { rows: Record<string, unknown>[] }[];
    return results.flatMap((result) => result.rows ?? []).flatMap((row) => Object.values(row)).filter((value): value is string => typeof value === 'string' && /^(not )?ok \d+/.test(value)).map((line) => line.split('\n')[0]);
  } finally {
    await client.end();
  }
}

describe('pgreview test, simulate and policies commands', function () {
  this.timeout(300_000);

  // applyProjectToServer analyses the project before any command has loaded the parser.
  before(() => loadParser());

  it('passes every RLS test of the example project, with exit code 0', async () => {
    const run = await runCommand(test, EXAMPLE);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^13 passed, 0 failed\.$/m);
    assert.match(run.stdout, /^pass {2}examples\/trvl-social\/supabase\/tests\/policies\.rls\.yaml:16 {2}bob sees exactly his own bookings$/m);
    assert.equal(run.code, 0);
  });

  it('catches the deliberately broken bookings policy, with exit code 1 and the row bob should not see', async () => {
    const run = await runCommand(test, BROKEN, '--format', 'json');
    const report = JSON.parse(run.stdout) as { summary: { passed: number; failed: number }; tests: { name: string; passed: boolean; unexpectedRows?: string[] }[] };
    assert.deepEqual(report.summary, { passed: 2, failed: 1, skipped: 0 });
    const failed = report.tests.filter((entry) => !entry.passed);
    assert.deepEqual(failed.map((entry) => entry.name), ['bob sees exactly his own bookings']);
    assert.deepEqual(failed[0].unexpectedRows, ['(cccccccc-0000-4000-8000-000000000001,11111111-1111-4111-8111-111111111111,confirmed,500.00)']);
    assert.equal(run.code, 1);
  });

  it('exits 2 when the project has no RLS test files', async () => {
    const none = await runCommand(test, 'test/fixtures/projects/clean');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no RLS test files \(supabase\/tests\/\*\.rls\.yaml\)/);
  });

  it('gives the same verdicts when the pgTAP export runs on PostgreSQL with pgTAP', async function () {
    // pgTAP is a system package (postgresql-NN-pgtap); without it there is nothing to run the export on.
    if (!hasPgtap()) this.skip();
    const exampleUrl = await applyProjectToServer(join(ROOT, EXAMPLE), 'pgreview_pgtap_example');
    const example = await runCommand(test, EXAMPLE, '--format', 'pgtap');
    assert.equal(example.code, 0);
    const exampleTap = await runPgtap(exampleUrl, example.stdout);
    assert.equal(exampleTap.length, 13);
    assert.deepEqual(exampleTap.filter((line) => line.startsWith('not ok')), []);
    // On plain PostgreSQL the extensions schema, where pgTAP lives, is not on the search_path.
    const plainTap = await runPgtap(exampleUrl, `set search_path to "$user", public;\n${example.stdout}`);
    assert.deepEqual(plainTap, exampleTap);

    const brokenUrl = await applyProjectToServer(join(ROOT, BROKEN), 'pgreview_pgtap_broken');
    const broken = await runCommand(test, BROKEN, '--format', 'pgtap');
    const brokenTap = await runPgtap(brokenUrl, broken.stdout);
    assert.deepEqual(brokenTap, ['not ok 1 - bob sees exactly his own bookings', 'ok 2 - anon inserts into bookings', "ok 3 - bob cannot book in alice's name"]);
  });

  it('simulates a statement from the command line, and exits 1 when the statement fails', async () => {
    const rows = await runCommand(simulate, EXAMPLE, '--as', 'authenticated', '--claims', BOB_CLAIMS, '--sql', 'select id, status from public.bookings');
    assert.equal(rows.code, 0, rows.stderr);
    assert.match(rows.stdout, /^Ran as authenticated \(sub 22222222-2222-4222-8222-222222222222\) on PGlite shadow, in a transaction that was rolled back\.$/m);
    assert.match(rows.stdout, /^ cccccccc-0000-4000-8000-000000000002 \| pending$/m);
    assert.match(rows.stdout, /^\(1 row\)$/m);
    assert.match(rows.stdout, /^ {2}public\.bookings select: filtered \(user_id = \(select auth\.uid\(\)\) or .*\) by "Travellers and vendors can view bookings"$/m);

    const denied = await runCommand(simulate, EXAMPLE, '--as', 'anon', '--format', 'json', '--sql', "insert into public.adventure_categories (slug, label) values ('x', 'X')");
    assert.equal(denied.code, 1);
    const result = JSON.parse(denied.stdout) as { error: { code: string; message: string } };
    assert.equal(result.error.code, '42501');
    assert.match(result.error.message, /row-level security/);

    const refused = await runCommand(simulate, EXAMPLE, '--as', 'anon', '--db', 'postgresql://nobody@127.0.0.1:9/none', '--sql', 'delete from public.bookings');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^pgreview: On a live database, only a plain SELECT may run, and this statement is refused: it is a DELETE, not a SELECT\./m);
    assert.equal((await runCommand(simulate, EXAMPLE, '--sql', 'select 1')).code, 2);
    assert.match((await runCommand(simulate, EXAMPLE, '--as', 'anon', '--claims', '[1]', '--sql', 'select 1')).stderr, /--claims must be a JSON object/);
  });

  it('prints the same policy matrix from the migrations and from the database built from them', async () => {
    const url = await applyProjectToServer(join(ROOT, EXAMPLE), 'pgreview_policies');
    const fromMigrations = await runCommand(policies, EXAMPLE, '--format', 'json');
    const fromDatabase = await runCommand(policies, EXAMPLE, '--db', url, '--format', 'json');
    assert.equal(fromMigrations.code, 0, fromMigrations.stderr);
    assert.equal(fromDatabase.code, 0, fromDatabase.stderr);
    type Matrix = { tables: { table: string; cells: { role: string; command: string; access: string; policies: { name: string }[] }[] }[] };
    // Expressions differ in spelling (pg_get_expr adds casts and parentheses), so accesses and policy names are compared.
    const summarize = (text: string) => (JSON.parse(text) as Matrix).tables.flatMap((row) =>
      row.cells.filter((cell) => cell.role === 'anon' || cell.role === 'authenticated').map((cell) => `${row.table} ${cell.role} ${cell.command}: ${cell.access} ${cell.policies.map((policy) => policy.name).join(', ')}`));
    assert.deepEqual(summarize(fromDatabase.stdout), summarize(fromMigrations.stdout));
    const markdown = await runCommand(policies, EXAMPLE, '--format', 'markdown');
    assert.match(markdown.stdout, /^### `public\.wallets` \(RLS on\)$/m);
  });
});

function hasPgtap(): boolean {
  if (!existsSync('/usr/share/postgresql')) return false;
  return readdirSync('/usr/share/postgresql').some((version) => existsSync(`/usr/share/postgresql/${version}/extension/pgtap.control`));
}
