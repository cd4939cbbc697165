/**
 * policy_infinite_recursion against PostgreSQL itself. Each case builds its schema and rows on the
 * throwaway PostgreSQL server, runs its queries as the role the API would use (with the JWT claims
 * PostgREST sets), and asserts two things: what the server answered (42P17 "infinite recursion
 * detected in policy for relation", 54001 "stack depth limit exceeded", or rows), and that the rule
 * reports a finding exactly when one of the queries fails. The server, not our reading of
 * rewriteHandler.c, is the judge.
 */
import assert from 'node:assert/strict';
import { Client } from 'pg';
import rule from '../../src/core/rules/policy_infinite_recursion';
import { loadParser } from '../../src/core/sql/parser';
import { getTestServer } from '../support/postgresServer';
import { analyzeSql } from '../support/ruleTester';

const ALICE = '11111111-1111-4111-8111-111111111111';
const GROUP = '33333333-3333-4333-8333-333333333333';

/** How a query ended on the server. */
type Outcome = 'rows' | '42P17' | '54001';

interface Probe {
  role: 'anon' | 'authenticated' | 'service_role';
  query: string;
  outcome: Outcome;
}

interface GroundTruthCase {
  title: string;
  /** The migration: tables, RLS, functions, policies. Rows are inserted by `rows`, as the owner. */
  sql: string;
  rows: string;
  probes: Probe[];
  /** The objects the rule reports, `public.group_members.Members see their groups`. */
  findings: string[];
}

const groups = `create table public.groups (id uuid primary key, name text not null, owner_id uuid not null);
alter table public.groups enable row level security;
`;
const groupMembers = `create table public.group_members (
  group_id uuid not null references public.groups (id),
  user_id uuid not null,
  role text not null default 'member',
  primary key (group_id, user_id)
);
alter table public.group_members enable row level security;
`;
const groupRows = `insert into public.groups values ('${GROUP}', 'Hikers', '${ALICE}');
insert into public.group_members values ('${GROUP}', '${ALICE}', 'admin');
`;
const selectMembers = 'select count(*) from public.group_members';
const selectGroups = 'select count(*) from public.groups';

