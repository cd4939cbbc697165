import { objectKey } from '../catalog/model';
import { isExposedSchema } from '../catalog/privileges';
import { quoteQualified } from '../sql/quoteIdent';
import { apiRolesWithAnyColumnPrivilege, joinRoleNames } from './apiRolesWithPrivilege';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'security_definer_view',
  name: 'Security Definer View',
  level: 'error',
  category: 'security',
  needs: 'G',
  description: 'A view in a schema the Data API exposes runs with its owner\'s rights (no security_invoker = true) and anon or authenticated can select from it, so it bypasses the row level security of the tables it reads.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, view] of catalog.views) {
      if (view.kind !== 'view' || view.securityInvoker || view.platform || context.isManagedSchema(view.schema)) continue;
      if (!isExposedSchema(catalog, view.schema)) continue;
      // A column grant (`grant select (id, email)`) is enough to read through the view.
      const readers = apiRolesWithAnyColumnPrivilege(catalog, view, 'SELECT');
      if (readers.length === 0) continue;
      reports.push({
        object: qualified,
        objectKey: objectKey.view(qualified),
        message: `View ${qualified} runs as its owner${view.owner ? ` (${view.owner})` : ''}, not as the caller: ${joinRoleNames(readers)} can read through it past the RLS of the tables it selects from.`,
        span: view.origin.definedAt,
        fix: {
          title: `Make ${qualified} check the caller's permissions (security_invoker)`,
          sql: `alter view ${quoteQualified(view.schema, view.name)} set (security_invoker = true);\n`,
        },
      });
    }
    return reports;
  },
});
