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
import type { CommandContext } from '../../src/cli/command';
import { reportError } from '../../src/cli/reportError';
import { neverCancelled } from '../../src/core/cancellation';
import { getTestServer, TEST_SUPERUSER_PASSWORD, type TestServer } from '../support/postgresServer';

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
-- Named so that a database, which lists indexes and policies by name, meets the pairs the other way round.
create index bookings_by_status on public.bookings (status);
create policy "Admins read bookings" on public.bookings
  for select to authenticated using ((select auth.jwt() ->> 'role') = 'admin');
`;

async function runCheck(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const context: CommandContext = { cwd, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), token: neverCancelled, version: '0.0.0-test' };
  let code: number;
  try {
    code = await check.run(args, context);
  } catch (error) {
    code = reportError(error, context.stderr);
  }
  return { code, stdout, stderr };
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
  });

  it('adds database findings once, placed on the migration that defines the object', async () => {
    const run = await runCheck(project, '.', '--db', live, '--format', 'json', '--fail-on', 'none');
    assert.equal(run.code, 0, run.stderr);
    const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
    const keys = findings.map((f) => `${f.rule} ${f.object}`);

    // The FK is unindexed both in the migrations and in the database: reported once.
    assert.equal(keys.filter((key) => key === 'unindexed_foreign_keys public.bookings.bookings_vendor_id_fkey').length, 1);
    // A duplicate index pair and a group of overlapping policies are one finding each, whichever
    // object the database's order puts them on.
    assert.deepEqual(keys.filter((key) => key.startsWith('duplicate_index ')), ['duplicate_index public.bookings_by_status']);
    assert.deepEqual(keys.filter((key) => key.startsWith('multiple_permissive_policies ')), ['multiple_permissive_policies public.bookings.Admins read bookings']);
    // An index never scanned exists only as a database finding, on its CREATE INDEX.
    const unused = findings.find((f) => f.rule === 'unused_index' && f.object === 'public.bookings_status_idx');
    assert.ok(unused, keys.join('\n'));
    assert.deepEqual([unused.file, unused.line], ['supabase/migrations/20240101000000_bookings.sql', 14]);
    assert.match(unused.message, /in the database postgres@/);
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
