import assert from 'node:assert/strict';
import type { FuncCall, Node } from '@pgsql/types';
import { expressionFacts } from '../../src/core/sql/expressionFacts';
import { functionCallName } from '../../src/core/sql/functionCallName';
import { getParser, loadParser } from '../../src/core/sql/parser';
import { walkNodes } from '../../src/core/sql/walkNodes';

/** The USING tree of a policy on public.posts. */
function usingOf(expression: string): Node {
  const [statement] = getParser().parseSync(`create policy p on public.posts using (${expression})`).stmts ?? [];
  return (statement.stmt as { CreatePolicyStmt: { qual: Node } }).CreatePolicyStmt.qual;
}

const EXPRESSIONS = [
  `author_id = (select auth.uid())`,
  `auth.uid() = author_id and published`,
  `author_id in (select user_id from public.members m where m.group_id = posts.group_id and m.role = auth.role())`,
  `coalesce(auth.jwt() ->> 'role', current_setting('request.jwt.claims', true)::jsonb ->> 'role') = 'admin'`,
  `exists (select 1 from public.orgs o where o.id = org_id and o.owner = (select auth.uid())) or not archived`,
  `(auth.jwt() -> 'user_metadata' ->> 'role') = any(array['a', 'b'])`,
  `tenant_id = any(select jsonb_array_elements_text(auth.jwt() #> '{app_metadata,tenants}')::uuid)`,
  `case when lower(trim(status)) = 'open' then owner = auth.uid() else false end`,
  `true`,
  `exists (with m as (select user_id from public.members) select 1 from m join app.teams t on t.id = team_id)`,
];

describe('expressionFacts', () => {
  before(() => loadParser());

  for (const expression of EXPRESSIONS) {
    it(`collects what walkNodes visits, in the same order: ${expression}`, () => {
      const tree = usingOf(expression);
      const calls: { name: string; enclosingSelect: unknown; enclosing: string[] }[] = [];
      const operators: unknown[] = [];
      const columnRefs: unknown[] = [];
      const relations: unknown[] = [];
      const cteNames = new Set<string>();
      let subLinks = 0;
      walkNodes(tree, (node, parents) => {
        if (node.type === 'FuncCall') {
          const enclosing = parents.filter((parent) => parent.type === 'FuncCall').map((parent) => functionCallName(parent.fields as FuncCall));
          calls.push({ name: functionCallName(node.fields as FuncCall), enclosingSelect: [...parents].reverse().find((parent) => parent.type === 'SelectStmt')?.fields, enclosing });
        } else if (node.type === 'A_Expr') operators.push(node.fields);
        else if (node.type === 'ColumnRef') columnRefs.push(node.fields);
        else if (node.type === 'RangeVar') relations.push(node.fields);
        else if (node.type === 'CommonTableExpr') cteNames.add(node.fields.ctename as string);
        else if (node.type === 'SubLink') subLinks++;
      });
      const facts = expressionFacts(tree);
      assert.deepEqual(
        facts.calls.map((site) => ({ name: functionCallName(site.call), enclosingSelect: site.enclosingSelect, enclosing: site.enclosingCalls.map(functionCallName) })),
        calls,
      );
      assert.equal(facts.operators.length, operators.length);
      facts.operators.forEach((operator, index) => assert.equal(operator, operators[index]));
      assert.equal(facts.columnRefs.length, columnRefs.length);
      facts.columnRefs.forEach((reference, index) => assert.equal(reference, columnRefs[index]));
      assert.equal(facts.relations.length, relations.length);
      facts.relations.forEach((relation, index) => assert.equal(relation, relations[index]));
      assert.deepEqual(facts.cteNames, cteNames);
      assert.equal(facts.hasSubLinks, subLinks > 0);
    });
  }

  it('names the relations a sub-select reads and the common table expressions it defines', () => {
    const facts = expressionFacts(usingOf(EXPRESSIONS[EXPRESSIONS.length - 1]));
    assert.deepEqual(facts.relations.map((relation) => `${relation.schemaname ?? ''}.${relation.relname}`), ['.m', 'app.teams', 'public.members']);
    assert.deepEqual([...facts.cteNames], ['m']);
    assert.equal(facts.hasSubLinks, true);
    assert.equal(expressionFacts(usingOf('owner = auth.uid()')).hasSubLinks, false);
  });

  it('gives the operands at the top through AND, OR and NOT', () => {
    const tree = usingOf(`a = 1 and (b = 2 or not c) and f(d = 3)`);
    const types = expressionFacts(tree).topLevel.map((node) => Object.keys(node)[0]);
    assert.deepEqual(types, ['A_Expr', 'A_Expr', 'ColumnRef', 'FuncCall']);
    assert.deepEqual(expressionFacts(usingOf('owner = auth.uid()')).topLevel.map((node) => Object.keys(node)[0]), ['A_Expr']);
  });

  it('computes once per tree and has nothing for no tree', () => {
    const tree = usingOf(`owner = auth.uid()`);
    assert.equal(expressionFacts(tree), expressionFacts(tree));
    assert.deepEqual(expressionFacts(undefined), { calls: [], operators: [], columnRefs: [], relations: [], cteNames: new Set(), hasSubLinks: false, topLevel: [] });
  });
});
