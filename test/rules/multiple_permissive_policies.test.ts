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
      findings: [
        { object: 'public.group_members.Members manage themselves', line: 4, message: /for authenticated on SELECT: / },
        { object: 'public.group_members.Admins update members', line: 6, message: /for authenticated on UPDATE: "Members manage themselves", "Admins update members"/ },
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
