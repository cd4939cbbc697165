/**
 * auth_rls_initplan on PostgreSQL 15: a call of auth.uid() in a policy's sub-select really runs
 * more than once per query, and the finding's fix, applied to the server, makes it run once. The
 * database's auth.uid() raises a notice on each call, so the test counts calls instead of timing.
 */
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { loadParser } from '../../src/core/sql/parser';
import { analyzeSql } from '../support/ruleTester';
import { getTestServer } from '../support/postgresServer';

const MEMBER = '00000000-0000-0000-0000-000000000001';

const schema = `create table public.documents (id uuid primary key default gen_random_uuid(), org_id uuid not null, title text not null);
create table public.members (org_id uuid not null, user_id uuid not null, role text not null);
create table public.vendors (id uuid primary key default gen_random_uuid(), owner_id uuid not null);
create table public.bookings (id uuid primary key default gen_random_uuid(), vendor_id uuid not null);
alter table public.documents enable row level security;
alter table public.bookings enable row level security;
`;

const cases = [
  {
    name: 'a correlated EXISTS over the members of the document’s organisation',
    policy: `create policy "Members read documents" on public.documents for select to authenticated
  using (exists (select 1 from public.members m where m.org_id = documents.org_id and m.user_id = auth.uid()));`,
    query: 'select count(*)::int as visible from public.documents',
  },
  {
    name: 'an IN over the vendors the user owns',
    policy: `create policy "Vendors read their bookings" on public.bookings for select to authenticated
  using (vendor_id in (select id from public.vendors where owner_id = auth.uid()));`,
    query: 'select count(*)::int as visible from public.bookings',
  },
];

/** Five organisations with four members each (one of them the user), two documents each; four vendors with three bookings each. */
const data = `insert into public.members (org_id, user_id, role)
  select org, case when n = 1 then '${MEMBER}'::uuid else gen_random_uuid() end, 'member'
  from (select gen_random_uuid() as org from generate_series(1, 5)) orgs, generate_series(1, 4) n;
insert into public.documents (org_id, title) select org_id, 'Minutes ' || n from (select distinct org_id from public.members) orgs, generate_series(1, 2) n;
insert into public.vendors (owner_id) select case when n <= 2 then '${MEMBER}'::uuid else gen_random_uuid() end from generate_series(1, 4) n;
insert into public.bookings (vendor_id) select id from public.vendors, generate_series(1, 3);
grant select on public.documents, public.members, public.vendors, public.bookings to authenticated;
create or replace function auth.uid() returns uuid language plpgsql stable set search_path = '' as $fn$
begin
  raise notice 'auth.uid() called';
  return nullif(current_setting('request.jwt.claim.sub', true), '')::uuid;
end
$fn$;
`;

describe('auth_rls_initplan on PostgreSQL', function () {
  this.timeout(120_000);
  let url: string;

  before(async () => {
    await loadParser();
    const server = await getTestServer();
    url = await server.createDatabase('pgreview_auth_rls_initplan');
    await server.runSql(url, schema + data);
  });

  for (const testCase of cases) {
    it(`${testCase.name}: reported, and the fix makes the call run once per query`, async () => {
      const server = await getTestServer();
      const [finding, ...others] = analyzeSql(schema + testCase.policy).findings.filter((f) => f.rule === 'auth_rls_initplan');
      assert.deepEqual(others, []);
      assert.match(finding.message, /inside a sub-select, where it runs once per row the sub-select reads/);
      const fixSql = finding.fix?.sql;
      assert.ok(fixSql, 'the finding has a fix');
      assert.deepEqual(analyzeSql(schema + testCase.policy + '\n' + fixSql).findings.filter((f) => f.rule === 'auth_rls_initplan'), []);

      await server.runSql(url, testCase.policy);
      const before = await countCalls(url, testCase.query);
      await server.runSql(url, fixSql);
      const after = await countCalls(url, testCase.query);
      assert.ok(before.calls > 1, `auth.uid() ran ${before.calls} times before the fix`);
      assert.deepEqual(after, { calls: 1, visible: before.visible });
      assert.ok(before.visible > 0);
    });
  }
});

/** Runs the query as an authenticated user and counts the notices auth.uid() raised. */
async function countCalls(url: string, query: string): Promise<{ calls: number; visible: number }> {
  const client = new Client({ connectionString: url });
  let calls = 0;
  client.on('notice', (notice) => {
    if (notice.message === 'auth.uid() called') calls++;
  });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('request.jwt.claim.sub', '${MEMBER}', true)`);
    await client.query('set local role authenticated');
    const result = await client.query<{ visible: number }>(query);
    await client.query('rollback');
    return { calls, visible: result.rows[0].visible };
  } finally {
    await client.end();
  }
}
