import { objectKey } from '../catalog/model';
import { isExposedSchema } from '../catalog/privileges';
import { apiRolesWithAnyColumnPrivilege, joinRoleNames } from './apiRolesWithPrivilege';
import { defineRule, type RuleReport } from './defineRule';
import { revokeApiAccessSql } from './revokeApiAccessSql';

export default defineRule({
  id: 'materialized_view_in_api',
  name: 'Materialized View in API',
  level: 'warning',
  category: 'security',
  needs: 'G',
  description: 'A materialized view in a schema the Data API exposes is selectable by anon or authenticated; materialized views cannot have row level security, so every row of the snapshot is readable.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, view] of catalog.views) {
      if (view.kind !== 'materialized_view' || view.platform || context.isManagedSchema(view.schema)) continue;
      if (!isExposedSchema(catalog, view.schema)) continue;
      // A column grant (`grant select (id, email)`) is enough to read through the view.
      const readers = apiRolesWithAnyColumnPrivilege(catalog, view, 'SELECT');
      if (readers.length === 0) continue;
      reports.push({
        object: qualified,
        objectKey: objectKey.view(qualified),
        message: `Materialized view ${qualified} is exposed through the API: ${joinRoleNames(readers)} can read every row, and no RLS can narrow it.`,
        span: view.origin.definedAt,
        fix: { title: `Revoke API access to ${qualified}`, sql: revokeApiAccessSql(view) },
      });
    }
    return reports;
  },
});
