/**
 * Runs pgreview RLS tests on an open PGlite shadow (see `openShadowSession`): each test's statement
 * through the simulator, as its identity, in its own transaction that is rolled back, so tests do
 * not see each other's writes. `rows_where` expectations are read without RLS, as the superuser,
 * with the identity's claims set so that predicates may call auth.uid().
 */
import type { PGlite } from '@electric-sql/pglite';
import { throwIfCancelled, type CancellationToken } from '../core/cancellation';
import { judgePolicyTest, type PolicyTestOutcome } from '../core/policies/judgePolicyTest';
import { buildExpectedRowsQuery, type PolicyTest, type PolicyTestFile } from '../core/policies/policyTests';
import { describeError } from './shadowApply';
import { simulateOnPglite } from './simulate';

/** Runs every test of the files in order and returns one outcome per test. */
export async function runPolicyTests(db: PGlite, files: readonly PolicyTestFile[], token?: CancellationToken): Promise<PolicyTestOutcome[]> {
  const outcomes: PolicyTestOutcome[] = [];
  for (const file of files) {
    for (const test of file.tests) {
      throwIfCancelled(token);
      outcomes.push(await runPolicyTest(db, file.path, test));
    }
  }
  return outcomes;
}

async function runPolicyTest(db: PGlite, path: string, test: PolicyTest): Promise<PolicyTestOutcome> {
  const result = await simulateOnPglite(db, { role: test.identity.role, claims: test.identity.claims, sql: test.sql });
  const rows = test.command === 'select' ? result.rows.map((row) => row.row_text ?? '') : undefined;
  const expectedQuery = buildExpectedRowsQuery(test);
  let expectedRows: string[] | undefined;
  if (expectedQuery !== undefined && !result.error) {
    try {
      expectedRows = await readRowsWithoutRls(db, expectedQuery, { role: test.identity.role, ...(test.identity.claims ?? {}) });
    } catch (error) {
      const { message, code } = describeError(error);
      return judgePolicyTest(path, test, { error: { message: `rows_where could not be evaluated: ${message}`, code }, rowCount: 0 });
    }
  }
  return judgePolicyTest(path, test, { error: result.error, rowCount: result.rowCount, rows, expectedRows });
}

async function readRowsWithoutRls(db: PGlite, sql: string, claims: Record<string, unknown>): Promise<string[]> {
  await db.query('begin');
  try {
    await db.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
    const result = await db.query<{ row_text: string }>(sql);
    return result.rows.map((row) => row.row_text);
  } finally {
    await db.query('rollback');
  }
}
