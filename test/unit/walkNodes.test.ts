import assert from 'node:assert/strict';
import type { Node } from '@pgsql/types';
import { getParser, loadParser } from '../../src/core/sql/parser';
import { isConstantTrue } from '../../src/core/sql/isConstantTrue';
import { walkNodes } from '../../src/core/sql/walkNodes';

/** The USING tree of a policy on public.posts. */
function usingOf(expression: string): Node {
  const [statement] = getParser().parseSync(`create policy p on public.posts using (${expression})`).stmts ?? [];
  return (statement.stmt as { CreatePolicyStmt: { qual: Node } }).CreatePolicyStmt.qual;
}

describe('walkNodes', () => {
  before(() => loadParser());

  it('visits every wrapped node with its type, field and parent chain', () => {
    const seen: string[] = [];
    walkNodes(usingOf(`author_id in (select user_id from public.group_members)`), (node, parents) => {
      seen.push(`${parents.map((parent) => parent.type).join('>')}|${node.type}@${node.field ?? ''}`);
    });
    assert.ok(seen.includes('|SubLink@'));
    assert.ok(seen.includes('SubLink|ColumnRef@testexpr'));
    assert.ok(seen.includes('SubLink|SelectStmt@subselect'));
    // A bare RangeVar in fromClause is walked through, and its path is kept in the field name.
    assert.ok(seen.some((entry) => entry.startsWith('SubLink>SelectStmt>ResTarget>ColumnRef|String@fields')));
    assert.ok(seen.includes('SubLink>SelectStmt|RangeVar@fromClause'));
  });

  it('does not descend when the visitor returns false', () => {
    const types: string[] = [];
    walkNodes(usingOf(`(select auth.uid()) = author_id`), (node) => {
      types.push(node.type);
      return node.type !== 'SubLink';
    });
    assert.ok(types.includes('SubLink'));
    assert.ok(!types.includes('FuncCall'));
    assert.ok(types.includes('ColumnRef'));
  });
});

describe('isConstantTrue', () => {
  before(() => loadParser());

  for (const expression of ['true', `'true'::boolean`, 'true::bool', '1 = 1', `'a' = 'a'`, 'published or true', 'true and true']) {
    it(`is true for ${expression}`, () => assert.equal(isConstantTrue(usingOf(expression)), true));
  }
  for (const expression of ['false', 'published', 'null = null', 'author_id = author_id', 'true and published', `'false'::boolean`, '1 = 2']) {
    it(`is not judged true for ${expression}`, () => assert.equal(isConstantTrue(usingOf(expression)), false));
  }
});
