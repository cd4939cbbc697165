/**
 * The alignment SQL of `pgreview diff --format sql` is a migration a team can commit (issue 11,
 * section 4): it aligns the drifted database it was made for, and, saved after the other
 * migrations, it replays on a fresh database (as `supabase db reset` does) without an error and
 * without changing what the migrations define. The offline review of the project is the same with
 * it as without it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import diff from '../../src/cli/commands/diff';
import { analyze } from '../../src/core/analyze';
import type { Finding } from '../../src/core/finding';
import { loadProject } from '../../src/core/project/loadProject';
import { loadParser } from '../../src/core/sql/parser';
import { createFileSystemProjectReader } from '../../src/node/fileSystemProjectReader';
import { applyProjectToServer } from '../support/applyProjectToServer';
import { getTestServer, type TestServer } from '../support/postgresServer';
import { runCliCommand } from '../support/runCliCommand';

const MIGRATIONS: Record<string, string> = {
  '20240101000000_profiles.sql': `create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text not null unique,
  full_name text,
  avatar_url text,
  created_at timestamptz not null default now()
);
alter table public.profiles enable row level security;
create policy "Profiles are readable by everyone" on public.profiles
  for select to anon, authenticated using (true);
create policy "Users update their own profile" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));
`,
  '20240102000000_vendors_bookings.sql': `create type public.booking_status as enum ('pending', 'confirmed', 'cancelled');
create type public.payout_schedule as enum ('weekly', 'monthly');

create table public.vendors (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references auth.users (id),
  name text not null,
  slug text not null,
  description text,
  constraint vendors_slug_key unique (slug)
);
create index vendors_owner_id_idx on public.vendors (owner_id);
alter table public.vendors enable row level security;
create policy "Vendors are readable by everyone" on public.vendors for select using (true);

create table public.bookings (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id),
  vendor_id uuid not null,
  status public.booking_status not null default 'pending',
  starts_at timestamptz not null,
  updated_at timestamptz not null default now(),
  constraint bookings_vendor_id_fkey foreign key (vendor_id) references public.vendors (id) on delete restrict
);
create index bookings_user_id_idx on public.bookings (user_id);
create index bookings_vendor_id_idx on public.bookings (vendor_id);
alter table public.bookings enable row level security;
create policy "Users read their bookings" on public.bookings
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Vendors read their bookings" on public.bookings
  for select to authenticated
  using (vendor_id in (select id from public.vendors where owner_id = (select auth.uid())));

create function public.touch_updated_at() returns trigger language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end
$$;
create trigger bookings_touch_updated_at before update on public.bookings
  for each row execute function public.touch_updated_at();

create view public.vendor_booking_counts with (security_invoker = true) as
  select vendor_id, count(*) as bookings from public.bookings group by vendor_id;
`,
  '20240103000000_payments.sql': `create domain public.currency_code as text check (value ~ '^[A-Z]{3}$');

create table public.payments (
  id uuid primary key default gen_random_uuid(),
  booking_id uuid not null references public.bookings (id) on delete cascade,
  amount_cents integer not null check (amount_cents > 0),
  currency public.currency_code not null default 'EUR',
  paid_at timestamptz
);
create index payments_booking_id_idx on public.payments (booking_id);
alter table public.payments enable row level security;
create policy "Users read their payments" on public.payments
  for select to authenticated
  using (booking_id in (select id from public.bookings where user_id = (select auth.uid())));
`,
};

/** What someone did by hand on the database: objects it has and the migrations lack, and the reverse. */
const DRIFT = `
create index bookings_status_idx on public.bookings (status);
create policy "Anyone reads payments" on public.payments for select using (true);
alter table public.profiles add column legacy_notes text;
create table public.bookings_backup (id uuid, note text);
create trigger bookings_backup_touch before update on public.bookings_backup
  for each row execute function public.touch_updated_at();

drop index public.bookings_vendor_id_idx;
drop policy "Vendors read their bookings" on public.bookings;
drop trigger bookings_touch_updated_at on public.bookings;
alter table public.payments drop constraint payments_amount_cents_check;
alter table public.bookings drop constraint bookings_vendor_id_fkey;
alter table public.vendors drop constraint vendors_slug_key;
alter table public.vendors drop column description;
drop type public.payout_schedule;
alter domain public.currency_code drop constraint currency_code_check;
alter table public.bookings alter column status set default 'confirmed';
alter policy "Users update their own profile" on public.profiles to public;
alter table public.payments disable row level security;
drop view public.vendor_booking_counts;
create or replace function public.touch_updated_at() returns trigger language plpgsql set search_path = '' as $$
begin
  return new;
end
$$;
`;

