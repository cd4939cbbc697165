/**
 * Turns a project folder, seen through a `ProjectReader`, into what `analyze` needs: the ordered
 * migration files with their texts and the resolved configuration. The reader does the IO, so
 * the CLI (file system) and the editor (workspace, unsaved buffers) share this logic.
 */
import { throwIfCancelled, type CancellationToken } from '../cancellation';
import type { MigrationFile } from '../analyze';
import {
  parsePgreviewJson,
  parseSupabaseConfigToml,
  resolveConfig,
  type PgreviewConfig,
  type ResolvedConfig,
  type SupabaseTomlSettings,
} from '../config';
import { discoverMigrations, DISCOVERY_PATTERNS, type MigrationLayout } from '../discovery/discoverMigrations';
import { InputError, UnreadableFileError } from '../errors';
import type { Finding } from '../finding';
import { rulesById } from '../rules';
import fileSkipped from '../rules/file_skipped';
import { findSupabaseSign, type SupabaseSign } from './findSupabaseSign';

/** Read access to one project folder. Paths are relative to its root, with forward slashes. */
export interface ProjectReader {
  /** Every file of the project worth considering (dependency and VCS folders left out). */
  listFiles(): string[];
  /**
   * The file's text, or undefined when it does not exist. Throws an `UnreadableFileError` when it
   * exists but is not read (no permission, not a regular file, a link out of the project).
   */
  readFile(path: string): string | undefined;
  /** The file's size in bytes, when cheap to know: it lets huge files be skipped without reading them. */
  sizeOf?(path: string): number | undefined;
  /** Folders the listing did not enter though it met them (unreadable, or a link out of the project). */
  listSkippedFolders?(): SkippedFolder[];
}

/** A folder of the project whose files are not listed, and why (a sentence about the folder). */
export interface SkippedFolder {
  path: string;
  reason: string;
}

/** Files above this size are data dumps rather than schema changes, and are not parsed. */
export const MAX_MIGRATION_BYTES = 10 * 1024 * 1024;

/**
 * The most migration text one run reviews. Parsing and replaying costs about 60 times the text
 * in memory (a 10 MB file of INSERTs takes 640 MB), so three files just under MAX_MIGRATION_BYTES
 * took well over a gigabyte; a real schema history is a small fraction of this.
 */
export const MAX_PROJECT_BYTES = 20 * 1024 * 1024;

/** Something about the project worth telling the user that is not a finding on a statement. */
export interface ProjectProblem {
  /**
   * `config`: an ignored configuration entry or file; `ignored_file`: a file the migration tool
   * would skip too; `skipped_folder`: a folder not listed; `migration_order`: a file the tool runs
   * elsewhere than its version suggests; `profile`: the platform profile chosen without a supabase/
   * folder or a setting to go by; `no_migrations`: nothing to check.
   */
  kind: 'config' | 'ignored_file' | 'skipped_folder' | 'migration_order' | 'profile' | 'no_migrations';
  level: 'warning' | 'info';
  /** Relative to the project root, when the problem is in one file. */
  file?: string;
  message: string;
}

/** A project ready for `analyze`. */
export interface Project {
  /** The layout discovery recognised; undefined when there are no migrations. */
  layout: MigrationLayout | undefined;
  /** Every migration discovery found, in the order they apply, including the skipped ones. */
  paths: string[];
  /** The migrations pgreview reads, in the order they apply. */
  files: MigrationFile[];
  config: ResolvedConfig;
  /** `file_skipped` findings for migrations that are binary, too large, over the project's budget or unreadable; they are not in `files`. */
  findings: Finding[];
  problems: ProjectProblem[];
}

export interface LoadProjectOptions {
  /** A configuration file to use in place of the project's pgreview.json (the CLI's `--config`). */
  configFile?: { path: string; text: string };
}

/**
 * Loads a project: reads pgreview.json (or `options.configFile`) and supabase/config.toml,
 * discovers the migrations and reads them. A broken pgreview.json throws an InputError naming the
 * file, and an unreadable one its UnreadableFileError; everything else (unknown rule names, binary
 * or unreadable migrations, no migrations) is reported in the result, so the caller decides how
 * loud to be.
 */
