import rule from '../../src/core/rules/object_dropped_but_referenced';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    // Later statements use the new name.
    `create table public.groups (id uuid primary key);
     alter table public.groups rename to communities;
     create index on public.communities (id);`,
    // IF EXISTS never reports.
    `drop table if exists public.bookings;
     alter table if exists public.bookings add column note text;
     drop policy if exists "Owner reads" on public.bookings;
     drop function if exists public.get_user(uuid);`,
    // Platform-managed schemas are not known in full.
    `create policy "Own avatars" on storage.objects for select using (owner = (select auth.uid()));
     create function public.handle_new_user() returns trigger language plpgsql as $$ begin return new; end $$;
     create trigger on_signup after insert on auth.users for each row execute function public.handle_new_user();`,
    // A DO block may have created it.
    `do $$ begin execute 'create table public.dynamic_things (id int)'; end $$;
     alter table public.dynamic_things enable row level security;`,
    // Schemas no migration creates are unknown territory.
    `grant select on private.secrets to service_role;`,
    // A function in a schema that holds an extension may come from the extension.
    `create extension pg_trgm;
     comment on function public.similarity(text, text) is 'from pg_trgm';`,
    // postgis creates spatial_ref_sys in its schema.
    `create extension postgis;
     revoke select on public.spatial_ref_sys from anon;`,
    // CASCADE drops what depends on the object; nothing depends on an unused type.
    `create type public.booking_status as enum ('pending', 'paid');
     create type public.chat_kind as enum ('text', 'image');
     create table public.bookings (id uuid primary key, status public.booking_status);
     create table public.payments (id uuid primary key, booking_id uuid references public.bookings (id));
     create view public.booking_list as select id from public.bookings;
     create function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;
     create trigger payments_touch before update on public.payments for each row execute function public.touch();
     drop type public.chat_kind;
     drop type public.booking_status cascade;
     drop function public.touch() cascade;
     drop table public.bookings cascade;
     drop table public.payments;`,
    // After a DO block the dependents may be gone: the drop is trusted.
    `create type public.wallet_kind as enum ('personal', 'shared');
     create table public.wallets (id uuid primary key, kind public.wallet_kind);
     do $$ begin execute 'alter table public.wallets drop column kind'; end $$;
     drop type public.wallet_kind;`,
    // A view's columns are read from its SELECT, which cannot name every column (a cast, a UNION):
    // a column grant on a view is never reported as naming a missing column.
    `create table public.profiles (id uuid primary key, username varchar(40));
     create view public.profile_cards as select id, username::text from public.profiles;
     grant select (username) on public.profile_cards to authenticated;
     create view public.all_handles as select username from public.profiles union select email from auth.users;
     grant select (username) on public.all_handles to authenticated;`,
    // Dropped and created again.
    `create table public.reviews (id uuid primary key);
     drop table public.reviews;
     create table public.reviews (id uuid primary key, body text);
     alter table public.reviews enable row level security;`,
  ],
  invalid: [
    {
      sql: `create table public.groups (id uuid primary key, name text not null);
alter table public.groups rename to communities;
alter table public.groups add column archived boolean;`,
      findings: [{ object: 'public.groups', line: 3, message: /renamed to public\.communities/ }],
      fix: null,
    },
    {
      sql: `create table public.chat_messages (id bigint primary key, body text);
drop table public.chat_messages;
create policy "Members read" on public.chat_messages for select using (true);
grant select on public.chat_messages to authenticated;`,
      findings: [
        { object: 'public.chat_messages', line: 3, message: /dropped earlier .*:2\)/ },
        { object: 'public.chat_messages', line: 4 },
      ],
    },
    {
      sql: `create table public.bookings (id uuid primary key, legacy_code text);
alter table public.bookings drop column legacy_code;
create index on public.bookings (legacy_code);
comment on column public.bookings.legacy_code is 'gone';`,
      findings: [
        { object: 'public.bookings.legacy_code', line: 3 },
        { object: 'public.bookings.legacy_code', line: 4, message: /column public\.bookings\.legacy_code, which was dropped/ },
      ],
    },
    {
      sql: `create table public.payments (id uuid primary key, booking_id uuid references public.bookings (id), refund_of uuid references public.bookings (id));`,
      findings: [{ object: 'public.bookings', line: 1, message: /no earlier migration creates/ }],
    },
    {
      sql: `create function public.is_member(p_group uuid) returns boolean language sql stable as $$ select true $$;
drop function public.is_member(uuid);
alter function public.is_member(uuid) security definer;
create table public.posts (id uuid primary key);
create trigger posts_check before insert on public.posts for each row execute function public.check_post();`,
      findings: [
        { object: 'public.is_member(uuid)', line: 3, message: /dropped earlier/ },
        { object: 'public.check_post()', line: 5 },
      ],
    },
    {
      // PostgreSQL refuses a DROP without CASCADE of what others still use; the objects stay.
      sql: `create domain public.positive_cents as bigint check (value > 0);
create table public.wallets (id uuid primary key, balance public.positive_cents);
drop domain public.positive_cents;
create table public.payments (id uuid primary key, wallet_id uuid references public.wallets (id));
drop table public.wallets;
create function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger payments_touch before update on public.payments for each row execute function public.touch();
drop function public.touch();
alter table public.wallets add column note text;`,
      findings: [
        { object: 'public.positive_cents', line: 3, message: /drops domain public\.positive_cents without CASCADE while column public\.wallets\.balance still depends on it/ },
        { object: 'public.wallets', line: 5, message: /constraint payments_wallet_id_fkey on public\.payments/ },
        { object: 'public.touch()', line: 8, message: /trigger payments_touch on public\.payments/ },
      ],
    },
  ],
});
