/**
 * The persistent cache of `pgreview check`: the findings of an analysis, kept between runs in the
 * user's cache folder beside the shadow's entries, so that a run over the same files (a pre-commit
 * hook, a CI re-run, a second look) neither loads the parser nor replays anything.
 *
 * An entry's key covers everything that decides the findings: each file's path and text in
 * order, the resolved config, what the migration-safety review is told (pending files, layout),
 * pgreview's version and the code that runs (the bundle's bytes, so a rebuilt development copy
 * never reads what an older build wrote). Measured on the 500-file bench project: a cache of
 * parse trees or of replay states would not pay, since reading them back (JSON.parse of 13 MB of
 * trees, v8.deserialize of a 10 MB catalog) costs as much as parsing and replaying again.
 *
 * An entry carries a checksum of its payload and the key it was written for; a damaged, foreign or
 * older entry is deleted and rebuilt, never trusted.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationFile, MigrationSafetyInput } from '../core/analyze';
import type { ResolvedConfig } from '../core/config';
import type { Finding } from '../core/finding';
import { prunePrivateCacheFiles, readPrivateCacheFile, writePrivateCacheFile } from './privateCacheFiles';

/** Bump when the entry layout or the meaning of its payload changes: older entries are then never read. */
const CHECK_RESULT_FORMAT = 'pgreview-check-result-1';

/** Entries kept in the cache folder, by last use: a few projects, branches and configs. */
const MAX_CHECK_RESULTS = 16;

const ENTRY_PREFIX = 'pgreview-check-';
const ENTRY_SUFFIX = '.json';

/** What `check` reports of an analysis: its findings (sorted, suppressions applied) and how many statements it read. */
export interface CheckResult {
  findings: Finding[];
  statements: number;
}

/** Everything that decides a check's findings. */
export interface CheckResultInput extends MigrationSafetyInput {
  files: readonly MigrationFile[];
  config: ResolvedConfig;
  /** pgreview's version. */
  version: string;
}

/** The first line of an entry; the payload (the CheckResult's JSON) follows it. */
interface EntryHeader {
  format: string;
  key: string;
  payloadSha256: string;
}

/** The cache key of a check over `input`, a hex SHA-256. */
export function checkResultKey(input: CheckResultInput): string {
  const { files, config, version, ...safety } = input;
  const hash = createHash('sha256').update(CHECK_RESULT_FORMAT).update('\0').update(version).update('\0').update(runningCodeIdentity()).update('\0');
  hash.update(stableJson(config)).update('\0').update(stableJson(safety)).update('\0');
  for (const file of files) hash.update(file.path).update('\0').update(String(file.text.length)).update('\0').update(file.text).update('\0');
  return hash.digest('hex');
}

/** The result stored under `key`, or undefined when there is none or it cannot be trusted (then it is deleted). */
export function readCheckResult(directory: string, key: string): CheckResult | undefined {
  const bytes = readPrivateCacheFile(directory, entryName(key));
  if (!bytes) return undefined;
  try {
    const text = bytes.toString('utf8');
    const newline = text.indexOf('\n');
    if (newline < 0) throw new Error('no header');
    const header = JSON.parse(text.slice(0, newline)) as EntryHeader;
    const payload = text.slice(newline + 1);
    if (header.format !== CHECK_RESULT_FORMAT || header.key !== key) throw new Error('an entry for another key');
    if (sha256(payload) !== header.payloadSha256) throw new Error('checksum mismatch');
    const result = JSON.parse(payload) as CheckResult;
    if (!Array.isArray(result.findings) || !Number.isInteger(result.statements)) throw new Error('not a check result');
    return result;
  } catch {
    // A damaged entry costs this run its speed, never its answer: the analysis runs and rewrites it.
    rmSync(join(directory, entryName(key)), { force: true });
    return undefined;
  }
}

/**
 * Stores a result under `key` and prunes the folder to the most recently used entries. Never
 * throws: a cache that cannot be written (a read-only folder, a full disk) only costs the next run its speed.
 */
export function writeCheckResult(directory: string, key: string, result: CheckResult): void {
  try {
    const payload = JSON.stringify(result);
    const header: EntryHeader = { format: CHECK_RESULT_FORMAT, key, payloadSha256: sha256(payload) };
    if (writePrivateCacheFile(directory, entryName(key), Buffer.from(`${JSON.stringify(header)}\n${payload}`, 'utf8'))) {
      prunePrivateCacheFiles(directory, ENTRY_PREFIX, ENTRY_SUFFIX, MAX_CHECK_RESULTS);
    }
  } catch {
    // See above.
  }
}

let codeIdentity: string | undefined;

/**
 * A hash of the file this code was loaded from: the CLI bundle (dist/cli.js) holds the whole
 * engine, so any rebuild changes it. From the TypeScript sources (tests) it covers this module only,
 * and the tests give each run a fresh cache folder.
 */
function runningCodeIdentity(): string {
  if (codeIdentity === undefined) {
    try {
      codeIdentity = sha256(readFileSync(__filename));
    } catch {
      // No file to read (an unusual loader): a key that matches no other process's.
      codeIdentity = `${process.pid}:${Date.now()}:${Math.random()}`;
    }
  }
  return codeIdentity;
}

/** JSON with sets as sorted arrays (JSON.stringify writes a set as `{}`), so that different pending lists give different keys. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Set ? { set: [...(item as Set<unknown>)].map(String).sort() } : item));
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function entryName(key: string): string {
  return `${ENTRY_PREFIX}${key.slice(0, 32)}${ENTRY_SUFFIX}`;
}
