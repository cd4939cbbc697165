/**
 * pgreview RLS test output: results as text (one line per test, expected and actual under a
 * failure) and JSON, and the tests themselves as pgTAP SQL for `supabase test db`.
 */
import type { PolicyTestOutcome } from './judgePolicyTest';
import type { PolicyTest, PolicyTestFile } from './policyTests';
import { buildExpectedRowsQuery } from './policyTests';
import { quoteIdent } from '../sql/quoteIdent';
import { quoteLiteral } from '../sql/quoteLiteral';

/** Pass, fail and skip counts. */
export interface PolicyTestSummary {
  passed: number;
  failed: number;
  /** Tests that did not run on the target (write cases on a live database). */
  skipped: number;
}

/** Counts the outcomes. */
export function summarizePolicyTests(outcomes: readonly PolicyTestOutcome[]): PolicyTestSummary {
  const passed = outcomes.filter((outcome) => outcome.passed).length;
  const skipped = outcomes.filter((outcome) => outcome.skipped !== undefined).length;
  return { passed, failed: outcomes.length - passed - skipped, skipped };
}

/** What `summarizePolicyTests` counted, as the last line of a report says it. */
function describeSummary(summary: PolicyTestSummary): string {
  return `${summary.passed} passed, ${summary.failed} failed${summary.skipped > 0 ? `, ${summary.skipped} not run` : ''}.`;
}

/** One line per test (`✓`/`✗ file:line name`), the expected and actual outcome and the differing rows under each failure, then the counts. */
export function renderPolicyTestsText(outcomes: readonly PolicyTestOutcome[], displayPath: (file: string) => string = (file) => file): string {
  const out: string[] = [];
  for (const outcome of outcomes) {
    out.push(`${outcome.passed ? 'pass' : outcome.skipped !== undefined ? 'skip' : 'FAIL'}  ${displayPath(outcome.file)}:${outcome.test.line}  ${outcome.test.name}`);
    if (outcome.skipped !== undefined) out.push(`      not run: ${outcome.skipped}`);
    if (outcome.passed || outcome.skipped !== undefined) continue;
    out.push(`      expected: ${outcome.expected}`, `      actual:   ${outcome.actual}`);
    for (const row of outcome.missingRows ?? []) out.push(`      - ${row}`);
    for (const row of outcome.unexpectedRows ?? []) out.push(`      + ${row}`);
    if (outcome.missingRows || outcome.unexpectedRows) out.push('      (- a row it should see but does not, + a row it sees but should not)');
  }
  out.push('', describeSummary(summarizePolicyTests(outcomes)));
  return `${out.join('\n')}\n`;
}

/** The outcomes of the same tests on one target (the shadow, a database). */
export interface PolicyTestTargetRun {
  /** `PGlite shadow`, `postgres@db.example.com:5432/postgres`. */
  target: string;
  outcomes: PolicyTestOutcome[];
}

/**
 * The same tests on several targets, as one table of test × target (`pass`, `FAIL`, `skip`), then
 * the failures of each target with expected and actual, and a count per target.
 */
export function renderPolicyTestsMatrix(runs: readonly PolicyTestTargetRun[], displayPath: (file: string) => string = (file) => file): string {
  const tests = runs[0]?.outcomes.map((outcome) => `${displayPath(outcome.file)}:${outcome.test.line}  ${outcome.test.name}`) ?? [];
  const width = Math.max(4, ...tests.map((test) => test.length));
  const columns = runs.map((run, index) => `[${index + 1}]`);
  const out: string[] = runs.map((run, index) => `${columns[index]} ${run.target}`);
  out.push('', `${'test'.padEnd(width)}  ${columns.map((column) => column.padEnd(5)).join(' ')}`);
  tests.forEach((test, row) => {
    const cells = runs.map((run) => {
      const outcome = run.outcomes[row];
      return (outcome.passed ? 'pass' : outcome.skipped !== undefined ? 'skip' : 'FAIL').padEnd(5);
    });
    out.push(`${test.padEnd(width)}  ${cells.join(' ')}`);
  });
  for (const [index, run] of runs.entries()) {
    const failures = run.outcomes.filter((outcome) => !outcome.passed && outcome.skipped === undefined);
    const skips = run.outcomes.filter((outcome) => outcome.skipped !== undefined);
    if (failures.length === 0 && skips.length === 0) continue;
    out.push('', `${columns[index]} ${run.target}:`);
    for (const outcome of failures) {
      out.push(`  FAIL  ${displayPath(outcome.file)}:${outcome.test.line}  ${outcome.test.name}`, `        expected: ${outcome.expected}`, `        actual:   ${outcome.actual}`);
    }
    // One reason per kind of skip, not one line per test: they are the same few reasons.
    for (const reason of new Set(skips.map((outcome) => outcome.skipped))) {
      out.push(`  skip  ${skips.filter((outcome) => outcome.skipped === reason).length} tests: ${reason}`);
    }
  }
  out.push('', ...runs.map((run, index) => `${columns[index]} ${describeSummary(summarizePolicyTests(run.outcomes))}`));
  return `${out.join('\n')}\n`;
}

/** The outcomes as JSON: `{ version: 1, summary, tests: [...] }`. */
export function renderPolicyTestsJson(outcomes: readonly PolicyTestOutcome[]): string {
  return `${JSON.stringify({ version: 1, ...policyTestsJson(outcomes) }, null, 2)}\n`;
}

