/**
 * Finds the migration files of a project among its file paths and puts them in the order they
 * apply. Pure: it sees only relative paths, never the file system.
 */
import picomatch from 'picomatch';
import { compareDigitStrings, compareNatural } from './compareNatural';

/** The migration tool whose file layout discovery recognised, or `globs` when pgreview.json chose the files. */
export type MigrationLayout = 'supabase' | 'flyway' | 'golang-migrate' | 'diesel' | 'dbmate' | 'numbered' | 'globs';

/** A file that looks like a migration but is left out, and why. */
export interface IgnoredMigration {
  path: string;
  reason: string;
}

/** What discovery found. */
export interface DiscoveredMigrations {
  /** Undefined when no layout matched any file. */
  layout: MigrationLayout | undefined;
  /** The folder the migrations live in, relative to the project root ('' for the root itself). */
  directory: string | undefined;
  /** Relative paths with forward slashes, in the order the migrations apply. */
  paths: string[];
  ignored: IgnoredMigration[];
}

/** Layouts in the order they are tried: the first that matches any file wins. */
export const DISCOVERY_LAYOUTS: readonly Exclude<MigrationLayout, 'globs'>[] = ['supabase', 'flyway', 'golang-migrate', 'diesel', 'dbmate', 'numbered'];

/** One line per layout, for the message a project without migrations gets. */
export const DISCOVERY_PATTERNS = [
  'supabase/migrations/<timestamp>_name.sql',
  'Flyway V<version>__name.sql',
  'golang-migrate <version>_name.up.sql',
  'diesel migrations/<dir>/up.sql',
  'dbmate db/migrations/<version>_name.sql',
  'a folder of numbered .sql files (001_init.sql)',
];

/**
 * Discovers and orders the migrations among `paths` (relative, forward slashes). When `globs` is
 * given (pgreview.json `migrations`), the matching `.sql` files are the migrations, glob by glob in
 * the order listed (see `orderGlobMatches`). `supabase/seed.sql` is never a migration: Supabase
 * runs it after them.
 */
export function discoverMigrations(paths: readonly string[], globs?: readonly string[]): DiscoveredMigrations {
  const sqlPaths = paths.map(toForwardSlashes).filter((path) => /\.sql$/i.test(path) && !isSupabaseSeed(path));
  if (globs && globs.length > 0) return { layout: 'globs', directory: undefined, paths: orderGlobMatches(sqlPaths, globs), ignored: [] };
  for (const layout of DISCOVERY_LAYOUTS) {
    const found = discoverLayout(layout, sqlPaths);
    if (found) return found;
  }
  return { layout: undefined, directory: undefined, paths: [], ignored: [] };
}

/**
 * The files of each glob in turn, in the order the list gives: `["supabase/migrations/*.sql",
 * "database/*.sql"]` means the Supabase migrations, then the files that build on them. Within one
 * glob, the files keep the order of the layout they form (Supabase timestamps, Flyway versions),
 * or natural order when they form none. A file two globs match comes with the first.
 */
function orderGlobMatches(sqlPaths: readonly string[], globs: readonly string[]): string[] {
  const ordered: string[] = [];
  const taken = new Set<string>();
  for (const glob of globs) {
    const matches = picomatch(toForwardSlashes(glob), { dot: true });
    const matched = sqlPaths.filter((path) => !taken.has(path) && matches(path));
    for (const path of orderAsLayout(matched)) {
      taken.add(path);
      ordered.push(path);
    }
  }
  return ordered;
}

/** The files in their layout's order when one layout takes them all, else in natural order. */
function orderAsLayout(paths: string[]): string[] {
  for (const layout of DISCOVERY_LAYOUTS) {
    const found = discoverLayout(layout, paths);
    if (found && found.paths.length === paths.length) return found.paths;
  }
  return [...paths].sort(compareNatural);
}

