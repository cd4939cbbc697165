/**
 * What `pgreview check` reads before it analyses anything (options, project, pending list, cache
 * keys), and how it prints a report. Shared by the command (check.ts) and by the fast path that
 * answers a repeated check from the cache without loading the engine (src/cli/checkFromCache.ts):
 * both read the same input the same way, and print the same report the same way.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { MigrationSafetyInput } from '../../core/analyze';
import { throwIfCancelled } from '../../core/cancellation';
import { InputError } from '../../core/errors';
import { matchMigrationHistory, pendingFromHistory, type HistoryMatch } from '../../core/history/matchMigrationHistory';
import type { Project } from '../../core/project/loadProject';
import { allRules } from '../../core/rules';
import type { PendingMigrations } from '../../core/safety/pendingMigrations';
import { resolveConnectionOptions, type ConnectionOptions } from '../../db/connection';
import { readMigrationHistoryFrom } from '../../db/readMigrationHistory';
import { CheckInputRecorder, writeCheckInputSnapshot } from '../../node/checkInputSnapshot';
import { checkReportKey, checkResultKey } from '../../node/checkResultCache';
import { pendingSinceGitRef } from '../../node/gitPendingMigrations';
import type { CommandContext } from '../command';
import { loadProjectDirectory } from '../loadProjectDirectory';
import { parseCommandArgs, readChoice } from '../parseCommandArgs';
import { userCacheDirectory } from '../userCacheDirectory';

export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'codequality'] as const;
const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export type Format = (typeof FORMATS)[number];

const CHECK_OPTIONS = {
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  config: { type: 'string' },
  output: { type: 'string' },
  db: { type: 'string' },
  since: { type: 'string' },
  'no-cache': { type: 'boolean' },
} as const;

/** A check's input, read and validated, before any analysis. */
export interface PreparedCheck {
  format: Format;
  failOn: (typeof FAIL_ON)[number];
  /** `--output`, as given. */
  output: string | undefined;
  since: string | undefined;
  connection: ConnectionOptions | undefined;
  project: Project;
  projectDir: string;
  safety: MigrationSafetyInput;
  /** The rule docs SARIF carries as help texts, read once for the cache key and the report; undefined for other formats. */
  ruleDocs: Map<string, string> | undefined;
  /** The database's migration history matched with the files, with `--db` and a readable history table. */
  history: HistoryMatch | undefined;
  /** The cache keys of this check's result and of its report; undefined with --no-cache or --db. */
  cacheKeys: { result: string; report: string } | undefined;
  /**
   * Stores what this check read, so that the next one with the same arguments knows its keys by
   * statting the files (see checkInputSnapshot.ts); called once its report is stored. Undefined
   * when there is nothing to key, or the input is not all in files (`--since` asks git).
   */
  storeInputSnapshot: (() => void) | undefined;
}

/** Thrown by `prepareCheck` for the fast path when the check cannot be answered from the cache without consuming its input. */
export class NotFromCache extends Error {}

/**
 * Reads a check's options and project, decides which migrations are pending, and keys the cache.
 * `fromCache`: for the fast path, which reads only what the CLI can read again after it (a
 * `--config` that is a pipe, such as `<(...)`, gives its text once), and throws NotFromCache otherwise.
 */
