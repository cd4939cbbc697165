/**
 * missing_foreign_key with a database (issue 13, section 3): `check --db` counts the orphan rows
 * read-only and quotes them on the migration's finding; the suggested key applies NOT VALID while
 * they exist, and VALIDATE succeeds once they are gone. A count the statement timeout cuts off, or
 * a table the role may not read, leaves the finding without a count and says why.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import check from '../../src/cli/commands/check';
import { defaultConfig } from '../../src/core/config';
import type { JsonReport } from '../../src/core/report/renderJson';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { countOrphanRows } from '../../src/db/countOrphanRows';
import { introspectDatabase } from '../../src/db/introspect';
import { applyProjectToServer } from '../support/applyProjectToServer';
import { getTestServer } from '../support/postgresServer';
import { runCliCommand } from '../support/runCliCommand';

const MIGRATION = `create table public.vendors (id uuid primary key default gen_random_uuid(), name text not null);
create table public.categories (id bigint generated always as identity primary key, name text not null);
create table public.adventures (
  id uuid primary key default gen_random_uuid(),
  vendor_id uuid,
  category_id bigint,
  title text not null
);
alter table public.vendors enable row level security;
alter table public.categories enable row level security;
alter table public.adventures enable row level security;
`;

const ROWS = `insert into public.vendors (id, name) values ('00000000-0000-0000-0000-0000000000a1', 'Alpine Guides'), ('00000000-0000-0000-0000-0000000000a2', 'Reef Divers');
insert into public.categories (name) values ('hiking'), ('diving');
insert into public.adventures (vendor_id, category_id, title) values
  ('00000000-0000-0000-0000-0000000000a1', 1, 'Glacier walk'),
  ('00000000-0000-0000-0000-0000000000a2', 2, 'Night dive'),
  ('00000000-0000-0000-0000-0000000000ff', 1, 'Walk of a vendor that was deleted'),
  ('00000000-0000-0000-0000-0000000000fe', 2, 'Dive of a vendor that was deleted'),
  (null, 1, 'Adventure without a vendor yet');
`;

describe('missing_foreign_key on a database', function () {
  this.timeout(120_000);
  let project: string;
  let url: string;

  before(async () => {
    await loadParser();
    project = mkdtempSync(join(tmpdir(), 'pgreview-missing-fk-'));
    mkdirSync(join(project, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(join(project, 'supabase', 'config.toml'), 'project_id = "missing-fk"\n');
    writeFileSync(join(project, 'supabase', 'migrations', '20240101000000_adventures.sql'), MIGRATION);
    url = await applyProjectToServer(project, 'pgreview_missing_fk');
    await (await getTestServer()).runSql(url, ROWS);
  });

  it('check --db counts the orphan rows and quotes them on the migration\'s finding, once per column', async () => {
    const run = await runCliCommand(check, project, ['--db', url, '--format', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    const findings = (JSON.parse(run.stdout) as JsonReport).findings.filter((finding) => finding.rule === 'missing_foreign_key');
    assert.deepEqual(findings.map((finding) => [finding.object, finding.file, finding.line]), [
      ['public.adventures.category_id', 'supabase/migrations/20240101000000_adventures.sql', 6],
      ['public.adventures.vendor_id', 'supabase/migrations/20240101000000_adventures.sql', 5],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    const byObject = new Map(findings.map((finding) => [finding.object, finding.message]));
    assert.match(byObject.get('public.adventures.vendor_id')!, /The database has 2 rows whose vendor_id matches no row of public\.vendors: delete or repair them before VALIDATE CONSTRAINT\. \(in the database /);
    assert.match(byObject.get('public.adventures.category_id')!, /The database has no orphan rows: the constraint can be validated right after it is added\./);
    assert.doesNotMatch(run.stdout, /pgreview-secret-pw/);
  });

  it('the suggested key applies NOT VALID with orphans, and validates once they are gone', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('alter table public.adventures add constraint adventures_vendor_id_fkey foreign key (vendor_id) references public.vendors (id) not valid');
      await assert.rejects(client.query('alter table public.adventures validate constraint adventures_vendor_id_fkey'), /violates foreign key constraint/);
      await client.query('rollback');
      await client.query('begin');
      await client.query('alter table public.adventures add constraint adventures_vendor_id_fkey foreign key (vendor_id) references public.vendors (id) not valid');
      await client.query("delete from public.adventures where vendor_id not in (select id from public.vendors)");
      await client.query('alter table public.adventures validate constraint adventures_vendor_id_fkey');
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });

  it('a count the statement timeout cuts off leaves the finding without a count, with a warning', async () => {
    const config = defaultConfig('supabase');
    const connection = { ...resolveConnectionOptions({ url, env: {} }), statementTimeoutMs: 300 };
    const { catalog } = await introspectDatabase(connection, { config });
    // The count waits for this lock, so the statement timeout ends it, however fast the machine.
    const locker = new Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table public.adventures in access exclusive mode');
      const warnings = await countOrphanRows(connection, catalog, config);
      assert.deepEqual(warnings.map((warning) => warning.family), ['orphan rows (missing_foreign_key)']);
      assert.match(warnings[0].message, /ran longer than the statement timeout \(0\.3 s\).*2 columns without a foreign key; missing_foreign_key reports them without counts\./);
      assert.equal(catalog.tables.get('public.adventures')!.statistics?.orphanRows, undefined);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  });

  it('a role that may not read the table gets the finding without a count, and a warning', async () => {
    const server = await getTestServer();
    await server.runSql(url, `do $$ begin
  if not exists (select from pg_roles where rolname = 'pgreview_catalog_reader') then create role pgreview_catalog_reader login password 'reader-pw'; end if;
end $$;
-- Past RLS, so that what stops it is the missing grant (selectOnlyRole.test.ts has a role RLS stops).
alter role pgreview_catalog_reader bypassrls;
grant usage on schema public to pgreview_catalog_reader;
grant select on public.vendors, public.categories to pgreview_catalog_reader;`);
    const readerUrl = new URL(url);
    readerUrl.username = 'pgreview_catalog_reader';
    readerUrl.password = 'reader-pw';
    const run = await runCliCommand(check, project, ['--db', readerUrl.toString(), '--format', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /pgreview: warning: Cannot count the orphan rows of 2 columns without a foreign key \(Permission denied on pgreview_catalog_reader@[^)]*: permission denied for table adventures\); missing_foreign_key reports them without counts\./);
    const messages = (JSON.parse(run.stdout) as JsonReport).findings.filter((finding) => finding.rule === 'missing_foreign_key').map((finding) => finding.message);
    assert.equal(messages.length, 2);
    assert.ok(messages.every((message) => !message.includes('The database has')), messages.join('\n'));
  });
});
