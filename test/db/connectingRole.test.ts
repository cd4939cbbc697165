/**
 * Issue 10 §3: the same database gives the same catalog, and the same diff, whoever connects.
 * PostgreSQL prints a name in an expression or a type (`pg_get_expr`, `format_type`) without its
 * schema only when the schema is on the session's search_path and the role may use it, so a role
 * whose search_path is '' or that lacks USAGE on public saw every name qualified, and `diff`
 * reported identical policies, defaults and types as changed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { Catalog } from '../../src/core/catalog/model';
import { defaultConfig } from '../../src/core/config';
import type { Change } from '../../src/core/diff/change';
import { diffCatalogs } from '../../src/core/diff/diffCatalogs';
import { renderAlignmentSql } from '../../src/core/diff/renderAlignmentSql';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { shadowWithPglite, type ShadowResult } from '../../src/db/shadow';
import { getTestServer, type TestServer } from '../support/postgresServer';

const config = defaultConfig('supabase');

/**
 * A hardened Supabase schema: only the API roles may use public, and expressions name public
 * functions, tables and types and the functions of extensions.
 */
const MIGRATIONS = [
  {
    path: 'supabase/migrations/20240101000000_bookings.sql',
    text: `revoke usage on schema public from public;

create type public.booking_status as enum ('pending', 'confirmed', 'cancelled');
create domain public.short_code as text check (length(value) <= 12);
create table public.members (
  vendor_id uuid not null,
  user_id uuid not null,
  primary key (vendor_id, user_id)
);
create function public.is_member(vendor uuid) returns boolean language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.members m where m.vendor_id = vendor and m.user_id = (select auth.uid()))
$$;
create function public.is_open(status public.booking_status) returns boolean language sql immutable set search_path = '' as $$
  select status <> 'cancelled'::public.booking_status
$$;
create table public.bookings (
  id uuid primary key default extensions.uuid_generate_v4(),
  vendor_id uuid not null,
  status public.booking_status not null default 'pending',
  code public.short_code not null default encode(extensions.gen_random_bytes(6), 'hex'),
  statuses public.booking_status[],
  check (public.is_open(status) or vendor_id is not null)
);
create index bookings_open_idx on public.bookings (vendor_id) where public.is_open(status);
create index bookings_code_idx on public.bookings (lower(code), (public.is_open(status)));
alter table public.bookings enable row level security;
create policy "Members read" on public.bookings
  for select to authenticated using (public.is_member(vendor_id));
create policy "Members read through the table" on public.bookings
  for select to authenticated
  using (exists (select 1 from public.members m where m.vendor_id = bookings.vendor_id and m.user_id = (select auth.uid())));
create policy "Members update open bookings" on public.bookings
  for update to authenticated
  using (status = 'pending'::public.booking_status)
  with check (public.is_member(vendor_id) and public.is_open(status));
create view public.open_bookings with (security_invoker = true) as
  select id, vendor_id from public.bookings where public.is_open(status);
create function public.touch() returns trigger language plpgsql set search_path = '' as $$
begin
  return new;
end
$$;
create trigger bookings_touch before update on public.bookings
  for each row when (new.status = 'confirmed'::public.booking_status) execute function public.touch();
`,
  },
];

