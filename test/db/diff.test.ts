/**
 * `pgreview diff` end to end on real databases: the migrations applied to a PGlite shadow are
 * compared with a PostgreSQL server (and with a second PGlite) where the same migrations ran and
 * then drifted. The alignment SQL applied to the drifted database makes the diff empty again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { analyze } from '../../src/core/analyze';
import { defaultConfig } from '../../src/core/config';
import type { Change } from '../../src/core/diff/change';
import { diffCatalogs } from '../../src/core/diff/diffCatalogs';
import { renderAlignmentSql } from '../../src/core/diff/renderAlignmentSql';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { introspectPglite, shadowWithPglite, type ShadowResult } from '../../src/db/shadow';
import { supabaseBaselineSql } from '../../src/db/supabaseBaselineSql';
import { getTestServer, type TestServer } from '../support/postgresServer';

const config = defaultConfig('supabase');

/** A small Supabase project: profiles, vendors, bookings, a trigger, a SECURITY DEFINER function, a view, a storage policy. */
const MIGRATIONS = [
  {
    path: 'supabase/migrations/20240101000000_profiles.sql',
    text: `create type public.booking_status as enum ('pending', 'confirmed', 'cancelled');

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text not null unique,
  full_name text,
  email text,
  created_at timestamptz not null default now()
);
-- anon reads the public card only; authenticated edits the display fields only.
revoke select on public.profiles from anon;
grant select (id, username, full_name) on public.profiles to anon;
revoke update on public.profiles from authenticated;
grant update (username, full_name) on public.profiles to authenticated;
alter table public.profiles enable row level security;
create policy "Profiles are readable by everyone" on public.profiles
  for select to anon, authenticated using (true);
create policy "Users update their own profile" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));
`,
  },
  {
    path: 'supabase/migrations/20240102000000_bookings.sql',
    text: `create domain public.amount_cents as integer default 0 check (value >= 0);
alter domain public.amount_cents add constraint amount_cents_cap check (value < 100000000) not valid;
alter domain public.amount_cents validate constraint amount_cents_cap;
alter domain public.amount_cents set not null;

create table public.vendors (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  owner_id uuid not null references auth.users (id)
);
create table public.bookings (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id),
  vendor_id uuid not null references public.vendors (id) on delete restrict,
  status public.booking_status not null default 'pending',
  amount_cents integer not null check (amount_cents >= 0),
  created_at timestamptz not null default now()
);
create index bookings_user_id_idx on public.bookings (user_id);
create index bookings_vendor_created_idx on public.bookings (vendor_id, created_at desc) where status <> 'cancelled';
alter table public.bookings enable row level security;
create policy "Users read their bookings" on public.bookings
  for select to authenticated using (user_id = (select auth.uid()));

create function public.touch_created_at() returns trigger language plpgsql set search_path = '' as $$
begin
  new.created_at := now();
  return new;
end
$$;
create trigger bookings_touch before update on public.bookings
  for each row execute function public.touch_created_at();

create function public.booking_total(p_user uuid) returns bigint
  language sql stable security definer set search_path = ''
  as $$ select coalesce(sum(amount_cents), 0) from public.bookings where user_id = p_user $$;

create view public.booking_summaries with (security_invoker = true) as
  select vendor_id, count(*) as bookings from public.bookings group by vendor_id;

create policy "Avatar uploads by owner" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'avatars' and owner = (select auth.uid()));
`,
  },
];

/** What happened to the database after the migrations: the drift the diff must find. */
const DRIFT = `
drop policy "Users read their bookings" on public.bookings;
alter table public.bookings add column legacy_ref text;
alter table public.bookings alter column status set default 'confirmed';
alter table public.profiles disable row level security;
drop index public.bookings_user_id_idx;
create table public.bookings_backup (id uuid, note text);
create or replace function public.booking_total(p_user uuid) returns bigint
  language sql stable security definer set search_path = ''
  as $$ select coalesce(sum(amount_cents), 0) + 0 from public.bookings where user_id = p_user $$;
alter table public.profiles alter column full_name set not null;
create policy "Anyone can read bookings" on public.bookings for select using (true);
alter policy "Users update their own profile" on public.profiles to public;
drop view public.booking_summaries;
drop policy "Avatar uploads by owner" on storage.objects;
drop trigger bookings_touch on public.bookings;
alter domain public.amount_cents drop constraint amount_cents_cap;
alter domain public.amount_cents drop not null;
`;

