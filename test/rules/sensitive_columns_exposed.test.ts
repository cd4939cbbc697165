import rule from '../../src/core/rules/sensitive_columns_exposed';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    // RLS on: what the API sees is up to the policies.
    `create table public.vendors (id uuid primary key, name text not null, iban text);
alter table public.vendors enable row level security;`,
    // Exposed without RLS, but nothing sensitive by name.
    'create table public.groups (id uuid primary key, name text not null, certificate_url text, is_pinned boolean);',
    `create table public.booking_payments (id uuid primary key, card_number text);
revoke select on public.booking_payments from anon, authenticated;`,
    `create schema private;
create table private.api_credentials (id uuid primary key, api_key text not null);`,
  ],
  invalid: [
    {
      sql: `create table public.booking_payments (
  id uuid primary key,
  booking_id uuid not null,
  card_number text,
  cvv text,
  amount numeric not null
);`,
      findings: [{ object: 'public.booking_payments', line: 1, message: /sensitive columns card_number, cvv through the API/ }],
      fix: 'alter table public.booking_payments enable row level security;',
    },
    {
      sql: `create table public.vendors (id uuid primary key, name text not null, stripe_secret_key text, payout_iban text, password_hash text);`,
      findings: [{ object: 'public.vendors', line: 1, message: /stripe_secret_key, payout_iban, password_hash/ }],
    },
    {
      sql: `create table public.profiles (id uuid primary key, push_token text);
alter table public.profiles enable row level security;
alter table public.profiles disable row level security;`,
      findings: [{ object: 'public.profiles', line: 3, message: /sensitive column push_token/ }],
    },
  ],
});
