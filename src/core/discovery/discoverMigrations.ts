/**
 * Finds the migration files of a project among its file paths and puts them in the order they
 * apply. Pure: it sees only relative paths, never the file system.
 */
import picomatch from 'picomatch';
import { compareDigitStrings, compareNatural } from './compareNatural';

/** The migration tool whose file layout discovery recognised, or `globs` when pgreview.json chose the files. */
export type MigrationLayout =
  | 'supabase'
  | 'prisma'
  | 'drizzle'
  | 'atlas'
  | 'sqitch'
  | 'graphile-migrate'
  | 'flyway'
  | 'golang-migrate'
  | 'diesel'
  | 'dbmate'
  | 'numbered'
  | 'globs';

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
  /**
   * Migrations whose place in the order is not what their version suggests (a Supabase file with
   * a short version prefix runs in file-name order), and why; they are still in `paths`.
   */
  reordered?: IgnoredMigration[];
}

/** Layouts in the order they are tried: the first that matches any file wins. */
export const DISCOVERY_LAYOUTS: readonly Exclude<MigrationLayout, 'globs'>[] = [
  'supabase',
  'prisma',
  'drizzle',
  'atlas',
  'sqitch',
  'graphile-migrate',
  'flyway',
  'golang-migrate',
  'diesel',
  'dbmate',
  'numbered',
];

/** One line per layout, for the message a project without migrations gets. */
export const DISCOVERY_PATTERNS = [
  'supabase/migrations/<timestamp>_name.sql',
  'Prisma prisma/migrations/<timestamp>_name/migration.sql',
  'Drizzle drizzle/<n>_name.sql with meta/_journal.json',
  'Atlas migrations/*.sql with atlas.sum',
  'Sqitch deploy/*.sql with sqitch.plan',
  'Graphile Migrate migrations/committed/*.sql',
  'Flyway V<version>__name.sql',
  'golang-migrate <version>_name.up.sql',
  'diesel migrations/<dir>/up.sql',
  'dbmate db/migrations/<version>_name.sql',
  'a folder of numbered .sql files (001_init.sql)',
];

/**
 * The text of a project file that is not a migration but says in which order the migrations run
 * (`atlas.sum`, `sqitch.plan`, Drizzle's `meta/_journal.json`), or undefined when it cannot be read.
 */
export type ReadPlanFile = (path: string) => string | undefined;

/**
 * Discovers and orders the migrations among `paths` (relative, forward slashes). When `globs` is
 * given (pgreview.json `migrations`), the matching `.sql` files are the migrations, glob by glob in
 * the order listed (see `orderGlobMatches`). `supabase/seed.sql` is never a migration: Supabase
 * runs it after them. `readPlanFile` reads the files some tools order their migrations by; without
 * it (or when one cannot be read) those layouts fall back to the order of the file names.
 */
export function discoverMigrations(paths: readonly string[], globs?: readonly string[], readPlanFile: ReadPlanFile = () => undefined): DiscoveredMigrations {
  const allPaths = paths.map(toForwardSlashes);
  const sqlPaths = allPaths.filter((path) => /\.sql$/i.test(path) && !isSupabaseSeed(path));
  if (globs && globs.length > 0) return { layout: 'globs', directory: undefined, paths: orderGlobMatches(sqlPaths, globs), ignored: [] };
  const folderEntries = (folder: string) => allPaths.map(splitPath).filter((candidate) => candidate.folder === folder).map((candidate) => candidate.name);
  const project: LayoutInput = { sqlPaths, allPaths, folderEntries, readPlanFile };
  for (const layout of DISCOVERY_LAYOUTS) {
    const found = discoverLayout(layout, project);
    if (found) return found;
  }
  return { layout: undefined, directory: undefined, paths: [], ignored: [] };
}

/** What a layout's discovery looks at. */
interface LayoutInput {
  /** The `.sql` files of the project (not supabase/seed.sql). */
  sqlPaths: string[];
  /** Every file of the project, for the marker files some layouts are known by. */
  allPaths: string[];
  folderEntries: (folder: string) => string[];
  readPlanFile: ReadPlanFile;
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
  // Only the matched files count as a folder's entries here: the glob chose them.
  const folderEntries = (folder: string) => paths.map(splitPath).filter((candidate) => candidate.folder === folder).map((candidate) => candidate.name);
  const project: LayoutInput = { sqlPaths: paths, allPaths: paths, folderEntries, readPlanFile: () => undefined };
  for (const layout of DISCOVERY_LAYOUTS) {
    const found = discoverLayout(layout, project);
    if (found && found.paths.length === paths.length) return found.paths;
  }
  return [...paths].sort(compareNatural);
}

/** True for `supabase/seed.sql` (at any depth): seed data, applied after the migrations. */
export function isSupabaseSeed(path: string): boolean {
  return /(^|\/)supabase\/seed\.sql$/i.test(path);
}

