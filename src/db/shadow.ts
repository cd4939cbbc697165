/**
 * The shadow database: the migrations applied for real to an embedded PGlite (nothing to install)
 * or to a server the user names, then read with the same introspection as a live database. Both
 * sides of a diff then come from the same catalog queries, so expressions compare exactly.
 *
 * A fresh PGlite takes seconds to initialise. The first shadow saves the initialised data
 * directory (with the platform baseline loaded) as the baseline snapshot in the cache directory
 * (`pgliteDataDirectory.ts` dumps and loads it, `shadowCache.ts` checks it); later shadows start from it. Applying the migrations costs PGlite a few milliseconds of CPU per DDL
 * statement, so the database after them is cached too (shadowCache.ts): an unchanged project
 * loads it and applies nothing, and an edit of the last file applies only that file.
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Extension, Extensions, PGlite } from '@electric-sql/pglite';
import type { Client, QueryResultRow } from 'pg';
import { throwIfCancelled, type CancellationToken } from '../core/cancellation';
import type { Catalog } from '../core/catalog/model';
import type { ResolvedConfig } from '../core/config';
import { InputError, PermissionError, PgreviewError } from '../core/errors';
import type { Finding } from '../core/finding';
import type { ParsedFile } from '../core/sql/parseSqlFile';
import { version as PGREVIEW_VERSION } from '../../package.json';
import { describeClusterChanges, describeIrreversibleChanges, readClusterState, restoreClusterState, type ClusterState } from './clusterState';
import { findClusterWideStatements } from './clusterWideStatements';
import { connectPgClient, describeTarget, toDatabaseError, type ConnectionOptions } from './connection';
import { introspectCatalog, introspectDatabase, type CatalogReader, type Introspection, type IntrospectionWarning, type IntrospectOptions } from './introspect';
import type { GuardedResult } from './readOnlySession';
import { applyMigrationStatements, describeError, MigrationApplier, type ApplyOutcome, type StatementRunner } from './shadowApply';
import { dumpPgliteDataDirectory, preloadedFileSystem } from './pgliteDataDirectory';
import { appliedStateKeys, findAppliedState, forgetAppliedState, forgetBaselineSnapshot, readBaselineSnapshot, writeAppliedState, writeBaselineSnapshot } from './shadowCache';
import { supabaseBaselineSql } from './supabaseBaselineSql';

/**
 * The extensions the PGlite shadow can create: the contrib modules Supabase projects use. Loaded
 * on first use, like PGlite itself, so that commands without a shadow do not pay for them.
 * `require` because TypeScript's `node` module resolution cannot see the package's subpath exports.
 */
