/**
 * Which migration files the database's migration runner has applied: its history table (read by
 * src/db/readMigrationHistory.ts) matched with the project's files. Pure: rows and file texts in,
 * a status per file out.
 */
import type { MigrationFile } from '../analyze';
import { compareDigitStrings } from '../discovery/compareNatural';
import type { PendingMigrations } from '../safety/pendingMigrations';
import { tokenize } from '../sql/statementTokens';
import { flywayChecksum } from './flywayChecksum';

/** The migration runners whose history table pgreview reads. */
export type HistoryRunner = 'supabase' | 'flyway' | 'golang-migrate' | 'dbmate' | 'diesel';

/** One row of a runner's history table, in the runner's own terms. */
export interface HistoryEntry {
  /**
   * The version as the runner stores it: Supabase's and dbmate's timestamp, Flyway's `1.2`
   * (undefined for a repeatable migration), golang-migrate's number, diesel's digits.
   */
  version?: string;
  /** Supabase's `name`, Flyway's `script` (the file name): shown for an entry whose file is missing. */
  name?: string;
  /** Flyway's checksum of the file when it ran. */
  checksum?: number;
  /** The statements the Supabase CLI ran (`statements text[]`), when it recorded them. */
  statements?: readonly string[];
  /** False for a Flyway migration that failed, or a golang-migrate version left dirty. */
  success?: boolean;
  /** Flyway's row type: `SQL`, `BASELINE`, `SCHEMA`, ... */
  type?: string;
}

/** A runner's history as read from the database. */
export interface MigrationHistory {
  runner: HistoryRunner;
  /** The table it was read from, as PostgreSQL names it: `supabase_migrations.schema_migrations`. */
  table: string;
  /** In the table's order (Flyway: installed_rank). golang-migrate keeps only its current version. */
  entries: HistoryEntry[];
}

/** The history tables pgreview looks for, one line each, for messages. */
export const HISTORY_TABLES: Readonly<Record<HistoryRunner, string>> = {
  supabase: 'supabase_migrations.schema_migrations',
  flyway: 'flyway_schema_history',
  'golang-migrate': 'schema_migrations (version bigint, dirty)',
  dbmate: 'schema_migrations (version varchar)',
  diesel: '__diesel_schema_migrations',
};

/**
 * `applied`: in the history, unchanged as far as the runner can tell; `pending`: not in it (or it
 * failed there); `changed`: applied, but the file's text differs from what ran (Flyway's checksum,
 * the Supabase CLI's recorded statements).
 */
export type MigrationHistoryStatus = 'applied' | 'pending' | 'changed';

/** A migration file and what the history says about it. */
export interface FileHistoryStatus {
  path: string;
  /** The version the runner gives the file; undefined when its name has none the runner reads. */
  version: string | undefined;
  status: MigrationHistoryStatus;
  /** Why, when the status needs a reason: `the checksum differs (...)`, `failed in Flyway`, `dirty`. */
  note?: string;
}

/** The files' statuses, and the history entries that no file matches. */
export interface HistoryMatch {
  runner: HistoryRunner;
  table: string;
  files: FileHistoryStatus[];
  /** Applied according to the history, but no migration file has the version (deleted or renamed). */
  missing: HistoryEntry[];
  /**
   * Flyway rows recorded as failed (`success = false`) with no later successful run of the same
   * version or repeatable script: `flyway migrate` refuses to run until `flyway repair`.
   */
  failed: HistoryEntry[];
}

/**
 * Matches migration files (in the order they apply) with a runner's history. Versions compare as
 * the runner compares them:
 * - Supabase: the digits before the first `_` of the file name, equal as numbers;
 * - Flyway: `V<version>__`, its parts (split at `.` or `_`) as numbers with trailing zero parts
 *   dropped, so `1.1`, `1_1`, `1.01` and `1.1.0` are one version (Flyway's MigrationVersion);
 *   repeatable `R__` files match by file name and are pending again when their checksum changed;
 * - golang-migrate: the leading digits of `<version>_name.up.sql`; the table holds only the current
 *   version, so every file up to it is applied;
 * - dbmate: the leading digits of the file name;
 * - diesel: the folder name before the first `_` without its `-`s (`2024-01-01-000000_x` is
 *   `20240101000000`).
 */
