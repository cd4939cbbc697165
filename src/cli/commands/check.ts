/**
 * `pgreview check [PROJECT_DIR]`: the offline review. Discovers and analyses the migrations,
 * prints a report and exits 1 when a finding reaches `--fail-on`. A public contract (issue 2).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { analyzeParsedFiles, type MigrationSafetyInput } from '../../core/analyze';
import { throwIfCancelled } from '../../core/cancellation';
import { InputError } from '../../core/errors';
import { levelRank, type Finding, type Level } from '../../core/finding';
import { locateObject } from '../../core/catalog/locateObject';
import type { Catalog } from '../../core/catalog/model';
import type { ResolvedConfig } from '../../core/config';
import { runRules } from '../../core/rules/runRules';
import { describeTarget, resolveConnectionOptions, type ConnectionOptions } from '../../db/connection';
import { countOrphanRows } from '../../db/countOrphanRows';
import { introspectDatabase } from '../../db/introspect';
import { renderCodeQuality } from '../../core/report/renderCodeQuality';
import { renderJson } from '../../core/report/renderJson';
import { renderMarkdown } from '../../core/report/renderMarkdown';
import { renderSarif } from '../../core/report/renderSarif';
import { renderText } from '../../core/report/renderText';
import { describeSummary, summarizeReport, type ReportInput } from '../../core/report/summarizeReport';
import { allRules, rulesById } from '../../core/rules';
import { matchMigrationHistory, pendingFromHistory, type HistoryMatch } from '../../core/history/matchMigrationHistory';
import type { PendingMigrations } from '../../core/safety/pendingMigrations';
import { scaleByRowEstimates } from '../../core/safety/scaleByRowEstimates';
import type { Project } from '../../core/project/loadProject';
import { readMigrationHistoryFrom } from '../../db/readMigrationHistory';
import { pendingSinceGitRef } from '../../node/gitPendingMigrations';
import { checkResultKey, readCheckResult, writeCheckResult, type CheckResult } from '../../node/checkResultCache';
import { loadParserForOneRun } from '../../node/loadParserForOneRun';
import { parseMigrationFiles } from '../../node/parseMigrationFiles';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { loadProjectDirectory, userCacheDirectory } from '../loadProjectDirectory';
import { parseCommandArgs, readChoice } from '../parseCommandArgs';

const FORMATS = ['text', 'json', 'sarif', 'markdown', 'codequality'] as const;
const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
type Format = (typeof FORMATS)[number];

const check: Command = {
  help: [
    'Usage: pgreview check [PROJECT_DIR] [options]',
    '',
    'Reviews the migration files of a PostgreSQL or Supabase project (default: the current',
    'directory) without a database: RLS, policies, indexes, functions, grants.',
    '',
    'With --db, the same rules also run on the database (read-only), together with the rules',
    'that need one (unused indexes, bloat, outdated extensions, listable public buckets).',
    'A database finding on an object a migration defines is placed on that statement; one the',
    'migrations also produce is reported once.',
    '',
    'Options:',
    '  --format FORMAT                    text, json, sarif, markdown, or codequality (GitLab',
    '                                     Code Quality JSON); default: text',
    '  --fail-on error|warning|info|none  Exit 1 when a finding reaches this level (default: error)',
    '  --config FILE                      Use FILE instead of PROJECT_DIR/pgreview.json',
    '  --output FILE                      Write the report to FILE instead of standard output',
    '  --db URL                           Also review this database (read-only); its migration',
    '                                     history table decides which migrations are pending, and',
    '                                     files changed after applied, applied files that are',
    '                                     missing and out-of-order pending files are reported',
    '  --since REF                        Pending migrations are those added or changed since the',
    '                                     git ref REF (from its merge base), committed or not, and',
    '                                     untracked ones; takes precedence over --db for that',
    '  --no-cache                         Analyse again rather than reuse the result of a run over the same',
    '                                     files, config and pgreview (kept in $XDG_CACHE_HOME/pgreview)',
    '  -h, --help                         Show this help',
    '',
    'Migration-safety rules (locks, rewrites) judge only pending migrations, and a table a pending',
    'migration creates counts as new (empty). With neither --since nor --db every migration is',
    'pending and only tables created in the same file are new. With --db, a safety finding on a',
    'table of under 10,000 rows (pg_class.reltuples) is lowered to info.',
    '',
    'Exit codes: 0 nothing reaches --fail-on, 1 a finding does (the last line on stderr says how',
    'many), 2 usage, input or connection error.',
    '',
  ].join('\n'),
  run: runCheck,
};
export default check;

async function runCheck(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { format: { type: 'string' }, 'fail-on': { type: 'string' }, config: { type: 'string' }, output: { type: 'string' }, db: { type: 'string' }, since: { type: 'string' }, 'no-cache': { type: 'boolean' } },
    'check',
  );
  if (positionals.length > 1) throw new InputError(`check takes one PROJECT_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = readChoice<Format>(values.format, FORMATS, 'text', '--format');
  const failOn = readChoice(values['fail-on'], FAIL_ON, 'error', '--fail-on');
  const configFile = values.config === undefined ? undefined : readConfigFile(context.cwd, values.config);

  // A turn of the event loop, for a Ctrl-C pressed while the config file was read.
  await new Promise((resolve) => setImmediate(resolve));
  throwIfCancelled(context.token);
  const { project, projectDir } = loadProjectDirectory(context, positionals[0] ?? '.', { configFile });
  // The analysis is synchronous, so a Ctrl-C pressed while reading files is only seen if the
  // event loop gets a turn before it starts.
  await new Promise((resolve) => setImmediate(resolve));
  throwIfCancelled(context.token);
  const connection = values.db === undefined ? undefined : resolveConnectionOptions({ url: values.db });
  const { pending, history } = await decidePending(project, projectDir, values.since, connection, context);
  throwIfCancelled(context.token);
  // Which files are pending is part of the key: the same files judged against another ref are another result.
  const safety: MigrationSafetyInput = { pending, layout: project.layout };
  // The result of a run over the same files, config and pgreview is reused; --db needs the catalog itself.
  const cacheKey = values['no-cache'] || connection !== undefined ? undefined : checkResultKey({ files: project.files, config: project.config, ...safety, version: context.version });
  let result: CheckResult | undefined = cacheKey === undefined ? undefined : readCheckResult(userCacheDirectory(), cacheKey);
  let database: { findings: Finding[]; catalog: Catalog } | undefined;
  if (!result) {
    await loadParserForOneRun();
    // A large project is parsed on two threads; the rest of the analysis is core's, synchronous.
    const parsedFiles = await parseMigrationFiles(project.files, { token: context.token });
    // One more turn of the event loop, for a Ctrl-C pressed while the main thread was parsing.
    await new Promise((resolve) => setImmediate(resolve));
    throwIfCancelled(context.token);
    const analysis = analyzeParsedFiles(parsedFiles, project.config, context.token, { ...safety, history });
    // And one for a Ctrl-C pressed during the analysis, before the report is printed.
    await new Promise((resolve) => setImmediate(resolve));
    result = { findings: analysis.findings, statements: analysis.files.reduce((count, file) => count + file.statements.length, 0) };
    if (cacheKey !== undefined) writeCheckResult(userCacheDirectory(), cacheKey, result);
    if (connection !== undefined) database = await reviewDatabase(connection, project.config, analysis.catalog, analysis.findings, context);
  }
  // A lock on a table of a few hundred rows is over before anyone notices: the database says how large each table is.
  const migrationFindings = database ? scaleByRowEstimates(result.findings, database.catalog) : result.findings;
  if (values.since === undefined && connection === undefined && migrationFindings.some((finding) => finding.category === 'safety')) {
    context.stderr('pgreview: note: no --since or --db: every migration counts as pending, and only tables created in the same file count as new\n');
  }
  // A database finding that quotes what only the database knows (orphan rows, row counts) takes
  // the place of the migrations' finding on the same object.
  const quotedByDatabase = new Set((database?.findings ?? []).map((finding) => finding.key));
  const report: ReportInput = {
    findings: [...project.findings, ...migrationFindings.filter((finding) => !quotedByDatabase.has(finding.key)), ...(database?.findings ?? [])],
    files: project.paths.length,
    statements: result.statements,
  };
  throwIfCancelled(context.token);

  // Once per file, not per finding: path.relative costs more than the rest of a finding's line.
  const displayPaths = new Map<string, string>();
  const displayPath = (file: string) => {
    let shown = displayPaths.get(file);
    if (shown === undefined) {
      shown = relative(context.cwd, join(projectDir, file)).split(sep).join('/');
      displayPaths.set(file, shown);
    }
    return shown;
  };
  const output = renderReport(format, report, displayPath, context.version);
  if (values.output === undefined) {
    context.stdout(output);
  } else {
    writeReport(resolve(context.cwd, values.output), output, values.output);
    context.stderr(`pgreview: wrote the ${format} report to ${values.output}: ${describeSummary(summarizeReport(report))}\n`);
  }
  const failing = failOn === 'none' ? 0 : countReaching(report.findings, failOn);
  if (failing === 0) return EXIT_CODE.ok;
  // In an `&&` chain or a CI step, exit 1 is all a reader may see of the run: say why, last.
  context.stderr(`pgreview: exit 1: ${failing} ${failing === 1 ? 'finding' : 'findings'} at level ${failOn}${failOn === 'error' ? '' : ' or above'} (--fail-on ${failOn})\n`);
  return EXIT_CODE.findings;
}

/**
 * Runs the rules on the live database. Findings the migrations already produced (same rule, same
 * object, or one of the objects the same problem could be reported on) are dropped; the others are placed on the statement that defines their object, when a
 * migration does, and say that they come from the database.
 */
