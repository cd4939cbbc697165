/**
 * The applied-state cache of the PGlite shadow: a dump of the database after a prefix of the
 * migration files, with the apply state (findings and counts) beside it, in one file per entry.
 * Applying 500 files costs PGlite tens of seconds of CPU; loading their result costs about one.
 *
 * An entry's key is a hash chain over the files: `keys[i]` covers everything that decides the
 * database after the first `i` files (the baseline, PGlite, the rule setting, and each file's path,
 * text and statement boundaries). A run looks for the longest prefix of its files with an entry,
 * so an unchanged project loads its result and an edit of the last file applies only that file.
 *
 * An entry is written beside its final name and renamed, so a concurrent run never reads half of
 * one; it carries a checksum, so a damaged entry is recognised, deleted and rebuilt, never loaded.
 *
 * Entries hold the seed data, so they are private cache files (`src/node/privateCacheFiles.ts`):
 * a folder or file another user owns is neither read nor written.
 */
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedFile } from '../core/sql/parseSqlFile';
import { preparePrivateCacheFolder, prunePrivateCacheFiles, readPrivateCacheFile, writePrivateCacheFile } from '../node/privateCacheFiles';
import type { ApplyState } from './shadowApply';

/** Bump when the entry layout or the meaning of the apply state changes: older entries are then never read. */
const APPLIED_STATE_FORMAT = 'pgreview-applied-state-4';

/** Entries kept in the cache directory, newest first; a run writes at most two. */
const MAX_APPLIED_STATES = 6;

const ENTRY_PREFIX = 'pgreview-applied-';
const BASELINE_PREFIX = 'pgreview-baseline-';
/** The baseline snapshot as pgreview 0.1.0 builds before this layout wrote it. */
const LEGACY_BASELINE_PREFIX = 'pgreview-shadow-';
const LEGACY_BASELINE_SUFFIX = '.tar.gz';

/** Baseline snapshots kept: one per profile, and the previous version's while two versions are in use. */
const MAX_BASELINE_SNAPSHOTS = 4;
const ENTRY_SUFFIX = '.bin';
const MAGIC = Buffer.from('PGRSHDW1');

/** A database after some migration files: the PGlite data directory (`pgliteDataDirectory.ts`), and the apply state. */
export interface AppliedState {
  /** Compressed already: stored and loaded as it is. */
  dataDir: Uint8Array;
  apply: ApplyState;
}

/** The header stored before the compressed data directory. */
interface EntryHeader {
  format: string;
  key: string;
  /** SHA-256 of the compressed data directory that follows the header: PGlite loads only what matches it. */
  payloadSha256: string;
  apply: ApplyState;
}

/**
 * The cache key after each prefix of the files: `keys[0]` for none (the seed alone), `keys[i]`
 * after the first `i`. `seed` names everything else that decides the result: the baseline snapshot,
 * PGlite's version and the settings application depends on.
 */
export function appliedStateKeys(files: readonly ParsedFile[], seed: string): string[] {
  const keys = [createHash('sha256').update(APPLIED_STATE_FORMAT).update('\0').update(seed).digest('hex')];
  for (const file of files) {
    const hash = createHash('sha256').update(keys[keys.length - 1]).update('\0').update(file.path).update('\0').update(file.text).update('\0');
    // The statements are what is applied and where findings point; the parser decides them from the text.
    for (const statement of file.statements) hash.update(`${statement.kind}:${statement.span.start}:${statement.span.end};`);
    keys.push(hash.digest('hex'));
  }
  return keys;
}

/**
 * The state after the longest prefix of files with a readable entry: `filesDone` files applied.
 * Undefined when no prefix (of at least one file) has one. Damaged entries met on the way are deleted.
 */
export async function findAppliedState(directory: string, keys: readonly string[]): Promise<{ filesDone: number; state: AppliedState } | undefined> {
  if (!preparePrivateCacheFolder(directory)) return undefined;
  let names: Set<string>;
  try {
    names = new Set(readdirSync(directory));
  } catch {
    return undefined;
  }
  for (let filesDone = keys.length - 1; filesDone >= 1; filesDone--) {
    if (!names.has(entryName(keys[filesDone]))) continue;
    const state = await readAppliedState(directory, keys[filesDone]);
    if (state) return { filesDone, state };
  }
  return undefined;
}