export function matchMigrationHistory(history: MigrationHistory, files: readonly MigrationFile[]): HistoryMatch {
  const matched = new Set<HistoryEntry>();
  const statuses = files.map((file) => fileStatus(history, file, matched));
  const missing = history.entries.filter((entry) => !matched.has(entry) && countsAsMissing(history.runner, entry));
  return { runner: history.runner, table: history.table, files: statuses, missing, failed: failedEntries(history) };
}

/** The Flyway rows whose last run failed: the newest row of each version (or repeatable script) says how it went. */
function failedEntries(history: MigrationHistory): HistoryEntry[] {
  if (history.runner !== 'flyway') return [];
  const lastRun = new Map<string, HistoryEntry>();
  for (const entry of history.entries) {
    const version = entry.version === undefined ? undefined : entryVersion('flyway', entry.version);
    lastRun.set(version !== undefined ? `V${version}` : `R${entry.name ?? ''}`, entry);
  }
  return [...lastRun.values()].filter((entry) => entry.success === false);
}

/** How each status reads in a table or a list: `changed after applied`, `applied, file missing`. */
export const HISTORY_STATUS_TEXT: Readonly<Record<MigrationHistoryStatus | 'missing', string>> = {
  applied: 'applied',
  pending: 'pending',
  changed: 'changed after applied',
  missing: 'applied, file missing',
};

/** The pending migrations a history match gives: the files whose status is `pending`. */
export function pendingFromHistory(match: HistoryMatch): PendingMigrations {
  return { paths: new Set(match.files.filter((file) => file.status === 'pending').map((file) => file.path)), source: `not listed in ${match.table}` };
}

/** The version a runner reads from a migration's path, normalised so that equal versions are equal strings. */
export function migrationVersion(runner: HistoryRunner, path: string): string | undefined {
  const segments = path.split('/');
  const name = segments[segments.length - 1];
  switch (runner) {
    case 'supabase':
      return normaliseDigits(/^(\d+)_/.exec(name)?.[1]);
    case 'flyway': {
      const version = /^V(\d+(?:[._]\d+)*)__/.exec(name)?.[1];
      return version === undefined ? undefined : normaliseFlywayVersion(version);
    }
    case 'golang-migrate':
    case 'dbmate':
      return normaliseDigits(/^(\d+)/.exec(name)?.[1]);
    case 'diesel': {
      const folder = segments.length >= 2 ? segments[segments.length - 2] : '';
      const digits = folder.split('_')[0].replace(/-/g, '');
      return /^\d+$/.test(digits) ? normaliseDigits(digits) : undefined;
    }
  }
}

function fileStatus(history: MigrationHistory, file: MigrationFile, matched: Set<HistoryEntry>): FileHistoryStatus {
  const version = migrationVersion(history.runner, file.path);
  const base = { path: file.path, version };
  if (history.runner === 'golang-migrate') return golangMigrateStatus(history, base, matched);
  if (history.runner === 'flyway' && version === undefined) return flywayRepeatableStatus(history, file, base, matched);
  if (version === undefined) return { ...base, status: 'pending', note: `its name has no version that ${history.runner} reads` };
  const entries = history.entries.filter((entry) => entry.version !== undefined && entryVersion(history.runner, entry.version) === version);
  for (const entry of entries) matched.add(entry);
  if (history.runner === 'flyway') return flywayVersionedStatus(history, file, base, entries);
  const entry = entries[entries.length - 1];
  if (!entry) return { ...base, status: 'pending' };
  if (history.runner === 'supabase' && entry.statements && entry.statements.length > 0 && !sameStatements(entry.statements, file.text)) {
    return { ...base, status: 'changed', note: 'its statements differ from those the Supabase CLI recorded when it applied the file' };
  }
  return { ...base, status: 'applied' };
}

function flywayVersionedStatus(history: MigrationHistory, file: MigrationFile, base: { path: string; version: string | undefined }, entries: HistoryEntry[]): FileHistoryStatus {
  const applied = entries.filter((entry) => entry.success !== false);
  const last = applied[applied.length - 1];
  if (!last) {
    // Below a baseline, Flyway never runs a file: it counts as applied.
    const baseline = history.entries.find((entry) => entry.type?.includes('BASELINE') && entry.version !== undefined);
    if (baseline && base.version !== undefined && compareFlywayVersions(base.version, entryVersion('flyway', baseline.version!)!) <= 0) {
      return { ...base, status: 'applied', note: `at or below the baseline ${baseline.version}` };
    }
    return entries.length > 0 ? { ...base, status: 'pending', note: 'failed when Flyway last ran it' } : { ...base, status: 'pending' };
  }
  if (last.checksum !== undefined && last.checksum !== flywayChecksum(file.text)) {
    return { ...base, status: 'changed', note: `its checksum ${flywayChecksum(file.text)} differs from ${last.checksum}, recorded when Flyway applied it` };
  }
  return { ...base, status: 'applied' };
}