async function reviewDatabase(
  connection: ConnectionOptions,
  config: ResolvedConfig,
  migrations: Catalog,
  offlineFindings: readonly Finding[],
  context: CommandContext,
): Promise<{ findings: Finding[]; catalog: Catalog }> {
  const { catalog, warnings } = await introspectDatabase(connection, { config }, context.token);
  warnings.push(...(await countOrphanRows(connection, catalog, config, context.token)));
  for (const warning of warnings) context.stderr(`pgreview: warning: ${warning.message}\n`);
  const seen = new Set(offlineFindings.flatMap((finding) => [finding.key, ...(finding.sameProblemAs ?? []).map((key) => `${finding.rule}:${key}`)]));
  const offlineByKey = new Map(offlineFindings.map((finding) => [finding.key, finding]));
  // A rule that quotes database facts (orphan rows, row counts) says more about the database than
  // the migrations could: its finding replaces theirs (runCheck drops it), in their place.
  const addsDatabaseFacts = (finding: Finding): boolean => rulesById.get(finding.rule)?.quotesDatabaseFacts === true && offlineByKey.get(finding.key)?.message !== finding.message;
  const findings = runRules(catalog, config, context.token)
    .filter((finding) => !seen.has(finding.key) || addsDatabaseFacts(finding))
    .map((finding) => ({
      ...finding,
      message: `${finding.message} (in the database ${describeTarget(connection)})`,
      span: offlineByKey.get(finding.key)?.span ?? locateObject(migrations, finding.objectKey),
    }));
  return { findings, catalog };
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

function renderReport(format: Format, report: ReportInput, displayPath: (file: string) => string, version: string): string {
  switch (format) {
    case 'text':
      return renderText(report, displayPath);
    case 'json':
      return renderJson(report, displayPath);
    case 'sarif':
      return renderSarif(report, { rules: allRules, docs: readRuleDocs(), toolVersion: version, displayPath });
    case 'markdown':
      return renderMarkdown(report, { displayPath });
    case 'codequality':
      return renderCodeQuality(report, displayPath);
  }
}

function countReaching(findings: readonly Finding[], level: Level): number {
  return findings.filter((finding) => levelRank[finding.level] >= levelRank[level]).length;
}

function readConfigFile(cwd: string, path: string): { path: string; text: string } {
  try {
    return { path, text: readFileSync(resolve(cwd, path), 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `config file not found: ${path}` : `cannot read config file ${path} (${code ?? String(error)})`, { cause: error });
  }
}

function writeReport(absolutePath: string, text: string, shownPath: string): void {
  try {
    writeFileSync(absolutePath, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot write the report to ${shownPath} (${code ?? String(error)})`, { cause: error });
  }
}

/**
 * The rule docs for SARIF help texts, read from the package's docs/rules folder. The bundle sits
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
