import type { Catalog, Column, Grants, Privilege, Table, View } from '../catalog/model';
import { API_ROLES, hasAnyColumnPrivilege, hasColumnPrivilege, hasGrantedPrivilege } from '../catalog/privileges';

/**
 * The Data API roles (anon, authenticated) that hold a privilege on an object through its grants,
 * for messages that say who can reach it: `['anon', 'authenticated']`, `['authenticated']` or `[]`.
 */
export function apiRolesWithPrivilege(catalog: Catalog, grants: Grants, privilege: Privilege): string[] {
  return API_ROLES.filter((role) => hasGrantedPrivilege(catalog, grants, role, privilege));
}

/**
 * Like `apiRolesWithPrivilege` for a table, view or materialized view, counting column privileges
 * too: a role granted `select (id, username)` can select from the relation, those columns only.
 */
export function apiRolesWithAnyColumnPrivilege(catalog: Catalog, relation: Table | View, privilege: Privilege): string[] {
  return API_ROLES.filter((role) => hasAnyColumnPrivilege(catalog, relation, role, privilege));
}

/**
 * The Data API roles that use a table through the API: they may select, insert, update or delete
 * rows (on the table or on some of its columns). With `column`, the roles that may select, insert
 * or update that column.
 */
export function apiRolesUsing(catalog: Catalog, table: Table, column?: Column): string[] {
  return API_ROLES.filter((role) =>
    column
      ? COLUMN_USES.some((privilege) => hasColumnPrivilege(catalog, table, column, role, privilege))
      : COLUMN_USES.some((privilege) => hasAnyColumnPrivilege(catalog, table, role, privilege)) || hasGrantedPrivilege(catalog, table.grants, role, 'DELETE'),
  );
}

const COLUMN_USES: Privilege[] = ['SELECT', 'INSERT', 'UPDATE'];

/** `anon and authenticated`, `authenticated`: role names joined for a sentence. */
export function joinRoleNames(roles: readonly string[]): string {
  return roles.length <= 1 ? roles.join('') : `${roles.slice(0, -1).join(', ')} and ${roles[roles.length - 1]}`;
}
