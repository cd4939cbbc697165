import { objectKey } from '../catalog/model';
import { updateCheckLetsRowsMove } from '../policies/updateCheckLetsRowsMove';
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
        // `for all` policies are left to the policy matrix: their USING also filters SELECT and DELETE.
        if (policy.command !== 'update') continue;
        const risk = updateCheckLetsRowsMove(policy);
        if (!risk || !policy.using) continue;
        const admitsEveryRow = risk === 'always true';
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
