import rule from '../../src/core/rules/sensitive_columns_exposed';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    // RLS on: what the API sees is up to the policies.
    `create table public.vendors (id uuid primary key, name text not null, iban text);
alter table public.vendors enable row level security;`,
    // Exposed without RLS, but nothing sensitive by name.
    'create table public.groups (id uuid primary key, name text not null, certificate_url text, is_pinned boolean);',
    // session_id points at the app's own chat sessions: a reference, not a secret (splinter lists it).
    `create table public.chat_sessions (id uuid primary key, started_at timestamptz not null default now());
create table public.chat_messages (id bigint primary key, session_id uuid not null references public.chat_sessions (id), body text not null);`,
    `create table public.booking_payments (id uuid primary key, card_number text);
revoke select on public.booking_payments from anon, authenticated;`,
    `create schema private;
create table private.api_credentials (id uuid primary key, api_key text not null);`,
    // The API roles may select only the columns granted to them, and the sensitive one is not among them.
    `create table public.profiles (id uuid primary key, username text, avatar_url text, reset_token text);
revoke select on public.profiles from anon, authenticated;
grant select (id, username, avatar_url) on public.profiles to anon, authenticated;`,
    // A table-level REVOKE also takes the column grant back, as in PostgreSQL.
    `create table public.wallets (id uuid primary key, iban text);
revoke select on public.wallets from anon, authenticated;
grant select (id, iban) on public.wallets to anon;
revoke select on public.wallets from anon;`,
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
    {
      // The secret forms of a session stay reported; the session_id beside them does not.
      sql: `create table public.checkout_sessions (id uuid primary key, session_id text not null, session_token text not null);`,
      findings: [{ object: 'public.checkout_sessions', line: 1, message: /sensitive column session_token through/ }],
    },
    {
      // A column grant that names the sensitive column exposes it, to the role it names only.
      sql: `create table public.vendors (id uuid primary key, name text not null, payout_iban text, api_key text);
revoke select on public.vendors from anon, authenticated;
grant select (id, name, payout_iban) on public.vendors to anon;`,
      findings: [{ object: 'public.vendors', line: 1, message: /^Table public\.vendors has no RLS and anon can select its sensitive column payout_iban through the API\.$/ }],
    },
  ],
});
