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
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { MigrationFile, MigrationSafetyInput } from '../core/analyze';
import type { ResolvedConfig } from '../core/config';
import type { Finding } from '../core/finding';
import { prunePrivateCacheFiles, readPrivateCacheFile, writePrivateCacheFile } from './privateCacheFiles';
import { createSha256, sha256 } from './sha256';

/** Bump when the entry layout or the meaning of its payload changes: older entries are then never read. */
const CHECK_RESULT_FORMAT = 'pgreview-check-result-2';

/** Entries of each kind kept in the cache folder, by last use: a few projects, branches and configs. */
const MAX_ENTRIES_OF_A_KIND = 16;

/** File name prefixes of the two kinds of entry: results (findings) and the reports printed from them. */
export const RESULT_ENTRY_PREFIX = 'pgreview-check-';
export const REPORT_ENTRY_PREFIX = 'pgreview-report-';
const ENTRY_SUFFIX = '.json';

/** What `check` reports of an analysis: its findings (sorted, suppressions applied) and how many statements it read. */
export interface CheckResult {
  findings: Finding[];
  statements: number;
}

/**
 * What `check` printed for a result, in one format seen from one folder: a run that would print
 * the same prints this without loading the engine (src/cli/checkFromCache.ts).
 */
export interface CheckReport {
  /** Lines for standard error before the report. */
  notes: string[];
  /** The rendered report, for standard output or `--output`. */
  output: string;
  /** The one-line summary `--output` prints. */
  summary: string;
  /** The last line on standard error, when the exit code is not 0. */
  exitMessage: string | undefined;
  /** 0, or 1 when a finding reaches `--fail-on`. */
  exitCode: 0 | 1;
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
  /** See checksum. */
  payloadChecksum: string;
}

/** The cache key of a check over `input`, a hex SHA-256. */
export function checkResultKey(input: CheckResultInput): string {
  const { files, config, version, ...safety } = input;
  const hash = createSha256().update(CHECK_RESULT_FORMAT).update('\0').update(version).update('\0').update(runningCodeIdentity()).update('\0');
  hash.update(stableJson(config)).update('\0').update(stableJson(safety)).update('\0');
  for (const file of files) hash.update(file.path).update('\0').update(String(file.text.length)).update('\0').update(file.text).update('\0');
  return hash.digest('hex');
}

/** The result stored under `key`, or undefined when there is none or it cannot be trusted (then it is deleted). */
export function readCheckResult(directory: string, key: string): CheckResult | undefined {
  return readEntry(directory, RESULT_ENTRY_PREFIX, key, (value): value is CheckResult => {
    const result = value as CheckResult;
    return Array.isArray(result?.findings) && Number.isInteger(result.statements);
  });
}

/**
 * Stores a result under `key` and prunes the folder to the most recently used entries. Never
 * throws: a cache that cannot be written (a read-only folder, a full disk) only costs the next run its speed.
 */
export function writeCheckResult(directory: string, key: string, result: CheckResult): void {
  writeEntry(directory, RESULT_ENTRY_PREFIX, key, result);
}

/** The report stored under `key` (see `checkReportKey`), like `readCheckResult`. */
export function readCheckReport(directory: string, key: string): CheckReport | undefined {
  return readEntry(directory, REPORT_ENTRY_PREFIX, key, (value): value is CheckReport => {
    const report = value as CheckReport;
    return (
      typeof report?.output === 'string' &&
      typeof report.summary === 'string' &&
      Array.isArray(report.notes) &&
      report.notes.every((note) => typeof note === 'string') &&
      (report.exitMessage === undefined || typeof report.exitMessage === 'string') &&
      (report.exitCode === 0 || report.exitCode === 1)
    );
  });
}

/** Stores a report under `key`, like `writeCheckResult`. */
export function writeCheckReport(directory: string, key: string, report: CheckReport): void {
  writeEntry(directory, REPORT_ENTRY_PREFIX, key, report);
}

