import { objectKey } from '../catalog/model';
import { isExposedSchema } from '../catalog/privileges';
import { quoteQualified } from '../sql/quoteIdent';
import { apiRolesWithAnyColumnPrivilege, joinRoleNames } from './apiRolesWithPrivilege';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'rls_disabled_in_public',
  name: 'RLS Disabled in Public',
  level: 'error',
  category: 'security',
  needs: 'G',
  description: 'A table in a schema the Data API exposes has row level security disabled while anon or authenticated can select from it, so anyone holding the public anon key can read every row.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) {
      if (table.platform || context.isManagedSchema(table.schema)) continue;
      // Foreign tables cannot have RLS at all: foreign_table_in_api reports them.
      if (table.rlsEnabled || table.kind === 'foreign') continue;
      if (!isExposedSchema(catalog, table.schema)) continue;
      const readers = apiRolesWithAnyColumnPrivilege(catalog, table, 'SELECT');
      if (readers.length === 0) continue;
      const writes = WRITE_PRIVILEGES.some((privilege) => apiRolesWithAnyColumnPrivilege(catalog, table, privilege).length > 0);
      reports.push({
        object: qualified,
        objectKey: objectKey.table(qualified),
        message: `Table ${qualified} is exposed through the API without row level security: ${joinRoleNames(readers)} can read every row${writes ? ' and change them' : ''}.`,
        span: table.rlsChangedAt ?? table.origin.definedAt,
        fix: {
          title: `Enable row level security on ${qualified}`,
          sql: `alter table ${quoteQualified(table.schema, table.name)} enable row level security;\n`,
        },
      });
    }
    return reports;
  },
});

const WRITE_PRIVILEGES = ['INSERT', 'UPDATE', 'DELETE'] as const;