function discoverLayout(layout: Exclude<MigrationLayout, 'globs'>, project: LayoutInput): DiscoveredMigrations | undefined {
  const { sqlPaths, folderEntries } = project;
  switch (layout) {
    case 'supabase':
      return discoverSupabase(sqlPaths, folderEntries);
    case 'prisma':
      return discoverPrisma(sqlPaths);
    case 'drizzle':
      return discoverDrizzle(project);
    case 'atlas':
      return discoverAtlas(project);
    case 'sqitch':
      return discoverSqitch(project);
    case 'graphile-migrate':
      return discoverGraphileMigrate(sqlPaths);
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
 * Supabase, as the CLI lists a migrations folder (ListLocalMigrations in supabase/cli
 * pkg/migration/list.go): the folder's entries sorted by file name (Go's os.ReadDir), the files
 * whose names match `^([0-9]+)_(.*)\.sql$` (case-sensitive) applied in that order, and a first
 * entry named `<timestamp>_init.sql` older than 20211209000000 skipped (old CLIs wrote it). Sorted
 * by name, `20250906_add_discounts.sql` runs after `20250127000000_init.sql` although its version
 * is smaller: such files are listed in `reordered`.
 */
function discoverSupabase(sqlPaths: string[], folderEntries: (folder: string) => string[]): DiscoveredMigrations | undefined {
  const chosen = pickFolder(sqlPaths.map(splitPath).filter((candidate) => /(^|\/)supabase\/migrations$/.test(candidate.folder)));
  if (chosen.length === 0) return undefined;
  const folder = chosen[0].folder;
  const firstEntry = folderEntries(folder).sort(compareCodePoints)[0];
  const ignored: IgnoredMigration[] = [];
  const versioned: { path: string; version: string; name: string }[] = [];
  for (const candidate of chosen.sort((a, b) => compareCodePoints(a.name, b.name))) {
    const version = /^([0-9]+)_.*\.sql$/s.exec(candidate.name)?.[1];
    if (candidate.name === firstEntry && isOldInitMigration(candidate.name)) {
      ignored.push({ path: candidate.path, reason: `${candidate.name} is the folder's first file and an init migration of an old Supabase CLI, so the CLI skips it (rename it to apply it)` });
    } else if (version === undefined) {
      const reason = /^[0-9]+_/.test(candidate.name) ? 'does not end in .sql (lower case)' : 'has no version prefix (<version>_name.sql)';
      ignored.push({ path: candidate.path, reason: `${candidate.name} ${reason}, so the Supabase CLI skips it` });
    } else {
      versioned.push({ path: candidate.path, version, name: candidate.name });
    }
  }
  return { layout: 'supabase', directory: folder, paths: versioned.map((file) => file.path), ignored, reordered: reorderedByFileName(versioned) };
}

/**
 * The files that file-name order puts on the other side of a file than their versions do: a
 * version with fewer digits (an 8-digit date among 14-digit timestamps) sorts by its characters,
 * not by its value. The shorter version of each such pair is named, once, with the first file it
 * trades places with. `files` are in file-name order.
 */
function reorderedByFileName(files: { path: string; version: string; name: string }[]): IgnoredMigration[] {
  const reordered: IgnoredMigration[] = [];
  // Versions in file-name order already: no pair trades places (the usual case, checked in linear time).
  if (files.every((file, index) => index === 0 || compareDigitStrings(files[index - 1].version, file.version) <= 0)) return reordered;
  const named = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const [earlier, later] = [files[i], files[j]];
      if (compareDigitStrings(earlier.version, later.version) <= 0) continue;
      // The two names run in this order although the earlier one's version is larger.
      const shorter = later.version.length < earlier.version.length ? later : earlier;
      if (named.has(shorter.path)) continue;
      named.add(shorter.path);
      const other = shorter === later ? earlier : later;
      const runs = shorter === later ? 'after' : 'before';
      reordered.push({
        path: shorter.path,
        reason: `${shorter.name}'s version has ${shorter.version.length} digits where ${other.name}'s has ${other.version.length}: the Supabase CLI applies migrations in file-name order, so it runs ${runs} ${other.name} although its version ${shorter.version} is ${runs === 'after' ? 'smaller' : 'larger'}; pgreview replays them in the CLI's order (give it a full <YYYYMMDDHHMMSS> timestamp to make the two agree)`,
      });
    }
  }
  return reordered;
}