export function loadProject(reader: ProjectReader, options: LoadProjectOptions = {}, token?: CancellationToken): Project {
  const problems: ProjectProblem[] = [];
  // An unreadable pgreview.json throws its UnreadableFileError: a review without the settings it
  // holds (rules turned off, migration globs) would report the wrong things.
  const configFile = options.configFile ?? readOptional(reader, 'pgreview.json');
  let pgreview: PgreviewConfig | undefined;
  if (configFile) {
    const parsed = parsePgreviewJson(configFile.text, configFile.path);
    pgreview = parsed.config;
    problems.push(...parsed.problems.map((problem) => ({ kind: 'config' as const, ...problem })));
  }

  const paths = reader.listFiles();
  for (const folder of reader.listSkippedFolders?.() ?? []) problems.push({ kind: 'skipped_folder', level: 'warning', file: folder.path, message: folder.reason });
  throwIfCancelled(token);
  const discovered = discoverMigrations(paths, pgreview?.migrations, (path) => readPlanFile(reader, path));
  for (const ignored of discovered.ignored) problems.push({ kind: 'ignored_file', level: 'warning', file: ignored.path, message: ignored.reason });
  for (const moved of discovered.reordered ?? []) problems.push({ kind: 'migration_order', level: 'warning', file: moved.path, message: moved.reason });

  const supabaseFolder = discovered.layout === 'supabase' && discovered.directory ? discovered.directory.replace(/\/?migrations$/, '') : 'supabase';
  const tomlPath = supabaseFolder ? `${supabaseFolder}/config.toml` : 'config.toml';
  let toml: { path: string; text: string } | undefined;
  try {
    toml = readOptional(reader, tomlPath);
  } catch (error) {
    // Like a broken config.toml (below): it costs only the exposed schemas.
    if (!(error instanceof UnreadableFileError)) throw error;
    problems.push({ kind: 'config', level: 'warning', file: tomlPath, message: `it ${error.reason}; using the default exposed schemas` });
  }
  let supabaseToml: SupabaseTomlSettings | undefined;
  if (toml) {
    try {
      supabaseToml = parseSupabaseConfigToml(toml.text, toml.path);
    } catch (error) {
      // config.toml belongs to the Supabase CLI, not to pgreview: a broken one costs only the
      // exposed schemas, so it is a warning and the defaults apply.
      if (!(error instanceof InputError)) throw error;
      problems.push({ kind: 'config', level: 'warning', file: toml.path, message: `${error.message}; using the default exposed schemas` });
    }
  }
  // The files are read before the profile is chosen: their text can show a Supabase project
  // that has no supabase/ folder.
  const { files, skipped } = readMigrations(reader, discovered.paths, token);
  const hasSupabaseFolder = toml !== undefined || discovered.layout === 'supabase' || paths.some((path) => /(^|\/)supabase\/migrations\/[^/]+\.sql$/i.test(path));
  const sign = hasSupabaseFolder || pgreview?.profile ? undefined : findSupabaseSign(files);
  const looksLikeSupabase = hasSupabaseFolder || sign !== undefined;
  const resolved = resolveConfig({ pgreview, pgreviewFile: configFile?.path, supabaseToml, looksLikeSupabase, knownRules: rulesById });
  problems.push(...resolved.problems.map((problem) => ({ kind: 'config' as const, ...problem })));
  if (!pgreview?.profile && !hasSupabaseFolder && discovered.paths.length > 0) problems.push(profileNote(sign, configFile?.path));

  const findings: Finding[] = [];
  for (const { path, message } of skipped) pushSkipped(findings, resolved.config, path, message);
  if (discovered.paths.length === 0) {
    const where = discovered.layout === 'globs' ? `the "migrations" globs of ${configFile?.path ?? 'pgreview.json'} match no .sql file` : `looked for ${DISCOVERY_PATTERNS.join('; ')}`;
    problems.push({ kind: 'no_migrations', level: 'warning', message: `No migration files found: ${where}.` });
  }
  return { layout: discovered.layout, paths: discovered.paths, files, config: resolved.config, findings, problems };
}

/**
 * Reads the migrations that pgreview reviews, and says why it skips each one it does not: too
 * large, over the project's budget, unreadable, missing or binary. The caller turns the skipped
 * ones into `file_skipped` findings once the configuration (which sets their level) is known.
 */