export async function prepareCheck(args: string[], context: CommandContext, fromCache = false): Promise<PreparedCheck> {
  // Before anything is read: a file changed after this moment is never taken as unchanged by its stat.
  const recorder = new CheckInputRecorder();
  const warnings: string[] = [];
  const recording: CommandContext = {
    ...context,
    stderr: (text) => {
      warnings.push(text);
      context.stderr(text);
    },
  };
  const { values, positionals } = parseCommandArgs(args, CHECK_OPTIONS, 'check');
  if (positionals.length > 1) throw new InputError(`check takes one PROJECT_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = readChoice<Format>(values.format, FORMATS, 'text', '--format');
  const failOn = readChoice(values['fail-on'], FAIL_ON, 'error', '--fail-on');
  const configIsRegularFile = values.config === undefined || isRegularFile(resolve(context.cwd, values.config));
  if (fromCache && !configIsRegularFile) throw new NotFromCache();
  const configFile = values.config === undefined ? undefined : readConfigFile(context.cwd, values.config);
  if (configFile) recorder.recordFile(resolve(context.cwd, configFile.path), configFile.text);

  // A turn of the event loop, for a Ctrl-C pressed while the config file was read.
  await new Promise((resolve) => setImmediate(resolve));
  throwIfCancelled(context.token);
  const { project, projectDir } = loadProjectDirectory(recording, positionals[0] ?? '.', { configFile }, (reader) => recorder.wrap(reader));
  // The analysis is synchronous, so a Ctrl-C pressed while reading files is only seen if the
  // event loop gets a turn before it starts.
  await new Promise((resolve) => setImmediate(resolve));
  throwIfCancelled(context.token);
  const connection = values.db === undefined ? undefined : resolveConnectionOptions({ url: values.db });
  const { pending, history } = await decidePending(project, projectDir, values.since, connection, context);
  throwIfCancelled(context.token);
  // Which files are pending is part of the key: the same files judged against another ref are another result.
  const safety: MigrationSafetyInput = { pending, layout: project.layout };
  const ruleDocs = format === 'sarif' ? readRuleDocs() : undefined;
  let cacheKeys: PreparedCheck['cacheKeys'];
  // The result of a run over the same files, config and pgreview is reused; --db needs the catalog itself.
  if (!values['no-cache'] && connection === undefined) {
    const result = checkResultKey({ files: project.files, config: project.config, ...safety, version: context.version });
    // What the report shows besides the result: paths are shown from the working directory.
    const rendering = {
      format,
      failOn,
      cwd: context.cwd,
      projectDir,
      since: values.since !== undefined,
      projectFindings: project.findings,
      files: project.paths.length,
      ruleDocs: ruleDocs ? [...ruleDocs] : undefined,
    };
    cacheKeys = { result, report: checkReportKey(result, rendering) };
  }
  let storeInputSnapshot: PreparedCheck['storeInputSnapshot'];
  if (cacheKeys !== undefined && values.since === undefined && configIsRegularFile) {
    const keys = cacheKeys;
    storeInputSnapshot = () => {
      const payload = recorder.snapshot({ args, cwd: context.cwd, version: context.version }, { projectDir, warnings, keys, format, output: values.output });
      if (payload) writeCheckInputSnapshot(userCacheDirectory(), payload);
    };
  }
  return { format, failOn, output: values.output, since: values.since, connection, project, projectDir, safety, history, ruleDocs, cacheKeys, storeInputSnapshot };
}

/**
 * The rule docs for SARIF help texts, read from the package's docs/rules folder. The bundles sit
 * in dist/, so the package root is one level up; a rule without a doc gets its description.
 */
function readRuleDocs(): Map<string, string> {
  const docs = new Map<string, string>();
  const packageRoot = dirname(__dirname);
  for (const rule of allRules) {
    const path = join(packageRoot, rule.docsPath);
    if (existsSync(path)) docs.set(rule.id, readFileSync(path, 'utf8'));
  }
  return docs;
}

/**
 * Which migrations are pending: `--since` (git) when given, else those the database's history
 * table does not list, else undefined (every file, with only same-file tables new). Says on stderr
 * which source decided. With `--db`, the history is read in any case: the history rules judge it.
 */
async function decidePending(
  project: Project,
  projectDir: string,
  since: string | undefined,
  connection: ConnectionOptions | undefined,
  context: CommandContext,
): Promise<{ pending: PendingMigrations | undefined; history: HistoryMatch | undefined }> {
  let history: HistoryMatch | undefined;
  if (connection !== undefined) {
    const reading = await readMigrationHistoryFrom(connection, project.layout, context.token);
    if (reading.history) history = matchMigrationHistory(reading.history, project.files);
    else if (since === undefined) context.stderr(`pgreview: warning: ${reading.reason}: every migration counts as pending, and only tables created in the same file count as new (--since REF decides them from git instead)\n`);
    else context.stderr(`pgreview: warning: ${reading.reason}: the migration history rules cannot run\n`);
  }
  const pending = since !== undefined ? await pendingSinceGitRef(projectDir, since, project.paths, { token: context.token }) : history ? pendingFromHistory(history) : undefined;
  if (pending) context.stderr(`pgreview: ${pending.paths.size} pending ${pending.paths.size === 1 ? 'migration' : 'migrations'} (${pending.source})\n`);
  return { pending, history };
}

function isRegularFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

function readConfigFile(cwd: string, path: string): { path: string; text: string } {
  try {
    return { path, text: readFileSync(resolve(cwd, path), 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `config file not found: ${path}` : `cannot read config file ${path} (${code ?? String(error)})`, { cause: error });
  }
}