/**
 * The key of the report a check prints for the result under `resultKey`: the result plus
 * everything else the report shows (the format, the paths as seen from the working directory,
 * the project's own findings and file count, the exit rule).
 */
export function checkReportKey(resultKey: string, rendering: unknown): string {
  return createSha256().update(CHECK_RESULT_FORMAT).update('\0report\0').update(resultKey).update('\0').update(stableJson(rendering)).digest('hex');
}

/**
 * The payload of the entry of one kind (`prefix`) stored under `key`, when `isPayload` accepts it;
 * undefined when there is none or it cannot be trusted (then it is deleted).
 */
export function readEntry<T>(directory: string, prefix: string, key: string, isPayload: (value: unknown) => value is T): T | undefined {
  const bytes = readPrivateCacheFile(directory, entryName(prefix, key));
  if (!bytes) return undefined;
  try {
    const newline = bytes.indexOf(0x0a);
    if (newline < 0) throw new Error('no header');
    const header = JSON.parse(bytes.toString('utf8', 0, newline)) as EntryHeader;
    if (header.format !== CHECK_RESULT_FORMAT || header.key !== key) throw new Error('an entry for another key');
    // The bytes are hashed as read, rather than the decoded text encoded again.
    const payload = bytes.subarray(newline + 1);
    if (checksum(payload) !== header.payloadChecksum) throw new Error('checksum mismatch');
    const value: unknown = JSON.parse(payload.toString('utf8'));
    if (!isPayload(value)) throw new Error('not an entry of this kind');
    return value;
  } catch {
    // A damaged entry costs this run its speed, never its answer: the analysis runs and rewrites it.
    rmSync(join(directory, entryName(prefix, key)), { force: true });
    return undefined;
  }
}

/** Stores `value` as the entry of one kind (`prefix`) under `key`, like `writeCheckResult`. */
export function writeEntry(directory: string, prefix: string, key: string, value: unknown): void {
  try {
    const payload = JSON.stringify(value);
    const bytes = Buffer.from(payload, 'utf8');
    const header: EntryHeader = { format: CHECK_RESULT_FORMAT, key, payloadChecksum: checksum(bytes) };
    if (writePrivateCacheFile(directory, entryName(prefix, key), Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), bytes]))) {
      prunePrivateCacheFiles(directory, prefix, ENTRY_SUFFIX, MAX_ENTRIES_OF_A_KIND);
    }
  } catch {
    // See writeCheckResult.
  }
}

/**
 * Set by scripts/build.mjs in dist/checkFromCache.js, which reads what dist/cli.js wrote: the
 * SHA-256 of dist/cli.js, the identity that bundle computes for itself.
 */
declare const PGREVIEW_ENGINE_SHA256: string | undefined;

let codeIdentity: string | undefined;

/**
 * A hash of the file this code was loaded from: the CLI bundle (dist/cli.js) holds the whole
 * engine, so any rebuild changes it. From the TypeScript sources (tests) it covers this module only,
 * and the tests give each run a fresh cache folder.
 */
export function runningCodeIdentity(): string {
  if (codeIdentity === undefined) {
    try {
      codeIdentity = typeof PGREVIEW_ENGINE_SHA256 === 'string' ? PGREVIEW_ENGINE_SHA256 : sha256(readFileSync(__filename));
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

/**
 * The checksum of an entry's payload, which finds a damaged entry (a torn write, a truncated or
 * altered file), and of what names an entry whose key is no hash: CRC-32, which zlib computes without node:crypto, so that a cached check need not
 * load it (see sha256.ts). It guards against accidents, not forgers: an entry is private to its
 * user (privateCacheFiles.ts). Node 20 before 20.15 has no zlib.crc32: there it is SHA-256, and an
 * entry written by the other kind of Node is damaged to this one, and rebuilt.
 */
export function checksum(data: string | Uint8Array): string {
  return typeof crc32 === 'function' ? `crc32-${crc32(data).toString(16)}` : `sha256-${sha256(data)}`;
}

function entryName(prefix: string, key: string): string {
  return `${prefix}${key.slice(0, 32)}${ENTRY_SUFFIX}`;
}