function readMigrations(reader: ProjectReader, paths: readonly string[], token?: CancellationToken): { files: MigrationFile[]; skipped: { path: string; message: string }[] } {
  const files: MigrationFile[] = [];
  const skipped: { path: string; message: string }[] = [];
  const skip = (path: string, message: string): void => void skipped.push({ path, message });
  const sizes = new Map(paths.map((path) => [path, reader.sizeOf?.(path)]));
  const overBudget = chooseFilesOverBudget(sizes);
  let reviewedBytes = 0;
  for (const path of paths) {
    throwIfCancelled(token);
    const size = sizes.get(path);
    if (size !== undefined && size > MAX_MIGRATION_BYTES) {
      skip(path, `${path} is ${formatMegabytes(size)}, above the 10 MB limit: it is not checked.`);
      continue;
    }
    if (overBudget.has(path)) {
      skip(path, describeOverBudget(path, size ?? 0, overBudget.get(path) as number));
      continue;
    }
    let text: string | undefined;
    try {
      text = reader.readFile(path);
    } catch (error) {
      if (!(error instanceof UnreadableFileError)) throw error;
      skip(path, `${error.message}: it is not checked.`);
      continue;
    }
    if (text === undefined) {
      skip(path, `${path} could not be read: it is not checked.`);
    } else if (text.length > MAX_MIGRATION_BYTES) {
      skip(path, `${path} is larger than 10 MB: it is not checked.`);
    } else if (text.includes('\0')) {
      skip(path, `${path} is a binary file (it contains NUL bytes), not SQL text: it is not checked.`);
    } else if (size === undefined && reviewedBytes + text.length > MAX_PROJECT_BYTES) {
      // A reader that cannot tell sizes before reading: the budget is kept in the order the files apply.
      skip(path, describeOverBudget(path, text.length, reviewedBytes + text.length));
    } else {
      reviewedBytes += size ?? text.length;
      files.push({ path, text });
    }
  }
  return { files, skipped };
}

/**
 * The files left out to keep the migrations within MAX_PROJECT_BYTES, with the total they came to:
 * the largest first, because a huge migration is usually a data dump (the schema files that
 * matter are small), and because it frees the most with the fewest files left out.
 */
function chooseFilesOverBudget(sizes: ReadonlyMap<string, number | undefined>): Map<string, number> {
  const candidates = [...sizes].filter((entry): entry is [string, number] => entry[1] !== undefined && entry[1] <= MAX_MIGRATION_BYTES);
  const total = candidates.reduce((sum, [, size]) => sum + size, 0);
  const chosen = new Map<string, number>();
  let remaining = total;
  for (const [path, size] of candidates.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    if (remaining <= MAX_PROJECT_BYTES) break;
    chosen.set(path, total);
    remaining -= size;
  }
  return chosen;
}

function describeOverBudget(path: string, size: number, total: number): string {
  return `${path} is ${formatMegabytes(size)}, and the migrations come to ${formatMegabytes(total)}, above the ${MAX_PROJECT_BYTES / (1024 * 1024)} MB that pgreview reviews in one run (the largest files are left out first): it is not checked.`;
}

/**
 * What the user is told when nothing settled the profile: the Supabase one when a migration shows
 * a Supabase sign, otherwise plain PostgreSQL, whose exposure rules (RLS, grants to anon and
 * authenticated) have nothing to judge; either way, how to choose.
 */
function profileNote(sign: SupabaseSign | undefined, configPath: string | undefined): ProjectProblem {
  const how = `set "profile" to "supabase" or "postgres" in ${configPath ?? 'pgreview.json'} to choose`;
  if (sign) {
    return { kind: 'profile', level: 'info', file: sign.path, message: `using the Supabase profile: the project has no supabase/ folder, but this migration ${sign.description}; ${how}` };
  }
  return { kind: 'profile', level: 'info', message: `using the plain PostgreSQL profile (no supabase/ folder, and no migration calls auth.uid() or names the anon, authenticated or service_role role): the rules about the Supabase API stay silent; ${how}` };
}

/**
 * A file that orders the migrations (atlas.sum, sqitch.plan, Drizzle's journal); one that cannot be
 * read leaves the order to the file names, as discovery says, rather than stopping the review.
 */
function readPlanFile(reader: ProjectReader, path: string): string | undefined {
  try {
    return reader.readFile(path);
  } catch (error) {
    if (error instanceof UnreadableFileError) return undefined;
    throw error;
  }
}

function readOptional(reader: ProjectReader, path: string): { path: string; text: string } | undefined {
  const text = reader.readFile(path);
  return text === undefined ? undefined : { path, text };
}

function pushSkipped(findings: Finding[], config: ResolvedConfig, path: string, message: string): void {
  const setting = config.rules[fileSkipped.id];
  if (setting === 'off') return;
  const objectKey = `file:${path}`;
  findings.push({
    rule: fileSkipped.id,
    level: setting ?? fileSkipped.level,
    category: fileSkipped.category,
    message,
    object: path,
    objectKey,
    key: `${fileSkipped.id}:${objectKey}`,
    span: { file: path, start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 },
  });
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