describe('the connecting role makes no difference (issue 10 §3)', function () {
  this.timeout(300_000);
  let server: TestServer;
  let url: string;
  let shadow: ShadowResult;
  const analysis = () => analyze({ files: MIGRATIONS, config });
  const introspectAs = async (user: string, password: string): Promise<Catalog> => {
    const roleUrl = new URL(url);
    roleUrl.username = user;
    roleUrl.password = password;
    const { catalog, warnings } = await introspectDatabase(resolveConnectionOptions({ url: roleUrl.toString(), env: {} }), { config });
    assert.deepEqual(warnings, [], `${user} could not read everything`);
    return catalog;
  };

  before(async () => {
    await loadParser();
    server = await getTestServer();
    url = await server.createDatabase('pgreview_connecting_role');
    // Set up the way `supabase db reset` does, so the database matches the shadow.
    await server.runSql(url, `create extension if not exists "uuid-ossp" with schema extensions;
      create extension if not exists pgcrypto with schema extensions;
      alter database pgreview_connecting_role set search_path = "$user", public, extensions;`);
    for (const file of MIGRATIONS) await server.runSql(url, file.text);
    // Roles belong to the cluster, so each run starts them afresh.
    await server.runSql(server.adminUrl, `drop role if exists pgreview_empty_path;
      drop role if exists pgreview_no_usage;
      create role pgreview_empty_path login password 'empty-path-pw';
      alter role pgreview_empty_path set search_path = '';
      create role pgreview_no_usage login password 'no-usage-pw';`);
    // What a read-only role needs beyond the catalogs: every row of the storage buckets
    // (public_bucket_allows_listing), which pgreview reads with row_security off.
    await server.runSql(url, `grant usage on schema storage to pgreview_empty_path, pgreview_no_usage;
      grant select on storage.buckets to pgreview_empty_path, pgreview_no_usage;
      alter role pgreview_empty_path bypassrls;
      alter role pgreview_no_usage bypassrls;`);
    shadow = await shadowWithPglite(analysis().files, { config, cacheDirectory: mkdtempSync(join(tmpdir(), 'pgreview-connecting-role-')) });
    assert.deepEqual(shadow.findings.map((finding) => finding.message), []);
  });

  it('the roles under test really see names differently without pgreview pinning the path', async () => {
    // Guards the test itself: if the server stopped qualifying names for these roles, the
    // assertions below would pass whatever introspection did.
    const printed = async (user: string, password: string): Promise<string> => {
      const roleUrl = new URL(url);
      roleUrl.username = user;
      roleUrl.password = password;
      const { Client } = await import('pg');
      const client = new Client({ connectionString: roleUrl.toString() });
      await client.connect();
      try {
        const result = await client.query<{ type: string }>(`select pg_catalog.format_type(a.atttypid, a.atttypmod) as type from pg_catalog.pg_attribute a
          join pg_catalog.pg_class c on c.oid = a.attrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relname = 'bookings' and a.attname = 'status'`);
        return result.rows[0].type;
      } finally {
        await client.end();
      }
    };
    assert.equal(await printed(server.user, server.password), 'booking_status');
    assert.equal(await printed('pgreview_empty_path', 'empty-path-pw'), 'public.booking_status');
    await server.runSql(url, `alter role pgreview_no_usage in database pgreview_connecting_role set search_path = "$user", public, extensions`);
    try {
      assert.equal(await printed('pgreview_no_usage', 'no-usage-pw'), 'public.booking_status');
    } finally {
      await server.runSql(url, `alter role pgreview_no_usage in database pgreview_connecting_role reset search_path`);
    }
  });

  for (const [user, password, why] of [
    ['pgreview_empty_path', 'empty-path-pw', "whose search_path is ''"],
    ['pgreview_no_usage', 'no-usage-pw', 'without USAGE on public and extensions'],
  ] as const) {
    it(`reads the same catalog and diff as the superuser for a role ${why}`, async () => {
      const asSuperuser = await introspectAs(server.user, server.password);
      const asRole = await introspectAs(user, password);
      assert.deepEqual(printedForms(asRole), printedForms(asSuperuser));

      const superuserChanges = diffCatalogs(shadow.catalog, asSuperuser, { profile: 'supabase', origins: analysis().catalog });
      const roleChanges = diffCatalogs(shadow.catalog, asRole, { profile: 'supabase', origins: analysis().catalog });
      assert.deepEqual(roleChanges.map(describeChange), superuserChanges.map(describeChange));
      assert.deepEqual(roleChanges.map(describeChange), []);
      assert.equal(renderAlignmentSql(roleChanges, shadow.catalog, asRole, { allowDrops: false }), renderAlignmentSql(superuserChanges, shadow.catalog, asSuperuser, { allowDrops: false }));
    });
  }
});

/** Every text in the catalog whose spelling depends on how PostgreSQL qualifies names. */
function printedForms(catalog: Catalog): Record<string, unknown> {
  const tables = [...catalog.tables.values()].filter((table) => table.schema === 'public');
  return {
    columns: tables.flatMap((table) => [...table.columns.values()].map((column) => [table.name, column.name, column.type, column.default?.text ?? null])),
    checks: tables.flatMap((table) => [...table.constraints.values()].map((constraint) => [constraint.name, constraint.check?.text ?? null])),
    indexes: tables.flatMap((table) => [...table.indexes.values()].map((index) => [index.name, index.keys.map((key) => key.column ?? key.expression?.text), index.where?.text ?? null])),
    policies: tables.flatMap((table) => [...table.policies.values()].map((policy) => [policy.name, policy.using?.text ?? null, policy.withCheck?.text ?? null])),
    triggers: tables.flatMap((table) => [...table.triggers.values()].map((trigger) => [trigger.name, trigger.function, trigger.when?.text ?? null])),
    functions: [...catalog.functions.values()].filter((func) => func.schema === 'public').map((func) => [func.key, func.returns, func.arguments.map((argument) => argument.type)]),
    views: [...catalog.views.values()].filter((view) => view.schema === 'public').map((view) => [view.name, view.definition.text]),
    types: [...catalog.types.values()].filter((type) => type.schema === 'public').map((type) => [type.name, type.baseType ?? null, [...(type.constraints?.values() ?? [])].map((constraint) => constraint.check?.text)]),
  };
}

function describeChange(change: Change): string {
  return `${change.status} ${change.type} ${change.object}${change.status === 'changed' ? ` ${change.property}` : ''}`;
}
