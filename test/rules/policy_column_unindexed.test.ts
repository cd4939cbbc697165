import assert from 'node:assert/strict';
import rule from '../../src/core/rules/policy_column_unindexed';
import { loadParser } from '../../src/core/sql/parser';
import { findingRanges } from '../support/findingRanges';
import { runRuleTests } from '../support/ruleTester';

const bookings = `create table public.bookings (id uuid primary key, user_id uuid not null, status text not null);
alter table public.bookings enable row level security;
`;

runRuleTests(rule, {
  valid: [
    bookings + `create index bookings_user_id_idx on public.bookings (user_id);
create policy "Owners read bookings" on public.bookings for select to authenticated using (user_id = (select auth.uid()));`,
    // A multi-column index that leads with the column serves the policy.
    bookings + `create index bookings_user_status_idx on public.bookings (user_id, status);
create policy "Owners read bookings" on public.bookings for select to authenticated using ((select auth.uid()) = user_id);`,
    // The primary key is an index.
    `create table public.profiles (id uuid primary key, display_name text);
alter table public.profiles enable row level security;
create policy "Users read their profile" on public.profiles for select to authenticated using (id = (select auth.uid()));`,
    // Comparisons with constants do not ask for an index.
    bookings + `create policy "Confirmed bookings are public" on public.bookings for select using (status = 'confirmed');`,
    bookings + `create policy "Open bookings are public" on public.bookings for select using (status in ('pending', 'confirmed'));`,
    // WITH CHECK is checked on the new row; it never searches the table.
    bookings + `create policy "Owners add bookings" on public.bookings for insert to authenticated with check (user_id = (select auth.uid()));`,
    // The subquery's columns belong to group_members; posts.group_id inside it is not a comparison
    // an index on posts can serve.
    `create table public.group_members (group_id uuid, user_id uuid, primary key (group_id, user_id));
create table public.posts (id uuid primary key, group_id uuid not null);
alter table public.posts enable row level security;
create policy "Members read posts" on public.posts for select to authenticated
  using (exists (select 1 from public.group_members gm where gm.group_id = posts.group_id and gm.user_id = (select auth.uid())));`,
    // Platform tables are not ours to index.
    `create policy "Users read their files" on storage.objects for select to authenticated using (owner_id = (select auth.uid())::text);`,
    // Without RLS the policy is not applied.
    `create table public.bookings (id uuid primary key, user_id uuid not null);
create policy "Owners read bookings" on public.bookings for select using (user_id = (select auth.uid()));`,
  ],
  invalid: [
    {
      sql: bookings + `
create policy "Owners read bookings" on public.bookings
  for select to authenticated
  using (user_id = (select auth.uid()));`,
      // On the column in the USING clause, not on the CREATE POLICY.
      findings: [{ object: 'public.bookings.user_id', line: 6, message: /"Owners read bookings" on public\.bookings filters on user_id/ }],
      fix: 'create index concurrently if not exists bookings_user_id_idx on public.bookings using btree (user_id);',
    },
    {
      // The column of the policy's table in `in (select ...)`; the subquery's columns belong to
      // group_members, whose index is its own concern.
      sql: `create table public.groups (id uuid primary key);
create table public.group_members (group_id uuid, user_id uuid, primary key (group_id, user_id));
create table public.posts (id uuid primary key, group_id uuid not null, body text);
alter table public.posts enable row level security;
create policy "Members read group posts" on public.posts for select to authenticated
  using (group_id in (select gm.group_id from public.group_members gm where gm.user_id = (select auth.uid())));`,
      findings: [{ object: 'public.posts.group_id', line: 6 }],
      fix: /posts_group_id_idx on public\.posts using btree \(group_id\)/,
    },
    {
      // One finding per column, on the first policy that needs it; through AND and OR, and with the
      // table name as qualifier.
      sql: `create table public.messages (id bigint primary key, sender_id uuid not null, recipient_id uuid not null, body text);
alter table public.messages enable row level security;
create policy "Participants read messages" on public.messages for select to authenticated
  using (public.messages.sender_id = auth.uid() or messages.recipient_id = auth.uid());
create policy "Senders delete messages" on public.messages for delete to authenticated
  using (sender_id = (select auth.uid()) and body is not null);`,
      findings: [
        { object: 'public.messages.sender_id', line: 4 },
        { object: 'public.messages.recipient_id', line: 4 },
      ],
    },
  ],
});

const rangesOf = (sql: string) => findingRanges(rule.id, sql);

