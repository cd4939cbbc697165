import { objectKey } from '../catalog/model';
import { defineRule } from './defineRule';

export default defineRule({
  id: 'rls_enabled_no_policy',
  name: 'RLS Enabled No Policy',
  level: 'info',
  category: 'security',
  needs: 'S',
  description: 'A table has row level security enabled but no policies, so every API request is denied: usually a forgotten policy.',
  check(catalog, context) {
    const reports = [];
    for (const [qualified, table] of catalog.tables) {
      if (table.platform || context.isManagedSchema(table.schema)) continue;
      if (!table.rlsEnabled || table.policies.size > 0) continue;
      reports.push({
        object: qualified,
        objectKey: objectKey.table(qualified),
        message: `Table ${qualified} has RLS enabled but no policies: every request through the API is denied.`,
        span: table.rlsChangedAt ?? table.origin.definedAt,
        suggestions: [
          {
            title: `Add an owner policy to ${qualified}`,
            sql: `create policy "Owners can read their rows" on ${qualified}\n  for select to authenticated\n  using (user_id = (select auth.uid()));\n`,
          },
        ],
      });
    }
    return reports;
  },
});
