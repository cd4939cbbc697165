import rule from '../../src/core/rules/auth_users_exposed';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    `create table public.profiles (id uuid primary key references auth.users (id), username text);
create view public.public_profiles as select id, username from public.profiles;`,
    // With the caller's rights, anon cannot read auth.users: the query fails instead of leaking.
    `create view public.member_emails with (security_invoker = true) as select id, email from auth.users;`,
    `create view public.member_emails as select id, email from auth.users;
revoke all on public.member_emails from anon, authenticated;`,
    `create schema private;
create view private.member_emails as select id, email from auth.users;`,
    // The fix of the column-grant case, applied: the view-level REVOKE takes the column grants too.
    `create view public.member_directory as select id, email, raw_user_meta_data from auth.users;
revoke all on public.member_directory from anon, authenticated;
grant select (id, email) on public.member_directory to authenticated;
grant select (id) on public.member_directory to public;
revoke all on table public.member_directory from anon, authenticated, public;`,
    // A column privilege other than SELECT does not let the API read the view.
    `create view public.member_directory as select id, email from auth.users;
revoke all on public.member_directory from anon, authenticated;
grant update (email) on public.member_directory to authenticated;`,
  ],
  invalid: [
    {
      sql: `create view public.member_emails as
  select u.id, u.email, u.raw_user_meta_data ->> 'full_name' as full_name
  from auth.users u;`,
      findings: [{ object: 'public.member_emails', line: 1, message: /View public\.member_emails exposes auth\.users to anon and authenticated/ }],
      fix: null,
    },
    {
      sql: `create table public.group_members (group_id uuid not null, user_id uuid not null references auth.users (id));
create materialized view public.group_member_emails as
  select m.group_id, u.email from public.group_members m join auth.users u on u.id = m.user_id;`,
      findings: [{ object: 'public.group_member_emails', line: 2, message: /^Materialized view/ }],
    },
    {
      // A column grant is enough: authenticated reads every user's e-mail through the view.
      sql: `create view public.member_directory as select id, email, raw_user_meta_data from auth.users;
revoke all on public.member_directory from anon, authenticated;
grant select (id, email) on public.member_directory to authenticated;`,
      findings: [{ object: 'public.member_directory', line: 1, message: /View public\.member_directory exposes auth\.users to authenticated through the API/ }],
      suggestion: 'revoke all on table public.member_directory from anon, authenticated;',
    },
    {
      // The grant names a column the model's list of the view's columns lacks (UNION): it still counts.
      sql: `create view public.all_contacts as select email from auth.users union select email from public.newsletter_signups;
revoke all on public.all_contacts from anon, authenticated;
grant select (email) on public.all_contacts to anon;`,
      findings: [{ object: 'public.all_contacts', line: 1, message: /exposes auth\.users to anon through the API/ }],
      suggestion: 'revoke all on table public.all_contacts from anon, authenticated;',
    },
    {
      // A column grant to PUBLIC reaches anon too; the suggested REVOKE takes it off as well.
      sql: `create materialized view public.member_totals as select count(*) as members, max(created_at) as last_signup from auth.users;
revoke all on public.member_totals from anon, authenticated;
grant select (members) on public.member_totals to public;`,
      findings: [{ object: 'public.member_totals', line: 1, message: /exposes auth\.users to anon and authenticated/ }],
      suggestion: 'revoke all on table public.member_totals from anon, authenticated, public;',
    },
  ],
});