describe('policy_column_unindexed ranges', () => {
  before(() => loadParser());

  it('places the finding on the column in a multi-line USING clause, after non-ASCII text', () => {
    // Arabic and an emoji (a surrogate pair) before and inside the statement: libpg_query counts
    // UTF-8 bytes, columns count UTF-16 code units.
    const sql = `-- الحجوزات 🧳
create table public.bookings (id uuid primary key, user_id uuid not null, status text not null);
alter table public.bookings enable row level security;
create policy "Owners read bookings 🧳" on public.bookings
  for select to authenticated
  using (
    status <> 'ملغى 🚫' -- cancelled ones stay hidden
    and public.bookings."user_id" = (select auth.uid())
  );`;
    assert.deepEqual(rangesOf(sql), { 'public.bookings.user_id': '8:9-8:34 public.bookings."user_id"' });
  });

  it('places each column on its first comparison, and the other policies that compare it on theirs', () => {
    const sql = `create table public.messages (id bigint primary key, sender_id uuid not null, recipient_id uuid not null, body text);
alter table public.messages enable row level security;
create policy "Participants read messages" on public.messages for select to authenticated
  using ((select auth.uid()) = recipient_id or sender_id = (select auth.uid()) or recipient_id in (select auth.uid()));
create policy "Senders delete messages" on public.messages for delete to authenticated
  using (body is not null and sender_id = (select auth.uid()));`;
    assert.deepEqual(rangesOf(sql), {
      'public.messages.recipient_id': '4:32-4:44 recipient_id',
      'public.messages.sender_id': ['4:48-4:57 sender_id', '6:31-6:40 sender_id'],
    });
  });

  it('tells the compared column from a column of the same name in a subquery', () => {
    const sql = `create table public.profiles (id uuid primary key, user_id uuid not null);
create table public.bookings (id uuid primary key, user_id uuid not null);
alter table public.bookings enable row level security;
create policy "Owners read bookings" on public.bookings for select to authenticated
  using (user_id in (select user_id from public.profiles p where p.id = (select auth.uid())));`;
    assert.deepEqual(rangesOf(sql), { 'public.bookings.user_id': '5:10-5:17 user_id' });
  });

  it('places a USING clause written by ALTER POLICY in the ALTER POLICY', () => {
    const sql = `create table public.bookings (id uuid primary key, user_id uuid not null, guest_id uuid);
alter table public.bookings enable row level security;
create policy "Owners read bookings" on public.bookings for select to authenticated using (true);
alter policy "Owners read bookings" on public.bookings
  using (guest_id = (select auth.uid()));`;
    assert.deepEqual(rangesOf(sql), { 'public.bookings.guest_id': '5:10-5:18 guest_id' });
  });

  it('places the column in a file that had to be parsed statement by statement', () => {
    // The broken first statement makes the parser take the file apart: tree locations are then
    // relative to the statement's own part of the file.
    const sql = `create tabel public.typo (id int);
create table public.bookings (id uuid primary key, user_id uuid not null);
alter table public.bookings enable row level security;
create policy "Owners read bookings" on public.bookings for select to authenticated using (user_id = (select auth.uid()));`;
    assert.deepEqual(rangesOf(sql), { 'public.bookings.user_id': '4:92-4:99 user_id' });
  });

  it('places the column of a policy created in a DO block, after non-ASCII text', () => {
    // The block's statements are parsed on their own: their locations count from the block's body.
    const sql = `create table public.bookings (id uuid primary key, user_id uuid not null);
alter table public.bookings enable row level security;
do $$ begin
  -- réservations 🧳
  create policy "Owners read bookings" on public.bookings for select to authenticated using (user_id = (select auth.uid()));
end $$;`;
    assert.deepEqual(rangesOf(sql), { 'public.bookings.user_id': '5:94-5:101 user_id' });
  });

  it('is still silenced by a pgreview-ignore comment on the line before the statement', () => {
    const sql = `create table public.bookings (id uuid primary key, user_id uuid not null, guest_id uuid);
alter table public.bookings enable row level security;
-- pgreview-ignore policy_column_unindexed
create policy "Owners read bookings" on public.bookings
  for select to authenticated
  using (user_id = (select auth.uid()));
create policy "Guests read bookings" on public.bookings
  for select to authenticated
  using (guest_id = (select auth.uid()));`;
    assert.deepEqual(rangesOf(sql), { 'public.bookings.guest_id': '9:10-9:18 guest_id' });
  });
});
