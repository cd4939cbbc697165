/**
 * `pgreview check [PROJECT_DIR]`: the offline review. Discovers and analyses the migrations,
 * prints a report and exits 1 when a finding reaches `--fail-on`. A public contract (issue 2).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { analyzeParsedFiles } from '../../core/analyze';
import { throwIfCancelled } from '../../core/cancellation';
import { InputError } from '../../core/errors';
import { levelRank, type Finding, type Level } from '../../core/finding';
import { locateObject } from '../../core/catalog/locateObject';
import type { Catalog } from '../../core/catalog/model';
import type { ResolvedConfig } from '../../core/config';
import { runRules } from '../../core/rules/runRules';
import { describeTarget, resolveConnectionOptions } from '../../db/connection';
import { countOrphanRows } from '../../db/countOrphanRows';
import { introspectDatabase } from '../../db/introspect';
import { renderJson } from '../../core/report/renderJson';
import { renderMarkdown } from '../../core/report/renderMarkdown';
import { renderSarif } from '../../core/report/renderSarif';
import { renderText } from '../../core/report/renderText';
import { describeSummary, summarizeReport, type ReportInput } from '../../core/report/summarizeReport';
import { allRules, rulesById } from '../../core/rules';
import { loadParserForOneRun } from '../../node/loadParserForOneRun';
import { parseMigrationFiles } from '../../node/parseMigrationFiles';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { loadProjectDirectory } from '../loadProjectDirectory';
import { parseCommandArgs, readChoice } from '../parseCommandArgs';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
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
    '  --format text|json|sarif|markdown  Report format (default: text)',
    '  --fail-on error|warning|info|none  Exit 1 when a finding reaches this level (default: error)',
    '  --config FILE                      Use FILE instead of PROJECT_DIR/pgreview.json',
    '  --output FILE                      Write the report to FILE instead of standard output',
    '  --db URL                           Also review this database (read-only)',
    '  -h, --help                         Show this help',
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
    { format: { type: 'string' }, 'fail-on': { type: 'string' }, config: { type: 'string' }, output: { type: 'string' }, db: { type: 'string' } },
    'check',
  );
  if (positionals.length > 1) throw new InputError(`check takes one PROJECT_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = readChoice<Format>(values.format, FORMATS, 'text', '--format');
  const failOn = readChoice(values['fail-on'], FAIL_ON, 'error', '--fail-on');
  const configFile = values.config === undefined ? undefined : readConfigFile(context.cwd, values.config);

  await loadParserForOneRun();
  throwIfCancelled(context.token);
  const { project, projectDir } = loadProjectDirectory(context, positionals[0] ?? '.', { configFile });
  // The analysis is synchronous, so a Ctrl-C pressed while reading files is only seen if the
  // event loop gets a turn before it starts.
  await new Promise((resolve) => setImmediate(resolve));
  throwIfCancelled(context.token);
  // A large project is parsed on two threads; the rest of the analysis is core's, synchronous.
  const parsedFiles = await parseMigrationFiles(project.files, { token: context.token });
  // One more turn of the event loop, for a Ctrl-C pressed while the main thread was parsing.
  await new Promise((resolve) => setImmediate(resolve));
  throwIfCancelled(context.token);
  const analysis = analyzeParsedFiles(parsedFiles, project.config, context.token);
  // And one for a Ctrl-C pressed during the analysis, before the report is printed.
  await new Promise((resolve) => setImmediate(resolve));
  const databaseFindings =
    values.db === undefined ? [] : await reviewDatabase(values.db, project.config, analysis.catalog, analysis.findings, context);
  // A database finding that quotes what only the database knows (orphan rows, row counts) takes
  // the place of the migrations' finding on the same object.
  const quotedByDatabase = new Set(databaseFindings.map((finding) => finding.key));
  const report: ReportInput = {
    findings: [...project.findings, ...analysis.findings.filter((finding) => !quotedByDatabase.has(finding.key)), ...databaseFindings],
    files: project.paths.length,
    statements: analysis.files.reduce((count, file) => count + file.statements.length, 0),
  };
  throwIfCancelled(context.token);

  const displayPath = (file: string) => relative(context.cwd, join(projectDir, file)).split(sep).join('/');
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
  url: string,
  config: ResolvedConfig,
  migrations: Catalog,
  offlineFindings: readonly Finding[],
  context: CommandContext,
): Promise<Finding[]> {
  const connection = resolveConnectionOptions({ url });
  const { catalog, warnings } = await introspectDatabase(connection, { config }, context.token);
  warnings.push(...(await countOrphanRows(connection, catalog, config, context.token)));
  for (const warning of warnings) context.stderr(`pgreview: warning: ${warning.message}\n`);
  const seen = new Set(offlineFindings.flatMap((finding) => [finding.key, ...(finding.sameProblemAs ?? []).map((key) => `${finding.rule}:${key}`)]));
  const offlineByKey = new Map(offlineFindings.map((finding) => [finding.key, finding]));
  // A rule that quotes database facts (orphan rows, row counts) says more about the database than
  // the migrations could: its finding replaces theirs (runCheck drops it), in their place.
  const addsDatabaseFacts = (finding: Finding): boolean => rulesById.get(finding.rule)?.quotesDatabaseFacts === true && offlineByKey.get(finding.key)?.message !== finding.message;
  return runRules(catalog, config, context.token)
    .filter((finding) => !seen.has(finding.key) || addsDatabaseFacts(finding))
    .map((finding) => ({
      ...finding,
      message: `${finding.message} (in the database ${describeTarget(connection)})`,
      span: offlineByKey.get(finding.key)?.span ?? locateObject(migrations, finding.objectKey),
    }));
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
