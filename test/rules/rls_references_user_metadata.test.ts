import rule from '../../src/core/rules/rls_references_user_metadata';
import { runRuleTests } from '../support/ruleTester';

const groups = `create table public.groups (id uuid primary key, owner_id uuid not null, name text not null);
alter table public.groups enable row level security;
`;

runRuleTests(rule, {
  valid: [
    groups + `create policy "Admins manage groups" on public.groups for all to authenticated
  using ((select auth.jwt() -> 'app_metadata' ->> 'role') = 'admin');`,
    groups + `create policy "Owners manage groups" on public.groups for all to authenticated using (owner_id = (select auth.uid()));`,
    // A column of the table that happens to be called metadata is the table's own data.
    `create table public.posts (id uuid primary key, metadata jsonb);
alter table public.posts enable row level security;
create policy "Featured posts" on public.posts for select using (metadata ->> 'featured' = 'true');`,
  ],
  invalid: [
    {
      sql: groups + `create policy "Admins manage groups" on public.groups for all to authenticated
  using ((select auth.jwt() -> 'user_metadata' ->> 'role') = 'admin');`,
      findings: [{ object: 'public.groups.Admins manage groups', line: 3, message: /trusts user_metadata/ }],
      fix: null,
    },
    {
      sql: groups + `create policy "Premium creates groups" on public.groups for insert to authenticated
  with check ((auth.jwt() #>> '{user_metadata,plan}') = 'premium');`,
      findings: [{ object: 'public.groups.Premium creates groups', line: 3 }],
    },
    {
      sql: groups + `create policy "Verified vendors read" on public.groups for select to authenticated
  using (exists (select 1 from auth.users u where u.id = (select auth.uid()) and u.raw_user_meta_data ->> 'verified' = 'true'));`,
      findings: [{ object: 'public.groups.Verified vendors read', line: 3 }],
    },
  ],
});
