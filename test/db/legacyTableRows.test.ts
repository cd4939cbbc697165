/**
 * legacy_table with a database (issue 13, section 3): `check --db` quotes the estimated rows of a
 * leftover copy and of its live twin, and calls out a `*_backup` table that holds more rows than
 * the table it copies, in place of the migrations' finding.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import check from '../../src/cli/commands/check';
import type { JsonReport } from '../../src/core/report/renderJson';
import { loadParser } from '../../src/core/sql/parser';
import { applyProjectToServer } from '../support/applyProjectToServer';
import { getTestServer } from '../support/postgresServer';
import { runCliCommand } from '../support/runCliCommand';

const MIGRATION = `create table public.bookings (id bigint generated always as identity primary key, status text not null);
alter table public.bookings enable row level security;
create table public.bookings_backup (id bigint primary key, status text not null);
alter table public.bookings_backup enable row level security;
create table public.v1_wallets (id bigint primary key, balance_cents bigint not null);
alter table public.v1_wallets enable row level security;
create table public.wallets (id bigint primary key, balance_cents bigint not null);
alter table public.wallets enable row level security;
create table public.invoices_old (id bigint primary key);
alter table public.invoices_old enable row level security;
`;

describe('legacy_table with a database', function () {
  this.timeout(120_000);

  before(() => loadParser());

  it('quotes the rows of the copy and of its live twin, and calls out a backup holding more', async () => {
    const project = mkdtempSync(join(tmpdir(), 'pgreview-legacy-rows-'));
    mkdirSync(join(project, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(join(project, 'supabase', 'config.toml'), 'project_id = "legacy-rows"\n');
    writeFileSync(join(project, 'supabase', 'migrations', '20240101000000_bookings.sql'), MIGRATION);
    const url = await applyProjectToServer(project, 'pgreview_legacy_rows');
    // The backup kept 40 bookings the live table lost; the old wallets are a smaller copy. ANALYZE
    // makes the estimates exact; invoices_old is never analysed.
    await (await getTestServer()).runSql(url, `insert into public.bookings (status) select 'confirmed' from generate_series(1, 60);
insert into public.bookings_backup select g, 'confirmed' from generate_series(1, 100) g;
insert into public.wallets select g, 0 from generate_series(1, 30) g;
insert into public.v1_wallets select g, 0 from generate_series(1, 12) g;
analyze public.bookings, public.bookings_backup, public.wallets, public.v1_wallets;`);

    const offline = await runCliCommand(check, project, ['--format', 'json', '--fail-on', 'none']);
    const run = await runCliCommand(check, project, ['--db', url, '--format', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    const legacy = (report: string) => (JSON.parse(report) as JsonReport).findings.filter((finding) => finding.rule === 'legacy_table');
    // The same findings on the same lines as without --db, each once.
    const places = (report: string) => legacy(report).map((finding) => `${finding.object}:${finding.line}`).sort();
    assert.deepEqual(places(run.stdout), places(offline.stdout));
    const messages = new Map(legacy(run.stdout).map((finding) => [finding.object, finding.message.replace(/ \(in the database .*\)$/, '')]));
    assert.equal(messages.get('public.bookings_backup'), 'Table public.bookings_backup is named like a backup: if nothing reads it any more, drop it in a cleanup migration. The database estimates about 100 rows in it, and about 60 rows in public.bookings: it holds more rows than public.bookings, so rows may have been lost from the live table; compare them before dropping it.');
    assert.equal(messages.get('public.v1_wallets'), 'Table public.v1_wallets is named like a leftover: if nothing reads it any more, drop it in a cleanup migration. The database estimates about 12 rows in it, and about 30 rows in public.wallets.');
    assert.equal(messages.get('public.invoices_old'), 'Table public.invoices_old is named like a leftover: if nothing reads it any more, drop it in a cleanup migration. The database estimates an unknown number of rows (never analysed) in it.');
  });
});