/** `<14 digits>_init.sql` from before 2021-12-09, which the Supabase CLI skips as the first migration. */
function isOldInitMigration(name: string): boolean {
  const timestamp = /([0-9]{14})_init\.sql/.exec(name)?.[1];
  return timestamp !== undefined && Number(timestamp) < 20211209000000;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Go's string order: by code point (bytes of UTF-8), not by UTF-16 unit. */
function compareCodePoints(a: string, b: string): number {
  // UTF-16 order is code point order unless a surrogate pair meets a character above U+DFFF.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i].codePointAt(0)! - right[i].codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/**
 * dbmate: every `.sql` file of the folder is a migration if its name starts with a version; the
 * others are reported, since dbmate skips them too. Ordered by version, then name.
 */
function discoverByFolder(
  layout: 'dbmate',
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
      ignored.push({ path: candidate.path, reason: `${candidate.name} has no version prefix (<version>_name.sql), so dbmate skips it` });
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

/**
 * Prisma Migrate: `prisma/migrations/<timestamp>_<name>/migration.sql` (beside
 * `migration_lock.toml`), applied in the order of the folder names, as `prisma migrate deploy`
 * sorts them.
 */
function discoverPrisma(sqlPaths: string[]): DiscoveredMigrations | undefined {
  const migrations = sqlPaths
    .map(splitPath)
    .filter((candidate) => candidate.name === 'migration.sql' && candidate.folder !== '')
    .map((candidate) => {
      const migration = splitPath(candidate.folder);
      return { path: candidate.path, folder: migration.folder, name: migration.name };
    })
    .filter((migration) => /^\d+_/.test(migration.name));
  const chosen = pickFolder(migrations);
  if (chosen.length === 0) return undefined;
  chosen.sort((a, b) => compareCodePoints(a.name, b.name));
  return { layout: 'prisma', directory: chosen[0].folder, paths: chosen.map((candidate) => candidate.path), ignored: [] };
}

/**
 * Drizzle Kit: `<out>/<n>_<name>.sql` beside `<out>/meta/_journal.json`, whose `entries` list the
 * migrations in the order `drizzle-kit migrate` applies them (by `tag`, the file name without
 * `.sql`); a file the journal does not list is never applied. Without a readable journal, the
 * files run in the order of their numbers.
 */
function discoverDrizzle(project: LayoutInput): DiscoveredMigrations | undefined {
  const journals = project.allPaths.filter((path) => /(^|\/)meta\/_journal\.json$/.test(path));
  const folders = new Set(journals.map((journal) => splitPath(splitPath(journal).folder).folder));
  const chosen = pickFolder(project.sqlPaths.map(splitPath).filter((candidate) => folders.has(candidate.folder)));
  if (chosen.length === 0) return undefined;
  const folder = chosen[0].folder;
  const tags = readDrizzleJournalTags(project.readPlanFile(folder === '' ? 'meta/_journal.json' : `${folder}/meta/_journal.json`));
  if (!tags) {
    chosen.sort((a, b) => compareDigitStrings(leadingVersion(a.name) ?? '', leadingVersion(b.name) ?? '') || compareNatural(a.name, b.name));
    return { layout: 'drizzle', directory: folder, paths: chosen.map((candidate) => candidate.path), ignored: [] };
  }
  return { layout: 'drizzle', directory: folder, ...orderByPlan(chosen, tags.map((tag) => `${tag}.sql`), 'meta/_journal.json does not list it, so drizzle-kit migrate never applies it') };
}

/** The `tag` of each entry of a Drizzle journal, in order; undefined when the text is not one. */
function readDrizzleJournalTags(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  try {
    const journal = JSON.parse(text) as { entries?: { tag?: unknown; idx?: unknown }[] };
    if (!Array.isArray(journal.entries)) return undefined;
    const entries = journal.entries.filter((entry) => typeof entry?.tag === 'string');
    entries.sort((a, b) => (typeof a.idx === 'number' && typeof b.idx === 'number' ? a.idx - b.idx : 0));
    return entries.map((entry) => entry.tag as string);
  } catch {
    return undefined;
  }
}

/**
 * Atlas: the `.sql` files of a folder holding `atlas.sum`, in the order the sum file lists them
 * (`<file> h1:<hash>` lines after the first), which is the order `atlas migrate apply` runs them;
 * a file the sum does not list makes Atlas refuse to run (`atlas migrate hash` adds it).
 */
function discoverAtlas(project: LayoutInput): DiscoveredMigrations | undefined {
  const folders = new Set(project.allPaths.filter((path) => splitPath(path).name === 'atlas.sum').map((path) => splitPath(path).folder));
  const chosen = pickFolder(project.sqlPaths.map(splitPath).filter((candidate) => folders.has(candidate.folder)));
  if (chosen.length === 0) return undefined;
  const folder = chosen[0].folder;
  const sum = project.readPlanFile(folder === '' ? 'atlas.sum' : `${folder}/atlas.sum`);
  const listed = sum
    ?.split(/\r?\n/)
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name) => name !== undefined && name.endsWith('.sql'));
  if (!listed || listed.length === 0) {
    chosen.sort((a, b) => compareCodePoints(a.name, b.name));
    return { layout: 'atlas', directory: folder, paths: chosen.map((candidate) => candidate.path), ignored: [] };
  }
  return { layout: 'atlas', directory: folder, ...orderByPlan(chosen, listed, 'atlas.sum does not list it: Atlas refuses to apply the folder until `atlas migrate hash` adds it') };
}

/**
 * Sqitch: `deploy/<change>.sql` in the order of the changes in `sqitch.plan`. A change planned
 * again after a tag (a rework) deploys its earlier version from `deploy/<change>@<tag>.sql`.
 */
function discoverSqitch(project: LayoutInput): DiscoveredMigrations | undefined {
  const plans = project.allPaths.filter((path) => splitPath(path).name === 'sqitch.plan');
  const roots = new Set(plans.map((plan) => splitPath(plan).folder));
  const deployFolder = (root: string) => (root === '' ? 'deploy' : `${root}/deploy`);
  const chosen = pickFolder(project.sqlPaths.map(splitPath).filter((candidate) => [...roots].some((root) => candidate.folder === deployFolder(root))));
  if (chosen.length === 0) return undefined;
  const folder = chosen[0].folder;
  const root = splitPath(folder).folder;
  const plan = project.readPlanFile(root === '' ? 'sqitch.plan' : `${root}/sqitch.plan`);
  if (plan === undefined) {
    chosen.sort((a, b) => compareNatural(a.name, b.name));
    return { layout: 'sqitch', directory: folder, paths: chosen.map((candidate) => candidate.path), ignored: [] };
  }
  return { layout: 'sqitch', directory: folder, ...orderByPlan(chosen, sqitchDeployFiles(plan), 'sqitch.plan does not name this change, so sqitch deploy never runs it') };
}

/** The deploy script of each change of a Sqitch plan, in plan order (`name.sql`, or `name@tag.sql` for a version reworked later). */
function sqitchDeployFiles(plan: string): string[] {
  const steps: { change?: string; tag?: string }[] = [];
  for (const raw of plan.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('%') || line.startsWith('#')) continue;
    const name = line.split(/\s+/)[0];
    if (name.startsWith('@')) steps.push({ tag: name.slice(1) });
    else steps.push({ change: name });
  }
  const files: string[] = [];
  for (let i = 0; i < steps.length; i++) {
    const change = steps[i].change;
    if (change === undefined) continue;
    const reworkedLater = steps.slice(i + 1).some((step) => step.change === change);
    const nextTag = steps.slice(i + 1).find((step) => step.tag !== undefined)?.tag;
    files.push(reworkedLater && nextTag ? `${change}@${nextTag}.sql` : `${change}.sql`);
  }
  return files;
}

