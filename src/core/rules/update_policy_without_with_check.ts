import type { Node } from '@pgsql/types';
import { objectKey } from '../catalog/model';
import { isConstantTrue } from '../sql/isConstantTrue';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';
import { findPolicyClauseSource, policyClauseSpan } from './findPolicyClauseSource';

export default defineRule({
  id: 'update_policy_without_with_check',
  name: 'Update Policy Without With Check',
  level: 'warning',
  category: 'security',
  needs: 'S',
  description: 'A permissive UPDATE policy has no WITH CHECK and its USING is an OR or always true: PostgreSQL checks the updated row against USING, so a user admitted by one branch can rewrite the columns another branch checks, such as handing a booking to another customer.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const table of catalog.tables.values()) {
      if (table.platform || context.isManagedSchema(table.schema)) continue;
      for (const policy of table.policies.values()) {
        if (policy.command !== 'update' || !policy.permissive || !policy.using || policy.withCheck) continue;
        // Without WITH CHECK, PostgreSQL checks the new row against USING
        // (https://www.postgresql.org/docs/current/sql-createpolicy.html): an owner check such as
        // `user_id = (select auth.uid())` holds the new row to the same owner, and a WITH CHECK
        // copied from it would change nothing. Only a USING that admits a row for more than one
        // reason, or for none, lets an update turn the row into one the user may not write.
        const admitsEveryRow = isConstantTrue(policy.using.ast);
        if (!admitsEveryRow && !hasOrBranch(policy.using.ast)) continue;
        const usingText = policy.using.text || findPolicyClauseSource(policy, 'using', context)?.text;
        const why = admitsEveryRow
          ? 'USING admits every row, so an update can rewrite any row into anything, including another user\'s'
          : 'USING is an OR, so a user admitted by one branch can rewrite the columns another branch checks (hand the row to someone else)';
        reports.push({
          object: `${policy.table}.${policy.name}`,
          objectKey: objectKey.policy(policy.table, policy.name),
          message: `UPDATE policy "${policy.name}" on ${policy.table} has no WITH CHECK, so PostgreSQL checks the updated row against USING, and ${why}.`,
          span: policyClauseSpan(policy, 'using', context),
          // Copying USING changes nothing PostgreSQL does; it writes the check out where a person
          // tightens it to what was meant (usually one owner column), which needs a choice.
          suggestions: usingText
            ? [{
                title: `Write out the check PostgreSQL applies to updated rows of "${policy.name}" (its USING), then tighten it`,
                sql: `alter policy ${quoteIdent(policy.name)} on ${quoteQualified(table.schema, table.name)}\n  with check (${usingText});\n`,
              }]
            : undefined,
        });
      }
    }
    return reports;
  },
});

/**
 * True when the expression is an OR, or an AND with an OR among its terms: the row passes through
 * any one branch, so the columns the other branches check are free to change.
 */
function hasOrBranch(node: Node | undefined): boolean {
  if (!node || !('BoolExpr' in node)) return false;
  const { boolop, args = [] } = node.BoolExpr;
  if (boolop === 'OR_EXPR') return args.length > 1;
  if (boolop === 'AND_EXPR') return args.some(hasOrBranch);
  return false;
}
