import { objectKey } from '../catalog/model';
import { isExposedSchema } from '../catalog/privileges';
import { quoteQualified } from '../sql/quoteIdent';
import { apiRolesWithAnyColumnPrivilege, joinRoleNames } from './apiRolesWithPrivilege';
import { defineRule, type RuleReport } from './defineRule';
import { revokeApiAccessSql } from './revokeApiAccessSql';

export default defineRule({
  id: 'auth_users_exposed',
  name: 'Exposed Auth Users',
  level: 'error',
  category: 'security',
  needs: 'G',
  description: 'A view or materialized view in a schema the Data API exposes reads auth.users and anon or authenticated can select from it, so user e-mails, phone numbers and metadata leak through the API.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, view] of catalog.views) {
      if (view.platform || context.isManagedSchema(view.schema) || !view.dependsOn.includes('auth.users')) continue;
      // A security_invoker view reads auth.users with the caller's rights, which the API roles do
      // not have: the query fails instead of leaking.
      if (view.kind === 'view' && view.securityInvoker) continue;
      if (!isExposedSchema(catalog, view.schema)) continue;
      // A column grant (`grant select (id, email)`) is enough to read through the view.
      const readers = apiRolesWithAnyColumnPrivilege(catalog, view, 'SELECT');
      if (readers.length === 0) continue;
      const kind = view.kind === 'view' ? 'View' : 'Materialized view';
      reports.push({
        object: qualified,
        objectKey: objectKey.view(qualified),
        message: `${kind} ${qualified} exposes auth.users to ${joinRoleNames(readers)} through the API.`,
        span: view.origin.definedAt,
        suggestions: [
          { title: `Revoke API access to ${qualified}`, sql: revokeApiAccessSql(view) },
          ...(view.kind === 'view'
            ? [{ title: `Run ${qualified} with the caller's rights (security_invoker)`, sql: `alter view ${quoteQualified(view.schema, view.name)} set (security_invoker = true);\n` }]
            : []),
        ],
      });
    }
    return reports;
  },
});
