import type { Catalog, Grants, Privilege, Table, View } from '../catalog/model';
import { API_ROLES, hasAnyColumnPrivilege, hasGrantedPrivilege } from '../catalog/privileges';

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

/** `anon and authenticated`, `authenticated`: role names joined for a sentence. */
export function joinRoleNames(roles: readonly string[]): string {
  return roles.length <= 1 ? roles.join('') : `${roles.slice(0, -1).join(', ')} and ${roles[roles.length - 1]}`;
}
