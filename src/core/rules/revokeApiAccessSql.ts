import type { Grants } from '../catalog/model';
import { API_ROLES } from '../catalog/privileges';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';

/**
 * `revoke all on public.leaderboard from anon, authenticated;`: takes a relation (table, view,
 * materialized view or foreign table) out of the Data API's reach. A grant to PUBLIC reaches the
 * API roles too, so it is revoked as well when there is one.
 */
export function revokeApiAccessSql(schema: string, name: string, grants: Grants): string {
  const grantees: string[] = [...API_ROLES];
  if (grants.has('PUBLIC')) grantees.push('public');
  return `revoke all on table ${quoteQualified(schema, name)} from ${grantees.map((grantee) => (grantee === 'public' ? grantee : quoteIdent(grantee))).join(', ')};\n`;
}
