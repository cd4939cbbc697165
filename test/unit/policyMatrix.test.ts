/**
 * The policy matrix on Supabase-style schemas built from migrations: every access state (no grant,
 * bypass, open, filtered, blocked), restrictive and ALL policies, `public` policies, role
 * membership, the flags, and the three renderers.
 */
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import type { Catalog } from '../../src/core/catalog/model';
import { defaultConfig } from '../../src/core/config';
import {
  computePolicyMatrix,
  type MatrixCommand,
  type PolicyMatrix,
  type PolicyMatrixCell,
} from '../../src/core/policies/computePolicyMatrix';
import { renderPolicyMatrixJson, renderPolicyMatrixMarkdown, renderPolicyMatrixText } from '../../src/core/policies/renderPolicyMatrix';
import { loadParser } from '../../src/core/sql/parser';

const SCHEMA = `
create role moderator nologin;
create role app_owner nologin;

-- RLS off: open to everyone with a grant, and it has an owner column.
create table public.wallets (id uuid primary key, user_id uuid not null, balance numeric);

-- RLS on without policies: blocked.
create table public.audit_log (id bigint primary key, event text);
alter table public.audit_log enable row level security;

-- Public select, owner-only writes, an UPDATE without WITH CHECK.
create table public.profiles (id uuid primary key, username text);
alter table public.profiles enable row level security;
create policy "Profiles are viewable by everyone" on public.profiles for select using (true);
create policy "Users insert their profile" on public.profiles for insert to authenticated with check ((select auth.uid()) = id);
create policy "Users update their profile" on public.profiles for update to authenticated using ((select auth.uid()) = id or username is null);

-- Two permissive policies OR-ed, a restrictive one AND-ed, an ALL policy for a created role.
create table public.bookings (id uuid primary key, user_id uuid not null, status text, vendor_id uuid);
alter table public.bookings enable row level security;
create policy "Travellers see their bookings" on public.bookings for select to authenticated using (user_id = (select auth.uid()));
create policy "Vendors see their bookings" on public.bookings for select to authenticated using (vendor_id = (select auth.uid()));
create policy "Only confirmed accounts" on public.bookings as restrictive for all to authenticated using ((select auth.jwt() ->> 'aal') = 'aal2');
create policy "Moderators manage bookings" on public.bookings for all to moderator using (true) with check (status <> 'deleted');
grant select, insert, update, delete on public.bookings to moderator;
revoke insert, update, delete on public.bookings from anon;

-- Restrictive only: blocked even though a policy applies.
create table public.payments (id uuid primary key, payer_id uuid);
alter table public.payments enable row level security;
create policy "Payers only" on public.payments as restrictive for select to authenticated using (payer_id = (select auth.uid()));

-- Owned by another role: the owner bypasses RLS unless it is forced.
create table public.reports (id uuid primary key, author_id uuid);
alter table public.reports enable row level security;
alter table public.reports owner to app_owner;
revoke insert on public.reports from service_role;
create table public.forced_reports (id uuid primary key);
alter table public.forced_reports enable row level security;
alter table public.forced_reports force row level security;
alter table public.forced_reports owner to app_owner;

-- An anon write that opens a table with an owner column to anyone.
create table public.guestbook (id bigint primary key, author_id uuid, body text);
alter table public.guestbook enable row level security;
create policy "Anyone signs" on public.guestbook for all using (true) with check (true);

-- Not exposed: left out of the matrix.
create schema private;
create table private.secrets (id bigint primary key);
`;

function buildCatalog(sql: string): Catalog {
  const analysis = analyze({ files: [{ path: 'supabase/migrations/20240101000000_schema.sql', text: sql }], config: defaultConfig('supabase') });
  return analysis.catalog;
}

function cellOf(matrix: PolicyMatrix, table: string, role: string, command: MatrixCommand): PolicyMatrixCell {
  const row = matrix.rows.find((candidate) => candidate.table === table);
  assert.ok(row, `no row for ${table}`);
  const cell = row.cells.find((candidate) => candidate.role === role && candidate.command === command);
  assert.ok(cell, `no cell for ${table} ${role} ${command}`);
  return cell;
}

/** The accesses of one table as `role: select insert update delete` lines, the way a reader scans the grid. */
function accessGrid(matrix: PolicyMatrix, table: string): string[] {
  return matrix.roles.map((role) => `${role}: ${matrix.commands.map((command) => cellOf(matrix, table, role, command).access).join(' | ')}`);
}

