import rule from '../../src/core/rules/policy_exists_rls_disabled';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    `create table public.profiles (id uuid primary key, username text);
alter table public.profiles enable row level security;
create policy "Profiles are public" on public.profiles for select using (true);`,
    // No policy and no RLS: rls_disabled_in_public speaks for this table, not this rule.
    'create table public.vendors (id uuid primary key, name text not null);',
  ],
  invalid: [
    {
      sql: `create table public.bookings (id uuid primary key, user_id uuid not null);
create policy "Owners read bookings" on public.bookings for select to authenticated
  using (user_id = (select auth.uid()));`,
      findings: [{ object: 'public.bookings', line: 1, message: /a policy \("Owners read bookings"\) but RLS is disabled/ }],
      fix: 'alter table public.bookings enable row level security;',
    },
    {
      // RLS was switched off in a later statement: that statement is the cause.
      sql: `create table public.wallets (id uuid primary key, user_id uuid not null, balance numeric not null default 0);
alter table public.wallets enable row level security;
create policy "Owners read wallets" on public.wallets for select using (user_id = (select auth.uid()));
create policy "Owners update wallets" on public.wallets for update using (user_id = (select auth.uid()));
alter table public.wallets disable row level security;`,
      findings: [{ object: 'public.wallets', line: 5, message: /2 policies/ }],
      fix: 'alter table public.wallets enable row level security;',
    },
  ],
});