function loadPgliteExtensions(): Extensions {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    btree_gin: (require('@electric-sql/pglite/contrib/btree_gin') as Record<string, Extension>).btree_gin,
    btree_gist: (require('@electric-sql/pglite/contrib/btree_gist') as Record<string, Extension>).btree_gist,
    citext: (require('@electric-sql/pglite/contrib/citext') as Record<string, Extension>).citext,
    fuzzystrmatch: (require('@electric-sql/pglite/contrib/fuzzystrmatch') as Record<string, Extension>).fuzzystrmatch,
    hstore: (require('@electric-sql/pglite/contrib/hstore') as Record<string, Extension>).hstore,
    ltree: (require('@electric-sql/pglite/contrib/ltree') as Record<string, Extension>).ltree,
    moddatetime: (require('@electric-sql/pglite/contrib/moddatetime') as Record<string, Extension>).moddatetime,
    pg_trgm: (require('@electric-sql/pglite/contrib/pg_trgm') as Record<string, Extension>).pg_trgm,
    pgcrypto: (require('@electric-sql/pglite/contrib/pgcrypto') as Record<string, Extension>).pgcrypto,
    unaccent: (require('@electric-sql/pglite/contrib/unaccent') as Record<string, Extension>).unaccent,
    uuid_ossp: (require('@electric-sql/pglite/contrib/uuid_ossp') as Record<string, Extension>).uuid_ossp,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Names of the extensions above, part of the snapshot name. */
const PGLITE_EXTENSION_NAMES = 'btree_gin,btree_gist,citext,fuzzystrmatch,hstore,ltree,moddatetime,pg_trgm,pgcrypto,unaccent,uuid_ossp';

/** PGlite's version, part of the snapshot key: a snapshot from another version is never loaded (a test checks it is the installed one). */
export const PGLITE_VERSION = '0.5.16';

/**
 * Platform setup after the baseline: Supabase pre-installs uuid-ossp and pgcrypto in `extensions`
 * and puts that schema on the search path, so `uuid_generate_v4()` works unqualified.
 */
const SUPABASE_SHADOW_SETUP = [
  'create extension if not exists "uuid-ossp" with schema extensions',
  'create extension if not exists pgcrypto with schema extensions',
];

export interface ShadowOptions {
  config: ResolvedConfig;
  /**
   * Where the PGlite snapshot and the applied states are kept: a folder of pgreview's own, which it
   * makes private (0700); defaults to `pgreview-cache-<uid>` in the OS temporary directory.
   */
  cacheDirectory?: string;
}

/** What applying the migrations to a shadow gave. */
export interface ShadowResult {
  /** The shadow database read back, with source `shadow`; it has no spans (map them by object key). */
  catalog: Catalog;
  /** `migration_apply_error` findings. */
  findings: Finding[];
  warnings: IntrospectionWarning[];
  statementsApplied: number;
  statementsFailed: number;
  /** Catalog queries introspection made. */
  queryCount: number;
  /** PGlite only: how many files came from the applied-state cache and how many this run applied. */
  cache?: AppliedFiles;
  timings: {
    /** `cold`: PGlite initialised from scratch (and the snapshot written); `warm`: started from the snapshot or a cached state; `server`. */
    start: 'cold' | 'warm' | 'server';
    startMs: number;
    applyMs: number;
    introspectMs: number;
  };
}

/** Files of a PGlite shadow loaded from the applied-state cache (all of them on a hit, a prefix after an edit) and applied in this run. */
export interface AppliedFiles {
  filesFromCache: number;
  filesApplied: number;
}

/** An open PGlite with the baseline and the migrations applied; the caller closes `db`. */
export interface AppliedPglite {
  db: PGlite;
  outcome: ApplyOutcome;
  start: 'cold' | 'warm';
  cache: AppliedFiles;
  timings: { startMs: number; applyMs: number };
  /**
   * The applied states this run writes to the cache: compressed and written on libuv's threads
   * while the caller goes on (introspects, loads a seed). Await it before the process may end; it
   * never rejects.
   */
  cacheWritten: Promise<void>;
}

/** Applies the migrations to a fresh in-process PGlite and introspects it. */
export async function shadowWithPglite(files: readonly ParsedFile[], options: ShadowOptions, token?: CancellationToken): Promise<ShadowResult> {
  const { db, outcome, start, cache, timings, cacheWritten } = await openAppliedPglite(files, options, token);
  try {
    const introspectStarted = Date.now();
    const introspection = await introspectPglite(db, { config: options.config, source: 'shadow' }, token);
    const introspectMs = Date.now() - introspectStarted;
    await cacheWritten;
    return {
      catalog: introspection.catalog,
      findings: outcome.findings,
      warnings: introspection.warnings,
      statementsApplied: outcome.statementsApplied,
      statementsFailed: outcome.statementsFailed,
      queryCount: introspection.queryCount,
      cache,
      timings: { start, ...timings, introspectMs },
    };
  } finally {
    await cacheWritten;
    await db.close();
  }
}

/**
 * Opens a PGlite with the migrations applied: from the cached state after the longest unchanged
 * prefix of the files when there is one, then the remaining files applied. After applying, the
 * state before the last file and after it are cached, so that both a rerun and an edit of the last
 * file (the usual case while writing a migration) find an entry. Used by the shadow and the
 * simulator's session.
 */
export async function openAppliedPglite(files: readonly ParsedFile[], options: ShadowOptions, token?: CancellationToken): Promise<AppliedPglite> {
  const started = Date.now();
  const directory = cacheDirectoryOf(options);
  const keys = appliedStateKeys(files, appliedStateSeed(options));
  const cached = await findAppliedState(directory, keys);
  let opened: { db: PGlite; start: 'cold' | 'warm'; filesDone: number; snapshotWritten?: Promise<void> } | undefined;
  if (cached) {
    try {
      opened = { db: await startPglite(cached.state.dataDir), start: 'warm', filesDone: cached.filesDone };
    } catch {
      // An entry PGlite cannot start from: forgotten, and the files applied from the baseline.
      forgetAppliedState(directory, keys[cached.filesDone]);
    }
  }
  opened ??= { ...(await openPglite(options)), filesDone: 0 };
  const { db, start, filesDone, snapshotWritten } = opened;
  try {
    const startMs = Date.now() - started;
    const applyStarted = Date.now();
    const runner: StatementRunner = { exec: async (sql) => void (await db.exec(sql)) };
    const applier = new MigrationApplier(runner, options.config, 'PGlite', cached && filesDone > 0 ? cached.state.apply : undefined);
    const writes = snapshotWritten ? [snapshotWritten] : [];
    try {
      for (let index = filesDone; index < files.length; index++) {
        // The state before the last file is what an edit of that file resumes from.
        if (index === files.length - 1 && index > filesDone) writes.push((await saveAppliedState(db, applier, directory, keys[index])).written);
        await applier.applyFile(files[index], token);
      }
      if (files.length > filesDone) writes.push((await saveAppliedState(db, applier, directory, keys[files.length])).written);
    } catch (error) {
      // No write outlives the run, nor the database it was copied from.
      await Promise.all(writes);
      throw error;
    }
    return {
      db,
      outcome: applier.outcome(),
      start,
      cache: { filesFromCache: filesDone, filesApplied: files.length - filesDone },
      timings: { startMs, applyMs: Date.now() - applyStarted },
      cacheWritten: Promise.all(writes).then(() => undefined),
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Copies the database between two files and starts compressing and writing it, with the apply
 * state, to the cache; resolves to the write (which never rejects), which goes on while the next
 * files apply. The checkpoint puts everything in the data files, so loading the copy needs no WAL replay.
 */
async function saveAppliedState(db: PGlite, applier: MigrationApplier, directory: string, key: string): Promise<{ written: Promise<void> }> {
  try {
    await db.exec('checkpoint');
    const apply = applier.state;
    const written = dumpPgliteDataDirectory(db).then(
      (dataDir) => writeAppliedState(directory, key, { dataDir, apply }),
      // No entry only costs the next run its speed.
      () => undefined,
    );
    return { written };
  } catch {
    return { written: Promise.resolve() };
  }
}

/** Everything besides the files that decides an applied state: the baseline snapshot, PGlite and the rule setting. */
function appliedStateSeed(options: ShadowOptions): string {
  return `${baselineSnapshotKey(options.config)}\0migration_apply_error=${options.config.rules['migration_apply_error'] ?? 'default'}`;
}

/**
 * Applies the migrations to a server the user names (`--shadow URL`), in a database pgreview
 * creates for this run and drops afterwards. The database in the URL is only used to create and
 * drop that one; nothing else in it is touched.
 *
 * Roles, memberships and role settings belong to the whole server, not to the throwaway database:
 * they are read before anything runs (the Supabase baseline included), and what the migrations
 * changed is put back after the database is dropped, on failure and cancellation too; then they
 * are read again, and anything still different is an error. Statements whose effect could not be
 * put back exactly (`clusterWideStatements.ts`) are refused before anything runs.
 */
export async function shadowWithServer(
  server: ConnectionOptions,
  files: readonly ParsedFile[],
  options: ShadowOptions,
  token?: CancellationToken,
): Promise<ShadowResult> {
  const started = Date.now();
  const name = `pgreview_shadow_${process.pid}_${Date.now().toString(36)}`;
  const admin = await connectPgClient(server, 'connect to the shadow server');
  try {
    const before = await readClusterState(admin, name).catch((error: unknown) => {
      throw toDatabaseError(error, server, 'read the roles of');
    });
    refuseClusterWideStatements(files, before, server);
    throwIfCancelled(token);
    await admin.query(`create database ${name}`).catch((error: unknown) => {
      throw toDatabaseError(error, server, 'create a shadow database on');
    });
    try {
      return await applyToServerDatabase(server, name, before, files, options, started, token);
    } finally {
      await dropShadowDatabase(admin, name, before, server);
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * Applies the baseline and the migrations to the throwaway database and introspects it. Each
 * migration's transaction is checked before it commits: role DDL in a DO block or a function
 * escapes the check before anything runs, and a change that could not be undone (a role that
 * existed dropped, a password changed) is rolled back with its file and reported at its end.
 */
async function applyToServerDatabase(
  server: ConnectionOptions,
  throwawayDatabase: string,
  before: ClusterState,
  files: readonly ParsedFile[],
  options: ShadowOptions,
  started: number,
  token?: CancellationToken,
): Promise<ShadowResult> {
  const shadow: ConnectionOptions = { ...server, database: throwawayDatabase };
  const client = await connectPgClient(shadow, 'connect to the shadow database on');
  let outcome;
  let applyMs;
  const startMs = Date.now() - started;
  try {
    if (options.config.profile === 'supabase') {
      await client.query(supabaseBaselineSql);
      for (const sql of SUPABASE_SHADOW_SETUP) {
        // A server without the contrib package lacks these; migrations that need them then fail and say so.
        await client.query(sql).catch(() => undefined);
      }
      await client.query(`alter database ${throwawayDatabase} set search_path = "$user", public, extensions`);
      await client.query('set search_path = "$user", public, extensions');
    }
    const applyStarted = Date.now();
    const runner: StatementRunner = {
      exec: async (sql) => {
        if (sql === 'commit') await rollBackIrreversibleChanges(client, before, throwawayDatabase);
        await client.query(sql);
      },
    };
    outcome = await applyMigrationStatements(runner, files, options.config, describeTarget(server), token);
    applyMs = Date.now() - applyStarted;
  } finally {
    await client.end().catch(() => undefined);
  }
  const introspectStarted = Date.now();
  const introspection = await introspectDatabase(shadow, { config: options.config, source: 'shadow' }, token);
  return {
    catalog: introspection.catalog,
    findings: outcome.findings,
    warnings: introspection.warnings,
    statementsApplied: outcome.statementsApplied,
    statementsFailed: outcome.statementsFailed,
    queryCount: introspection.queryCount,
    timings: { start: 'server', startMs, applyMs, introspectMs: Date.now() - introspectStarted },
  };
}

/** Rolls back the open transaction and throws when it changed the server in a way that could not be undone. */
async function rollBackIrreversibleChanges(client: Client, before: ClusterState, throwawayDatabase: string): Promise<void> {
  const changes = describeIrreversibleChanges(before, await readClusterState(client, throwawayDatabase));
  if (changes.length === 0) return;
  await client.query('rollback');
  throw new PgreviewError(
    'shadow_server_changed',
    `pgreview rolled this migration back: it changes the shadow server outside the throwaway database in a way pgreview cannot undo (${changes.join('; ')})`,
  );
}

/** Refuses, before anything runs, migrations that would change the server in a way that cannot be put back. */
function refuseClusterWideStatements(files: readonly ParsedFile[], before: ClusterState, server: ConnectionOptions): void {
  const refused = findClusterWideStatements(files, new Set([...before.roles.values()].map((role) => role.name)));
  if (refused.length === 0) return;
  throw new InputError(
    [
      `Refusing to apply the migrations to the shadow server ${describeTarget(server)}: these statements would change the server outside the throwaway database, in a way pgreview cannot undo. Nothing was applied.`,
      ...refused.map(({ span, reason }) => `  ${span.file}:${span.line}: ${reason}`),
      'The embedded PGlite shadow (no --shadow) shares nothing with a server and applies them.',
    ].join('\n'),
  );
}

/**
 * Drops the throwaway database, then puts back the roles, memberships and settings the baseline
 * and the migrations changed (the database first: roles created for it own objects in it). Throws
 * when anything stays different, naming what, so that nobody believes the server untouched.
 */
async function dropShadowDatabase(admin: Client, name: string, before: ClusterState, server: ConnectionOptions): Promise<void> {
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    const failures = await restoreClusterState(admin, before, name);
    const left = describeClusterChanges(before, await readClusterState(admin, name));
    if (left.length === 0) return;
    throw new PgreviewError(
      'shadow_server_changed',
      [`The migrations changed the shadow server ${describeTarget(server)} outside the throwaway database, and pgreview could not undo all of it:`, ...left.map((line) => `  ${line}`), ...failures.map((line) => `  (${line})`)].join('\n'),
    );
  } catch (error) {
    if (error instanceof PgreviewError) throw error;
    throw toDatabaseError(error, server, `drop the shadow database ${name} and restore the roles of`);
  }
}

/**
 * A hash of what the baseline snapshot holds: pgreview's and PGlite's versions, the profile, its
 * baseline and the extensions. A snapshot another version made is never loaded.
 */
export function baselineSnapshotKey(config: ResolvedConfig, versions = { pgreview: PGREVIEW_VERSION, pglite: PGLITE_VERSION }): string {
  return createHash('sha256')
    .update(versions.pgreview)
    .update('\0')
    .update(versions.pglite)
    .update(config.profile)
    .update(config.profile === 'supabase' ? supabaseBaselineSql + SUPABASE_SHADOW_SETUP.join(';') : '')
    .update(PGLITE_EXTENSION_NAMES)
    .digest('hex')
    .slice(0, 16);
}

function cacheDirectoryOf(options: ShadowOptions): string {
  // A folder of pgreview's own, never the temporary directory itself: the cache folder is made private.
  return options.cacheDirectory ?? join(tmpdir(), `pgreview-cache-${process.getuid?.() ?? 'user'}`);
}

/** Opens a PGlite with the platform baseline loaded, from the snapshot when there is one (the simulator keeps it open). */
export async function openPglite(options: ShadowOptions): Promise<{ db: PGlite; start: 'cold' | 'warm'; snapshotWritten?: Promise<void> }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const directory = cacheDirectoryOf(options);
  const snapshotKey = baselineSnapshotKey(options.config);
  const saved = readBaselineSnapshot(directory, snapshotKey);
  if (saved) {
    try {
      return { db: await startPglite(saved), start: 'warm' };
    } catch {
      // A snapshot PGlite cannot start from: start cold and write a new one.
      forgetBaselineSnapshot(directory, snapshotKey);
    }
  }
  const db = new PGlite({ extensions: loadPgliteExtensions(), startParams: shadowStartParams(PGlite.defaultStartParams) });
  await db.waitReady;
  if (options.config.profile === 'supabase') {
    await db.exec(supabaseBaselineSql);
    for (const sql of SUPABASE_SHADOW_SETUP) await db.exec(sql);
    await db.exec('alter database postgres set search_path = "$user", public, extensions');
    await db.exec('set search_path = "$user", public, extensions');
  }
  return { db, start: 'cold', snapshotWritten: (await saveSnapshot(db, directory, snapshotKey)).written };
}

/**
 * PGlite's start parameters, plus: a checkpoint deletes the WAL segments it no longer needs rather
 * than keeping them for reuse. A dumped data directory (the snapshot, a cached state) then holds
 * one or two 16 MB segments instead of five, and loads that much faster. A new segment is not
 * filled with zeros first (wal_init_zero): in PGlite's in-memory file system that is 16 MB written
 * in small pieces, each growing the file by a copy, for every segment the migrations fill (six for
 * the bench's 500 files), and it makes nothing safer in a database that lives in memory. Nothing a
 * query sees changes.
 */
function shadowStartParams(defaults: readonly string[]): string[] {
  return [...defaults, '-c', 'wal_recycle=off', '-c', 'min_wal_size=32MB', '-c', 'wal_init_zero=off'];
}

/** Starts a PGlite from a dumped data directory (the snapshot, a cached state). */
async function startPglite(dataDir: Uint8Array): Promise<PGlite> {
  const { PGlite, MemoryFS } = await import('@electric-sql/pglite');
  const db = new PGlite({ fs: preloadedFileSystem(MemoryFS, dataDir), extensions: loadPgliteExtensions(), startParams: shadowStartParams(PGlite.defaultStartParams) });
  try {
    await db.waitReady;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

/**
 * Copies the database for the baseline snapshot and starts compressing and writing it; resolves to
 * the write (which never rejects), which overlaps applying the first files.
 */
async function saveSnapshot(db: PGlite, directory: string, key: string): Promise<{ written: Promise<void> }> {
  try {
    await db.exec('checkpoint');
    const written = dumpPgliteDataDirectory(db).then(
      (dataDir) => writeBaselineSnapshot(directory, key, dataDir),
      // No snapshot (a read-only cache directory) only costs the next run its cold start.
      () => undefined,
    );
    return { written };
  } catch {
    return { written: Promise.resolve() };
  }
}

/** Reads a PGlite database with the same introspection as a live database (for tests and embedders). */
export async function introspectPglite(db: PGlite, options: IntrospectOptions, token?: CancellationToken): Promise<Introspection> {
  return introspectCatalog(pgliteSession(db), options, token);
}

/**
 * The session shape introspection reads through, over PGlite. PGlite runs one session in this
 * process, so no transaction is needed to keep the reads consistent.
 */
function pgliteSession(db: PGlite): CatalogReader {
  const session = {
    queryCount: 0,
    async queryGuarded<Row extends QueryResultRow>(sql: string): Promise<GuardedResult<Row>> {
      session.queryCount++;
      try {
        const result = await db.query<Row>(sql);
        return { rows: result.rows };
      } catch (error) {
        const { message, code } = describeError(error);
        if (code === '42501') return { error: new PermissionError(message, { cause: error }) };
        throw error;
      }
    },
  };
  return session;
}
