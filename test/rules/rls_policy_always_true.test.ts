import rule from '../../src/core/rules/rls_policy_always_true';
import { runRuleTests } from '../support/ruleTester';

const posts = `create table public.posts (id uuid primary key, author_id uuid not null, body text not null);
alter table public.posts enable row level security;
`;

runRuleTests(rule, {
  valid: [
    // Public read access is a deliberate choice.
    posts + `create policy "Posts are public" on public.posts for select using (true);`,
    posts + `create policy "Authors edit posts" on public.posts for update to authenticated
  using (author_id = (select auth.uid())) with check (author_id = (select auth.uid()));`,
    // Only the server role: not an API role.
    posts + `create policy "Service manages posts" on public.posts for all to service_role using (true) with check (true);`,
    // Restrictive: ANDed with the permissive policies, so true narrows nothing and widens nothing.
    posts + `create policy "Nothing extra" on public.posts as restrictive for delete to authenticated using (true);`,
    // An INSERT policy without WITH CHECK admits no row (PostgreSQL has nothing to check against).
    posts + `create policy "Authors post" on public.posts for insert to authenticated;`,
  ],
  invalid: [
    {
      sql: posts + `create policy "Anyone deletes posts" on public.posts for delete using (true);`,
      findings: [{ object: 'public.posts.Anyone deletes posts', line: 3, message: /lets public delete every row: its USING is always true/ }],
      fix: null,
    },
    {
      sql: posts + `create policy "Members post" on public.posts for insert to authenticated
  with check (true);`,
      findings: [{ object: 'public.posts.Members post', line: 3, message: /write rows with any values: its WITH CHECK is always true/ }],
    },
    {
      // With no WITH CHECK, UPDATE checks new rows with USING, which is true too.
      sql: posts + `create policy "Members edit posts" on public.posts for update to authenticated using ('true'::boolean);`,
      findings: [{ object: 'public.posts.Members edit posts', line: 3, message: /update every row and write any values/ }],
    },
    {
      sql: `create table public.chat_messages (id bigint primary key, sender_id uuid not null, body text not null);
alter table public.chat_messages enable row level security;
create policy "Anyone does anything" on public.chat_messages for all to anon, authenticated using (1 = 1);`,
      findings: [{ object: 'public.chat_messages.Anyone does anything', line: 3, message: /update and delete every row/ }],
    },
    {
      // Placed on the ALTER POLICY that made it always true, not on the CREATE or the later rename.
      sql: posts + `create policy "Authors delete posts" on public.posts for delete to authenticated using (author_id = (select auth.uid()));
alter policy "Authors delete posts" on public.posts using (true);
alter policy "Authors delete posts" on public.posts rename to "Anyone deletes posts";`,
      findings: [{ object: 'public.posts.Anyone deletes posts', line: 4 }],
    },
    {
      // The owner check holds for existing rows, but a row can be rewritten with any values.
      sql: posts + `create policy "Authors edit posts" on public.posts for update to authenticated
  using (author_id = (select auth.uid())) with check (true);`,
      findings: [{ object: 'public.posts.Authors edit posts', line: 3 }],
    },
  ],
});