/** A repeatable migration runs again whenever its checksum changes: matched by file name. */
function flywayRepeatableStatus(history: MigrationHistory, file: MigrationFile, base: { path: string; version: string | undefined }, matched: Set<HistoryEntry>): FileHistoryStatus {
  const name = file.path.split('/').pop();
  const entries = history.entries.filter((entry) => entry.version === undefined && entry.name === name);
  for (const entry of entries) matched.add(entry);
  const last = entries.filter((entry) => entry.success !== false).pop();
  if (!last) return { ...base, status: 'pending' };
  if (last.checksum !== undefined && last.checksum !== flywayChecksum(file.text)) return { ...base, status: 'pending', note: 'repeatable, and changed since Flyway last ran it' };
  return { ...base, status: 'applied' };
}

/** golang-migrate keeps one row: the version it reached, dirty when that migration failed halfway. */
function golangMigrateStatus(history: MigrationHistory, base: { path: string; version: string | undefined }, matched: Set<HistoryEntry>): FileHistoryStatus {
  const current = history.entries[0];
  if (!current?.version || base.version === undefined) return { ...base, status: 'pending' };
  const order = compareDigitStrings(base.version, current.version);
  if (order > 0) return { ...base, status: 'pending' };
  if (order < 0) return { ...base, status: 'applied' };
  matched.add(current);
  return current.success === false ? { ...base, status: 'applied', note: 'dirty: it failed halfway, and golang-migrate refuses to run until the version is forced' } : { ...base, status: 'applied' };
}

/** History rows that are no applied migration of their own: Flyway's schema creation and baseline markers and failed runs, golang-migrate's version 0 or -1. */
function countsAsMissing(runner: HistoryRunner, entry: HistoryEntry): boolean {
  // A failed Flyway run applied nothing it recorded: migration_failed_in_history reports it.
  if (runner === 'flyway') return entry.success !== false && (entry.type === undefined || !/BASELINE|SCHEMA|DELETE/.test(entry.type));
  if (runner === 'golang-migrate') return entry.version !== undefined && /^[1-9]\d*$/.test(entry.version);
  return true;
}

function entryVersion(runner: HistoryRunner, version: string): string | undefined {
  return runner === 'flyway' ? normaliseFlywayVersion(version) : normaliseDigits(version.trim());
}

function normaliseDigits(digits: string | undefined): string | undefined {
  return digits?.replace(/^0+(?=\d)/, '');
}

/** `01.1.0` → `1.1`: Flyway compares version parts as numbers, a missing part counting as 0. */
function normaliseFlywayVersion(version: string): string | undefined {
  const parts = version.trim().split(/[._]/);
  if (parts.some((part) => !/^\d+$/.test(part))) return undefined;
  const numbers = parts.map((part) => part.replace(/^0+(?=\d)/, ''));
  while (numbers.length > 1 && numbers[numbers.length - 1] === '0') numbers.pop();
  return numbers.join('.');
}

/**
 * Orders two versions as `runner` orders them (each normalised by `migrationVersion`): Flyway by
 * its version parts as numbers, the others by their digits as one number.
 */
export function compareMigrationVersions(runner: HistoryRunner, a: string, b: string): number {
  return runner === 'flyway' ? compareFlywayVersions(a, b) : compareDigitStrings(a, b);
}

/** A history entry's version, normalised as `migrationVersion` normalises a file's. */
export function historyEntryVersion(runner: HistoryRunner, entry: HistoryEntry): string | undefined {
  return entry.version === undefined ? undefined : entryVersion(runner, entry.version);
}

function compareFlywayVersions(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const order = compareDigitStrings(left[i] ?? '0', right[i] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * The Supabase CLI records each statement as it split them; pgreview compares the tokens, so
 * whitespace, comments and the statement-ending semicolons do not count as a change.
 */
function sameStatements(recorded: readonly string[], text: string): boolean {
  const fromHistory = significantTokens(recorded.join(';\n'));
  const fromFile = significantTokens(text);
  return fromHistory.length === fromFile.length && fromHistory.every((token, index) => token === fromFile[index]);
}

function significantTokens(sql: string): string[] {
  return tokenize(sql)
    .map((token) => token.text)
    .filter((token) => token !== ';');
}