/** The outcomes on several targets as JSON: `{ version: 1, targets: [{ target, summary, tests }] }`. */
export function renderPolicyTestsMatrixJson(runs: readonly PolicyTestTargetRun[]): string {
  return `${JSON.stringify({ version: 1, targets: runs.map((run) => ({ target: run.target, ...policyTestsJson(run.outcomes) })) }, null, 2)}\n`;
}

function policyTestsJson(outcomes: readonly PolicyTestOutcome[]) {
  const tests = outcomes.map((outcome) => ({
    file: outcome.file,
    line: outcome.test.line,
    name: outcome.test.name,
    identity: outcome.test.identity.name,
    role: outcome.test.identity.role,
    sql: outcome.test.sql,
    passed: outcome.passed,
    expected: outcome.expected,
    actual: outcome.actual,
    missingRows: outcome.missingRows,
    unexpectedRows: outcome.unexpectedRows,
    skipped: outcome.skipped,
  }));
  return { summary: summarizePolicyTests(outcomes), tests };
}

/**
 * The tests as one pgTAP file for `supabase test db`. It runs in one transaction that is rolled
 * back; each test switches to its identity and back. Unlike `pgreview test`, where every test gets
 * its own rolled-back transaction, a write here stays visible to the tests after it.
 */
export function renderPolicyTestsPgtap(files: readonly PolicyTestFile[]): string {
  const tests = files.flatMap((file) => file.tests.map((test) => ({ file: file.path, test })));
  const assertions = tests.reduce((count, { test }) => count + countAssertions(test), 0);
  const out: string[] = [
    '-- Generated by `pgreview test --format pgtap` from pgreview RLS tests; edit the .rls.yaml files instead.',
    'begin;',
    'create extension if not exists pgtap with schema extensions;',
    // pgTAP's functions are called unqualified, and only Supabase puts extensions on the
    // search_path: add the schema pgTAP lives in (extensions, or wherever it was installed before)
    // after the session's own schemas, for this transaction.
    "select set_config('search_path', concat_ws(', ', nullif(current_setting('search_path'), ''), quote_ident(n.nspname)), true) from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace where e.extname = 'pgtap';",
    `select plan(${assertions});`,
    '',
  ];
  tests.forEach(({ file, test }, index) => {
    out.push(`-- ${file}:${test.line}: ${test.name}`);
    const claims = JSON.stringify({ role: test.identity.role, ...(test.identity.claims ?? {}) });
    const sub = typeof test.identity.claims?.sub === 'string' ? test.identity.claims.sub : '';
    out.push(`select set_config('request.jwt.claims', ${quoteLiteral(claims)}, true), set_config('request.jwt.claim.sub', ${quoteLiteral(sub)}, true);`);
    const expectedQuery = buildExpectedRowsQuery(test);
    const expectedTable = `pgreview_expected_${index + 1}`;
    if (expectedQuery) {
      // The expected rows are read before switching role, so RLS does not filter them.
      out.push(`create temporary table ${expectedTable} on commit drop as ${expectedQuery};`);
      out.push(`grant select on ${expectedTable} to ${quoteIdent(test.identity.role)};`);
    }
    out.push(`set local role ${quoteIdent(test.identity.role)};`);
    out.push(...renderAssertions(test, expectedQuery ? expectedTable : undefined));
    out.push('reset role;', '');
  });
  out.push('select * from finish();', 'rollback;');
  return `${out.join('\n')}\n`;
}

function countAssertions(test: PolicyTest): number {
  if (test.expect.denied === true) return 1;
  return (test.expect.rows !== undefined ? 1 : 0) + (test.expect.rowsWhere !== undefined ? 1 : 0) || 1;
}

function renderAssertions(test: PolicyTest, expectedTable: string | undefined): string[] {
  const description = quoteLiteral(test.name);
  const statement = dollarQuote(test.sql);
  if (test.expect.denied === true) {
    // throws_ok with a NULL code and message accepts any error; `error` narrows it with throws_like.
    return [test.expect.error
      ? `select throws_like(${statement}, ${quoteLiteral(`%${test.expect.error}%`)}, ${description});`
      : `select throws_ok(${statement}, null, null, ${description});`];
  }
  const lines: string[] = [];
  if (test.expect.rows !== undefined) {
    const counted = test.command === 'select' || test.command === 'sql' && /^\s*select\b/i.test(test.sql)
      ? `select count(*)::int from (${test.sql}) as counted`
      : `with changed as (${test.sql} returning 1) select count(*)::int from changed`;
    lines.push(`select results_eq(${dollarQuote(counted)}, ${dollarQuote(`values (${test.expect.rows})`)}, ${description});`);
  }
  if (test.expect.rowsWhere !== undefined && expectedTable) {
    lines.push(`select set_eq(${statement}, ${dollarQuote(`select row_text from ${expectedTable}`)}, ${description});`);
  }
  if (lines.length === 0) lines.push(`select lives_ok(${statement}, ${description});`);
  return lines;
}

/** Dollar-quotes SQL with a tag that does not occur in it. */
function dollarQuote(sql: string): string {
  let tag = 'sql';
  let counter = 0;
  while (sql.includes(`$${tag}$`)) tag = `sql${++counter}`;
  return `$${tag}$ ${sql} $${tag}$`;
}
