import { objectKey } from '../catalog/model';
import { isExposedSchema, isSelectableByApi } from '../catalog/privileges';
import { quoteQualified } from '../sql/quoteIdent';
import { apiRolesWithPrivilege, joinRoleNames } from './apiRolesWithPrivilege';
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
      if (!isExposedSchema(catalog, view.schema) || !isSelectableByApi(catalog, view.grants)) continue;
      const kind = view.kind === 'view' ? 'View' : 'Materialized view';
      reports.push({
        object: qualified,
        objectKey: objectKey.view(qualified),
        message: `${kind} ${qualified} exposes auth.users to ${joinRoleNames(apiRolesWithPrivilege(catalog, view.grants, 'SELECT'))} through the API.`,
        span: view.origin.definedAt,
        suggestions: [
          { title: `Revoke API access to ${qualified}`, sql: revokeApiAccessSql(view.schema, view.name, [view.grants]) },
          ...(view.kind === 'view'
            ? [{ title: `Run ${qualified} with the caller's rights (security_invoker)`, sql: `alter view ${quoteQualified(view.schema, view.name)} set (security_invoker = true);\n` }]
            : []),
        ],
      });
    }
    return reports;
  },
});
