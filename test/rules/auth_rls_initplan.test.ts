import assert from 'node:assert/strict';
import rule from '../../src/core/rules/auth_rls_initplan';
import { loadParser } from '../../src/core/sql/parser';
import { analyzeSql, runRuleTests } from '../support/ruleTester';

const bookings = `create table public.bookings (id uuid primary key, user_id uuid not null, vendor_id uuid);
alter table public.bookings enable row level security;
`;

runRuleTests(rule, {
  valid: [
    bookings + `create policy "Owners read bookings" on public.bookings for select to authenticated using ((select auth.uid()) = user_id);`,
    bookings + `create policy "Owners change bookings" on public.bookings for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));`,
    // Wrapped inside the sub-select: the scalar (select auth.uid()) is an init plan, run once.
    bookings + `create table public.vendors (id uuid primary key, owner_id uuid not null);
create policy "Vendors read their bookings" on public.bookings for select to authenticated
  using (vendor_id in (select id from public.vendors where owner_id = (select auth.uid())));`,
    `create table public.documents (id uuid primary key, org_id uuid not null);
create table public.members (org_id uuid not null, user_id uuid not null, role text not null);
alter table public.documents enable row level security;
create policy "Members read documents" on public.documents for select to authenticated
  using (exists (select 1 from public.members m where m.org_id = documents.org_id and m.user_id = (select auth.uid())));`,
    // A scalar sub-select that reads no table runs once, whatever it computes from the call.
    bookings + `create policy "MFA owners change bookings" on public.bookings for update to authenticated
  using ((select auth.jwt() ->> 'aal') = 'aal2' and user_id = (select auth.uid()))
  with check ((select auth.jwt() ->> 'aal') = 'aal2');`,
    `create table public.chat_rooms (id uuid primary key, member_ids uuid[] not null);
alter table public.chat_rooms enable row level security;
create policy "Members read rooms" on public.chat_rooms for select to authenticated
  using (member_ids && array[(select auth.uid())] or (select array[auth.jwt() ->> 'role']) <@ array['admin']);`,
    bookings + `create policy "Admins read bookings" on public.bookings for select to authenticated
  using ((select auth.jwt() ->> 'role') = 'admin');`,
    // RLS is off: the policy does not run at all (policy_exists_rls_disabled reports the table).
    `create table public.bookings (id uuid primary key, user_id uuid not null);
create policy "Owners read bookings" on public.bookings for select using (auth.uid() = user_id);`,
    // Judged on the tree: a string that merely contains the text is not a call.
    bookings + `create policy "Labelled" on public.bookings for select using (user_id is not null and 'auth.uid()' <> '');`,
  ],
  invalid: [
    {
      sql: bookings + `create policy "Owners read bookings" on public.bookings
  for select to authenticated
  using (auth.uid() = user_id);`,
      findings: [{ object: 'public.bookings.Owners read bookings', line: 3, message: /calls auth\.uid\(\) for every row/ }],
      fix: `alter policy "Owners read bookings" on public.bookings
  using ((select auth.uid()) = user_id);`,
    },
    {
      sql: bookings + `create policy "Owners change bookings" on public.bookings for update to authenticated
  using (auth.uid() = user_id)
  with check (auth.uid() = user_id and current_setting('request.jwt.claims', true)::jsonb ->> 'aal' = 'aal2');`,
      findings: [{ object: 'public.bookings.Owners change bookings', line: 3, message: /auth\.uid\(\), current_setting\(\)/ }],
      fix: `alter policy "Owners change bookings" on public.bookings
  using ((select auth.uid()) = user_id)
  with check ((select auth.uid()) = user_id and (select current_setting('request.jwt.claims', true))::jsonb ->> 'aal' = 'aal2');`,
    },
    {
      // The tested side of IN runs per row even though the right side is a sub-query.
      sql: `create table public.group_members (group_id uuid not null, user_id uuid not null);
create table public.posts (id uuid primary key, group_id uuid not null);
alter table public.posts enable row level security;
create policy "Members read posts" on public.posts for select to authenticated
  using (auth.uid() in (select user_id from public.group_members where group_members.group_id = posts.group_id));`,
      findings: [{ object: 'public.posts.Members read posts', line: 4 }],
      fix: /using \(\(select auth\.uid\(\)\) in \(select user_id from public\.group_members/,
    },
    {
      sql: `create table public.wallets (id uuid primary key, user_id uuid not null);
alter table public.wallets enable row level security;
create policy "Wallet owners" on public.wallets for all to authenticated
  using (user_id = auth.uid() or auth.role() = 'service_role');`,
      findings: [{ object: 'public.wallets.Wallet owners', line: 3, message: /auth\.uid\(\), auth\.role\(\)/ }],
      fix: /using \(user_id = \(select auth\.uid\(\)\) or \(select auth\.role\(\)\) = 'service_role'\)/,
    },
    {
      // Splinter 0003 reports this too: the call runs once for every member row the sub-select reads.
      sql: `create table public.documents (id uuid primary key, org_id uuid not null);
create table public.members (org_id uuid not null, user_id uuid not null, role text not null);
alter table public.documents enable row level security;
create policy "Members read documents" on public.documents for select to authenticated
  using (exists (select 1 from public.members m where m.org_id = documents.org_id and m.user_id = auth.uid()));`,
      findings: [{ object: 'public.documents.Members read documents', line: 4, message: /calls auth\.uid\(\) inside a sub-select, where it runs once per row the sub-select reads: wrap/ }],
      fix: `alter policy "Members read documents" on public.documents
  using (exists (select 1 from public.members m where m.org_id = documents.org_id and m.user_id = (select auth.uid())));`,
    },
    {
      sql: bookings + `create table public.vendors (id uuid primary key, owner_id uuid not null);
create policy "Vendors read their bookings" on public.bookings for select to authenticated
  using (vendor_id in (select id from public.vendors where owner_id = auth.uid()));`,
      findings: [{ object: 'public.bookings.Vendors read their bookings', line: 4, message: /auth\.uid\(\) inside a sub-select/ }],
      fix: /using \(vendor_id in \(select id from public\.vendors where owner_id = \(select auth\.uid\(\)\)\)\)/,
    },
    {
      // Both kinds in one policy: the message tells them apart, and the fix wraps all three calls.
      sql: `create table public.group_members (group_id uuid not null, user_id uuid not null);
create table public.community_posts (id uuid primary key, group_id uuid not null, author_id uuid not null);
alter table public.community_posts enable row level security;
create policy "Authors and members read posts" on public.community_posts for select to authenticated
  using (author_id = auth.uid() or auth.role() = 'service_role'
    or group_id in (select gm.group_id from public.group_members gm where gm.user_id = auth.uid()));`,
      findings: [
        {
          object: 'public.community_posts.Authors and members read posts',
          line: 4,
          message: /calls auth\.uid\(\), auth\.role\(\) for every row, and auth\.uid\(\) inside a sub-select, where it runs once per row the sub-select reads: /,
        },
      ],
      fix: `alter policy "Authors and members read posts" on public.community_posts
  using (author_id = (select auth.uid()) or (select auth.role()) = 'service_role'
    or group_id in (select gm.group_id from public.group_members gm where gm.user_id = (select auth.uid())));`,
    },
    {
      // A function the sub-select reads from runs on each run of the sub-select, not per row it reads.
      sql: `create table public.groups (id uuid primary key, name text not null);
alter table public.groups enable row level security;
create policy "Members read their groups" on public.groups for select to authenticated
  using (exists (select 1 from jsonb_array_elements_text(auth.jwt() -> 'app_metadata' -> 'groups') as g(id) where g.id = groups.id::text));`,
      findings: [{ object: 'public.groups.Members read their groups', line: 3, message: /auth\.jwt\(\) in the FROM of a sub-select, where it runs each time the sub-select runs/ }],
      fix: /jsonb_array_elements_text\(\(select auth\.jwt\(\)\) -> 'app_metadata' -> 'groups'\)/,
    },
    {
      // The CREATE POLICY was fine; the ALTER POLICY that rewrote USING is where the problem is.
      sql: bookings + `create policy "Owners read bookings" on public.bookings for select using ((select auth.uid()) = user_id);
alter policy "Owners read bookings" on public.bookings
  using (auth.uid() = user_id or vendor_id is null);`,
      findings: [{ object: 'public.bookings.Owners read bookings', line: 4 }],
      fix: `alter policy "Owners read bookings" on public.bookings
  using ((select auth.uid()) = user_id or vendor_id is null);`,
    },
  ],
});

describe('auth_rls_initplan in-place edit', () => {
  before(() => loadParser());

  it('wraps each call in the CREATE POLICY statement, with offsets into the file', () => {
    const sql = `-- Réservations : chaque client voit les siennes 🧳
create table public.bookings (id uuid primary key, user_id uuid not null, note text);
alter table public.bookings enable row level security;
create policy "Propriétaire lit" on public.bookings for update
  using (auth.uid() = user_id) with check (note is distinct from '🧳 perdu' and user_id = auth.uid());
`;
    const [finding] = analyzeSql(sql).findings.filter((f) => f.rule === rule.id);
    const edit = finding?.fix?.edit;
    assert.ok(edit, 'the finding carries an edit');
    const edited = sql.slice(0, edit.start) + edit.text + sql.slice(edit.end);
    assert.match(edited, /using \(\(select auth\.uid\(\)\) = user_id\) with check \(note is distinct from '🧳 perdu' and user_id = \(select auth\.uid\(\)\)\);/u);
    assert.deepEqual(analyzeSql(edited).findings.filter((f) => f.rule === rule.id), []);
  });
});
