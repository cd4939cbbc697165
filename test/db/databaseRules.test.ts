/**
 * The L rules (RULES.md: they need a live database) on the real test server: statistics, installed
 * versions and storage data, read by introspection and judged by runRules.
 */
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { analyze } from '../../src/core/analyze';
import { defaultConfig } from '../../src/core/config';
import type { Finding } from '../../src/core/finding';
import { runRules } from '../../src/core/rules/runRules';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { getTestServer, type TestServer } from '../support/postgresServer';

const L_RULES = ['unused_index', 'table_bloat', 'extension_versions_outdated', 'public_bucket_allows_listing'];

describe('database-only rules on a live database', function () {
  this.timeout(120_000);
  let server: TestServer;

  before(async () => {
    await loadParser();
    server = await getTestServer();
  });

  /** `statisticsDaysOld` makes the introspected statistics as old as that: a test server's are minutes old. */
  async function findingsOf(url: string, rule: string, options: { statisticsDaysOld?: number } = {}): Promise<string[]> {
    const { catalog } = await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config: defaultConfig() });
    if (options.statisticsDaysOld !== undefined && catalog.indexStatisticsAge) catalog.indexStatisticsAge.seconds = options.statisticsDaysOld * 86_400;
    return runRules(catalog, defaultConfig()).filter((finding: Finding) => finding.rule === rule).map((finding) => `${finding.object}: ${finding.message}`);
  }

  it('unused_index reports an index no query has scanned, and not the primary key or a used index', async () => {
    const url = await server.createDatabase('pgreview_unused_index');
    await server.runSql(url, `
      create table public.bookings (id bigint primary key, user_id uuid not null, status text not null, code text unique);
      create index bookings_status_idx on public.bookings (status);
      create index bookings_user_idx on public.bookings (user_id);
      insert into public.bookings select i, gen_random_uuid(), 'pending', 'c' || i from generate_series(1, 1000) i;`);
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('set enable_seqscan = off');
    await client.query("select * from public.bookings where user_id = '00000000-0000-0000-0000-000000000000'");
    await client.end();
    await waitFor(url, "select idx_scan > 0 as ready from pg_stat_user_indexes where indexrelname = 'bookings_user_idx'");
    assert.deepEqual(await findingsOf(url, 'unused_index', { statisticsDaysOld: 30 }), [
      'public.bookings_status_idx: Index public.bookings_status_idx on public.bookings has never been scanned; drop it if no query needs it.',
    ]);
  });

  it('unused_index says the statistics are too young, in one finding, when they were reset less than 7 days ago', async () => {
    const url = await server.createDatabase('pgreview_unused_index_reset');
    await server.runSql(url, `
      create table public.bookings (id bigint primary key, user_id uuid not null, status text not null);
      create index bookings_status_idx on public.bookings (status);
      create index bookings_user_idx on public.bookings (user_id);
      select pg_stat_reset();`);
    const found = await findingsOf(url, 'unused_index');
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(
      found[0],
      /^pgreview_unused_index_reset: 2 indexes have never been scanned, but the statistics of database pgreview_unused_index_reset were reset \d+ minutes? ago \(pg_stat_database\.stats_reset\): too young to call an index unused, so none is reported\. unused_index judges indexes once the statistics are 7 days old\.$/,
    );
    // The same statistics a week later: every index is judged.
    assert.equal((await findingsOf(url, 'unused_index', { statisticsDaysOld: 7 })).length, 2);
  });

  it('counts statistics that were never reset (a new database) from the server start', async () => {
    const url = await server.createDatabase('pgreview_unused_index_new');
    await server.runSql(url, 'create table public.bookings (id bigint primary key, status text not null); create index bookings_status_idx on public.bookings (status);');
    const { catalog } = await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config: defaultConfig() });
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ uptime: number }>('select extract(epoch from now() - pg_postmaster_start_time())::float8 as uptime');
    await client.end();
    assert.equal(catalog.indexStatisticsAge?.since, 'server_start');
    assert.equal(catalog.indexStatisticsAge?.database, 'pgreview_unused_index_new');
    assert.ok(Math.abs(catalog.indexStatisticsAge.seconds - rows[0].uptime) < 600, `${catalog.indexStatisticsAge.seconds} s against an uptime of ${rows[0].uptime} s`);
  });

  it('table_bloat reports a table that is mostly dead rows', async () => {
    const url = await server.createDatabase('pgreview_table_bloat');
    await server.runSql(url, `
      create table public.chat_messages (id bigint primary key, body text not null);
      create table public.wallets (id bigint primary key, balance numeric not null);
      insert into public.chat_messages select i, repeat('m', 200) from generate_series(1, 20000) i;
      insert into public.wallets select i, 0 from generate_series(1, 20000) i;
      update public.chat_messages set body = repeat('n', 200);
      update public.chat_messages set body = repeat('o', 200);`);
    await waitFor(url, "select n_dead_tup >= 40000 as ready from pg_stat_user_tables where relname = 'chat_messages'");
    const found = await findingsOf(url, 'table_bloat');
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], /^public\.chat_messages: Table public\.chat_messages is about 6\d% bloat \([\d.]+ MB of [\d.]+ MB\)/);
  });

  it('extension_versions_outdated reports an extension older than the default version', async () => {
    const url = await server.createDatabase('pgreview_extension_versions');
    await server.runSql(url, "create extension hstore with schema extensions version '1.4'; create extension citext with schema extensions;");
    const found = await findingsOf(url, 'extension_versions_outdated');
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], /^hstore: Extension hstore is at version 1\.4; the server offers 1\.\d+\.$/);
  });

  it('public_bucket_allows_listing reports a broad SELECT policy on a public bucket only', async () => {
    const url = await server.createDatabase('pgreview_buckets');
    await server.runSql(url, `
      insert into storage.buckets (id, name, public) values ('avatars', 'avatars', true), ('invoices', 'invoices', false), ('media', 'media', true);
      create policy "Public read avatars" on storage.objects for select to public using (bucket_id = 'avatars');
      create policy "Read invoices" on storage.objects for select to authenticated using (bucket_id = 'invoices');
      create policy "Own media" on storage.objects for select to authenticated
        using (bucket_id = 'media' and (storage.foldername(name))[1] = (select auth.uid())::text);`);
    assert.deepEqual(await findingsOf(url, 'public_bucket_allows_listing'), [
      'storage.objects.Public read avatars: Public bucket "avatars" can be listed: policy "Public read avatars" on storage.objects lets public select every object in it.',
    ]);
  });

  it('the L rules stay silent on a catalog from migrations, which has no statistics or data', () => {
    const sql = `create table public.bookings (id bigint primary key, status text);
create index bookings_status_idx on public.bookings (status);
create extension hstore with schema extensions version '1.4';`;
    const analysis = analyze({ files: [{ path: 'supabase/migrations/0001.sql', text: sql }], config: defaultConfig() });
    assert.deepEqual(analysis.findings.filter((finding) => L_RULES.includes(finding.rule)), []);
    assert.deepEqual(runRules(analysis.catalog, defaultConfig()).filter((finding) => L_RULES.includes(finding.rule)), []);
  });
});

/** Statistics reach the shared view when a backend flushes them; wait until the query says they have. */
async function waitFor(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // A backend flushes its statistics when it ends, which a busy machine may delay by seconds:
    // the deadline is generous, and a normal run waits a few hundred milliseconds.
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const result = await client.query(sql);
      if (result.rows[0]?.ready) return;
      await client.query('select pg_stat_clear_snapshot()');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`statistics never became ready: ${sql}`);
  } finally {
    await client.end();
  }
}