/**
 * Graphile Migrate: `migrations/committed/<n>[-name].sql` in number order, then the migration
 * being written, `migrations/current.sql` (or the files of `migrations/current/`, by name), which
 * `graphile-migrate watch` runs and `commit` turns into the next committed file.
 */
function discoverGraphileMigrate(sqlPaths: string[]): DiscoveredMigrations | undefined {
  const committed = pickFolder(sqlPaths.map(splitPath).filter((candidate) => /(^|\/)committed$/.test(candidate.folder) && leadingVersion(candidate.name) !== undefined));
  if (committed.length === 0) return undefined;
  const folder = committed[0].folder;
  const root = splitPath(folder).folder;
  const inRoot = (path: string) => (root === '' ? path : `${root}/${path}`);
  committed.sort((a, b) => compareDigitStrings(leadingVersion(a.name) ?? '', leadingVersion(b.name) ?? ''));
  const current = sqlPaths.filter((path) => path === inRoot('current.sql') || splitPath(path).folder === inRoot('current')).sort(compareNatural);
  return { layout: 'graphile-migrate', directory: folder, paths: [...committed.map((candidate) => candidate.path), ...current], ignored: [] };
}

/**
 * The chosen files in the order a plan lists their names; the files it does not list are ignored
 * with `unlistedReason`, and a name the plan lists twice runs once, at its first place.
 */
function orderByPlan(chosen: Candidate[], planned: string[], unlistedReason: string): { paths: string[]; ignored: IgnoredMigration[] } {
  const byName = new Map(chosen.map((candidate) => [candidate.name, candidate.path]));
  const paths: string[] = [];
  for (const name of planned) {
    const path = byName.get(name);
    if (path === undefined || paths.includes(path)) continue;
    paths.push(path);
  }
  const ignored = chosen.filter((candidate) => !paths.includes(candidate.path)).map((candidate) => ({ path: candidate.path, reason: `${candidate.name}: ${unlistedReason}` }));
  return { paths, ignored };
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
