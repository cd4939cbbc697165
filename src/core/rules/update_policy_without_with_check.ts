import { objectKey } from '../catalog/model';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';
import { findPolicyClauseSource, policyClauseSpan } from './findPolicyClauseSource';

export default defineRule({
  id: 'update_policy_without_with_check',
  name: 'Update Policy Without With Check',
  level: 'warning',
  category: 'security',
  needs: 'S',
  description: 'A permissive UPDATE policy has USING but no WITH CHECK, so what an updated row may become is left implicit: PostgreSQL reuses USING, and a user can rewrite a row into anything USING admits, such as moving it to another owner or group.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const table of catalog.tables.values()) {
      if (table.platform || context.isManagedSchema(table.schema)) continue;
      for (const policy of table.policies.values()) {
        if (policy.command !== 'update' || !policy.permissive || !policy.using || policy.withCheck) continue;
        const usingText = policy.using.text || findPolicyClauseSource(policy, 'using', context)?.text;
        reports.push({
          object: `${policy.table}.${policy.name}`,
          objectKey: objectKey.policy(policy.table, policy.name),
          message: `UPDATE policy "${policy.name}" on ${policy.table} has no WITH CHECK: say explicitly what an updated row must satisfy, or an update can move the row to anything USING admits.`,
          span: policyClauseSpan(policy, 'using', context),
          // Copying USING keeps today's behaviour but makes it visible; a stricter check (the
          // owner column only) is often what was meant, so a person chooses.
          suggestions: usingText
            ? [{
                title: `Check updated rows of "${policy.name}" with the USING condition`,
                sql: `alter policy ${quoteIdent(policy.name)} on ${quoteQualified(table.schema, table.name)}\n  with check (${usingText});\n`,
              }]
            : undefined,
        });
      }
    }
    return reports;
  },
});
