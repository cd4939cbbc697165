/**
 * `pgreview test [PROJECT_DIR] [--format text|json|pgtap]`: runs the pgreview RLS tests
 * (`supabase/tests/*.rls.yaml`, docs/policy-tests.md) on the shadow database with the seed data,
 * or exports them as pgTAP for `supabase test db` (issue 5).
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { analyze } from '../../core/analyze';
import { throwIfCancelled } from '../../core/cancellation';
import { InputError } from '../../core/errors';
import { parsePolicyTestFile, POLICY_TEST_FILE_PATTERN, type PolicyTestFile, type PolicyTestProblem } from '../../core/policies/policyTests';
import {
  renderPolicyTestsJson,
  renderPolicyTestsMatrix,
  renderPolicyTestsMatrixJson,
  renderPolicyTestsPgtap,
  renderPolicyTestsText,
  summarizePolicyTests,
  type PolicyTestTargetRun,
} from '../../core/policies/renderPolicyTests';
import { loadParser } from '../../core/sql/parser';
import { describeTarget, resolveConnectionOptions } from '../../db/connection';
import { runPolicyTests, runPolicyTestsOnDatabase } from '../../db/runPolicyTests';
import { openShadowSession } from '../../db/shadowSession';
import { createFileSystemProjectReader } from '../../node/fileSystemProjectReader';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { loadProjectDirectory, readSeedFile } from '../loadProjectDirectory';
import { userCacheDirectory } from '../userCacheDirectory';
import { parseCommandArgs, readChoice } from '../parseCommandArgs';
import { printableMessage } from '../../core/report/printableMessage';

const FORMATS = ['text', 'json', 'pgtap'] as const;
type Format = (typeof FORMATS)[number];

const test: Command = {
  help: [
    'Usage: pgreview test [PROJECT_DIR] [options]',
    '',
    'Runs the pgreview RLS tests (supabase/tests/*.rls.yaml; see docs/policy-tests.md): each test',
    'runs one statement as an identity (a role and JWT claims) and states what should happen',
    '(denied, allowed, a number of rows, exactly the rows where a condition holds). The tests run',
    'on a shadow database: the migrations applied to an embedded PGlite, then supabase/seed.sql',
    '(or --seed FILE) loaded. Each test runs in its own transaction, rolled back afterwards.',
    '',
    'With --db (once per database: staging, production), the read cases also run on each database,',
    'read-only, each in a READ ONLY transaction that is rolled back, with the checks of simulate',
    '--db; write cases never run there (triggers may call out of the transaction, sequences',
    'advance) and are listed as not run. With --db the shadow runs too unless --no-shadow; with',
    'several targets the report is a table of test x target.',
    '',
    'Options:',
    '  --format text|json|pgtap   text/json: run and report; pgtap: print the tests as pgTAP SQL',
    '                             for `supabase test db` instead of running them (default: text)',
    '  --seed FILE                Seed file (default: supabase/seed.sql when present)',
    '  --db URL                   Also run the read cases on this database (repeatable)',
    '  --no-shadow                With --db: do not run the tests on the shadow',
    '  -h, --help                 Show this help',
    '',
    'Exit codes: 0 every test passed, 1 a test failed, 2 usage or input error (such as a broken',
    'test file or no test files).',
    '',
  ].join('\n'),
  run: runTest,
};
export default test;

async function runTest(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { format: { type: 'string' }, seed: { type: 'string' }, db: { type: 'string', multiple: true }, 'no-shadow': { type: 'boolean' } },
    'test',
  );
  if (positionals.length > 1) throw new InputError(`test takes one PROJECT_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = readChoice<Format>(values.format, FORMATS, 'text', '--format');
  const projectArgument = positionals[0] ?? '.';
  const projectDir = resolve(context.cwd, projectArgument);
  await loadParser();
  const testFiles = readPolicyTestFiles(context, projectDir, projectArgument);
  if (format === 'pgtap') {
    context.stdout(renderPolicyTestsPgtap(testFiles));
    return EXIT_CODE.ok;
  }

  const databases = (values.db ?? []).map((url) => resolveConnectionOptions({ url }));
  if (values['no-shadow'] && databases.length === 0) throw new InputError('--no-shadow needs at least one --db: without a database the tests run on the shadow');
  const runs: PolicyTestTargetRun[] = [];
  if (!values['no-shadow']) runs.push({ target: 'PGlite shadow', outcomes: await runOnShadow(context, projectDir, projectArgument, values.seed, testFiles) });
  for (const database of databases) {
    throwIfCancelled(context.token);
    runs.push({ target: describeTarget(database), outcomes: await runPolicyTestsOnDatabase(database, testFiles, context.token) });
  }
  const displayPath = (file: string) => relative(context.cwd, join(projectDir, file)).split(sep).join('/');
  if (runs.length === 1) {
    const outcomes = runs[0].outcomes;
    context.stdout(format === 'json' ? renderPolicyTestsJson(outcomes) : renderPolicyTestsText(outcomes, displayPath));
  } else {
    context.stdout(format === 'json' ? renderPolicyTestsMatrixJson(runs) : renderPolicyTestsMatrix(runs, displayPath));
  }
  return runs.some((run) => summarizePolicyTests(run.outcomes).failed > 0) ? EXIT_CODE.findings : EXIT_CODE.ok;
}

/** Runs every test on the PGlite shadow: the migrations applied, then the seed. */
async function runOnShadow(context: CommandContext, projectDir: string, projectArgument: string, seedOption: string | undefined, testFiles: PolicyTestFile[]) {
  const { project } = loadProjectDirectory(context, projectArgument);
  const analysis = analyze({ files: project.files, config: project.config }, context.token);
  const seed = readSeedFile(context, projectDir, seedOption);
  if (!seed) context.stderr('pgreview: warning: no supabase/seed.sql: the tests run on empty tables\n');
  const session = await openShadowSession(analysis.files, { config: project.config, cacheDirectory: userCacheDirectory(), seed }, context.token);
  try {
    for (const finding of session.findings) {
      context.stderr(`pgreview: warning: ${finding.span ? `${finding.span.file}:${finding.span.line}: ` : ''}the shadow could not apply a statement: ${printableMessage(finding.message)}\n`);
    }
    throwIfCancelled(context.token);
    return await runPolicyTests(session.db, testFiles, context.token);
  } finally {
    await session.close();
  }
}

/** Reads and parses every test file; any problem in them is an input error, listed by place. */
function readPolicyTestFiles(context: CommandContext, projectDir: string, projectArgument: string): PolicyTestFile[] {
  if (!existsSync(projectDir)) throw new InputError(`project directory not found: ${projectArgument}`);
  const reader = createFileSystemProjectReader(projectDir);
  const paths = reader.listFiles().filter((path) => POLICY_TEST_FILE_PATTERN.test(path)).sort();
  if (paths.length === 0) throw new InputError(`no RLS test files (supabase/tests/*.rls.yaml) in ${projectArgument}; see docs/policy-tests.md`);
  const files: PolicyTestFile[] = [];
  const problems: PolicyTestProblem[] = [];
  for (const path of paths) {
    const text = reader.readFile(path);
    if (text === undefined) throw new InputError(`cannot read ${path}`);
    const parsed = parsePolicyTestFile(path, text);
    files.push(parsed.file);
    problems.push(...parsed.problems);
  }
  if (problems.length > 0) {
    for (const problem of problems) context.stderr(`${problem.path}:${problem.line}: error: ${problem.message}\n`);
    throw new InputError(`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in the RLS test files`);
  }
  return files;
}
