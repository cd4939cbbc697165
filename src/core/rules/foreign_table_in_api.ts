import { objectKey } from '../catalog/model';
import { isExposedSchema } from '../catalog/privileges';
import { apiRolesWithAnyColumnPrivilege, joinRoleNames } from './apiRolesWithPrivilege';
import { defineRule, type RuleReport } from './defineRule';
import { revokeApiAccessSql } from './revokeApiAccessSql';

export default defineRule({
  id: 'foreign_table_in_api',
  name: 'Foreign Table in API',
  level: 'warning',
  category: 'security',
  needs: 'G',
  description: 'A foreign table in a schema the Data API exposes is selectable by anon or authenticated; foreign tables ignore row level security, so the remote data is readable row for row.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) {
      if (table.kind !== 'foreign' || table.platform || context.isManagedSchema(table.schema)) continue;
      if (!isExposedSchema(catalog, table.schema)) continue;
      const readers = apiRolesWithAnyColumnPrivilege(catalog, table, 'SELECT');
      if (readers.length === 0) continue;
      reports.push({
        object: qualified,
        objectKey: objectKey.table(qualified),
        message: `Foreign table ${qualified} is exposed through the API: ${joinRoleNames(readers)} can read the remote rows, and RLS does not apply to foreign tables.`,
        span: table.origin.definedAt,
        fix: { title: `Revoke API access to ${qualified}`, sql: revokeApiAccessSql(table) },
      });
    }
    return reports;
  },
});
