/**
 * pgreview RLS test files: parsing (tests, generated names, statements, problems at their line),
 * judging outcomes, and the pgTAP export.
 */
import assert from 'node:assert/strict';
import { judgePolicyTest } from '../../src/core/policies/judgePolicyTest';
import { parsePolicyTestFile, POLICY_TEST_FILE_PATTERN } from '../../src/core/policies/policyTests';
import { renderPolicyTestsPgtap, renderPolicyTestsText } from '../../src/core/policies/renderPolicyTests';
import { getParser, loadParser } from '../../src/core/sql/parser';

const FILE = `identities:
  alice:
    role: authenticated
    claims: { sub: 11111111-1111-4111-8111-111111111111 }
  visitor:
    role: anon

tests:
  - name: alice sees her bookings
    as: alice
    select: public.bookings
    expect: { rows_where: "user_id = auth.uid()" }
  - as: visitor
    insert: public.bookings
    values: { user_id: 11111111-1111-4111-8111-111111111111, total_amount: 10, note: "it's", "order": 1 }
    expect: denied
  - as: alice
    update: public.profiles
    set: { home_city: Paris }
    where: id <> auth.uid()
    expect: { rows: 0 }
  - as: alice
    delete: public.bookings
    expect: allowed
  - as: alice
    sql: select count(*) from public.bookings;
    expect: { rows: 1, error: nope }
`;

