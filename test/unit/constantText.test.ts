import assert from 'node:assert/strict';
import type { Node } from '@pgsql/types';
import { constantText } from '../../src/core/sql/constantText';
import { getParser, loadParser } from '../../src/core/sql/parser';

/** The expression of `select <expression>`. */
function expressionOf(expression: string): Node {
  const [statement] = getParser().parseSync(`select ${expression}`).stmts ?? [];
  const target = (statement.stmt as { SelectStmt: { targetList: { ResTarget: { val: Node } }[] } }).SelectStmt.targetList[0];
  return target.ResTarget.val;
}

describe('constantText', () => {
  before(() => loadParser());

  it('reads string and integer constants as text, the empty string and 0 included', () => {
    assert.deepEqual(["'lock_timeout'", "''", "'5s'", '0', '42', '-7'].map((expression) => constantText(expressionOf(expression))), ['lock_timeout', '', '5s', '0', '42', '-7']);
  });

  it('reads nothing else: NULL, booleans, floats, columns, casts, a missing node', () => {
    assert.deepEqual(['null', 'true', '1.5', 'lock_timeout', "'5s'::text"].map((expression) => constantText(expressionOf(expression))), [undefined, undefined, undefined, undefined, undefined]);
    assert.equal(constantText(undefined), undefined);
  });
});
