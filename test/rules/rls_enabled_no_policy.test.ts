import rule from '../../src/core/rules/rls_enabled_no_policy';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    'create table public.profiles (id uuid primary key);',
    `create table public.profiles (id uuid primary key);
     alter table public.profiles enable row level security;
     create policy "Profiles are public" on public.profiles for select using (true);`,
  ],
  invalid: [
    {
      sql: `create table public.bookings (id uuid primary key);

alter table public.bookings enable row level security;`,
      findings: [{ object: 'public.bookings', line: 3, message: /no policies/ }],
      fix: null,
    },
  ],
});