/** True for `supabase/seed.sql` (at any depth): seed data, applied after the migrations. */
export function isSupabaseSeed(path: string): boolean {
  return /(^|\/)supabase\/seed\.sql$/i.test(path);
}

function discoverLayout(layout: Exclude<MigrationLayout, 'globs'>, sqlPaths: string[]): DiscoveredMigrations | undefined {
  switch (layout) {
    case 'supabase':
      return discoverByFolder(layout, sqlPaths, (folder) => /(^|\/)supabase\/migrations$/.test(folder), supabaseVersion);
    case 'flyway':
      return discoverFlyway(sqlPaths);
    case 'golang-migrate':
      return discoverGolangMigrate(sqlPaths);
    case 'diesel':
      return discoverDiesel(sqlPaths);
    case 'dbmate':
      return discoverByFolder(layout, sqlPaths, (folder) => /(^|\/)db\/migrations$/.test(folder), leadingVersion);
    case 'numbered':
      return discoverNumbered(sqlPaths);
  }
}

interface Candidate {
  path: string;
  folder: string;
  name: string;
}

/**
 * Picks one folder among several that fit a layout: the shallowest, then the first by name, so
 * that a project's own migrations win over copies deeper in the tree (fixtures, examples).
 */
function pickFolder(candidates: Candidate[]): Candidate[] {
  if (candidates.length === 0) return [];
  const folders = [...new Set(candidates.map((candidate) => candidate.folder))];
  folders.sort((a, b) => depth(a) - depth(b) || compareNatural(a, b));
  return candidates.filter((candidate) => candidate.folder === folders[0]);
}

/**
 * Supabase and dbmate: every `.sql` file of the folder is a migration if its name starts with a
 * version; the others are reported, since the tool skips them too. Ordered by version, then name.
 */
function discoverByFolder(
  layout: 'supabase' | 'dbmate',
  sqlPaths: string[],
  isMigrationFolder: (folder: string) => boolean,
  versionOf: (name: string) => string | undefined,
): DiscoveredMigrations | undefined {
  const chosen = pickFolder(sqlPaths.map(splitPath).filter((candidate) => isMigrationFolder(candidate.folder)));
  if (chosen.length === 0) return undefined;
  const ignored: IgnoredMigration[] = [];
  const versioned: { path: string; version: string; name: string }[] = [];
  for (const candidate of chosen) {
    const version = versionOf(candidate.name);
    if (version === undefined) {
      ignored.push({ path: candidate.path, reason: `${candidate.name} has no version prefix (<version>_name.sql), so ${layout === 'supabase' ? 'the Supabase CLI' : 'dbmate'} skips it` });
    } else {
      versioned.push({ path: candidate.path, version, name: candidate.name });
    }
  }
  versioned.sort((a, b) => compareDigitStrings(a.version, b.version) || compareNatural(a.name, b.name));
  return { layout, directory: chosen[0].folder, paths: versioned.map((file) => file.path), ignored };
}

/**
 * Flyway: `V<version>__<description>.sql` ordered by version, whose parts (separated by `.` or
 * `_`) compare as numbers, then repeatable `R__<description>.sql` by description, as Flyway
 * applies them. Undo (`U`) and baseline (`B`) scripts are not part of a fresh apply.
 */
function discoverFlyway(sqlPaths: string[]): DiscoveredMigrations | undefined {
  const chosen = pickFolder(sqlPaths.map(splitPath).filter((candidate) => FLYWAY_VERSIONED.test(candidate.name) || FLYWAY_REPEATABLE.test(candidate.name)));
  if (!chosen.some((candidate) => FLYWAY_VERSIONED.test(candidate.name))) return undefined;
  const versioned = chosen
    .map((candidate) => ({ candidate, match: FLYWAY_VERSIONED.exec(candidate.name) }))
    .filter((entry): entry is { candidate: Candidate; match: RegExpExecArray } => entry.match !== null)
    .map(({ candidate, match }) => ({ path: candidate.path, version: match[1].split(/[._]/), name: candidate.name }));
  versioned.sort((a, b) => compareVersionParts(a.version, b.version) || compareNatural(a.name, b.name));
  const repeatable = chosen.filter((candidate) => FLYWAY_REPEATABLE.test(candidate.name)).sort((a, b) => compareNatural(a.name, b.name));
  return {
    layout: 'flyway',
    directory: chosen[0].folder,
    paths: [...versioned.map((file) => file.path), ...repeatable.map((candidate) => candidate.path)],
    ignored: [],
  };
}

