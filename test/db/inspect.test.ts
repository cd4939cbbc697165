/**
 * `pgreview inspect` against the real test server: the catalog as text and as JSON, the summary
 * counts, and a one-line error for an unreachable database.
 */
import assert from 'node:assert/strict';
import inspect from '../../src/cli/commands/inspect';
import { analyze } from '../../src/core/analyze';
import { serializeCatalog } from '../../src/core/catalog/serializeCatalog';
import { defaultConfig } from '../../src/core/config';
import { loadParser } from '../../src/core/sql/parser';
import { getTestServer } from '../support/postgresServer';
import { runCliCommand, type CliRun } from '../support/runCliCommand';

function runInspect(args: string[]): Promise<CliRun> {
  return runCliCommand(inspect, '/tmp', args);
}

describe('pgreview inspect', function () {
  this.timeout(60_000);
  let url: string;

  before(async () => {
    const server = await getTestServer();
    url = await server.createDatabase('pgreview_inspect');
    await server.runSql(url, `
      create table public.profiles (id uuid primary key references auth.users (id), username text not null);
      alter table public.profiles enable row level security;
      create policy "Profiles are public" on public.profiles for select to anon, authenticated using (true);
      create table public.groups (id bigint generated always as identity primary key, name text not null);
      create function public.is_member(p_group bigint) returns boolean language sql stable security definer set search_path = '' as $$ select true $$;
      create policy "Members read avatars" on storage.objects for select to authenticated using (bucket_id = 'avatars');`);
  });

  it('prints the catalog and a summary line as text', async () => {
    const { code, stdout, stderr } = await runInspect(['--db', url]);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.match(stdout, /^table:public\.profiles .*rls/m);
    assert.match(stdout, /^column:public\.profiles\.username /m);
    assert.match(stdout, /^policy:public\.profiles\/Profiles are public /m);
    assert.match(stdout, /^function:public\.is_member\(bigint\) /m);
    assert.match(stdout, /^policy:storage\.objects\/Members read avatars /m);
    assert.doesNotMatch(stdout, /^table:auth\.users/m, 'platform tables are left out');
    assert.match(stdout, /^Tables: 2 \(public 2\); RLS on 1; policies 2; /m);
    assert.match(stdout, /^Read postgres@127\.0\.0\.1:\d+\/pgreview_inspect with \d+ catalog queries in \d+ ms\.$/m);
    assert.ok(!stdout.includes('pgreview-secret-pw'));
  });

  it('shows the estimated rows of each table, and "unknown" for a table never analysed (issue 13)', async () => {
    const server = await getTestServer();
    await server.runSql(url, "insert into public.groups (name) values ('Alps crew'), ('Reef club'), ('Night hikers'); analyze public.groups;");
    const { code, stdout } = await runInspect(['--db', url]);
    assert.equal(code, 0);
    assert.match(stdout, /^table:public\.groups .*estimated_rows=3$/m);
    assert.match(stdout, /^table:public\.profiles .*estimated_rows=unknown$/m);
    const json = JSON.parse((await runInspect(['--db', url, '--format', 'json'])).stdout);
    const groups = json.catalog.tables.find((table: { name: string }) => table.name === 'groups');
    assert.equal(groups.statistics.estimatedRows, 3);
  });

  it('reads a database named by a libpq key=value string (issue 10)', async () => {
    const parsed = new URL(url);
    const keyValue = `host=${parsed.hostname} port=${parsed.port} dbname=pgreview_inspect user=${decodeURIComponent(parsed.username)} password='${decodeURIComponent(parsed.password).replace(/['\\]/g, '\\$&')}' sslmode=prefer`;
    const { code, stdout, stderr } = await runInspect(['--db', keyValue]);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.match(stdout, /^Read postgres@127\.0\.0\.1:\d+\/pgreview_inspect with \d+ catalog queries in \d+ ms\.$/m);
  });

  it('prints the catalog as JSON, with Maps as arrays and expressions as text', async () => {
    const { code, stdout } = await runInspect(['--db', url, '--format', 'json']);
    assert.equal(code, 0);
    const output = JSON.parse(stdout);
    assert.equal(output.version, 1);
    assert.ok(output.queryCount > 0);
    assert.deepEqual(output.catalog.summary.tablesBySchema, { public: 2 });
    const profiles = output.catalog.tables.find((table: { name: string; schema: string }) => table.schema === 'public' && table.name === 'profiles');
    assert.equal(profiles.rlsEnabled, true);
    assert.deepEqual(profiles.columns.map((column: { name: string; type: string }) => [column.name, column.type]), [['id', 'uuid'], ['username', 'text']]);
    assert.deepEqual(profiles.policies[0], { name: 'Profiles are public', table: 'public.profiles', command: 'select', permissive: true, roles: ['anon', 'authenticated'], using: 'true', origin: {} });
    assert.deepEqual(profiles.grants.anon, ['DELETE', 'INSERT', 'REFERENCES', 'SELECT', 'TRIGGER', 'TRUNCATE', 'UPDATE']);
    const isMember = output.catalog.functions.find((fn: { key: string }) => fn.key === 'public.is_member(bigint)');
    assert.deepEqual(isMember.config, { search_path: "''" });
    assert.ok(!stdout.includes('pgreview-secret-pw'));
  });

  it('serialises a catalog from migrations the same way, spans included and parse trees left out', async () => {
    await loadParser();
    const sql = `create table public.wallets (id uuid primary key, user_id uuid not null, balance numeric not null default 0);
alter table public.wallets enable row level security;
create policy "Owners read wallets" on public.wallets for select to authenticated using (user_id = (select auth.uid()));`;
    const { catalog } = analyze({ files: [{ path: 'supabase/migrations/0001_wallets.sql', text: sql }], config: defaultConfig() });
    const serialized = serializeCatalog(catalog);
    const roundTrip = JSON.parse(JSON.stringify(serialized));
    assert.deepEqual(roundTrip, serialized, 'nothing is lost to JSON (no Maps, Sets or undefined left)');
    const wallets = roundTrip.tables.find((table) => table.name === 'wallets');
    assert.equal(wallets?.origin.definedAt?.file, 'supabase/migrations/0001_wallets.sql');
    assert.equal(typeof wallets?.policies[0].using, 'string');
    assert.ok(!JSON.stringify(roundTrip).includes('"A_Expr"'), 'no parse trees');
    assert.equal(roundTrip.summary.tables, 1);
  });

  it('fails with one line and exit code 2 when the database is unreachable', async () => {
    const { code, stdout, stderr } = await runInspect(['--db', 'postgresql://postgres:hunter2@127.0.0.1:1/postgres']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'pgreview: Cannot connect to postgres@127.0.0.1:1/postgres: the server refused the connection (is PostgreSQL running on that port?).\n');
  });
});
