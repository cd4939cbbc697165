import assert from 'node:assert/strict';
import { Client } from 'pg';
import rule from '../../src/core/rules/object_already_exists';
import skipped from '../../src/core/rules/if_not_exists_skipped';
import { getTestServer } from '../support/postgresServer';
import { runRuleTests, type InvalidCase } from '../support/ruleTester';

const VALID = [
  // IF NOT EXISTS and OR REPLACE say what happens when the object exists.
  `create table public.vendors (id uuid primary key, name text not null);
   create table if not exists public.vendors (id uuid primary key, name text not null);
   create index vendors_name_idx on public.vendors (name);
   create index if not exists vendors_name_idx on public.vendors (name);
   create sequence public.invoice_numbers;
   create sequence if not exists public.invoice_numbers;
   create schema if not exists private;
   create schema if not exists private;
   create or replace view public.vendor_names as select name from public.vendors;
   create or replace view public.vendor_names as select name from public.vendors;
   create materialized view public.vendor_counts as select count(*) as n from public.vendors;
   create materialized view if not exists public.vendor_counts as select count(*) as n from public.vendors;
   create function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;
   create or replace function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;
   create trigger vendors_touch before update on public.vendors for each row execute function public.touch();
   create or replace trigger vendors_touch before update on public.vendors for each row execute function public.touch();`,
  // Dropped first, or created again under another signature, table or name.
  `create table public.chat_messages (id bigint primary key, room_id uuid not null, body text);
   alter table public.chat_messages enable row level security;
   create policy "Members read messages" on public.chat_messages for select to authenticated using (true);
   drop policy "Members read messages" on public.chat_messages;
   create policy "Members read messages" on public.chat_messages for select to authenticated using (room_id is not null);
   create table public.chat_rooms (id uuid primary key);
   alter table public.chat_rooms enable row level security;
   create policy "Members read messages" on public.chat_rooms for select to authenticated using (true);
   create function public.room_size(uuid) returns int language sql as $$ select 1 $$;
   create function public.room_size(uuid, boolean) returns int language sql as $$ select 2 $$;
   drop index if exists public.chat_messages_room_idx;
   create index chat_messages_room_idx on public.chat_messages (room_id);`,
  // The platform's objects are known only in part; a DO block may have dropped the object.
  `create schema if not exists extensions;
   create table public.wallets (id uuid primary key);
   do $$ begin execute 'drop table public.wallets'; end $$;
   create table public.wallets (id uuid primary key, balance numeric not null default 0);`,
];

const INVALID: InvalidCase[] = [
  {
    sql: `create table public.bookings (id uuid primary key, user_id uuid not null);
create index bookings_user_idx on public.bookings (user_id);
create index bookings_user_idx on public.bookings (user_id);`,
    findings: [{ object: 'public.bookings_user_idx', line: 3, message: /creates index public\.bookings_user_idx, but index public\.bookings_user_idx already exists \(created at supabase\/migrations\/0001_test\.sql:2\)/ }],
    fix: null,
  },
  {
    sql: `create table public.payments (id uuid primary key);
create table public.payments (id uuid primary key, amount numeric);`,
    findings: [{ object: 'public.payments', line: 2, message: /table public\.payments already exists/ }],
  },
  {
    // An index, a table, a view and a sequence share one name space in a schema.
    sql: `create table public.profiles (id uuid primary key, username text);
create index profile_names on public.profiles (username);
create view public.profile_names as select username from public.profiles;
create sequence public.profiles;`,
    findings: [
      { object: 'public.profile_names', line: 3, message: /creates view public\.profile_names, but index public\.profile_names already exists/ },
      { object: 'public.profiles', line: 4, message: /creates sequence public\.profiles, but table public\.profiles already exists/ },
    ],
  },
  {
    sql: `create table public.community_posts (id uuid primary key, author_id uuid not null);
alter table public.community_posts enable row level security;
create policy "Authors edit posts" on public.community_posts for update to authenticated using (author_id = (select auth.uid()));
create policy "Authors edit posts" on public.community_posts for update to authenticated using (author_id = (select auth.uid())) with check (author_id = (select auth.uid()));`,
    findings: [{ object: 'public.community_posts', line: 4, message: /creates policy "Authors edit posts" on public\.community_posts, but policy/ }],
  },
  {
    sql: `create function public.set_updated_at() returns trigger language plpgsql as $$ begin new.updated_at = now(); return new; end $$;
create function public.set_updated_at() returns trigger language plpgsql as $$ begin return new; end $$;`,
    findings: [{ object: 'public.set_updated_at()', line: 2, message: /creates function public\.set_updated_at\(\), but function/ }],
  },
  {
    sql: `create type public.booking_status as enum ('pending', 'paid');
create type public.booking_status as enum ('pending', 'paid', 'cancelled');
create schema private;
create schema private;`,
    findings: [
      { object: 'public.booking_status', line: 2, message: /creates type public\.booking_status/ },
      { object: 'private.', line: 4, message: /creates schema private, but schema private already exists/ },
    ],
  },
  {
    sql: `create table public.group_members (group_id uuid, user_id uuid);
create function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger members_touch before update on public.group_members for each row execute function public.touch();
create trigger members_touch before insert on public.group_members for each row execute function public.touch();`,
    findings: [{ object: 'public.group_members', line: 4, message: /creates trigger members_touch on public\.group_members/ }],
  },
];

runRuleTests(rule, { valid: VALID, invalid: INVALID });

runRuleTests(skipped, {
  valid: [
    `create table public.vendors (id uuid primary key, name text not null);
     create table if not exists public.vendors (id uuid primary key, name text not null);
     create table if not exists public.vendors (id uuid primary key);`,
  ],
  invalid: [
    {
      sql: `create table public.bookings (id uuid primary key, user_id uuid not null);
create table if not exists public.bookings (id uuid primary key, user_id uuid not null, total_amount numeric(10, 2), currency text);`,
      findings: [{ object: 'public.bookings', line: 2, message: /already exists \(created at supabase\/migrations\/0001_test\.sql:1\), so PostgreSQL skips this IF NOT EXISTS definition: columns total_amount, currency are not added/ }],
      fix: null,
    },
  ],
});

describe('object_already_exists agrees with PostgreSQL 15', function () {
  this.timeout(120_000);
  /** Runs the SQL in a transaction that is rolled back, and returns the SQLSTATE it failed with, if any. */
  async function applyOnServer(sql: string): Promise<string | undefined> {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_already_exists');
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
      return undefined;
    } catch (error) {
      return (error as { code?: string }).code;
    } finally {
      await client.end();
    }
  }

  it('applies every valid case, and refuses every invalid one with "already exists"', async () => {
    for (const sql of VALID) assert.equal(await applyOnServer(sql), undefined, sql);
    for (const { sql } of INVALID) {
      // duplicate_table 42P07, duplicate_object 42710, duplicate_function 42723, duplicate_schema 42P06.
      assert.match((await applyOnServer(sql)) ?? 'applied', /^(42P07|42710|42723|42P06)$/, sql);
    }
  });
});