const EXPECTED_DRIFT = [
  'changed function public.booking_total(uuid) body',
  'changed table public.profiles rls_enabled',
  'extra_in_database table public.bookings_backup',
  'changed column public.bookings.status default',
  'extra_in_database column public.bookings.legacy_ref',
  'changed column public.profiles.full_name nullable',
  'missing_in_database index public.bookings_user_id_idx',
  'missing_in_database view public.booking_summaries',
  'extra_in_database policy public.bookings.Anyone can read bookings',
  'missing_in_database policy public.bookings.Users read their bookings',
  'changed policy public.profiles.Users update their own profile roles',
  'missing_in_database policy storage.objects.Avatar uploads by owner',
  'missing_in_database trigger public.bookings.bookings_touch',
  'changed type public.amount_cents constraints',
  'changed type public.amount_cents not_null',
];

describe('diff against real databases', function () {
  this.timeout(300_000);
  let shadow: ShadowResult;
  const analysis = () => analyze({ files: MIGRATIONS, config });

  before(async () => {
    await loadParser();
    shadow = await shadowWithPglite(analysis().files, { config, cacheDirectory: mkdtempSync(join(tmpdir(), 'pgreview-diff-test-')) });
    assert.deepEqual(shadow.findings.map((finding) => finding.message), []);
  });

  describe('PostgreSQL server', () => {
    let server: TestServer;
    let url: string;
    const introspectLive = async () => (await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config })).catalog;

    before(async () => {
      server = await getTestServer();
      url = await server.createDatabase('pgreview_diff_live');
      for (const file of MIGRATIONS) await server.runSql(url, file.text);
    });

    it('finds no difference between the shadow and a server where the same migrations ran, grants included', async () => {
      const live = await introspectLive();
      const changes = diffCatalogs(shadow.catalog, live, { profile: 'supabase', origins: analysis().catalog, withPrivileges: true });
      assert.deepEqual(changes.map(describeChange), []);
      // Column grants and ALTER DOMAIN as the replay sees them are what PostgreSQL made of them.
      const profiles = live.tables.get('public.profiles');
      assert.deepEqual([...profiles!.columns.values()].map((column) => [column.name, column.grants && Object.fromEntries([...column.grants].map(([role, set]) => [role, [...set].sort()]))]), [
        ['id', { anon: ['SELECT'] }],
        ['username', { anon: ['SELECT'], authenticated: ['UPDATE'] }],
        ['full_name', { anon: ['SELECT'], authenticated: ['UPDATE'] }],
        ['email', undefined],
        ['created_at', undefined],
      ]);
      const replayed = analysis().catalog;
      const grantChanges = diffCatalogs(replayed, live, { profile: 'supabase', withPrivileges: true }).filter((change) => change.key.startsWith('grant:column:'));
      assert.deepEqual(grantChanges.map(describeChange), []);
      const domain = (catalog: typeof live) => {
        const type = catalog.types.get('public.amount_cents');
        return { notNull: type?.notNull, default: type?.default?.text, constraints: [...(type?.constraints?.values() ?? [])].map((constraint) => [constraint.name, constraint.validated]).sort() };
      };
      assert.deepEqual(domain(live), { notNull: true, default: '0', constraints: [['amount_cents_cap', true], ['amount_cents_check', true]] });
      assert.deepEqual(domain(replayed), domain(live));
    });

    it('finds every kind of drift, located in the migrations, and the alignment SQL removes it', async () => {
      await server.runSql(url, DRIFT);
      const drifted = await introspectLive();
      const changes = diffCatalogs(shadow.catalog, drifted, { profile: 'supabase', origins: analysis().catalog });
      assert.deepEqual(changes.map(describeChange).sort(), [...EXPECTED_DRIFT].sort());
      const policy = changes.find((change) => change.object === 'public.bookings.Users read their bookings');
      assert.equal(policy?.file, 'supabase/migrations/20240102000000_bookings.sql');
      assert.equal(policy?.line, 22);
      const rls = changes.find((change) => change.property === 'rls_enabled');
      assert.deepEqual([rls?.migrations, rls?.database, rls?.line], [true, false, 15]);

      const sql = renderAlignmentSql(changes, shadow.catalog, drifted, { allowDrops: true });
      await server.runSql(url, sql);
      const aligned = diffCatalogs(shadow.catalog, await introspectLive(), { profile: 'supabase' });
      assert.deepEqual(aligned.map(describeChange), [], `after applying:\n${sql}`);
    });

    it('keeps drops commented out unless they are allowed', async () => {
      await server.runSql(url, 'create table public.notes_old (id bigint)');
      const drifted = await introspectLive();
      const changes = diffCatalogs(shadow.catalog, drifted, { profile: 'supabase' });
      const sql = renderAlignmentSql(changes, shadow.catalog, drifted);
      assert.match(sql, /-- WARNING: table public\.notes_old exists only in the database[^\n]*\n-- drop table if exists public\.notes_old;/);
      await server.runSql(url, sql);
      assert.deepEqual(diffCatalogs(shadow.catalog, await introspectLive(), { profile: 'supabase' }).map(describeChange), ['extra_in_database table public.notes_old']);
    });

    it('compares grants only when asked, and aligns them', async () => {
      // Column grants drift too: anon got the whole of profiles, and full_name lost its UPDATE.
      await server.runSql(url, `revoke insert, update on public.bookings from authenticated; revoke all on public.vendors from anon;
        grant select on public.profiles to anon; revoke update (full_name) on public.profiles from authenticated; grant select (email) on public.profiles to authenticated;`);
      const drifted = await introspectLive();
      assert.deepEqual(diffCatalogs(shadow.catalog, drifted, { profile: 'supabase' }).filter((change) => change.type === 'grant'), []);
      const changes = diffCatalogs(shadow.catalog, drifted, { profile: 'supabase', withPrivileges: true }).filter((change) => change.type === 'grant');
      assert.deepEqual(changes.map((change) => `${change.status} ${change.object} ${change.property}`), [
        'changed public.bookings authenticated',
        'changed public.profiles anon',
        'extra_in_database public.profiles.email authenticated',
        'missing_in_database public.profiles.full_name authenticated',
        'missing_in_database public.vendors anon',
      ]);
      // The table-level REVOKE of SELECT from anon also takes anon's column grants, so they are granted again after it.
      assert.match(renderAlignmentSql(changes, shadow.catalog, drifted), /revoke select on table public\.profiles from anon;\n[\s\S]*grant select \(id, username, full_name\) on table public\.profiles to anon;/);
      await server.runSql(url, renderAlignmentSql(changes, shadow.catalog, drifted));
      const aligned = diffCatalogs(shadow.catalog, await introspectLive(), { profile: 'supabase', withPrivileges: true });
      assert.deepEqual(aligned.filter((change) => change.type === 'grant').map(describeChange), []);
    });
  });

  describe('PGlite', () => {
    it('aligns a drifted PGlite database with the migrations', async () => {
      const db = new PGlite();
      try {
        await db.exec(supabaseBaselineSql);
        for (const file of MIGRATIONS) await db.exec(file.text);
        await db.exec(DRIFT);
        const drifted = (await introspectPglite(db, { config })).catalog;
        const changes = diffCatalogs(shadow.catalog, drifted, { profile: 'supabase' });
        assert.deepEqual(changes.map(describeChange).sort(), [...EXPECTED_DRIFT].sort());
        await db.exec(renderAlignmentSql(changes, shadow.catalog, drifted, { allowDrops: true }));
        assert.deepEqual(diffCatalogs(shadow.catalog, (await introspectPglite(db, { config })).catalog, { profile: 'supabase' }).map(describeChange), []);
      } finally {
        await db.close();
      }
    });
  });
});

function describeChange(change: Change): string {
  return `${change.status} ${change.type} ${change.object}${change.status === 'changed' ? ` ${change.property}` : ''}`;
}

