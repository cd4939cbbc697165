/**
 * Where a migration pgreview writes (fixes, alignment) goes, named as the project's migration
 * tool expects, so that it applies after every migration already there. Pure: it sees the paths
 * discovery found, never the file system.
 */
import { SET_LOCK_TIMEOUT } from '../safety/locks';
import { compareDigitStrings } from './compareNatural';
import type { MigrationLayout } from './discoverMigrations';

/** The migrations a new one must follow: discovery's layout and its ordered paths. */
export interface MigrationSequence {
  layout: MigrationLayout | undefined;
  /** Relative paths with forward slashes, in the order the migrations apply. */
  paths: readonly string[];
}

/**
 * The path of a new migration named `<version>_pgreview_<slug>` (Flyway: `V<version>__pgreview_<slug>`;
 * diesel: a folder with an `up.sql`). Timestamp layouts (Supabase, dbmate, and golang-migrate or
 * numbered files whose latest version is a 14-digit timestamp) use the UTC time of `now`; the
 * others the next version number. `taken` counts candidates a caller found already on disk: each
 * moves the version one step further, so an existing file is never overwritten.
 */
export function nextMigrationPath(sequence: MigrationSequence, slug: string, now: Date, taken = 0): string {
  const name = `pgreview_${slug}`;
  const last = sequence.paths.at(-1);
  const folderOf = (path: string | undefined): string => (path && path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
  const join = (folder: string, file: string): string => (folder ? `${folder}/${file}` : file);
  const fileNames = sequence.paths.map((path) => path.slice(path.lastIndexOf('/') + 1));
  switch (sequence.layout) {
    case 'flyway': {
      const versions = fileNames.flatMap((file) => /^V(\d+(?:[._]\d+)*)__/.exec(file)?.[1] ?? []);
      return join(folderOf(last), `V${nextVersionNumber(versions.map((version) => version.split(/[._]/)[0]), taken)}__${name}.sql`);
    }
    case 'golang-migrate':
    case 'numbered': {
      const versions = fileNames.flatMap((file) => /^(\d+)[_.-]/.exec(file)?.[1] ?? []);
      const latest = versions.sort(compareDigitStrings).at(-1);
      const version = latest?.length === 14 ? stepTimestamp(nextMigrationTimestamp(now, latest), taken) : nextVersionNumber(versions, taken);
      return join(folderOf(last), `${version}_${name}${sequence.layout === 'golang-migrate' ? '.up.sql' : '.sql'}`);
    }
    case 'diesel': {
      // diesel orders migrations by folder name; its own generator writes `YYYY-MM-DD-HHMMSS_name`.
      const folders = sequence.paths.map((path) => folderOf(path).slice(folderOf(path).lastIndexOf('/') + 1));
      const latest = folders.flatMap((folder) => /^(\d{4})-(\d{2})-(\d{2})-(\d{6})/.exec(folder)?.slice(1).join('') ?? []).sort().at(-1);
      const stamp = stepTimestamp(nextMigrationTimestamp(now, latest), taken);
      const dieselVersion = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}-${stamp.slice(8)}`;
      return join(folderOf(folderOf(last)) || 'migrations', `${dieselVersion}_${name}/up.sql`);
    }
    case 'prisma': {
      // prisma migrate dev names a migration's folder `<YYYYMMDDHHMMSS>_<name>`.
      const folders = sequence.paths.map((path) => folderOf(path).slice(folderOf(path).lastIndexOf('/') + 1));
      const latest = folders.flatMap((folder) => /^(\d{14})_/.exec(folder)?.[1] ?? []).sort().at(-1);
      return join(folderOf(folderOf(last)) || 'prisma/migrations', `${stepTimestamp(nextMigrationTimestamp(now, latest), taken)}_${name}/migration.sql`);
    }
    // Numbered like the files beside it; each tool then wants the file registered (drizzle's
    // journal, `sqitch add`, Graphile Migrate's `commit`), which the header of the file says.
    case 'drizzle':
    case 'sqitch':
    case 'graphile-migrate': {
      const versions = fileNames.flatMap((file) => /^(\d+)[_.-]/.exec(file)?.[1] ?? []);
      const prefix = versions.length > 0 ? `${nextVersionNumber(versions, taken)}_` : taken > 0 ? `${taken}_` : '';
      return join(folderOf(last), `${prefix}${name}.sql`);
    }
    case 'supabase':
    case 'dbmate':
    case 'atlas':
    case 'globs':
    case undefined: {
      const latest = fileNames.flatMap((file) => /^(\d{14})_/.exec(file)?.[1] ?? []).sort().at(-1);
      const folder = last ? folderOf(last) : 'supabase/migrations';
      return join(folder, `${stepTimestamp(nextMigrationTimestamp(now, latest), taken)}_${name}.sql`);
    }
  }
}

/**
 * The full text of a migration pgreview writes: a header that names it and says it was never
 * applied, then the SQL. dbmate reads only what follows `-- migrate:up`, so its files start so.
 */
export function renderNewMigrationText(layout: MigrationLayout | undefined, title: string, sql: string): string {
  const header = `-- ${title}\n-- Written by pgreview. Review this migration before you apply it; pgreview never applies it.\n${REGISTER_NOTE[layout ?? 'globs'] ?? ''}\n`;
  return `${layout === 'dbmate' ? '-- migrate:up\n' : ''}${header}${SET_LOCK_TIMEOUT}\n\n${sql.trimEnd()}\n`;
}

/** What a tool needs before it runs a file pgreview wrote, said in the file's header. */
const REGISTER_NOTE: Partial<Record<MigrationLayout, string>> = {
  atlas: '-- Atlas: run `atlas migrate hash` so that atlas.sum lists this file.\n',
  drizzle: '-- Drizzle: drizzle-kit migrate runs only files meta/_journal.json lists; add this one with `drizzle-kit generate --custom` and paste it there.\n',
  sqitch: '-- Sqitch: register it with `sqitch add` (which writes deploy/, revert/ and verify/ scripts and the plan entry) and paste this there.\n',
  'graphile-migrate': '-- Graphile Migrate: paste this into migrations/current.sql and run `graphile-migrate commit`.\n',
};

/** The slug of a title for a file name: lower case words joined by `_`, at most 48 characters. */
export function migrationSlugOf(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48) || 'fix';
}

/**
 * The 14-digit UTC timestamp `YYYYMMDDHHMMSS` for a new migration: now, or one second after the
 * latest existing one when that is in the future, so the new file always sorts last.
 */
export function nextMigrationTimestamp(now: Date, latest: string | undefined): string {
  const current = formatTimestamp(now);
  if (!latest || current > latest) return current;
  return stepTimestamp(latest, 1);
}

/** The timestamp `seconds` later. */
function stepTimestamp(stamp: string, seconds: number): string {
  if (seconds === 0) return stamp;
  const parsed = new Date(
    Date.UTC(Number(stamp.slice(0, 4)), Number(stamp.slice(4, 6)) - 1, Number(stamp.slice(6, 8)), Number(stamp.slice(8, 10)), Number(stamp.slice(10, 12)), Number(stamp.slice(12, 14)) + seconds),
  );
  return formatTimestamp(parsed);
}

/** One more than the largest version (plus `taken`), zero-padded to its width: `007` → `008`. */
function nextVersionNumber(versions: readonly string[], taken: number): string {
  const latest = [...versions].sort(compareDigitStrings).at(-1) ?? '0';
  const next = (BigInt(latest) + 1n + BigInt(taken)).toString();
  return next.padStart(latest.length, '0');
}

function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