/** Reads one entry; undefined (and the entry deleted) when it is missing, damaged or from another format. */
export async function readAppliedState(directory: string, key: string): Promise<AppliedState | undefined> {
  return readEntry(directory, entryName(key), key);
}

/**
 * The baseline snapshot (a database with the platform baseline loaded and no migration applied),
 * stored as an entry under its own name, which pruning leaves alone. `key` names everything that
 * decides it (pgreview's and PGlite's versions, the baseline SQL); undefined, and the file deleted,
 * when it is missing, damaged or made for another key.
 */
export function readBaselineSnapshot(directory: string, key: string): Uint8Array | undefined {
  return readEntry(directory, baselineName(key), key)?.dataDir;
}

/** Writes the baseline snapshot (never throws: without it the next run only starts cold again). */
export function writeBaselineSnapshot(directory: string, key: string, dataDir: Uint8Array): void {
  if (writeEntry(directory, baselineName(key), key, { dataDir, apply: { findings: [], missingExtensions: [], statementsApplied: 0, statementsFailed: 0 } })) {
    // Snapshots of older versions and other profiles: a handful of megabytes each.
    pruneEntries(directory, BASELINE_PREFIX, MAX_BASELINE_SNAPSHOTS);
    // Versions before the baseline was an entry kept it as a tarball nothing reads any more.
    pruneEntries(directory, LEGACY_BASELINE_PREFIX, 0, LEGACY_BASELINE_SUFFIX);
  }
}

/** Deletes the baseline snapshot, if it is there. */
export function forgetBaselineSnapshot(directory: string, key: string): void {
  rmSync(join(directory, baselineName(key)), { force: true });
}

function readEntry(directory: string, name: string, key: string): AppliedState | undefined {
  if (!preparePrivateCacheFolder(directory)) return undefined;
  // Recently used entries survive pruning longest: reading one marks it used.
  const bytes = readPrivateCacheFile(directory, name);
  if (!bytes) return undefined;
  try {
    if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an applied-state entry');
    const headerLength = bytes.readUInt32BE(MAGIC.length);
    const headerEnd = MAGIC.length + 4 + headerLength;
    const header = JSON.parse(bytes.subarray(MAGIC.length + 4, headerEnd).toString('utf8')) as EntryHeader;
    const payload = bytes.subarray(headerEnd);
    if (header.format !== APPLIED_STATE_FORMAT || header.key !== key) throw new Error('an entry for another key');
    if (createHash('sha256').update(payload).digest('hex') !== header.payloadSha256) throw new Error('checksum mismatch');
    return { dataDir: payload, apply: header.apply };
  } catch {
    // A damaged entry costs this run the files it covered, never a failure; it is rewritten after applying.
    rmSync(join(directory, name), { force: true });
    return undefined;
  }
}

/**
 * Writes one entry and prunes the directory to the newest entries. Never throws: a cache that
 * cannot be written (a read-only directory, a full disk) only costs the next run its speed.
 */
export async function writeAppliedState(directory: string, key: string, state: AppliedState): Promise<void> {
  if (writeEntry(directory, entryName(key), key, state)) pruneEntries(directory, ENTRY_PREFIX, MAX_APPLIED_STATES);
}

function pruneEntries(directory: string, prefix: string, keep: number, suffix = ENTRY_SUFFIX): void {
  try {
    prunePrivateCacheFiles(directory, prefix, suffix, keep);
  } catch {
    // Left for the next write to prune.
  }
}

/** Writes one entry beside its final name and renames it; false when it could not be written. */
function writeEntry(directory: string, name: string, key: string, state: AppliedState): boolean {
  try {
    const payload = state.dataDir;
    const header: EntryHeader = { format: APPLIED_STATE_FORMAT, key, payloadSha256: createHash('sha256').update(payload).digest('hex'), apply: state.apply };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(headerBytes.length);
    return writePrivateCacheFile(directory, name, Buffer.concat([MAGIC, length, headerBytes, payload]));
  } catch {
    // See above: a missing entry is only a slower next run.
    return false;
  }
}

/** Deletes one entry, if it is there. */
export function forgetAppliedState(directory: string, key: string): void {
  rmSync(join(directory, entryName(key)), { force: true });
}

function entryName(key: string): string {
  return `${ENTRY_PREFIX}${key.slice(0, 32)}${ENTRY_SUFFIX}`;
}

function baselineName(key: string): string {
  return `${BASELINE_PREFIX}${key.slice(0, 32)}${ENTRY_SUFFIX}`;
}
