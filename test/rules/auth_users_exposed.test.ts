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
  ],
});
