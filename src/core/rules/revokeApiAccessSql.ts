import type { Grants, Table, View } from '../catalog/model';
import { API_ROLES, columnAcls } from '../catalog/privileges';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';

/**
 * `revoke all on public.leaderboard from anon, authenticated;`: takes a relation (table, view,
 * materialized view or foreign table) out of the Data API's reach. A grant to PUBLIC reaches the
 * API roles too, so it is revoked as well when the relation's ACL or one of its columns' has one
 * (a table-level REVOKE also removes the column privileges of the same kind).
 */
export function revokeApiAccessSql(schema: string, name: string, acls: readonly Grants[]): string {
  const grantees: string[] = [...API_ROLES];
  if (acls.some((grants) => grants.has('PUBLIC'))) grantees.push('public');
  return `revoke all on table ${quoteQualified(schema, name)} from ${grantees.map((grantee) => (grantee === 'public' ? grantee : quoteIdent(grantee))).join(', ')};\n`;
}

/** The ACL of a relation (table, view, materialized view) and those of its columns that have one. */
export function relationAndColumnAcls(relation: Table | View): Grants[] {
  return [relation.grants, ...columnAcls(relation).map(([, grants]) => grants)];
}
