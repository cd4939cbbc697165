import rule from '../../src/core/rules/multiple_permissive_policies';
import { runRuleTests } from '../support/ruleTester';

const posts = `create table public.posts (id uuid primary key, author_id uuid not null, published boolean not null default false);
alter table public.posts enable row level security;
`;

runRuleTests(rule, {
  valid: [
    posts + `create policy "Anyone reads published posts" on public.posts for select using (published);
create policy "Authors write posts" on public.posts for insert to authenticated with check (author_id = (select auth.uid()));`,
    // Different roles on the same command do not overlap.
    posts + `create policy "Visitors read published posts" on public.posts for select to anon using (published);
create policy "Members read posts" on public.posts for select to authenticated using (true);`,
    // A restrictive policy is ANDed, not ORed: it is not a second permissive policy.
    posts + `create policy "Members read posts" on public.posts for select to authenticated using (true);
create policy "Only published" on public.posts as restrictive for select to authenticated using (published);`,
  ],
  invalid: [
    {
      sql: posts + `create policy "Anyone reads published posts" on public.posts for select using (published);
create policy "Authors read their drafts" on public.posts for select to authenticated
  using (author_id = (select auth.uid()));`,
      findings: [{
        object: 'public.posts.Authors read their drafts',
        line: 4,
        message: /2 permissive policies for authenticated on SELECT: "Anyone reads published posts", "Authors read their drafts"/,
      }],
      fix: null,
    },
    {
      // FOR ALL covers SELECT, INSERT, UPDATE and DELETE; only the shared commands are named.
      sql: `create table public.group_members (group_id uuid not null, user_id uuid not null, role text not null);
alter table public.group_members enable row level security;
create policy "Members see members" on public.group_members for select to authenticated using (true);
create policy "Members manage themselves" on public.group_members for all to authenticated
  using (user_id = (select auth.uid()));
create policy "Admins update members" on public.group_members for update to authenticated
  using (role = 'admin');`,
      // One group of overlapping policies is one finding, on the policy that completes it.
      findings: [
        {
          object: 'public.group_members.Admins update members',
          line: 6,
          message: /has 3 permissive policies that overlap: "Members see members", "Members manage themselves" for authenticated on SELECT; "Members manage themselves", "Admins update members" for authenticated on UPDATE\. /,
        },
      ],
    },
    {
      // Three SELECT policies for one role: one finding that lists all three, not one per pair.
      sql: `create table public.vendors (id uuid primary key, owner_id uuid not null);
create table public.bookings (id uuid primary key, user_id uuid not null, vendor_id uuid not null references public.vendors);
alter table public.bookings enable row level security;
create policy "Guests read their bookings" on public.bookings for select to authenticated using (user_id = (select auth.uid()));
create policy "Vendors read their bookings" on public.bookings for select to authenticated
  using (vendor_id in (select id from public.vendors where owner_id = (select auth.uid())));
create policy "Admins read bookings" on public.bookings for select to authenticated using ((select auth.jwt() ->> 'role') = 'admin');`,
      findings: [
        {
          object: 'public.bookings.Admins read bookings',
          line: 7,
          message: /has 3 permissive policies for authenticated on SELECT: "Guests read their bookings", "Vendors read their bookings", "Admins read bookings"\. /,
        },
      ],
    },
    {
      // A policy for PUBLIC overlaps with one for anon and one for authenticated: still one finding.
      sql: posts + `create policy "Anyone reads published posts" on public.posts for select using (published);
create policy "Visitors read featured posts" on public.posts for select to anon using (published);
create policy "Authors read their drafts" on public.posts for select to authenticated using (author_id = (select auth.uid()));`,
      findings: [
        {
          object: 'public.posts.Authors read their drafts',
          line: 5,
          message: /3 permissive policies that overlap: "Anyone reads published posts", "Visitors read featured posts" for anon on SELECT; "Anyone reads published posts", "Authors read their drafts" for authenticated on SELECT\./,
        },
      ],
    },
    {
      // Plain PostgreSQL: no API roles, and PUBLIC still overlaps with PUBLIC.
      profile: 'postgres',
      sql: posts + `create policy "Readers" on public.posts for select using (published);
create policy "Everyone" on public.posts for all using (true);`,
      findings: [{ object: 'public.posts.Everyone', line: 4, message: /for public on SELECT/ }],
    },
  ],
});
