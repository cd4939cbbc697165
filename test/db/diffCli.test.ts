/**
 * The `pgreview diff` contract (issue 3, item 7) on a real server: options, the JSON shape, the
 * alignment SQL and the exit codes (0 no difference, 1 differences, 2 errors).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import diff from '../../src/cli/commands/diff';
import { Client } from 'pg';
import { getTestServer, TEST_SUPERUSER_PASSWORD, type TestServer } from '../support/postgresServer';
import { runCliCommand, type CliRun } from '../support/runCliCommand';
import { readSharedState, shadowDatabases } from '../support/sharedServerState';

const ROOT = join(__dirname, '..', '..');

const MIGRATION = `create table public.vendors (
  id uuid primary key default gen_random_uuid(),
  name text not null
);
create table public.bookings (
  id uuid primary key default gen_random_uuid(),
  vendor_id uuid not null references public.vendors (id),
  status text not null default 'pending'
);
alter table public.bookings enable row level security;
create policy "Vendors read their bookings" on public.bookings
  for select to authenticated using (vendor_id = (select auth.uid()));
`;

function runDiff(cwd: string, ...args: string[]): Promise<CliRun> {
  return runCliCommand(diff, cwd, args);
}

describe('pgreview diff (CLI)', function () {
  this.timeout(300_000);
  let server: TestServer;
  let project: string;
  let live: string;
  const cacheHome = mkdtempSync(join(tmpdir(), 'pgreview-diff-cli-cache-'));
  const previousCache = process.env.XDG_CACHE_HOME;

  before(async () => {
    process.env.XDG_CACHE_HOME = cacheHome;
    server = await getTestServer();
    project = mkdtempSync(join(tmpdir(), 'pgreview-diff-cli-'));
    mkdirSync(join(project, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(join(project, 'supabase', 'config.toml'), 'project_id = "diff-cli"\n');
    writeFileSync(join(project, 'supabase', 'migrations', '20240101000000_bookings.sql'), MIGRATION);
    live = await server.createDatabase('pgreview_diff_cli_live');
    await server.runSql(live, MIGRATION);
  });

  after(() => {
    if (previousCache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previousCache;
  });

  it('exits 0 and says so when the database matches the migrations', async () => {
    const run = await runDiff(project, '.', '--db', live);
    assert.match(run.stderr, /^pgreview: compared the migrations \(applied to a PGlite shadow \(PostgreSQL 18\.\d+\)\) with the database postgres@127\.0\.0\.1:\d+\/pgreview_diff_cli_live \(PostgreSQL 15\.\d+\); identity columns of partitions are not compared[^\n]*\n$/);
    assert.equal(run.stdout, 'No differences: the database matches the migrations.\n');
    assert.equal(run.code, 0);
  });

  it('refuses a --shadow server that is the --db server, even under another URL, unless --shadow-same-server says so', async () => {
    // Another database of the same server: only asking the servers who they are tells them apart.
    const refused = await runDiff(project, '.', '--db', live, '--shadow', server.adminUrl);
    assert.equal(refused.code, 2);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^pgreview: --shadow postgres@127\.0\.0\.1:\d+\/postgres is the server of the database postgres@127\.0\.0\.1:\d+\/pgreview_diff_cli_live: .* add --shadow-same-server to accept it\.\n$/);
    assert.ok(!refused.stderr.includes(TEST_SUPERUSER_PASSWORD));

    const accepted = await runDiff(project, '.', '--db', live, '--shadow', server.adminUrl, '--shadow-same-server');
    // A server shadow of the same PostgreSQL: nothing is left out for the versions' sake.
    assert.match(accepted.stderr, /^pgreview: compared the migrations \(applied to a shadow database on postgres@127\.0\.0\.1:\d+\/postgres \(PostgreSQL 15\.\d+\)\) with the database postgres@127\.0\.0\.1:\d+\/pgreview_diff_cli_live \(PostgreSQL 15\.\d+\)\n$/);
    assert.equal(accepted.stdout, 'No differences: the database matches the migrations.\n');
    assert.equal(accepted.code, 0);

    assert.equal((await runDiff(project, '.', '--db', live, '--shadow-same-server')).code, 2, '--shadow-same-server without --shadow');
  });

  it('puts back the roles and settings on the shadow server when terminated (SIGTERM) while the migrations apply, and exits 130', async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    const gatedProject = mkdtempSync(join(tmpdir(), 'pgreview-diff-cli-sigterm-'));
    const migrations = join(gatedProject, 'supabase', 'migrations');
    mkdirSync(migrations, { recursive: true });
    writeFileSync(join(gatedProject, 'supabase', 'config.toml'), 'project_id = "diff-cli-sigterm"\n');
    writeFileSync(join(migrations, '20240101000000_roles.sql'), "create role terminated_reporter;\nalter role authenticated set statement_timeout = '1s';\n");
    // Waits for the row lock the test holds on shadow_gate's pg_authid row, which every database shares.
    writeFileSync(join(migrations, '20240102000000_gate.sql'), 'alter role shadow_gate connection limit 2;\n');
    writeFileSync(join(migrations, '20240103000000_vendors.sql'), MIGRATION);
    await server.runSql(server.adminUrl, 'drop role if exists shadow_gate; create role shadow_gate');
    const before = await readSharedState(server);
    const gate = new Client({ connectionString: server.adminUrl });
    await gate.connect();
    try {
      await gate.query('begin');
      await gate.query('alter role shadow_gate connection limit 1');
      const started = spawn(process.execPath, ['bin/pgreview.js', 'diff', gatedProject, '--db', live, '--shadow', server.adminUrl, '--shadow-same-server'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      started.stderr.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
      // The signal arrives at a known point: the first file committed, the second waiting for the
      // gate. Watched from another session: pg_stat_activity stays as first read in a transaction.
      while (!(await isWaitingForLock(server))) {
        assert.equal(started.exitCode, null, `pgreview ended before it reached the gate: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      started.kill('SIGTERM');
      await gate.query('rollback');
      assert.equal(await exited, 130, stderr);
      assert.equal(stderr, 'pgreview: cancelled\n');
    } finally {
      await gate.end();
    }
    assert.deepEqual(await readSharedState(server), before);
    assert.deepEqual(await shadowDatabases(server), []);
  });

  it('exits 1 with the JSON contract when the database drifted, and the SQL output aligns it', async () => {
    await server.runSql(live, `
      drop policy "Vendors read their bookings" on public.bookings;
      alter table public.bookings alter column status drop default;
      create table public.bookings_backup (id uuid);`);
    const json = await runDiff(project, '.', '--db', live, '--format', 'json');
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      version: 1,
      changes: [
        { status: 'extra_in_database', type: 'table', object: 'public.bookings_backup' },
        {
          status: 'changed', type: 'column', object: 'public.bookings.status', property: 'default',
          migrations: "'pending'::text", file: 'supabase/migrations/20240101000000_bookings.sql', line: 5,
        },
        { status: 'missing_in_database', type: 'policy', object: 'public.bookings.Vendors read their bookings', file: 'supabase/migrations/20240101000000_bookings.sql', line: 11 },
      ],
      summary: { total: 3, missing_in_database: 1, extra_in_database: 1, changed: 1, byType: { table: 1, column: 1, policy: 1 } },
    });

    const text = await runDiff(project, '.', '--db', live);
    assert.equal(text.code, 1);
    // Exit 1 says why, last on stderr, as check does.
    assert.match(text.stderr, /pgreview: exit 1: 3 differences between the migrations and the database\n$/);
    assert.match(text.stdout, /^supabase\/migrations\/20240101000000_bookings\.sql:11: missing_in_database policy public\.bookings\.Vendors read their bookings$/m);

    // From another directory, JSON names files as the text does: relative to the working directory.
    const fromParent = await runDiff(dirname(project), basename(project), '--db', live, '--format', 'json');
    const policyChange = (JSON.parse(fromParent.stdout) as { changes: { type: string; file?: string }[] }).changes.find((change) => change.type === 'policy');
    assert.equal(policyChange?.file, `${basename(project)}/supabase/migrations/20240101000000_bookings.sql`);

    const sql = await runDiff(project, '.', '--db', live, '--format', 'sql');
    assert.equal(sql.code, 1);
    assert.match(sql.stdout, /-- drop table if exists public\.bookings_backup;/);
    await server.runSql(live, sql.stdout);
    const after = await runDiff(project, '.', '--db', live, '--format', 'json');
    assert.deepEqual(JSON.parse(after.stdout).changes, [{ status: 'extra_in_database', type: 'table', object: 'public.bookings_backup' }], 'only the commented drop remains');
    const withDrops = await runDiff(project, '.', '--db', live, '--format', 'sql', '--allow-drops');
    await server.runSql(live, withDrops.stdout);
    assert.equal((await runDiff(project, '.', '--db', live)).code, 0);
  });

  it('compares two databases with --from and --to', async () => {
    const staging = await server.createDatabase('pgreview_diff_cli_staging');
    const production = await server.createDatabase('pgreview_diff_cli_production');
    await server.runSql(staging, MIGRATION);
    await server.runSql(production, MIGRATION.replace("default 'pending'", "default 'draft'"));
    const run = await runDiff(project, '--from', staging, '--to', production, '--format', 'json');
    assert.equal(run.code, 1);
    assert.deepEqual(
      JSON.parse(run.stdout).changes.map((change: { status: string; object: string; property?: string }) => `${change.status} ${change.object} ${change.property}`),
      ['changed public.bookings.status default'],
    );
    // In words, the two databases are named, never "the migrations".
    const text = await runDiff(project, '--from', staging, '--to', production);
    // The changes, then the row counts of both (never analysed here: unknown).
    assert.equal(text.stdout.slice(0, text.stdout.indexOf('\nEstimated rows')), [
      "changed column public.bookings.status default: pgreview_diff_cli_staging 'pending'::text, pgreview_diff_cli_production 'draft'::text",
      '1 difference: 0 missing in pgreview_diff_cli_production, 0 extra in pgreview_diff_cli_production, 1 changed.',
      '',
    ].join('\n'));
    assert.doesNotMatch(text.stdout + text.stderr, /migrations/);
    assert.match(text.stderr, /^pgreview: compared postgres@127\.0\.0\.1:\d+\/pgreview_diff_cli_staging \(PostgreSQL 15\.\d+\) \(--from, "pgreview_diff_cli_staging"\) with .*pgreview_diff_cli_production \(PostgreSQL 15\.\d+\) \(--to, "pgreview_diff_cli_production"\)\n/m);
    assert.match(text.stderr, /exit 1: 1 difference between pgreview_diff_cli_staging and pgreview_diff_cli_production\n$/);
  });

  it('says which PostgreSQL versions it compared, and leaves out what only the versions make differ', async () => {
    // PostgreSQL 17 and later give a partition its table's identity column; 15 does not. The
    // shadow is PGlite (PostgreSQL 18) and the test server 15: the same migration must not drift.
    const partitioned = `create table public.booking_events (
  id bigint generated always as identity,
  booked_on date not null,
  kind text not null
) partition by range (booked_on);
create table public.booking_events_2024 partition of public.booking_events for values from ('2024-01-01') to ('2025-01-01');
`;
    const partitionProject = mkdtempSync(join(tmpdir(), 'pgreview-diff-cli-partitions-'));
    mkdirSync(join(partitionProject, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(join(partitionProject, 'supabase', 'config.toml'), 'project_id = "diff-cli-partitions"\n');
    writeFileSync(join(partitionProject, 'supabase', 'migrations', '20240101000000_events.sql'), partitioned);
    const database = await server.createDatabase('pgreview_diff_cli_partitions');
    await server.runSql(database, partitioned);
    const run = await runDiff(partitionProject, '.', '--db', database);
    assert.equal(run.stdout, 'No differences: the database matches the migrations.\n');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^pgreview: compared the migrations \(applied to a PGlite shadow \(PostgreSQL 18\.\d+\)\) with the database postgres@127\.0\.0\.1:\d+\/pgreview_diff_cli_partitions \(PostgreSQL 15\.\d+\); identity columns of partitions are not compared/);
  });

  it('exits 2 with one line, without the password, when the database is unreachable', async () => {
    const run = await runDiff(project, '.', '--db', `postgresql://postgres:${TEST_SUPERUSER_PASSWORD}@127.0.0.1:1/postgres?connect_timeout=3`);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^pgreview: Cannot connect to postgres@127\.0\.0\.1:1\/postgres/);
    assert.ok(!run.stderr.includes(TEST_SUPERUSER_PASSWORD));
  });

  it('rejects --from without --to, and --db with --from, with exit 2', async () => {
    assert.equal((await runDiff(project, '--from', live)).code, 2);
    assert.equal((await runDiff(project, '--db', live, '--from', live, '--to', live)).code, 2);
    assert.equal((await runDiff(project, '.', '--db', live, '--format', 'yaml')).code, 2);
  });
});

/** True when a throwaway shadow database's session waits for a lock. */
async function isWaitingForLock(server: TestServer): Promise<boolean> {
  const client = new Client({ connectionString: server.adminUrl });
  await client.connect();
  try {
    const result = await client.query("select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname ~ '^pgreview_shadow_[0-9]'");
    return (result.rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}
