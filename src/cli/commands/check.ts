/**
 * `pgreview check [PROJECT_DIR]`: the offline review. Discovers and analyses the migrations,
 * prints a report and exits 1 when a finding reaches `--fail-on`. A public contract (issue 2).
 */
import { join, relative, sep } from 'node:path';
import { analyzeFilesOnce } from '../../core/analyze';
import { throwIfCancelled } from '../../core/cancellation';
import { levelRank, type Finding, type Level } from '../../core/finding';
import { locateObject } from '../../core/catalog/locateObject';
import type { Catalog } from '../../core/catalog/model';
import type { ResolvedConfig } from '../../core/config';
import { runRules } from '../../core/rules/runRules';
import { parseSqlFile } from '../../core/sql/parseSqlFile';
import { describeTarget, type ConnectionOptions } from '../../db/connection';
import { countOrphanRows } from '../../db/countOrphanRows';
import { introspectDatabase } from '../../db/introspect';
import { renderCodeQuality } from '../../core/report/renderCodeQuality';
import { renderJson } from '../../core/report/renderJson';
import { renderMarkdown } from '../../core/report/renderMarkdown';
import { renderSarif } from '../../core/report/renderSarif';
import { renderText } from '../../core/report/renderText';
import { describeSummary, summarizeReport, type ReportInput } from '../../core/report/summarizeReport';
import { allRules, rulesById } from '../../core/rules';
import { scaleByRowEstimates } from '../../core/safety/scaleByRowEstimates';
import { readCheckReport, readCheckResult, writeCheckReport, writeCheckResult, type CheckReport, type CheckResult } from '../../node/checkResultCache';
import { loadParserForOneRun } from '../../node/loadParserForOneRun';
import { parseMigrationFilesOnTwoThreads } from '../../node/parseMigrationFiles';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { userCacheDirectory } from '../userCacheDirectory';
import { prepareCheck, type Format } from './checkInput';
import { printCheckReport } from './checkReportOutput';

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
  const check = await prepareCheck(args, context);
  const { project, projectDir, connection, safety, cacheKeys } = check;
  const cacheDirectory = userCacheDirectory();
  // bin/pgreview.js tries the stored report before it loads this bundle (checkFromCache.ts); from
  // the sources, or when that bundle is missing, this is the place.
  const stored = cacheKeys === undefined ? undefined : readCheckReport(cacheDirectory, cacheKeys.report);
  if (stored) {
    check.storeInputSnapshot?.();
    return printCheckReport(stored, check, context);
  }
  let result: CheckResult | undefined = cacheKeys === undefined ? undefined : readCheckResult(cacheDirectory, cacheKeys.result);
  let database: { findings: Finding[]; catalog: Catalog } | undefined;
  if (!result) {
    await loadParserForOneRun();
    // A large project is parsed on two threads when a core is idle for the worker; otherwise each
    // file is parsed right before its replay. The rest of the analysis is core's, synchronous.
    const parsedAhead = await parseMigrationFilesOnTwoThreads(project.files, { token: context.token });
    // One more turn of the event loop, for a Ctrl-C pressed while the main thread was parsing.
    await new Promise((resolve) => setImmediate(resolve));
    throwIfCancelled(context.token);
    const parseFile = (index: number) => parsedAhead?.[index] ?? parseSqlFile(project.files[index].path, project.files[index].text);
    const analysis = analyzeFilesOnce(project.files, parseFile, project.config, context.token, { ...safety, history: check.history });
    // And one for a Ctrl-C pressed during the analysis, before the report is printed.
    await new Promise((resolve) => setImmediate(resolve));
    result = { findings: analysis.findings, statements: analysis.files.reduce((count, file) => count + file.statements.length, 0) };
    if (cacheKeys !== undefined) writeCheckResult(cacheDirectory, cacheKeys.result, result);
    if (connection !== undefined) database = await reviewDatabase(connection, project.config, analysis.catalog, analysis.findings, context);
  }
  // A lock on a table of a few hundred rows is over before anyone notices: the database says how large each table is.
  const migrationFindings = database ? scaleByRowEstimates(result.findings, database.catalog) : result.findings;
  const notes: string[] = [];
  if (check.since === undefined && connection === undefined && migrationFindings.some((finding) => finding.category === 'safety')) {
    notes.push('pgreview: note: no --since or --db: every migration counts as pending, and only tables created in the same file count as new\n');
  }
  // A database finding that quotes what only the database knows (orphan rows, row counts) takes
  // the place of the migrations' finding on the same object.
  const quotedByDatabase = new Set((database?.findings ?? []).map((finding) => finding.key));
  const reportInput: ReportInput = {
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
  const failing = check.failOn === 'none' ? 0 : countReaching(reportInput.findings, check.failOn);
  const report: CheckReport = {
    notes,
    output: renderReport(check.format, reportInput, displayPath, context.version, check.ruleDocs),
    summary: describeSummary(summarizeReport(reportInput)),
    // In an `&&` chain or a CI step, exit 1 is all a reader may see of the run: say why, last.
    exitMessage:
      failing === 0
        ? undefined
        : `pgreview: exit 1: ${failing} ${failing === 1 ? 'finding' : 'findings'} at level ${check.failOn}${check.failOn === 'error' ? '' : ' or above'} (--fail-on ${check.failOn})\n`,
    exitCode: failing === 0 ? EXIT_CODE.ok : EXIT_CODE.findings,
  };
  if (cacheKeys !== undefined && database === undefined) {
    writeCheckReport(cacheDirectory, cacheKeys.report, report);
    check.storeInputSnapshot?.();
  }
  return printCheckReport(report, check, context);
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

function renderReport(format: Format, report: ReportInput, displayPath: (file: string) => string, version: string, ruleDocs: Map<string, string> | undefined): string {
  switch (format) {
    case 'text':
      return renderText(report, displayPath);
    case 'json':
      return renderJson(report, displayPath);
    case 'sarif':
      return renderSarif(report, { rules: allRules, docs: ruleDocs ?? new Map(), toolVersion: version, displayPath });
    case 'markdown':
      return renderMarkdown(report, { displayPath });
    case 'codequality':
      return renderCodeQuality(report, displayPath);
  }
}

function countReaching(findings: readonly Finding[], level: Level): number {
  return findings.filter((finding) => levelRank[finding.level] >= levelRank[level]).length;
}
