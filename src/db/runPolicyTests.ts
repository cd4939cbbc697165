/**
 * Runs pgreview RLS tests on an open PGlite shadow (see `openShadowSession`): each test's statement
 * through the simulator, as its identity, in its own transaction that is rolled back, so tests do
 * not see each other's writes. `rows_where` expectations are read without RLS, as the superuser,
 * with the identity's claims set so that predicates may call auth.uid().
 *
 * On a live database (`runPolicyTestsOnDatabase`) only the read cases run, each through
 * `simulateOnDatabase` (READ ONLY, rolled back, the live statement guard); write cases are skipped.
 */
import type { PGlite } from '@electric-sql/pglite';
import { throwIfCancelled, type CancellationToken } from '../core/cancellation';
import { InputError } from '../core/errors';
import { judgePolicyTest, skipPolicyTest, type PolicyTestOutcome } from '../core/policies/judgePolicyTest';
import { buildExpectedRowsQuery, type PolicyTest, type PolicyTestFile } from '../core/policies/policyTests';
import type { ConnectionOptions } from './connection';
import { withReadOnlySession } from './readOnlySession';
import { describeError } from './shadowApply';
import { checkLiveSimulation, describeRoleSwitchRefused, RoleSwitchRefusedError, simulateOnDatabase, simulateOnPglite, type SimulationResult } from './simulate';

/** Why a write case never runs on a live database, even rolled back. */
export const WRITE_CASE_SKIPPED =
  'a write case never runs on a live database: its triggers may call out of the transaction (http, dblink) and sequences advance even when it is rolled back; it runs on the shadow, or on a server named as a shadow (a staging copy)';

/** Why a rows_where case is skipped on a database whose connecting role is subject to RLS. */
export const ROWS_WHERE_NEEDS_BYPASS =
  'rows_where reads the table without RLS, which the connecting role cannot (it is neither superuser nor BYPASSRLS): connect as the table owner or postgres to run it';

/**
 * Runs the read cases of the tests on a live database, one connection and one READ ONLY,
 * rolled-back transaction each, with the same checks as `simulate --db`; every other case is
 * returned skipped, with the reason. The outcomes are in the order of the tests, as on the shadow.
 */
export async function runPolicyTestsOnDatabase(options: ConnectionOptions, files: readonly PolicyTestFile[], token?: CancellationToken): Promise<PolicyTestOutcome[]> {
  const bypassesRls = await withReadOnlySession(options, async (session) => {
    const rows = await session.query<{ bypasses: boolean }>('select rolsuper or rolbypassrls as bypasses from pg_catalog.pg_roles where rolname = current_user', token);
    return rows[0]?.bypasses === true;
  }, token);
  const outcomes: PolicyTestOutcome[] = [];
  for (const file of files) {
    for (const test of file.tests) {
      throwIfCancelled(token);
      outcomes.push(await runPolicyTestOnDatabase(options, file.path, test, bypassesRls, token));
    }
  }
  return outcomes;
}

async function runPolicyTestOnDatabase(options: ConnectionOptions, path: string, test: PolicyTest, bypassesRls: boolean, token?: CancellationToken): Promise<PolicyTestOutcome> {
  if (test.command !== 'select' && test.command !== 'sql') return skipPolicyTest(path, test, WRITE_CASE_SKIPPED);
  try {
    checkLiveSimulation(test.sql);
  } catch (error) {
    if (error instanceof InputError) return skipPolicyTest(path, test, WRITE_CASE_SKIPPED);
    throw error;
  }
  const expectedQuery = buildExpectedRowsQuery(test);
  if (expectedQuery !== undefined && !bypassesRls) return skipPolicyTest(path, test, ROWS_WHERE_NEEDS_BYPASS);
  const claims = test.identity.claims;
  let result: SimulationResult;
  try {
    result = await simulateOnDatabase(options, { role: test.identity.role, claims, sql: test.sql }, undefined, token);
  } catch (error) {
    // A read-only login that may not become the identity's role: the other cases still run.
    if (error instanceof RoleSwitchRefusedError) return skipPolicyTest(path, test, describeRoleSwitchRefused(error.user, error.role));
    throw error;
  }
  const rows = result.rows.map((row) => row.row_text ?? '');
  let expectedRows: string[] | undefined;
  if (expectedQuery !== undefined && !result.error) {
    // As the connecting role, which reads past RLS, with the identity's claims for auth.uid():
    // through the simulator, so the predicate gets the live statement guard too.
    const expected = await simulateOnDatabase(options, { role: options.user, claims: { role: test.identity.role, ...(claims ?? {}) }, sql: expectedQuery }, undefined, token);
    if (expected.error) return judgePolicyTest(path, test, { error: { message: `rows_where could not be evaluated: ${expected.error.message}`, code: expected.error.code }, rowCount: 0 });
    expectedRows = expected.rows.map((row) => row.row_text ?? '');
  }
  return judgePolicyTest(path, test, { error: result.error, rowCount: result.rowCount, rows: test.command === 'select' ? rows : undefined, expectedRows });
}

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
