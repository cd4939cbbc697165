/**
 * The shadow database: migrations applied for real, statement by statement, to PGlite and to a
 * server, then introspected. Failures become `migration_apply_error` findings at their statement.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { CancelledError } from '../../src/core/cancellation';
import { renderCatalog } from '../../src/core/catalog/renderCatalog';
import { defaultConfig } from '../../src/core/config';
import { parseSqlFile, type ParsedFile } from '../../src/core/sql/parseSqlFile';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { baselineSnapshotKey, PGLITE_VERSION, shadowWithPglite, shadowWithServer, type ShadowResult } from '../../src/db/shadow';
import { readBaselineSnapshot, writeBaselineSnapshot } from '../../src/db/shadowCache';
import { getTestServer, type TestServer } from '../support/postgresServer';
import { readSharedState, shadowDatabases } from '../support/sharedServerState';

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

function packageVersion(folder: string): string {
  return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string }).version;
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
      assert.deepEqual(modes.sort(), ['pgreview-applied-….bin 600', 'pgreview-applied-….bin 600', 'pgreview-baseline-….bin 600']);
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

    it('ignores a baseline snapshot that is damaged, not a data directory, or made by another pgreview or PGlite version, and rebuilds it', async () => {
      const directory = freshCacheDirectory();
      const files = migrations(project);
      const first = await shadowWithPglite(files, { config, cacheDirectory: directory });
      const key = baselineSnapshotKey(config);
      const snapshotName = (): string => {
        const names = readdirSync(directory).filter((name) => name.startsWith('pgreview-baseline-'));
        assert.equal(names.length, 1);
        return names[0];
      };
      const name = snapshotName();
      const dataDir = readBaselineSnapshot(directory, key);
      assert.ok(dataDir, 'the first run wrote the snapshot');
      /** Runs without the applied states, so the baseline snapshot is what the shadow starts from. */
      const runFromBaseline = async (): Promise<ShadowResult> => {
        for (const entry of readdirSync(directory)) if (entry.startsWith('pgreview-applied-')) rmSync(join(directory, entry));
        return shadowWithPglite(files, { config, cacheDirectory: directory });
      };
      const fromSnapshot = await runFromBaseline();
      assert.equal(fromSnapshot.timings.start, 'warm');
      assert.deepEqual(observable(fromSnapshot), observable(first));

      const spoiled: [string, () => void][] = [
        ['truncated', () => writeFileSync(join(directory, name), readFileSync(join(directory, name)).subarray(0, 1000))],
        ['checksummed but not a data directory', () => writeBaselineSnapshot(directory, key, gzipSync(Buffer.from('not a data directory')))],
        ...[{ pgreview: '0.0.0-older', pglite: PGLITE_VERSION }, { pgreview: packageVersion(join(__dirname, '..', '..')), pglite: '0.0.1' }].map(
          (versions): [string, () => void] => [
            `made by pgreview ${versions.pgreview} with PGlite ${versions.pglite}`,
            () => {
              // The other version's snapshot, put where this version looks: its key does not match, so it is not loaded.
              const otherKey = baselineSnapshotKey(config, versions);
              assert.notEqual(otherKey, key);
              rmSync(join(directory, name));
              writeBaselineSnapshot(directory, otherKey, dataDir);
              renameSync(join(directory, snapshotName()), join(directory, name));
            },
          ],
        ),
      ];
      for (const [how, spoil] of spoiled) {
        spoil();
        const rebuilt = await runFromBaseline();
        assert.equal(rebuilt.timings.start, 'cold', `a snapshot ${how} is not used`);
        assert.deepEqual(observable(rebuilt), observable(first), `a snapshot ${how}`);
        assert.ok(readBaselineSnapshot(directory, key), `a snapshot ${how} is rebuilt`);
      }
    });

    it('deletes the baseline tarballs earlier builds left once it writes its own snapshot', async () => {
      const directory = freshCacheDirectory();
      const legacy = join(directory, 'pgreview-shadow-0123456789abcdef.tar.gz');
      const unrelated = join(directory, 'pgreview-shadow-notes.txt');
      writeFileSync(legacy, gzipSync(Buffer.from('an old baseline')));
      writeFileSync(unrelated, 'not a snapshot');
      await shadowWithPglite(migrations(project), { config, cacheDirectory: directory });
      assert.ok(readdirSync(directory).some((name) => name.startsWith('pgreview-baseline-')), 'the new snapshot is written');
      assert.equal(existsSync(legacy), false, 'the old tarball is gone');
      assert.equal(existsSync(unrelated), true, 'only tarballs are deleted');
    });

    it('names the installed PGlite version in the snapshot key', () => {
      assert.equal(PGLITE_VERSION, packageVersion(join(__dirname, '..', '..', 'node_modules', '@electric-sql', 'pglite')));
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
    it('applies the migrations in a database it creates and drops, never in the named one, and leaves no role of the baseline behind', async () => {
      const server = await getTestServer();
      const url = await server.createDatabase('pgreview_shadow_host', { baseline: false });
      const connection = resolveConnectionOptions({ url, env: {} });
      const before = await readSharedState(server);
      const result = await shadowWithServer(connection, exampleMigrations(), { config });
      assert.deepEqual(result.findings.map((finding) => `${finding.span?.file}:${finding.span?.line} ${finding.message}`), []);
      assert.equal(result.timings.start, 'server');
      assert.ok(result.catalog.tables.has('public.bookings'));
      // On a fresh cluster the baseline created anon, authenticated and the rest: they are gone again.
      assert.deepEqual(await readSharedState(server), before);
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

    describe('roles and settings, which the whole server shares', () => {
      let server: TestServer;
      let connection: ReturnType<typeof resolveConnectionOptions>;

      before(async () => {
        server = await getTestServer();
        // A database with the Supabase baseline: anon, authenticated and the others exist before the shadow runs, as on a real server.
        const url = await server.createDatabase('pgreview_shadow_roles_live');
        connection = resolveConnectionOptions({ url: server.adminUrl, env: {} });
        await server.runSql(url, 'create table public.vendors (id uuid primary key); grant select on public.vendors to anon, authenticated;');
      });

      it('creates a role and sets a role setting during the run, and leaves neither behind (issue 10 reproducer)', async () => {
        const before = await readSharedState(server);
        assert.ok(before.some((line) => line.startsWith('role authenticated nologin')), 'authenticated exists before the run');
        const result = await shadowWithServer(connection, migrations({ '20240101000000_roles.sql': "create role x;\nalter role authenticated set statement_timeout = '1s';\n" }), { config });
        assert.deepEqual(result.findings, []);
        assert.equal(result.statementsApplied, 2, 'both statements really ran on the server');
        assert.deepEqual(await readSharedState(server), before);
      });

      it('undoes changed role attributes, memberships granted and revoked, role and database settings, and roles created with members', async () => {
        const before = await readSharedState(server);
        const result = await shadowWithServer(
          connection,
          migrations({
            '20240101000000_roles.sql': [
              'alter role anon superuser;',
              'alter role authenticated bypassrls createdb connection limit 3;',
              'alter role service_role nobypassrls;',
              'grant service_role to anon with admin option;',
              'revoke anon from authenticator;',
              'create role reporting nologin in role authenticated;',
              "comment on role reporting is 'read-only reports';",
              'grant reporting to authenticator;',
              "alter role all set work_mem = '2MB';",
              'alter role authenticator set search_path = reporting, public;',
              "alter role anon in database postgres set statement_timeout = '3s';",
              "alter database postgres set lock_timeout = '4s';",
              'create role scratch;',
              'drop role scratch;',
            ].join('\n'),
          }),
          { config },
        );
        assert.deepEqual(result.findings, []);
        assert.equal(result.statementsApplied, 14);
        assert.deepEqual(await readSharedState(server), before);
      });

      it('puts everything back when the run is cancelled half-way', async () => {
        const before = await readSharedState(server);
        let cancelled = false;
        const token = {
          get isCancellationRequested() {
            return cancelled;
          },
        };
        const [first, second, third] = migrations({
          '20240101000000_roles.sql': "create role auditor;\nalter role anon createrole;\nalter role authenticated set statement_timeout = '1s';\n",
          '20240102000000_grants.sql': 'grant auditor to authenticated;\n',
          '20240103000000_vendors.sql': 'create table public.vendors (id uuid primary key);\n',
        });
        // Cancelled while the second file applies (when its SQL is read to run it): the first
        // file's changes are on the server by then, and the third file never starts.
        const grant = second.statements[0];
        const cancellingGrant = Object.defineProperty({ ...grant }, 'text', {
          get() {
            cancelled = true;
            return grant.text;
          },
        });
        const cancelling: ParsedFile = { ...second, statements: [cancellingGrant] };
        await assert.rejects(shadowWithServer(connection, [first, cancelling, third], { config }, token), CancelledError);
        assert.deepEqual(await readSharedState(server), before);
        assert.deepEqual(await shadowDatabases(server), []);
      });

      it('rolls back a migration whose DO block drops a role that existed or changes its password, and applies the rest', async () => {
        // A role nothing depends on, which DROP ROLE would really remove from the server.
        await server.runSql(server.adminUrl, "drop role if exists legacy_reader; create role legacy_reader login password 'legacy-secret'");
        const before = await readSharedState(server);
        const passwordsBefore = await readPasswordHashes(server);
        const result = await shadowWithServer(
          connection,
          migrations({
            '20240101000000_vendors.sql': [
              'create table public.vendors (id uuid primary key);',
              "do $$ begin execute 'drop role legacy_reader'; end $$;",
            ].join('\n'),
            '20240102000000_bookings.sql': [
              'create table public.bookings (id uuid primary key);',
              "do $$ begin execute format('alter role %I password %L', 'authenticator', 'new-secret'); end $$;",
            ].join('\n'),
            '20240103000000_wallets.sql': 'create table public.wallets (id uuid primary key);\n',
          }),
          { config },
        );
        assert.deepEqual(
          result.findings.map((finding) => [finding.span?.file, finding.span?.line, finding.message]),
          [
            [
              'supabase/migrations/20240101000000_vendors.sql',
              2,
              'The migration\'s transaction fails at commit: pgreview rolled this migration back: it changes the shadow server outside the throwaway database in a way pgreview cannot undo (role "legacy_reader" was dropped) (SQLSTATE XX000).',
            ],
            [
              'supabase/migrations/20240102000000_bookings.sql',
              2,
              'The migration\'s transaction fails at commit: pgreview rolled this migration back: it changes the shadow server outside the throwaway database in a way pgreview cannot undo (the password or expiry of role "authenticator" changed) (SQLSTATE XX000).',
            ],
          ],
        );
        assert.deepEqual([...result.catalog.tables.keys()].filter((key) => key.startsWith('public.')), ['public.wallets'], 'the two files were rolled back, the third applied');
        assert.deepEqual(await readSharedState(server), before);
        assert.deepEqual(await readPasswordHashes(server), passwordsBefore);
        assert.ok(!JSON.stringify(result.findings).includes('secret'), 'no password in a message');
      });

      it('rolls back a migration that takes SUPERUSER from the role it connects as, which would leave it unable to undo the rest', async () => {
        await server.runSql(server.adminUrl, "drop role if exists shadow_owner; create role shadow_owner superuser login password 'shadow-owner-pw'");
        const ownerUrl = new URL(server.adminUrl);
        ownerUrl.username = 'shadow_owner';
        ownerUrl.password = 'shadow-owner-pw';
        const before = await readSharedState(server);
        const result = await shadowWithServer(
          resolveConnectionOptions({ url: ownerUrl.toString(), env: {} }),
          migrations({ '20240101000000_owner.sql': 'create role reporting;\nalter role shadow_owner nosuperuser;\n' }),
          { config },
        );
        assert.deepEqual(
          result.findings.map((finding) => finding.message),
          ['The migration\'s transaction fails at commit: pgreview rolled this migration back: it changes the shadow server outside the throwaway database in a way pgreview cannot undo (the attributes of role "shadow_owner", which pgreview connects as, changed) (SQLSTATE XX000).'],
        );
        assert.deepEqual(await readSharedState(server), before);
      });

      it('refuses, before anything runs, statements whose effect on the server it could not undo', async () => {
        const before = await readSharedState(server);
        const files = migrations({
          '20240101000000_cluster.sql': [
            'create role reporting;',
            'drop role if exists reporting;',
            'drop role anon;',
            "alter system set work_mem = '1MB';",
            'create database vendors_copy;',
            "alter role authenticator password 'new-secret';",
            'alter user anon rename to guest;',
            'grant connect on database postgres to reporting;',
            'reassign owned by anon to postgres;',
            "create tablespace archive location '/tmp/archive';",
            'alter database postgres owner to anon;',
          ].join('\n'),
        });
        await assert.rejects(shadowWithServer(connection, files, { config }), (error: Error) => {
          assert.equal(error.name, 'InputError');
          assert.deepEqual(error.message.split('\n').slice(1, -1), [
            '  supabase/migrations/20240101000000_cluster.sql:3: it drops role "anon", which exists on the server',
            '  supabase/migrations/20240101000000_cluster.sql:4: ALTER SYSTEM changes the configuration of the whole server',
            '  supabase/migrations/20240101000000_cluster.sql:5: CREATE DATABASE changes a database other than the throwaway one',
            '  supabase/migrations/20240101000000_cluster.sql:6: it changes the password or expiry of role "authenticator", which exists on the server',
            '  supabase/migrations/20240101000000_cluster.sql:7: it changes role "anon", which exists on the server',
            '  supabase/migrations/20240101000000_cluster.sql:8: it changes a database, which the whole server shares',
            '  supabase/migrations/20240101000000_cluster.sql:9: REASSIGN OWNED of role "anon", which exists on the server, reaches other databases',
            "  supabase/migrations/20240101000000_cluster.sql:10: CREATE TABLESPACE changes the server's tablespaces",
            '  supabase/migrations/20240101000000_cluster.sql:11: it changes a database, which the whole server shares',
          ]);
          assert.match(error.message, /^Refusing to apply the migrations to the shadow server postgres@127\.0\.0\.1:\d+\/postgres: .* Nothing was applied\./);
          return true;
        });
        assert.deepEqual(await readSharedState(server), before);
        assert.deepEqual(await shadowDatabases(server), [], 'not even the throwaway database was created');
      });
    });
  });
});

/** The stored password hashes, which only a superuser may read, to compare before and after. */
async function readPasswordHashes(server: TestServer): Promise<string[]> {
  const client = new Client({ connectionString: server.adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ line: string }>("select rolname || ' ' || coalesce(rolpassword, '-') as line from pg_authid order by 1");
    return result.rows.map((row) => row.line);
  } finally {
    await client.end();
  }
}