const FLYWAY_VERSIONED = /^V(\d+(?:[._]\d+)*)__.+\.sql$/;
const FLYWAY_REPEATABLE = /^R__.+\.sql$/;

/** golang-migrate: `<version>_<title>.up.sql`; the `.down.sql` files roll back and are never applied forward. */
function discoverGolangMigrate(sqlPaths: string[]): DiscoveredMigrations | undefined {
  const chosen = pickFolder(sqlPaths.map(splitPath).filter((candidate) => /\.up\.sql$/i.test(candidate.name)));
  if (chosen.length === 0) return undefined;
  chosen.sort((a, b) => compareDigitStrings(leadingVersion(a.name) ?? '', leadingVersion(b.name) ?? '') || compareNatural(a.name, b.name));
  return { layout: 'golang-migrate', directory: chosen[0].folder, paths: chosen.map((candidate) => candidate.path), ignored: [] };
}

/** diesel: `migrations/<version>_<name>/up.sql`, applied in the order of the folder names. */
function discoverDiesel(sqlPaths: string[]): DiscoveredMigrations | undefined {
  const upFiles = sqlPaths
    .map(splitPath)
    .filter((candidate) => candidate.name === 'up.sql' && candidate.folder !== '')
    .map((candidate) => {
      const migration = splitPath(candidate.folder);
      return { path: candidate.path, folder: migration.folder, name: migration.name };
    });
  const chosen = pickFolder(upFiles);
  if (chosen.length === 0) return undefined;
  chosen.sort((a, b) => compareNatural(a.name, b.name));
  return { layout: 'diesel', directory: chosen[0].folder, paths: chosen.map((candidate) => candidate.path), ignored: [] };
}

/** A plain folder of numbered files: `001_init.sql`, `002_bookings.sql`, `10_x.sql`, in numeric order. */
function discoverNumbered(sqlPaths: string[]): DiscoveredMigrations | undefined {
  const chosen = pickFolder(
    sqlPaths.map(splitPath).filter((candidate) => leadingVersion(candidate.name) !== undefined && !/\.down\.sql$/i.test(candidate.name)),
  );
  if (chosen.length === 0) return undefined;
  chosen.sort((a, b) => compareDigitStrings(leadingVersion(a.name) ?? '', leadingVersion(b.name) ?? '') || compareNatural(a.name, b.name));
  return { layout: 'numbered', directory: chosen[0].folder, paths: chosen.map((candidate) => candidate.path), ignored: [] };
}

/** The Supabase CLI accepts `<digits>_<name>.sql` only. */
function supabaseVersion(name: string): string | undefined {
  return /^(\d+)_.*\.sql$/i.exec(name)?.[1];
}

/** The digits a file name starts with, followed by `_`, `-` or `.`: `001_init.sql` → `001`. */
function leadingVersion(name: string): string | undefined {
  return /^(\d+)[_.-]/.exec(name)?.[1];
}

/** Flyway versions: part by part as numbers; a missing part counts as 0, so 1 = 1.0. */
function compareVersionParts(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const order = compareDigitStrings(a[i] ?? '0', b[i] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

function splitPath(path: string): Candidate {
  const slash = path.lastIndexOf('/');
  return { path, folder: slash < 0 ? '' : path.slice(0, slash), name: path.slice(slash + 1) };
}

function depth(folder: string): number {
  return folder === '' ? 0 : folder.split('/').length;
}

function toForwardSlashes(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}
