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
import { InputError } from '../errors';
import type { Finding } from '../finding';
import { rulesById } from '../rules';
import fileSkipped from '../rules/file_skipped';
import { findSupabaseSign, type SupabaseSign } from './findSupabaseSign';

/** Read access to one project folder. Paths are relative to its root, with forward slashes. */
export interface ProjectReader {
  /** Every file of the project worth considering (dependency and VCS folders left out). */
  listFiles(): string[];
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** The file's size in bytes, when cheap to know: it lets huge files be skipped without reading them. */
  sizeOf?(path: string): number | undefined;
}

/** Files above this size are data dumps rather than schema changes, and are not parsed. */
export const MAX_MIGRATION_BYTES = 10 * 1024 * 1024;

/** Something about the project worth telling the user that is not a finding on a statement. */
export interface ProjectProblem {
  /**
   * `config`: an ignored configuration entry; `ignored_file`: a file the migration tool would skip
   * too; `migration_order`: a file the tool runs elsewhere than its version suggests; `profile`: the
   * platform profile chosen without a supabase/ folder or a setting to go by; `no_migrations`:
   * nothing to check.
   */
  kind: 'config' | 'ignored_file' | 'migration_order' | 'profile' | 'no_migrations';
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
  /** `file_skipped` findings for migrations that are binary or too large; they are not in `files`. */
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
 * file; everything else (unknown rule names, binary files, no migrations) is reported in the
 * result, so the caller decides how loud to be.
 */
export function loadProject(reader: ProjectReader, options: LoadProjectOptions = {}, token?: CancellationToken): Project {
  const problems: ProjectProblem[] = [];
  const configFile = options.configFile ?? readOptional(reader, 'pgreview.json');
  let pgreview: PgreviewConfig | undefined;
  if (configFile) {
    const parsed = parsePgreviewJson(configFile.text, configFile.path);
    pgreview = parsed.config;
    problems.push(...parsed.problems.map((problem) => ({ kind: 'config' as const, ...problem })));
  }

  const paths = reader.listFiles();
  throwIfCancelled(token);
  const discovered = discoverMigrations(paths, pgreview?.migrations);
  for (const ignored of discovered.ignored) problems.push({ kind: 'ignored_file', level: 'warning', file: ignored.path, message: ignored.reason });
  for (const moved of discovered.reordered ?? []) problems.push({ kind: 'migration_order', level: 'warning', file: moved.path, message: moved.reason });

  const supabaseFolder = discovered.layout === 'supabase' && discovered.directory ? discovered.directory.replace(/\/?migrations$/, '') : 'supabase';
  const tomlPath = supabaseFolder ? `${supabaseFolder}/config.toml` : 'config.toml';
  const toml = readOptional(reader, tomlPath);
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
  const files: MigrationFile[] = [];
  const skipped: { path: string; message: string }[] = [];
  for (const path of discovered.paths) {
    throwIfCancelled(token);
    const size = reader.sizeOf?.(path);
    if (size !== undefined && size > MAX_MIGRATION_BYTES) {
      skipped.push({ path, message: `${path} is ${formatMegabytes(size)}, above the 10 MB limit: it is not checked.` });
      continue;
    }
    const text = reader.readFile(path);
    if (text === undefined) {
      skipped.push({ path, message: `${path} could not be read: it is not checked.` });
    } else if (text.length > MAX_MIGRATION_BYTES) {
      skipped.push({ path, message: `${path} is larger than 10 MB: it is not checked.` });
    } else if (text.includes('\0')) {
      skipped.push({ path, message: `${path} is a binary file (it contains NUL bytes), not SQL text: it is not checked.` });
    } else {
      files.push({ path, text });
    }
  }

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
