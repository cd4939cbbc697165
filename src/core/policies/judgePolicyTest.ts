/**
 * Judges one pgreview RLS test against what its statement did: pass or fail, with the expected and
 * the actual outcome in words and, for `rows_where`, the rows that differ.
 */
import type { PolicyTest } from './policyTests';

/** What running a test's statement as its identity gave. */
export interface PolicyTestObservation {
  error?: { message: string; code: string };
  /** Rows seen (select) or changed (insert, update, delete). */
  rowCount: number;
  /** For select tests: each visible row as text. */
  rows?: string[];
  /** For `rows_where` tests: the rows the predicate selects, read without RLS. */
  expectedRows?: string[];
}

/** The verdict on one test. */
export interface PolicyTestOutcome {
  /** The test file, relative to the project root. */
  file: string;
  test: PolicyTest;
  passed: boolean;
  /** `denied`, `allowed, 2 rows`, `exactly the rows where user_id = ...`. */
  expected: string;
  /** `allowed, 3 rows`, `denied: new row violates row-level security policy ...`. */
  actual: string;
  /** Rows the identity should see and did not (rows_where). */
  missingRows?: string[];
  /** Rows the identity saw and should not have (rows_where). */
  unexpectedRows?: string[];
  /** Why the test did not run on this target (a write case on a live database); then it neither passed nor failed. */
  skipped?: string;
}

/** The outcome of a test that did not run, and why. */
export function skipPolicyTest(file: string, test: PolicyTest, reason: string): PolicyTestOutcome {
  return { file, test, passed: false, expected: '', actual: `not run: ${reason}`, skipped: reason };
}

/** Compares an observation with the test's expectation. Pure: the runner does the IO. */
export function judgePolicyTest(file: string, test: PolicyTest, observation: PolicyTestObservation): PolicyTestOutcome {
  const expect = test.expect;
  const failures: string[] = [];
  const actual = observation.error
    ? `denied: ${observation.error.message} (SQLSTATE ${observation.error.code})`
    : `allowed, ${describeRows(observation.rowCount)}`;
  const expectedParts: string[] = [];
  if (expect.denied === true) {
    expectedParts.push(expect.error ? `denied with an error containing "${expect.error}"` : 'denied');
    if (!observation.error) failures.push('denied');
    else if (expect.error && !observation.error.message.includes(expect.error)) failures.push('error');
  } else if (expect.denied === false || expect.rows !== undefined || expect.rowsWhere !== undefined) {
    expectedParts.push('allowed');
    if (observation.error) failures.push('allowed');
  }
  if (expect.rows !== undefined) {
    expectedParts.push(describeRows(expect.rows));
    if (!observation.error && observation.rowCount !== expect.rows) failures.push('rows');
  }
  let missingRows: string[] | undefined;
  let unexpectedRows: string[] | undefined;
  if (expect.rowsWhere !== undefined) {
    expectedParts.push(`exactly the rows where ${expect.rowsWhere} (${describeRows(observation.expectedRows?.length ?? 0)})`);
    if (!observation.error) {
      const seen = new Set(observation.rows ?? []);
      const wanted = new Set(observation.expectedRows ?? []);
      missingRows = [...wanted].filter((row) => !seen.has(row)).sort();
      unexpectedRows = [...seen].filter((row) => !wanted.has(row)).sort();
      if (missingRows.length > 0 || unexpectedRows.length > 0) failures.push('rows_where');
    }
  }
  const outcome: PolicyTestOutcome = { file, test, passed: failures.length === 0, expected: expectedParts.join(', '), actual };
  if (missingRows && missingRows.length > 0) outcome.missingRows = missingRows;
  if (unexpectedRows && unexpectedRows.length > 0) outcome.unexpectedRows = unexpectedRows;
  return outcome;
}

function describeRows(count: number): string {
  return `${count} ${count === 1 ? 'row' : 'rows'}`;
}
