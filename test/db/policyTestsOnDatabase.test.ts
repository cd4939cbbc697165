/**
 * `pgreview test --db`: the RLS tests' read cases run on real databases (built from the projects
 * the way `supabase db reset` builds them), each in a READ ONLY transaction that is rolled back;
 * write cases are listed as not run; several targets give one table of test x target.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client } from 'pg';
import test from '../../src/cli/commands/test';
import { loadParser } from '../../src/core/sql/parser';
import { applyProjectToServer } from '../support/applyProjectToServer';
import { getTestServer } from '../support/postgresServer';
import { runCliCommand } from '../support/runCliCommand';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = 'examples/trvl-social';
const BROKEN = 'test/fixtures/policy-tests/broken-bookings';

interface TargetReport {
  target: string;
  summary: { passed: number; failed: number; skipped: number };
  tests: { name: string; passed: boolean; skipped?: string; unexpectedRows?: string[] }[];
}

/** Every table's rows and every sequence's value, to show that the run changed nothing. */
async function fingerprint(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>("select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'auth') order by 1");
    const parts: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query<{ digest: string }>(`select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as digest from ${name} t`);
      parts.push(`${name}:${rows.rows[0].digest}`);
    }
    const sequences = await client.query<{ state: string }>("select string_agg(format('%I.%I=%s', schemaname, sequencename, last_value), ',' order by 1) as state from pg_sequences");
    return `${parts.join(' ')} ${sequences.rows[0].state ?? ''}`;
  } finally {
    await client.end();
  }
}

describe('pgreview test --db', function () {
  this.timeout(300_000);
  let brokenUrl: string;
  let exampleUrl: string;

  before(async () => {
    await loadParser();
    brokenUrl = await applyProjectToServer(join(ROOT, BROKEN), 'pgreview_rls_tests_broken');
    exampleUrl = await applyProjectToServer(join(ROOT, EXAMPLE), 'pgreview_rls_tests_example');
  });

  it('runs the read cases on the database and lists the write cases as not run, changing nothing', async () => {
    const before = await fingerprint(brokenUrl);
    const run = await runCliCommand(test, ROOT, [BROKEN, '--db', brokenUrl, '--no-shadow', '--format', 'json']);
    assert.equal(await fingerprint(brokenUrl), before);
    const report = JSON.parse(run.stdout) as TargetReport;
    assert.deepEqual(report.summary, { passed: 0, failed: 1, skipped: 2 });
    const byName = new Map(report.tests.map((entry) => [entry.name, entry]));
    // The same verdict as on the shadow: the broken policy lets bob see alice's booking.
    assert.equal(byName.get('bob sees exactly his own bookings')?.passed, false);
    assert.deepEqual(byName.get('bob sees exactly his own bookings')?.unexpectedRows, ['(cccccccc-0000-4000-8000-000000000001,11111111-1111-4111-8111-111111111111,confirmed,500.00)']);
    for (const name of ['anon inserts into bookings', "bob cannot book in alice's name"]) {
      assert.match(byName.get(name)?.skipped ?? '', /a write case never runs on a live database/);
    }
    assert.equal(run.code, 1);
  });

  it('gives one table of test x target for the shadow and two databases', async () => {
    const run = await runCliCommand(test, ROOT, [EXAMPLE, '--db', exampleUrl, '--db', brokenUrl.replace('pgreview_rls_tests_broken', 'pgreview_rls_tests_example')]);
    const lines = run.stdout.split('\n');
    assert.match(lines[0], /^\[1\] PGlite shadow$/);
    assert.match(lines[1], /^\[2\] \S+@127\.0\.0\.1:\d+\/pgreview_rls_tests_example$/);
    const row = lines.find((line) => line.startsWith('examples/trvl-social/supabase/tests/policies.rls.yaml:16  bob sees exactly his own bookings'));
    assert.ok(row, run.stdout);
    assert.match(row, /pass +pass +pass\s*$/);
    // Every read case passes everywhere; the shadow also runs the write cases.
    assert.match(run.stdout, /^\[1\] 13 passed, 0 failed\.$/m);
    assert.match(run.stdout, /^\[2\] \d+ passed, 0 failed, \d+ not run\.$/m);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  it('skips rows_where cases when the connecting role is subject to RLS', async () => {
    const server = await getTestServer();
    await server.runSql(brokenUrl, `do $$ begin if not exists (select from pg_roles where rolname = 'rls_reader') then create role rls_reader login password 'reader-pw'; end if; end $$;
      grant usage on schema public to rls_reader; grant select on all tables in schema public to rls_reader; grant authenticated, anon to rls_reader;`);
    const readerUrl = brokenUrl.replace(/\/\/[^@]+@/, '//rls_reader:reader-pw@');
    const run = await runCliCommand(test, ROOT, [BROKEN, '--db', readerUrl, '--no-shadow', '--format', 'json']);
    const report = JSON.parse(run.stdout) as TargetReport;
    assert.match(report.tests.find((entry) => entry.name === 'bob sees exactly his own bookings')?.skipped ?? '', /neither superuser nor BYPASSRLS/);
    assert.doesNotMatch(run.stdout + run.stderr, /reader-pw/);
  });

  it('refuses --no-shadow without a database', async () => {
    const run = await runCliCommand(test, ROOT, [EXAMPLE, '--no-shadow']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--no-shadow needs at least one --db/);
  });
});
