import { objectKey } from '../catalog/model';
import type { RelatedLocation } from '../finding';
import { quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'policy_exists_rls_disabled',
  name: 'Policy Exists RLS Disabled',
  level: 'error',
  category: 'security',
  needs: 'S',
  description: 'A table has row level security policies but RLS is disabled, so the policies are never applied and every role with a grant sees every row.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) {
      if (table.platform || context.isManagedSchema(table.schema)) continue;
      if (table.rlsEnabled || table.policies.size === 0 || table.kind === 'foreign') continue;
      const names = [...table.policies.keys()];
      const related: RelatedLocation[] = [];
      for (const policy of table.policies.values()) {
        const span = policy.origin.definedAt;
        if (span) related.push({ message: `Policy "${policy.name}" is not applied while RLS is off.`, span });
      }
      reports.push({
        object: qualified,
        objectKey: objectKey.table(qualified),
        message: `Table ${qualified} has ${names.length === 1 ? 'a policy' : `${names.length} policies`} (${names.map((name) => `"${name}"`).join(', ')}) but RLS is disabled: the policies are ignored.`,
        span: table.rlsChangedAt ?? table.origin.definedAt,
        related,
        fix: {
          title: `Enable row level security on ${qualified}`,
          sql: `alter table ${quoteQualified(table.schema, table.name)} enable row level security;\n`,
        },
      });
    }
    return reports;
  },
});
