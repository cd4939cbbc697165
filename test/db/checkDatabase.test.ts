/**
 * `pgreview check --db URL`: the rules also run on a real database. Findings the migrations
 * already produce are reported once; database-only findings land on the defining statement when
 * a migration made the object, and name the object otherwise.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import check from '../../src/cli/commands/check';
import { getTestServer, TEST_SUPERUSER_PASSWORD, type TestServer } from '../support/postgresServer';
import { runCliCommand, type CliRun } from '../support/runCliCommand';

const MIGRATION = `create table public.vendors (
  id uuid primary key default gen_random_uuid(),
  name text not null
);
alter table public.vendors enable row level security;
create policy "Vendors are public" on public.vendors for select using (true);

create table public.bookings (
  id uuid primary key default gen_random_uuid(),
  vendor_id uuid not null references public.vendors (id),
  status text not null default 'pending'
);
alter table public.bookings enable row level security;
create index bookings_status_idx on public.bookings (status);
create policy "Vendors read their bookings" on public.bookings
  for select to authenticated using (vendor_id = (select auth.uid()));
create policy "Anyone reads avatars" on storage.objects
  for select to public using (bucket_id = 'avatars');
-- Named so that a database, which lists indexes and policies by name, meets the pairs the other way round.
create index bookings_by_status on public.bookings (status);
create policy "Admins read bookings" on public.bookings
  for select to authenticated using ((select auth.jwt() ->> 'role') = 'admin');
`;

function runCheck(cwd: string, ...args: string[]): Promise<CliRun> {
  return runCliCommand(check, cwd, args);
}

interface JsonFinding {
  rule: string;
  object: string;
  file: string | null;
  line: number | null;
  message: string;
}

describe('pgreview check --db (CLI)', function () {
  this.timeout(120_000);
  let server: TestServer;
  let project: string;
  let live: string;

  before(async () => {
    server = await getTestServer();
    project = mkdtempSync(join(tmpdir(), 'pgreview-check-db-'));
    mkdirSync(join(project, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(join(project, 'supabase', 'config.toml'), 'project_id = "check-db"\n');
    writeFileSync(join(project, 'supabase', 'migrations', '20240101000000_bookings.sql'), MIGRATION);
    live = await server.createDatabase('pgreview_check_db_live');
    await server.runSql(live, MIGRATION);
    // Drift the migrations do not know about: a table without RLS, added by hand in the dashboard.
    await server.runSql(live, 'create table public.promo_codes (code text primary key, discount numeric);');
    // Data only the database has: a public bucket, which the storage policy lets anyone list.
    await server.runSql(live, "insert into storage.buckets (id, name, public) values ('avatars', 'avatars', true);");
    // Statistics as on a database whose statistics were just reset.
    await server.runSql(live, 'select pg_stat_reset();');
  });

  it('adds database findings once, placed on the migration that defines the object', async () => {
    const run = await runCheck(project, '.', '--db', live, '--format', 'json', '--fail-on', 'none');
    assert.equal(run.code, 0, run.stderr);
    const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
    const keys = findings.map((f) => `${f.rule} ${f.object}`);

    // The FK is unindexed both in the migrations and in the database: reported once.
    assert.equal(keys.filter((key) => key === 'unindexed_foreign_keys public.bookings.bookings_vendor_id_fkey').length, 1);
    // A listable public bucket exists only as a database finding, on the CREATE POLICY that allows it.
    const listing = findings.find((f) => f.rule === 'public_bucket_allows_listing' && f.object === 'storage.objects.Anyone reads avatars');
    assert.ok(listing, keys.join('\n'));
    assert.deepEqual([listing.file, listing.line], ['supabase/migrations/20240101000000_bookings.sql', 17]);
    assert.match(listing.message, /in the database postgres@/);
    // The indexes no query has scanned yet are not called unused: the statistics were just reset.
    assert.deepEqual(findings.filter((f) => f.rule === 'unused_index').map((f) => [f.object, f.file]), [['pgreview_check_db_live', null]]);
    assert.match(findings.find((f) => f.rule === 'unused_index')!.message, /^2 indexes have never been scanned, but the statistics of database pgreview_check_db_live were reset \d+ minutes? ago/);
    // A duplicate index pair and a group of overlapping policies are one finding each, whichever
    // object the database's order puts them on.
    assert.deepEqual(keys.filter((key) => key.startsWith('duplicate_index ')), ['duplicate_index public.bookings_by_status']);
    assert.deepEqual(keys.filter((key) => key.startsWith('multiple_permissive_policies ')), ['multiple_permissive_policies public.bookings.Admins read bookings']);
    // The hand-made table has no migration: the finding names it, with no place.
    const promo = findings.find((f) => f.rule === 'rls_disabled_in_public' && f.object === 'public.promo_codes');
    assert.ok(promo, keys.join('\n'));
    assert.equal(promo.file, null);
  });

  it('exits 2 with one line, and no password, when the database is unreachable', async () => {
    const run = await runCheck(project, '.', '--db', `postgresql://postgres:${TEST_SUPERUSER_PASSWORD}@127.0.0.1:1/postgres`);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.ok(!run.stderr.includes(TEST_SUPERUSER_PASSWORD));
  });
});
