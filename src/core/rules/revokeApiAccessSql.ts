import type { Grants, Table } from '../catalog/model';
import { API_ROLES } from '../catalog/privileges';
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

/** The ACL of a table and those of its columns that have one. */
export function tableAndColumnAcls(table: Table): Grants[] {
  return [table.grants, ...[...table.columns.values()].flatMap((column) => (column.grants ? [column.grants] : []))];
}