const cases: GroundTruthCase[] = [
  {
    title: 'the classic: a group_members SELECT policy that selects from group_members',
    sql: groups + groupMembers + `create policy "Members see their groups' members" on public.group_members for select to authenticated
  using (group_id in (select gm.group_id from public.group_members gm where gm.user_id = (select auth.uid())));`,
    rows: groupRows,
    probes: [{ role: 'authenticated', query: selectMembers, outcome: '42P17' }],
    findings: ["public.group_members.Members see their groups' members"],
  },
  {
    title: 'a group_members SELECT policy on its own row, with (select auth.uid())',
    sql: groups + groupMembers + `create policy "Members see themselves" on public.group_members for select to authenticated
  using (user_id = (select auth.uid()));`,
    rows: groupRows,
    probes: [{ role: 'authenticated', query: selectMembers, outcome: 'rows' }],
    findings: [],
  },
  {
    title: 'an UPDATE policy that selects from its own table, whose SELECT policy holds only (select auth.uid())',
    // The SELECT policy reads no table, but its scalar sub-select is a sub-select all the same:
    // the inner read of group_members meets the relation already on the rewriter's stack.
    sql: groups + groupMembers + `create policy "Members see themselves" on public.group_members for select to authenticated
  using (user_id = (select auth.uid()));
create policy "Admins update members" on public.group_members for update to authenticated
  using (exists (select 1 from public.group_members admin where admin.group_id = group_members.group_id and admin.user_id = auth.uid() and admin.role = 'admin'));`,
    rows: groupRows,
    probes: [
      { role: 'authenticated', query: selectMembers, outcome: 'rows' },
      { role: 'authenticated', query: `update public.group_members set role = 'member'`, outcome: '42P17' },
    ],
    findings: ['public.group_members.Admins update members'],
  },
  {
    title: 'the same UPDATE policy, with a SELECT policy that calls auth.uid() without a sub-select',
    sql: groups + groupMembers + `create policy "Members see themselves" on public.group_members for select to authenticated
  using (user_id = auth.uid());
create policy "Admins update members" on public.group_members for update to authenticated
  using (exists (select 1 from public.group_members admin where admin.group_id = group_members.group_id and admin.user_id = auth.uid() and admin.role = 'admin'));`,
    rows: groupRows,
    probes: [
      { role: 'authenticated', query: selectMembers, outcome: 'rows' },
      { role: 'authenticated', query: `update public.group_members set role = 'member'`, outcome: 'rows' },
    ],
    findings: [],
  },
  {
    title: 'an INSERT check that selects from its own table, whose SELECT policy is true',
    sql: groups + groupMembers + `create policy "Anyone signed in sees members" on public.group_members for select to authenticated using (true);
create policy "Admins add members" on public.group_members for insert to authenticated
  with check (exists (select 1 from public.group_members admin where admin.group_id = group_members.group_id and admin.user_id = auth.uid() and admin.role = 'admin'));`,
    rows: groupRows,
    probes: [{ role: 'authenticated', query: `insert into public.group_members (group_id, user_id) values ('${GROUP}', gen_random_uuid())`, outcome: 'rows' }],
    findings: [],
  },
  {
    title: 'the same INSERT check, when the SELECT policy holds (select auth.uid())',
    sql: groups + groupMembers + `create policy "Members see themselves" on public.group_members for select to authenticated using (user_id = (select auth.uid()));
create policy "Admins add members" on public.group_members for insert to authenticated
  with check (exists (select 1 from public.group_members admin where admin.group_id = group_members.group_id and admin.user_id = auth.uid() and admin.role = 'admin'));`,
    rows: groupRows,
    probes: [
      { role: 'authenticated', query: selectMembers, outcome: 'rows' },
      { role: 'authenticated', query: `insert into public.group_members (group_id, user_id) values ('${GROUP}', gen_random_uuid())`, outcome: '42P17' },
    ],
    findings: ['public.group_members.Admins add members'],
  },
  {
    title: 'a policy that reads its table through a security_invoker view',
    sql: groups + groupMembers + `create view public.my_memberships with (security_invoker = true) as
  select group_id from public.group_members where user_id = (select auth.uid());
create policy "Members see their groups' members" on public.group_members for select to authenticated
  using (group_id in (select group_id from public.my_memberships));`,
    rows: groupRows,
    probes: [{ role: 'authenticated', query: selectMembers, outcome: '42P17' }],
    findings: ["public.group_members.Members see their groups' members"],
  },
  {
    title: 'the same view without security_invoker reads as its owner, who bypasses RLS',
    sql: groups + groupMembers + `create view public.my_memberships as
  select group_id from public.group_members where user_id = (select auth.uid());
create policy "Members see their groups' members" on public.group_members for select to authenticated
  using (group_id in (select group_id from public.my_memberships));`,
    rows: groupRows,
    probes: [{ role: 'authenticated', query: selectMembers, outcome: 'rows' }],
    findings: [],
  },
  {
    title: 'a policy for PUBLIC applies to anon and authenticated alike',
    sql: groups + groupMembers + `create policy "Members see their groups' members" on public.group_members for select
  using (group_id in (select gm.group_id from public.group_members gm where gm.user_id = (select auth.uid())));`,
    rows: groupRows,
    probes: [
      { role: 'anon', query: selectMembers, outcome: '42P17' },
      { role: 'authenticated', query: selectMembers, outcome: '42P17' },
    ],
    findings: ["public.group_members.Members see their groups' members"],
  },
  {
    title: 'groups readable by members and group_members readable by group owners: a cycle across two tables',
    sql: groups + groupMembers + `create policy "Members see their groups" on public.groups for select to authenticated
  using (exists (select 1 from public.group_members gm where gm.group_id = groups.id and gm.user_id = (select auth.uid())));
create policy "Owners see their groups' members" on public.group_members for select to authenticated
  using (exists (select 1 from public.groups g where g.id = group_members.group_id and g.owner_id = (select auth.uid())));`,
    rows: groupRows,
    probes: [
      { role: 'authenticated', query: selectGroups, outcome: '42P17' },
      { role: 'authenticated', query: selectMembers, outcome: '42P17' },
    ],
    findings: ["public.group_members.Owners see their groups' members"],
  },
  {
    title: 'groups readable by members, group_members readable by the member: no cycle',
    sql: groups + groupMembers + `create policy "Members see their groups" on public.groups for select to authenticated
  using (exists (select 1 from public.group_members gm where gm.group_id = groups.id and gm.user_id = (select auth.uid())));
create policy "Members see themselves" on public.group_members for select to authenticated
  using (user_id = (select auth.uid()));`,
    rows: groupRows,
    probes: [
      { role: 'authenticated', query: selectGroups, outcome: 'rows' },
      { role: 'authenticated', query: selectMembers, outcome: 'rows' },
    ],
    findings: [],
  },
  {
    title: 'a SECURITY INVOKER SQL helper that reads group_members, called from group_members\' SELECT policy',
    sql: groups + groupMembers + `create function public.is_group_member(target_group uuid) returns boolean language sql stable
  as $$ select exists (select 1 from public.group_members where group_id = target_group and user_id = (select auth.uid())) $$;
create policy "Members see their groups' members" on public.group_members for select to authenticated
  using (public.is_group_member(group_id));`,
    rows: groupRows,
    probes: [{ role: 'authenticated', query: selectMembers, outcome: '54001' }],
    findings: ["public.group_members.Members see their groups' members"],
  },
  {
    title: 'a PL/pgSQL SECURITY INVOKER helper recurses the same way',
    sql: groups + groupMembers + `create function public.is_group_member(target_group uuid) returns boolean language plpgsql stable
  as $$ begin return exists (select 1 from public.group_members where group_id = target_group and user_id = (select auth.uid())); end $$;
create policy "Members see their groups' members" on public.group_members for select to authenticated
  using (public.is_group_member(group_id));`,
    rows: groupRows,
    probes: [{ role: 'authenticated', query: selectMembers, outcome: '54001' }],
    findings: ["public.group_members.Members see their groups' members"],
  },
  {
    title: 'PL/pgSQL helpers that read through SELECT ... INTO and an assignment, across two tables',
    sql: groups + groupMembers + `create function public.member_count(target_group uuid) returns integer language plpgsql stable as $$
declare
  total integer;
begin
  select count(*) into total from public.group_members where group_id = target_group;
  return total;
end $$;
create function public.has_members(target_group uuid) returns boolean language plpgsql stable as $$
declare
  found_any boolean;
begin
  found_any := (select public.member_count(target_group) > 0);
  return found_any;
end $$;
create policy "Groups with members are listed" on public.groups for select to authenticated using (public.has_members(id));
create policy "Members of listed groups" on public.group_members for select to authenticated
  using (exists (select 1 from public.groups g where g.id = group_members.group_id));`,
    rows: groupRows,
    probes: [
      { role: 'authenticated', query: selectGroups, outcome: '54001' },
      { role: 'authenticated', query: selectMembers, outcome: '54001' },
    ],
    findings: ['public.groups.Groups with members are listed'],
  },
  {
    title: 'the same helper as SECURITY DEFINER, owned by the table\'s owner: the standard fix',
    sql: groups + groupMembers + `create function public.is_group_member(target_group uuid) returns boolean language sql stable security definer set search_path = ''
  as $$ select exists (select 1 from public.group_members where group_id = target_group and user_id = (select auth.uid())) $$;
create policy "Members see their groups' members" on public.group_members for select to authenticated
  using (public.is_group_member(group_id));`,
    rows: groupRows,
    probes: [{ role: 'authenticated', query: selectMembers, outcome: 'rows' }],
    findings: [],
  },
  {
    title: 'a SECURITY DEFINER helper owned by a role that does not own the table reads under that role\'s policies',
    sql: groups + groupMembers + `create role member_reader;
grant usage on schema public, auth to member_reader;
grant execute on function auth.uid() to member_reader;
grant select on public.group_members to member_reader;
create function public.is_group_member(target_group uuid) returns boolean language sql stable security definer set search_path = ''
  as $$ select exists (select 1 from public.group_members where group_id = target_group and user_id = (select auth.uid())) $$;
alter function public.is_group_member(uuid) owner to member_reader;
create policy "Readers see members" on public.group_members for select to member_reader using (public.is_group_member(group_id));
create policy "Members see fellow members" on public.group_members for select to authenticated using (public.is_group_member(group_id));`,
    rows: groupRows,
    probes: [{ role: 'authenticated', query: selectMembers, outcome: '54001' }],
    findings: ['public.group_members.Readers see members'],
  },
  {
    title: 'community posts visible to group members through the invoker helper: no cycle when group_members reads itself no more',
    sql: groups + groupMembers + `create table public.community_posts (id uuid primary key default gen_random_uuid(), group_id uuid not null references public.groups (id), author_id uuid not null, body text not null);
alter table public.community_posts enable row level security;
create function public.is_group_member(target_group uuid) returns boolean language sql stable
  as $$ select exists (select 1 from public.group_members where group_id = target_group and user_id = (select auth.uid())) $$;
create policy "Members see themselves" on public.group_members for select to authenticated using (user_id = (select auth.uid()));
create policy "Members read group posts" on public.community_posts for select to authenticated using (public.is_group_member(group_id));`,
    rows: groupRows + `insert into public.community_posts (group_id, author_id, body) values ('${GROUP}', '${ALICE}', 'Trail report');`,
    probes: [{ role: 'authenticated', query: 'select count(*) from public.community_posts', outcome: 'rows' }],
    findings: [],
  },
  {
    title: 'community posts through the invoker helper, when group_members also uses the helper',
    sql: groups + groupMembers + `create table public.community_posts (id uuid primary key default gen_random_uuid(), group_id uuid not null references public.groups (id), author_id uuid not null, body text not null);
alter table public.community_posts enable row level security;
create function public.is_group_member(target_group uuid) returns boolean language sql stable
  as $$ select exists (select 1 from public.group_members where group_id = target_group and user_id = (select auth.uid())) $$;
create policy "Members see fellow members" on public.group_members for select to authenticated using (public.is_group_member(group_id));
create policy "Members read group posts" on public.community_posts for select to authenticated using (public.is_group_member(group_id));`,
    rows: groupRows + `insert into public.community_posts (group_id, author_id, body) values ('${GROUP}', '${ALICE}', 'Trail report');`,
    probes: [
      { role: 'authenticated', query: 'select count(*) from public.community_posts', outcome: '54001' },
      { role: 'authenticated', query: selectMembers, outcome: '54001' },
    ],
    findings: ['public.group_members.Members see fellow members'],
  },
  {
    title: 'a recursive helper that stops by itself, called from a policy, is no cycle',
    sql: `create table public.categories (id uuid primary key, parent_id uuid references public.categories (id), name text not null);
create table public.vendors (id uuid primary key, category_id uuid not null references public.categories (id), owner_id uuid not null);
alter table public.vendors enable row level security;
create function public.category_depth(category uuid) returns integer language sql stable
  as $$ select case when category is null then 0 else 1 + public.category_depth((select parent_id from public.categories where id = category)) end $$;
create policy "Anyone sees vendors in top categories" on public.vendors for select using (public.category_depth(category_id) <= 2);`,
    rows: `insert into public.categories values ('${GROUP}', null, 'Outdoors'), ('${ALICE}', '${GROUP}', 'Hiking');
insert into public.vendors values (gen_random_uuid(), '${ALICE}', '${ALICE}');`,
    probes: [
      { role: 'anon', query: 'select count(*) from public.vendors', outcome: 'rows' },
      { role: 'authenticated', query: 'select count(*) from public.vendors', outcome: 'rows' },
    ],
    findings: [],
  },
  {
    title: 'chat participants who see the other participants of their rooms',
    sql: `create table public.chat_rooms (id uuid primary key, title text not null);
create table public.chat_participants (room_id uuid not null references public.chat_rooms (id), user_id uuid not null, primary key (room_id, user_id));
alter table public.chat_participants enable row level security;
create policy "Participants see their rooms' participants" on public.chat_participants for select to authenticated
  using (exists (select 1 from public.chat_participants me where me.room_id = chat_participants.room_id and me.user_id = auth.uid()));`,
    rows: `insert into public.chat_rooms values ('${GROUP}', 'Hikers chat');
insert into public.chat_participants values ('${GROUP}', '${ALICE}');`,
    probes: [{ role: 'authenticated', query: 'select count(*) from public.chat_participants', outcome: '42P17' }],
    findings: ["public.chat_participants.Participants see their rooms' participants"],
  },
  {
    title: 'a recursive policy for anon only fails for anon',
    sql: groups + groupMembers + `create policy "Visitors see public groups' members" on public.group_members for select to anon
  using (group_id in (select gm.group_id from public.group_members gm where gm.role = 'public'));
create policy "Members see themselves" on public.group_members for select to authenticated using (user_id = (select auth.uid()));`,
    rows: groupRows,
    probes: [
      { role: 'authenticated', query: selectMembers, outcome: 'rows' },
      { role: 'anon', query: selectMembers, outcome: '42P17' },
    ],
    findings: ["public.group_members.Visitors see public groups' members"],
  },
  {
    title: 'a recursive policy for service_role never applies: service_role bypasses RLS',
    sql: groups + groupMembers + `create policy "Service reads members" on public.group_members for select to service_role
  using (group_id in (select gm.group_id from public.group_members gm));
create policy "Members see themselves" on public.group_members for select to authenticated using (user_id = (select auth.uid()));`,
    rows: groupRows,
    probes: [
      { role: 'service_role', query: selectMembers, outcome: 'rows' },
      { role: 'authenticated', query: selectMembers, outcome: 'rows' },
    ],
    findings: [],
  },
  {
    title: 'a recursive policy on a table without RLS is never applied',
    sql: groups + `create table public.group_members (group_id uuid not null, user_id uuid not null, role text not null default 'member');
create policy "Members see their groups' members" on public.group_members for select to authenticated
  using (group_id in (select gm.group_id from public.group_members gm where gm.user_id = (select auth.uid())));`,
    rows: groupRows,
    probes: [{ role: 'authenticated', query: selectMembers, outcome: 'rows' }],
    findings: [],
  },
];

