import type { Table, View } from '../catalog/model';
import { API_ROLES, columnAcls } from '../catalog/privileges';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';

/**
 * `revoke all on public.leaderboard from anon, authenticated;`: takes a relation (table, view,
 * materialized view or foreign table) out of the Data API's reach. A grant to PUBLIC reaches the
 * API roles too, so it is revoked as well when the relation's ACL or one of its columns' has one
 * (a table-level REVOKE also removes the column privileges of the same kind).
 */
export function revokeApiAccessSql(relation: Table | View): string {
  const grantees: string[] = [...API_ROLES];
  const acls = [relation.grants, ...columnAcls(relation).map(([, grants]) => grants)];
  if (acls.some((grants) => grants.has('PUBLIC'))) grantees.push('public');
  return `revoke all on table ${quoteQualified(relation.schema, relation.name)} from ${grantees.map((grantee) => (grantee === 'public' ? grantee : quoteIdent(grantee))).join(', ')};\n`;
}
