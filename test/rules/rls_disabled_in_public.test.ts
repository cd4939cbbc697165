import rule from '../../src/core/rules/rls_disabled_in_public';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    `create table public.profiles (id uuid primary key, username text);
alter table public.profiles enable row level security;`,
    // Not exposed: the API serves public and graphql_public only.
    `create schema private;
create table private.audit_log (id bigint primary key, payload jsonb);`,
    // The API roles lost their grants, so RLS does not matter to the API.
    `create table public.booking_payments (id uuid primary key, amount numeric not null);
revoke select on public.booking_payments from anon, authenticated;`,
    // Column grants taken back by a table-level REVOKE leave nothing to read.
    `create table public.payments (id uuid primary key, amount numeric not null);
revoke all on public.payments from anon, authenticated;
grant select (id, amount) on public.payments to anon;
revoke all on public.payments from anon;`,
    { sql: 'create table public.vendors (id uuid primary key, name text not null);', profile: 'postgres' },
  ],
  invalid: [
    {
      sql: `create table public.vendors (
  id uuid primary key,
  name text not null
);`,
      findings: [{ object: 'public.vendors', line: 1, message: /anon and authenticated can read every row and change them/ }],
      fix: 'alter table public.vendors enable row level security;',
    },
    {
      sql: `create table public.bookings (id uuid primary key, user_id uuid not null);
alter table public.bookings enable row level security;
-- Temporarily off while the import runs.
alter table public.bookings disable row level security;`,
      findings: [{ object: 'public.bookings', line: 4 }],
      fix: 'alter table public.bookings enable row level security;',
    },
    {
      // Only authenticated keeps SELECT, and nobody can write: the message says so.
      sql: `create table public.posts (id uuid primary key, body text not null);
revoke all on public.posts from anon, authenticated;
grant select on public.posts to authenticated;`,
      findings: [{ object: 'public.posts', line: 1, message: /: authenticated can read every row\.$/ }],
    },
    {
      // A column grant is enough to read every row, of those columns.
      sql: `create table public.profiles (id uuid primary key, username text, email text);
revoke all on public.profiles from anon, authenticated;
grant select (id, username) on public.profiles to anon;`,
      findings: [{ object: 'public.profiles', line: 1, message: /: anon can read every row\.$/ }],
    },
    {
      sql: `create table public.groups (id uuid primary key, name text not null);`,
      config: { exposedSchemas: ['public', 'api'] },
      findings: [{ object: 'public.groups', line: 1 }],
    },
  ],
});
