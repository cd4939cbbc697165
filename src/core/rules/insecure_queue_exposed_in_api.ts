import { objectKey } from '../catalog/model';
import { isExposedSchema } from '../catalog/privileges';
import { quoteQualified } from '../sql/quoteIdent';
import { apiRolesWithAnyColumnPrivilege, joinRoleNames } from './apiRolesWithPrivilege';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'insecure_queue_exposed_in_api',
  name: 'Insecure Queue Exposed in API',
  level: 'error',
  category: 'security',
  needs: 'G',
  description: 'A pgmq queue table (pgmq.q_*) has row level security disabled while the Data API exposes queues (the pgmq_public schema) and anon or authenticated can select from it, so anyone with the anon key can read and consume the messages.',
  check(catalog) {
    // pgmq is a managed schema, but this rule exists for it. Supabase exposes queues through the
    // pgmq_public schema, whose functions run with the caller's rights: the grants and RLS of the
    // queue tables are then all that stands between the anon key and the messages. Exposing pgmq
    // itself is worse and counts too.
    const reports: RuleReport[] = [];
    if (!EXPOSING_SCHEMAS.some((schema) => isExposedSchema(catalog, schema))) return reports;
    for (const [qualified, table] of catalog.tables) {
      if (table.schema !== QUEUE_SCHEMA || !table.name.startsWith('q_') || table.rlsEnabled) continue;
      const readers = apiRolesWithAnyColumnPrivilege(catalog, table, 'SELECT');
      if (readers.length === 0) continue;
      reports.push({
        object: qualified,
        objectKey: objectKey.table(qualified),
        message: `Queue table ${qualified} has RLS disabled while the API exposes queues: ${joinRoleNames(readers)} can read its messages.`,
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

const QUEUE_SCHEMA = 'pgmq';
/** The schemas whose exposure puts queue tables within the API's reach. */
const EXPOSING_SCHEMAS = ['pgmq_public', 'pgmq'];