describe('alignment SQL committed as a migration', function () {
  this.timeout(300_000);
  let server: TestServer;
  let project: string;
  let live: string;
  const cacheHome = mkdtempSync(join(tmpdir(), 'pgreview-alignment-cache-'));
  const previousCache = process.env.XDG_CACHE_HOME;
  const runDiff = (...args: string[]) => runCliCommand(diff, project, ['.', '--shadow', server.adminUrl, '--shadow-same-server', ...args]);

  before(async () => {
    process.env.XDG_CACHE_HOME = cacheHome;
    await loadParser();
    server = await getTestServer();
    project = mkdtempSync(join(tmpdir(), 'pgreview-alignment-'));
    mkdirSync(join(project, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(join(project, 'supabase', 'config.toml'), 'project_id = "alignment"\n');
    for (const [name, text] of Object.entries(MIGRATIONS)) writeFileSync(join(project, 'supabase', 'migrations', name), text);
    live = await applyProjectToServer(project, 'pgreview_alignment_live');
    await server.runSql(live, DRIFT);
  });

  after(() => {
    if (previousCache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previousCache;
  });

  it('aligns the drifted database, then replays after the migrations on a fresh database with no error and no difference', async () => {
    const drift = await runDiff('--db', live, '--format', 'json');
    assert.equal(drift.code, 1, drift.stderr);
    assert.deepEqual(JSON.parse(drift.stdout).changes.map((change: { status: string; object: string }) => `${change.status} ${change.object}`).sort(), [
      'changed public.bookings.status',
      'changed public.payments',
      'changed public.profiles.Users update their own profile',
      'changed public.touch_updated_at()',
      'changed public.currency_code',
      'extra_in_database public.bookings_backup',
      'extra_in_database public.bookings_status_idx',
      'extra_in_database public.payments.Anyone reads payments',
      'extra_in_database public.profiles.legacy_notes',
      'missing_in_database public.bookings.Vendors read their bookings',
      'missing_in_database public.bookings.bookings_touch_updated_at',
      'missing_in_database public.bookings.bookings_vendor_id_fkey',
      'missing_in_database public.bookings_vendor_id_idx',
      'missing_in_database public.payments.payments_amount_cents_check',
      'missing_in_database public.payout_schedule',
      'missing_in_database public.vendor_booking_counts',
      'missing_in_database public.vendors.description',
      'missing_in_database public.vendors.vendors_slug_key',
    ].sort());

    const alignment = await runDiff('--db', live, '--format', 'sql', '--allow-drops');
    assert.equal(alignment.code, 1, alignment.stderr);
    // The Supabase CLI runs a migration file in one transaction; a multi-statement query is one too.
    await server.runSql(live, alignment.stdout);
    const aligned = await runDiff('--db', live);
    assert.equal(aligned.stdout, 'No differences: the database matches the migrations.\n', `after applying:\n${alignment.stdout}`);

    const reviewBefore = reviewProject(project);
    writeFileSync(join(project, 'supabase', 'migrations', '20240201000000_align_with_production.sql'), alignment.stdout);
    // applyProjectToServer fails on any statement that does not apply.
    const fresh = await applyProjectToServer(project, 'pgreview_alignment_fresh');
    const replayed = await runDiff('--db', fresh);
    assert.equal(replayed.stdout, 'No differences: the database matches the migrations.\n', replayed.stderr);
    assert.equal(replayed.code, 0);

    // Offline, the committed alignment changes nothing the review says, only where some of it is
    // said (a policy replaced by the alignment is now defined there); the DO blocks that guard
    // what PostgreSQL cannot create IF NOT EXISTS are replayed like the rest.
    // The migration-safety rules do judge the new file (it is pending: applying it to production
    // takes its locks), which is what they are for; the schema review must not change.
    const reviewAfter = reviewProject(project).filter((finding) => finding.category !== 'safety');
    assert.deepEqual(reviewAfter.map(describeFinding), reviewBefore.filter((finding) => finding.category !== 'safety').map(describeFinding));
  });
});

function reviewProject(projectDir: string): Finding[] {
  const project = loadProject(createFileSystemProjectReader(projectDir));
  return analyze({ files: project.files, config: project.config }).findings;
}

function describeFinding(finding: Finding): string {
  return `${finding.level} ${finding.rule} ${finding.objectKey}`;
}