describe('pgreview RLS test files', () => {
  before(loadParser);

  it('recognises the file names of the format', () => {
    assert.ok(POLICY_TEST_FILE_PATTERN.test('supabase/tests/bookings.rls.yaml'));
    assert.ok(POLICY_TEST_FILE_PATTERN.test('supabase/tests/rls/profiles.rls.yml'));
    assert.ok(!POLICY_TEST_FILE_PATTERN.test('supabase/tests/bookings.test.sql'));
    assert.ok(!POLICY_TEST_FILE_PATTERN.test('supabase/migrations/x.rls.yaml'));
  });

  it('parses identities and tests into statements, with names and lines', () => {
    const { file, problems } = parsePolicyTestFile('supabase/tests/bookings.rls.yaml', FILE);
    assert.deepEqual(problems, [{ path: 'supabase/tests/bookings.rls.yaml', line: 25, message: 'a denied statement has no rows to count' }]);
    assert.deepEqual([...file.identities.keys()], ['alice', 'visitor']);
    assert.deepEqual(file.tests.map((test) => [test.line, test.name, test.identity.role, test.command]), [
      [9, 'alice sees her bookings', 'authenticated', 'select'],
      [13, 'visitor inserts into public.bookings', 'anon', 'insert'],
      [17, 'alice updates public.profiles', 'authenticated', 'update'],
      [22, 'alice deletes from public.bookings', 'authenticated', 'delete'],
    ]);
    assert.deepEqual(file.tests.map((test) => test.sql), [
      'select t::text as row_text from public.bookings t',
      "insert into public.bookings (user_id, total_amount, note, \"order\") values ('11111111-1111-4111-8111-111111111111', 10, 'it''s', 1)",
      "update public.profiles set home_city = 'Paris' where id <> auth.uid()",
      'delete from public.bookings',
    ]);
    for (const test of file.tests) assert.doesNotThrow(() => getParser().parseSync(test.sql), test.sql);
    assert.deepEqual(file.tests[0].expect, { rowsWhere: 'user_id = auth.uid()' });
    assert.deepEqual(file.tests[1].expect, { denied: true });
    assert.deepEqual(file.tests[3].expect, { denied: false });
  });

  it('reports mistakes at their line and keeps the well-formed tests', () => {
    const text = `identities:
  bob: { role: authenticated }
tests:
  - as: carol
    select: public.bookings
    expect: allowed
  - as: bob
    select: public.bookings
    update: public.bookings
    expect: allowed
  - as: bob
    select: public.bookings
    expect: { rows: many }
  - as: bob
    select: public.bookings
    limit: 3
    expect: allowed
  - as: bob
    select: public.bookings
    expect: { rows: 2 }
`;
    const { file, problems } = parsePolicyTestFile('t.rls.yaml', text);
    assert.deepEqual(problems.map((problem) => `${problem.line}: ${problem.message}`), [
      '4: unknown identity "carol"; the file defines bob',
      '7: a test needs exactly one of select, insert, update, delete, sql, not select and update',
      '11: "rows" is a whole number of rows',
      '14: unknown key "limit" in a test; use name, as, select, insert, update, delete, sql, where, values, set, expect',
    ]);
    assert.equal(file.tests.length, 1);
    assert.equal(parsePolicyTestFile('t.rls.yaml', 'tests: [').problems[0].line, 1);
  });

  it('judges outcomes and shows the rows that differ', () => {
    const { file } = parsePolicyTestFile('supabase/tests/bookings.rls.yaml', FILE);
    const [select, insert] = file.tests;
    const seeingTooMuch = judgePolicyTest(file.path, select, { rowCount: 2, rows: ['(1,alice)', '(2,bob)'], expectedRows: ['(1,alice)'] });
    assert.equal(seeingTooMuch.passed, false);
    assert.deepEqual(seeingTooMuch.unexpectedRows, ['(2,bob)']);
    assert.equal(seeingTooMuch.missingRows, undefined);
    assert.equal(judgePolicyTest(file.path, select, { rowCount: 1, rows: ['(1,alice)'], expectedRows: ['(1,alice)'] }).passed, true);
    const allowedInsert = judgePolicyTest(file.path, insert, { rowCount: 1 });
    assert.equal(allowedInsert.passed, false);
    assert.equal(allowedInsert.expected, 'denied');
    assert.equal(allowedInsert.actual, 'allowed, 1 row');
    const deniedInsert = judgePolicyTest(file.path, insert, { rowCount: 0, error: { message: 'new row violates row-level security policy for table "bookings"', code: '42501' } });
    assert.equal(deniedInsert.passed, true);
    const text = renderPolicyTestsText([seeingTooMuch, deniedInsert]);
    assert.match(text, /^FAIL {2}supabase\/tests\/bookings\.rls\.yaml:9 {2}alice sees her bookings$/m);
    assert.match(text, /^ {6}\+ \(2,bob\)$/m);
    assert.match(text, /^1 passed, 1 failed\.$/m);
  });

  it('exports the tests as pgTAP that parses, one assertion per expectation', () => {
    const { file } = parsePolicyTestFile('supabase/tests/bookings.rls.yaml', FILE);
    const sql = renderPolicyTestsPgtap([file]);
    assert.doesNotThrow(() => getParser().parseSync(sql));
    assert.match(sql, /^select plan\(4\);$/m);
    assert.match(sql, /^create temporary table pgreview_expected_1 on commit drop as select t::text as row_text from public\.bookings t where \(user_id = auth\.uid\(\)\);$/m);
    assert.match(sql, /^select set_eq\(\$sql\$ select t::text as row_text from public\.bookings t \$sql\$, \$sql\$ select row_text from pgreview_expected_1 \$sql\$, 'alice sees her bookings'\);$/m);
    assert.match(sql, /^select throws_ok\(\$sql\$ insert into public\.bookings .*\$sql\$, null, null, 'visitor inserts into public\.bookings'\);$/m);
    assert.match(sql, /^select results_eq\(\$sql\$ with changed as \(update public\.profiles .* returning 1\) select count\(\*\)::int from changed \$sql\$, \$sql\$ values \(0\) \$sql\$, 'alice updates public\.profiles'\);$/m);
    assert.match(sql, /^select lives_ok\(\$sql\$ delete from public\.bookings \$sql\$, 'alice deletes from public\.bookings'\);$/m);
    assert.match(sql, /^set local role anon;$/m);
    assert.match(sql, /^select \* from finish\(\);\nrollback;$/m);
  });
});