describe('policy_infinite_recursion on a real PostgreSQL server', function () {
  this.timeout(300_000);
  let url: string;

  before(async () => {
    await loadParser();
    const server = await getTestServer();
    url = await server.createDatabase('policy_infinite_recursion');
  });

  for (const testCase of cases) {
    it(testCase.title, async () => {
      const outcomes = await runProbes(url, testCase);
      assert.deepEqual(outcomes, testCase.probes.map((probe) => probe.outcome), 'the server answered otherwise');
      const reported = analyzeSql(testCase.sql).findings.filter((finding) => finding.rule === rule.id).map((finding) => finding.object);
      assert.deepEqual(reported, testCase.findings);
      // The heart of it: the rule reports exactly when a query fails.
      assert.equal(reported.length > 0, outcomes.some((outcome) => outcome !== 'rows'));
    });
  }
});

/**
 * Builds the case in one transaction, runs each probe in a savepoint as its role with Alice's
 * claims, and rolls everything back, so that the cases share one database without meeting.
 */
async function runProbes(url: string, testCase: GroundTruthCase): Promise<Outcome[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(testCase.sql);
    await client.query(testCase.rows);
    const outcomes: Outcome[] = [];
    for (const probe of testCase.probes) {
      await client.query('savepoint probe');
      // A small stack makes a function that calls itself without end fail in milliseconds, not seconds.
      await client.query(`set local max_stack_depth = '256kB'`);
      await client.query(`set local role ${probe.role}`);
      await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: ALICE, role: probe.role })]);
      outcomes.push(await runProbe(client, probe.query));
      await client.query('rollback to savepoint probe');
    }
    return outcomes;
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.end();
  }
}

async function runProbe(client: Client, query: string): Promise<Outcome> {
  try {
    await client.query(query);
    return 'rows';
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P17' || code === '54001') return code;
    throw error;
  }
}