describe('policy matrix', () => {
  let catalog: Catalog;
  let matrix: PolicyMatrix;

  before(async () => {
    await loadParser();
    catalog = buildCatalog(SCHEMA);
    matrix = computePolicyMatrix(catalog);
  });

  it('shows the API roles first, then the roles the migrations created, and only exposed tables', () => {
    assert.deepEqual(matrix.roles, ['anon', 'authenticated', 'service_role', 'app_owner', 'moderator']);
    assert.deepEqual(matrix.rows.map((row) => row.table), [
      'public.audit_log', 'public.bookings', 'public.forced_reports', 'public.guestbook', 'public.payments', 'public.profiles', 'public.reports', 'public.wallets',
    ]);
  });

  it('is open to every granted role when RLS is off, and flags anon writes and the owner column', () => {
    assert.deepEqual(accessGrid(matrix, 'public.wallets').slice(0, 2), [
      'anon: open | open | open | open',
      'authenticated: open | open | open | open',
    ]);
    const anonSelect = cellOf(matrix, 'public.wallets', 'anon', 'select');
    assert.deepEqual(anonSelect.flags.map((flag) => flag.id), ['anon_open_owner_column']);
    assert.match(anonSelect.flags[0].message, /owner column \(user_id\)/);
    assert.deepEqual(cellOf(matrix, 'public.wallets', 'anon', 'insert').flags.map((flag) => flag.id), ['anon_can_write']);
    assert.match(cellOf(matrix, 'public.wallets', 'anon', 'select').reason, /Row level security is off/);
  });

  it('is blocked when RLS is on and no policy applies', () => {
    assert.deepEqual(accessGrid(matrix, 'public.audit_log').slice(0, 2), [
      'anon: blocked | blocked | blocked | blocked',
      'authenticated: blocked | blocked | blocked | blocked',
    ]);
    assert.deepEqual(cellOf(matrix, 'public.audit_log', 'anon', 'select').policies, []);
  });

  it('is open for a permissive true policy, filtered for an owner predicate, and flags an UPDATE without WITH CHECK whose USING is an OR', () => {
    assert.deepEqual(accessGrid(matrix, 'public.profiles').slice(0, 2), [
      'anon: open | blocked | blocked | blocked',
      'authenticated: open | filtered | filtered | blocked',
    ]);
    const insert = cellOf(matrix, 'public.profiles', 'authenticated', 'insert');
    assert.equal(insert.withCheck, '(select auth.uid()) = id');
    assert.equal(insert.using, undefined);
    assert.deepEqual(insert.policies.map((policy) => policy.key), ['policy:public.profiles/Users insert their profile']);
    const update = cellOf(matrix, 'public.profiles', 'authenticated', 'update');
    assert.equal(update.using, '(select auth.uid()) = id or username is null');
    // Without WITH CHECK, PostgreSQL checks the new row with USING.
    assert.equal(update.withCheck, '(select auth.uid()) = id or username is null');
    assert.deepEqual(update.flags.map((flag) => flag.id), ['update_without_with_check']);
    assert.match(update.flags[0].message, /"Users update their profile"/);
    // profiles has no owner column, so an open SELECT for anon is not flagged.
    assert.deepEqual(cellOf(matrix, 'public.profiles', 'anon', 'select').flags, []);
  });

  it('ORs permissive policies, ANDs restrictive ones, and applies ALL policies to every command', () => {
    const select = cellOf(matrix, 'public.bookings', 'authenticated', 'select');
    assert.equal(select.access, 'filtered');
    assert.equal(select.using, "((user_id = (select auth.uid())) OR (vendor_id = (select auth.uid()))) AND ((select auth.jwt() ->> 'aal') = 'aal2')");
    assert.deepEqual(select.policies.map((policy) => `${policy.name}:${policy.permissive ? 'permissive' : 'restrictive'}`), [
      'Travellers see their bookings:permissive',
      'Vendors see their bookings:permissive',
      'Only confirmed accounts:restrictive',
    ]);
    // The restrictive ALL policy applies to INSERT too, but with no permissive policy nothing passes.
    const insert = cellOf(matrix, 'public.bookings', 'authenticated', 'insert');
    assert.equal(insert.access, 'blocked');
    assert.match(insert.reason, /Only restrictive policies/);
    assert.deepEqual(insert.policies.map((policy) => policy.name), ['Only confirmed accounts']);

    // The moderator's ALL policy: open for select and delete (USING true), filtered by WITH CHECK for writes.
    assert.deepEqual(accessGrid(matrix, 'public.bookings').slice(4), ['moderator: open | filtered | filtered | open']);
    const moderatorUpdate = cellOf(matrix, 'public.bookings', 'moderator', 'update');
    assert.equal(moderatorUpdate.using, 'true');
    assert.equal(moderatorUpdate.withCheck, "status <> 'deleted'");
    assert.deepEqual(cellOf(matrix, 'public.bookings', 'anon', 'insert').access, 'no grant');
    assert.equal(cellOf(matrix, 'public.bookings', 'anon', 'select').access, 'blocked');
  });

  it('blocks when only restrictive policies apply', () => {
    const cell = cellOf(matrix, 'public.payments', 'authenticated', 'select');
    assert.equal(cell.access, 'blocked');
    assert.deepEqual(cell.policies.map((policy) => policy.name), ['Payers only']);
  });

  it('lets BYPASSRLS roles and owners bypass, unless the owner is subject to FORCE', () => {
    assert.equal(cellOf(matrix, 'public.reports', 'service_role', 'select').access, 'bypass');
    assert.match(cellOf(matrix, 'public.reports', 'service_role', 'select').reason, /BYPASSRLS/);
    assert.equal(cellOf(matrix, 'public.reports', 'service_role', 'insert').access, 'no grant');
    assert.equal(cellOf(matrix, 'public.reports', 'app_owner', 'delete').access, 'bypass');
    assert.match(cellOf(matrix, 'public.reports', 'app_owner', 'delete').reason, /owns public.reports/);
    assert.equal(cellOf(matrix, 'public.forced_reports', 'app_owner', 'select').access, 'blocked');
    assert.equal(cellOf(matrix, 'public.forced_reports', 'moderator', 'select').access, 'no grant');
  });

  it('applies a policy without TO (public) to every role, and flags anon writes through it', () => {
    assert.deepEqual(accessGrid(matrix, 'public.guestbook').slice(0, 2), [
      'anon: open | open | open | open',
      'authenticated: open | open | open | open',
    ]);
    const anonInsert = cellOf(matrix, 'public.guestbook', 'anon', 'insert');
    assert.deepEqual(anonInsert.flags.map((flag) => flag.id), ['anon_can_write']);
    assert.deepEqual(cellOf(matrix, 'public.guestbook', 'anon', 'select').flags.map((flag) => flag.id), ['anon_open_owner_column']);
    assert.deepEqual(anonInsert.policies.map((policy) => policy.name), ['Anyone signs']);
  });

  it('applies policies granted to a role to its inheriting members', () => {
    const withMember = buildCatalog(`${SCHEMA}\ncreate role senior_moderator nologin inherit in role moderator;`);
    const cell = cellOf(computePolicyMatrix(withMember), 'public.bookings', 'senior_moderator', 'select');
    assert.equal(cell.access, 'open');
    assert.deepEqual(cell.policies.map((policy) => policy.name), ['Moderators manage bookings']);
  });

  it('does not flag an owner-only UPDATE without WITH CHECK: USING holds the new row to the same owner, as the rule says', () => {
    const wallets = computePolicyMatrix(buildCatalog(`
create table public.wallets (user_id uuid primary key, balance numeric not null default 0);
alter table public.wallets enable row level security;
create policy "Users can update their wallet" on public.wallets for update to authenticated using (user_id = (select auth.uid()));`));
    const update = cellOf(wallets, 'public.wallets', 'authenticated', 'update');
    assert.equal(update.access, 'filtered');
    assert.equal(update.withCheck, 'user_id = (select auth.uid())');
    assert.deepEqual(update.flags, []);
  });

  it('counts a column grant as the privilege, and a table-level REVOKE takes it back', () => {
    const columns = computePolicyMatrix(buildCatalog(`${SCHEMA}
create table public.vendors (id uuid primary key, name text, payout_iban text);
alter table public.vendors enable row level security;
create policy "Vendors are public" on public.vendors for select using (true);
revoke all on public.vendors from anon, authenticated;
grant select (id, name) on public.vendors to anon;
grant update (name) on public.vendors to authenticated;
grant select (id) on public.vendors to authenticated;
revoke select on public.vendors from authenticated;`));
    assert.equal(cellOf(columns, 'public.vendors', 'anon', 'select').access, 'open');
    assert.equal(cellOf(columns, 'public.vendors', 'anon', 'update').access, 'no grant');
    assert.equal(cellOf(columns, 'public.vendors', 'authenticated', 'update').access, 'blocked');
    assert.equal(cellOf(columns, 'public.vendors', 'authenticated', 'select').access, 'no grant');
  });

  it('renders text, JSON and Markdown', () => {
    const text = renderPolicyMatrixText(matrix);
    assert.match(text, /^public\.audit_log {2}\(RLS on\)$/m);
    assert.match(text, /^ {2}authenticated select: USING \(\(user_id = /m);
    assert.match(text, /^ {2}! update_without_with_check: /m);
    assert.match(text, /^8 tables × 5 roles: .*; \d+ flags\.$/m);
    const json = JSON.parse(renderPolicyMatrixJson(matrix)) as { version: number; tables: { table: string; cells: PolicyMatrixCell[] }[] };
    assert.equal(json.version, 1);
    assert.equal(json.tables.length, 8);
    assert.equal(json.tables[1].cells[4].access, 'filtered');
    const markdown = renderPolicyMatrixMarkdown(matrix);
    assert.match(markdown, /^### `public\.bookings` \(RLS on\)$/m);
    assert.match(markdown, /^\| role \| select \| insert \| update \| delete \|$/m);
    assert.match(markdown, /^\| anon \| \*\*open\*\* ⚠️ \| \*\*open\*\* ⚠️ \|/m);
  });
});
