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
      // A column grant on a view names a column the view does not have (PostgreSQL fails the GRANT).
      sql: `create materialized view public.member_totals as select count(*) as members from auth.users;
grant select (signups) on public.member_totals to authenticated;`,
      findings: [{ object: 'public.member_totals.signups', line: 2, message: /column public\.member_totals\.signups, which no earlier migration creates/ }],
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
  ],
});
