/**
 * The shadow database: migrations applied for real, statement by statement, to PGlite and to a
 * server, then introspected. Failures become `migration_apply_error` findings at their statement.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { renderCatalog } from '../../src/core/catalog/renderCatalog';
import { defaultConfig } from '../../src/core/config';
import { parseSqlFile, type ParsedFile } from '../../src/core/sql/parseSqlFile';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { shadowWithPglite, shadowWithServer, type ShadowResult } from '../../src/db/shadow';
import { getTestServer } from '../support/postgresServer';

const config = defaultConfig('supabase');
const EXAMPLE_MIGRATIONS = join(__dirname, '..', '..', 'examples', 'trvl-social', 'supabase', 'migrations');

function migrations(files: Record<string, string>): ParsedFile[] {
  return Object.entries(files).map(([name, text]) => parseSqlFile(`supabase/migrations/${name}`, text));
}

function exampleMigrations(): ParsedFile[] {
  return readdirSync(EXAMPLE_MIGRATIONS)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => parseSqlFile(`supabase/migrations/${name}`, readFileSync(join(EXAMPLE_MIGRATIONS, name), 'utf8')));
}

describe('shadow database', function () {
  this.timeout(300_000);
  let cacheDirectory: string;

  before(async () => {
    await loadParser();
    cacheDirectory = mkdtempSync(join(tmpdir(), 'pgreview-shadow-test-'));
  });

  describe('PGlite', () => {
    it('applies the example project without an error, and a snapshot makes the second shadow start faster', async () => {
      const files = exampleMigrations();
      const cold = await shadowWithPglite(files, { config, cacheDirectory });
      const warm = await shadowWithPglite(files, { config, cacheDirectory });
      // Timings depend on the machine: printed for the reader, not asserted.
      console.log(`      shadow of ${files.length} files: cold start ${cold.timings.startMs} ms, warm start ${warm.timings.startMs} ms; apply ${warm.timings.applyMs} ms, introspect ${warm.timings.introspectMs} ms (${warm.queryCount} queries)`);
      assert.equal(cold.timings.start, 'cold');
      assert.equal(warm.timings.start, 'warm');
      assert.deepEqual(cold.findings.map((finding) => `${finding.span?.file}:${finding.span?.line} ${finding.message}`), []);
      assert.equal(cold.statementsFailed, 0);
      assert.equal(cold.catalog.source, 'shadow');
      for (const table of ['public.profiles', 'public.vendors', 'public.bookings', 'public.wallets', 'public.chat_messages']) {
        assert.ok(cold.catalog.tables.has(table), `${table} is in the shadow`);
      }
      assert.deepEqual([...warm.catalog.tables.keys()].sort(), [...cold.catalog.tables.keys()].sort());
    });

    it('reports a failing statement at its place with the SQLSTATE, and applies the statements after it', async () => {
      const result = await shadowWithPglite(
        migrations({
          '20240101000000_bookings.sql': [
            'create table public.bookings (id uuid primary key, user_id uuid not null);',
            '-- public.payments is created by the next file: this fails on a fresh database.',
            'alter table public.payments add column booking_id uuid references public.bookings (id);',
            'create index bookings_user_id_idx on public.bookings (user_id);',
          ].join('\n'),
          '20240102000000_payments.sql': 'create table public.payments (id uuid primary key, amount_cents integer not null);\n',
        }),
        { config, cacheDirectory },
      );
      assert.deepEqual(
        result.findings.map((finding) => [finding.rule, finding.level, finding.span?.file, finding.span?.line, finding.span?.column]),
        [['migration_apply_error', 'error', 'supabase/migrations/20240101000000_bookings.sql', 3, 1]],
      );
      assert.match(result.findings[0].message, /relation "public\.payments" does not exist \(SQLSTATE 42P01\)/);
      assert.ok(result.catalog.tables.get('public.bookings')?.indexes.has('bookings_user_id_idx'), 'the statement after the failure applied');
      assert.ok(result.catalog.tables.has('public.payments'), 'the next file applied');
      assert.deepEqual([result.statementsApplied, result.statementsFailed], [3, 1]);
    });

    it('reports an extension PGlite lacks once, with the statements that need it listed under it', async () => {
      const result = await shadowWithPglite(
        migrations({
          '20240101000000_extensions.sql': 'create extension if not exists vector with schema extensions;\n',
          '20240102000000_documents.sql': [
            'create table public.documents (id bigint generated always as identity primary key, body text not null, embedding extensions.vector(3));',
            'create index documents_embedding_idx on public.documents using hnsw (embedding extensions.vector_cosine_ops);',
            'create extension if not exists vector with schema extensions;',
            'create table public.document_tags (document_id bigint, tag text not null);',
          ].join('\n'),
        }),
        { config, cacheDirectory },
      );
      assert.deepEqual(result.findings.map((finding) => [finding.span?.file, finding.span?.line]), [['supabase/migrations/20240101000000_extensions.sql', 1]]);
      assert.match(result.findings[0].message, /Extension "vector" is not available in the shadow database \(PGlite\).*2 later statements that use it failed too/);
      assert.deepEqual(result.findings[0].related?.map((related) => related.span.line), [1, 2]);
      assert.ok(result.catalog.tables.has('public.document_tags'));
    });

    it('runs each file in a transaction, as the Supabase CLI does, and CREATE and DROP INDEX CONCURRENTLY outside it', async () => {
      const result = await shadowWithPglite(
        migrations({
          '20240101000000_status.sql': [
            "create type public.booking_status as enum ('pending', 'confirmed');",
            'create table public.bookings (id uuid primary key, status public.booking_status not null);',
            "alter type public.booking_status add value 'cancelled';",
            "create index bookings_cancelled_idx on public.bookings (id) where status = 'cancelled';",
            'create index concurrently bookings_status_idx on public.bookings (status);',
            'create index bookings_status_lookup_idx on public.bookings (status);',
            'drop index concurrently if exists public.bookings_status_lookup_idx;',
          ].join('\n'),
        }),
        { config, cacheDirectory },
      );
      assert.deepEqual(result.findings.map((finding) => [finding.span?.line, /SQLSTATE (\w+)/.exec(finding.message)?.[1]]), [[4, '55P04']]);
      assert.ok(result.catalog.tables.get('public.bookings')?.indexes.has('bookings_status_idx'));
      assert.ok(!result.catalog.tables.get('public.bookings')?.indexes.has('bookings_status_lookup_idx'));
    });
  });

  describe('PGlite applied-state cache', () => {
    /** A project with one failing statement and a missing extension, so the findings are worth comparing. */
    const project = {
      '20240101000000_profiles.sql': [
        'create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, username text unique);',
        'alter table public.profiles enable row level security;',
        'create policy "Profiles are public" on public.profiles for select to anon, authenticated using (true);',
      ].join('\n'),
      '20240102000000_vendors.sql': [
        'create extension if not exists vector with schema extensions;',
        'create table public.vendors (id uuid primary key default gen_random_uuid(), owner_id uuid not null references public.profiles (id), name text not null);',
        'alter table public.vendors enable row level security;',
        'create policy "Owners manage vendors" on public.vendors for all to authenticated using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));',
      ].join('\n'),
      '20240103000000_bookings.sql': [
        'create table public.bookings (id uuid primary key default gen_random_uuid(), vendor_id uuid not null references public.vendors (id), user_id uuid not null, embedding extensions.vector(3));',
        '-- public.vendors exists already: this fails on a fresh database.',
        'create table public.vendors (id uuid primary key);',
        'create index bookings_user_id_idx on public.bookings (user_id);',
      ].join('\n'),
      '20240104000000_wallets.sql': 'create table public.wallets (id uuid primary key, user_id uuid not null, balance_cents bigint not null default 0);\n',
    };

    /** What must be identical between a shadow applied for real and one loaded from the cache. */
    function observable(result: ShadowResult): { catalog: string; findings: unknown; counts: number[] } {
      return {
        catalog: renderCatalog(result.catalog, { includePlatform: true }),
        findings: JSON.parse(JSON.stringify(result.findings)),
        counts: [result.statementsApplied, result.statementsFailed],
      };
    }

    const cacheDirectories: string[] = [];
    function freshCacheDirectory(): string {
      const directory = mkdtempSync(join(tmpdir(), 'pgreview-shadow-cache-test-'));
      cacheDirectories.push(directory);
      return directory;
    }
    // Each entry holds a whole data directory: a few megabytes not to leave behind.
    after(() => {
      for (const directory of cacheDirectories) rmSync(directory, { recursive: true, force: true });
    });

    it('returns the identical result from the cache on a second run, without applying a file', async () => {
      const directory = freshCacheDirectory();
      const files = migrations(project);
      const applied = await shadowWithPglite(files, { config, cacheDirectory: directory });
      const cached = await shadowWithPglite(files, { config, cacheDirectory: directory });
      console.log(`      applied: start ${applied.timings.startMs} ms, apply ${applied.timings.applyMs} ms; from the cache: start ${cached.timings.startMs} ms, apply ${cached.timings.applyMs} ms`);
      assert.deepEqual(applied.cache, { filesFromCache: 0, filesApplied: 4 });
      assert.deepEqual(cached.cache, { filesFromCache: 4, filesApplied: 0 });
      assert.deepEqual(
        applied.findings.map((finding) => [finding.span?.file, finding.span?.line, finding.related?.length ?? 0]),
        [
          ['supabase/migrations/20240102000000_vendors.sql', 1, 2],
          ['supabase/migrations/20240103000000_bookings.sql', 3, 0],
        ],
      );
      assert.deepEqual(observable(cached), observable(applied));
      assert.deepStrictEqual(cached.findings, applied.findings);
      // The baseline snapshot and the applied states (which hold the seed data) are the owner's only.
      const modes = readdirSync(directory).map((name) => `${name.replace(/[0-9a-f]{16,}/, '…')} ${(statSync(join(directory, name)).mode & 0o777).toString(8)}`);
      assert.deepEqual(modes.sort(), ['pgreview-applied-….bin 600', 'pgreview-applied-….bin 600', 'pgreview-shadow-….tar.gz 600']);
    });

    it('applies only the last file when only it changed, with the same result as applying everything', async () => {
      const directory = freshCacheDirectory();
      await shadowWithPglite(migrations(project), { config, cacheDirectory: directory });
      const edited = migrations({
        ...project,
        '20240104000000_wallets.sql': 'create table public.wallets (id uuid primary key, user_id uuid not null, currency text not null default \'EUR\');\n',
      });
      const resumed = await shadowWithPglite(edited, { config, cacheDirectory: directory });
      const fromScratch = await shadowWithPglite(edited, { config, cacheDirectory: freshCacheDirectory() });
      assert.deepEqual(resumed.cache, { filesFromCache: 3, filesApplied: 1 });
      assert.ok(resumed.catalog.tables.get('public.wallets')?.columns.has('currency'), 'the edit shows up');
      assert.ok(!resumed.catalog.tables.get('public.wallets')?.columns.has('balance_cents'), 'the old version of the file is gone');
      assert.deepEqual(observable(resumed), observable(fromScratch));

      // A new file after them resumes from the state after all four.
      const added = migrations({ ...project, '20240105000000_chat.sql': 'create table public.chat_messages (id bigint generated always as identity primary key, body text not null);\n' });
      const appended = await shadowWithPglite(added, { config, cacheDirectory: directory });
      assert.deepEqual(appended.cache, { filesFromCache: 4, filesApplied: 1 });
      assert.ok(appended.catalog.tables.has('public.chat_messages'));
    });

    it('applies everything again when an earlier file changed', async () => {
      const directory = freshCacheDirectory();
      await shadowWithPglite(migrations(project), { config, cacheDirectory: directory });
      const edited = migrations({ ...project, '20240101000000_profiles.sql': project['20240101000000_profiles.sql'].replace('username text unique', 'username text unique, avatar_url text') });
      const result = await shadowWithPglite(edited, { config, cacheDirectory: directory });
      assert.deepEqual(result.cache, { filesFromCache: 0, filesApplied: 4 });
      assert.ok(result.catalog.tables.get('public.profiles')?.columns.has('avatar_url'));
    });

    it('ignores a damaged cache entry, rebuilds it and returns the same result', async () => {
      const directory = freshCacheDirectory();
      const files = migrations(project);
      const applied = await shadowWithPglite(files, { config, cacheDirectory: directory });
      const entries = readdirSync(directory).filter((name) => name.startsWith('pgreview-applied-'));
      assert.equal(entries.length, 2, 'the states before the last file and after it');
      for (const [index, name] of entries.entries()) {
        const path = join(directory, name);
        const bytes = readFileSync(path);
        // One entry truncated, one with a flipped byte in the data: neither may be loaded.
        if (index === 0) writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
        else writeFileSync(path, Buffer.concat([bytes.subarray(0, bytes.length - 100), Buffer.from([bytes[bytes.length - 100] ^ 0xff]), bytes.subarray(bytes.length - 99)]));
      }
      const rebuilt = await shadowWithPglite(files, { config, cacheDirectory: directory });
      assert.deepEqual(rebuilt.cache, { filesFromCache: 0, filesApplied: 4 });
      assert.deepEqual(observable(rebuilt), observable(applied));
      const again = await shadowWithPglite(files, { config, cacheDirectory: directory });
      assert.deepEqual(again.cache, { filesFromCache: 4, filesApplied: 0 });

      writeFileSync(join(directory, entries[0]), 'not a cache entry');
      const garbage = await shadowWithPglite(files, { config, cacheDirectory: directory });
      assert.deepEqual(observable(garbage), observable(applied));
    });

    it('keeps a separate entry per rule setting, so a level change shows in the cached findings', async () => {
      const directory = freshCacheDirectory();
      const files = migrations(project);
      await shadowWithPglite(files, { config, cacheDirectory: directory });
      const warning = await shadowWithPglite(files, { config: { ...config, rules: { ...config.rules, migration_apply_error: 'warning' } }, cacheDirectory: directory });
      assert.deepEqual(warning.cache, { filesFromCache: 0, filesApplied: 4 });
      assert.deepEqual([...new Set(warning.findings.map((finding) => finding.level))], ['warning']);
    });
  });

  describe('server (--shadow URL)', () => {
    it('applies the migrations in a database it creates and drops, never in the named one', async () => {
      const server = await getTestServer();
      const url = await server.createDatabase('pgreview_shadow_host', { baseline: false });
      const connection = resolveConnectionOptions({ url, env: {} });
      const result = await shadowWithServer(connection, exampleMigrations(), { config });
      assert.deepEqual(result.findings.map((finding) => `${finding.span?.file}:${finding.span?.line} ${finding.message}`), []);
      assert.equal(result.timings.start, 'server');
      assert.ok(result.catalog.tables.has('public.bookings'));
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const leftovers = await client.query("select datname from pg_database where datname like 'pgreview_shadow_%' and datname <> 'pgreview_shadow_host'");
        assert.deepEqual(leftovers.rows, []);
        const tables = await client.query("select count(*)::int as count from pg_tables where schemaname = 'public'");
        assert.equal(tables.rows[0].count, 0, 'the named database is untouched');
      } finally {
        await client.end();
      }
    });
  });
});
