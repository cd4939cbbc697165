/**
 * Privileges as PostgreSQL computes them: an object's ACL (its `grants`), PUBLIC, role membership,
 * ownership, and the default privileges that fill a new object's ACL.
 */
import { isView, type Catalog, type Column, type DefaultPrivilege, type DefaultPrivilegeObject, type Grants, type Privilege, type Table, type View } from './model';

/** The roles the Supabase Data API runs requests as. */
export const API_ROLES = ['anon', 'authenticated'] as const;

/**
 * The ACL a new object starts with: the owner's implicit rights are not listed (ownership is
 * checked separately); PUBLIC gets EXECUTE on functions and USAGE on types, as in PostgreSQL;
 * then every matching `ALTER DEFAULT PRIVILEGES` entry adds its grants.
 */
export function initialGrants(catalog: Catalog, objectType: DefaultPrivilegeObject, schema: string, owner: string): Grants {
  const grants: Grants = new Map();
  if (objectType === 'functions') grants.set('PUBLIC', new Set(['EXECUTE']));
  if (objectType === 'types') grants.set('PUBLIC', new Set(['USAGE']));
  // An indexed loop, Sets copied whole, and a second pass only when needed: this runs for every
  // table, sequence and function created, against every entry, mostly before the JIT warms up.
  const entries = catalog.defaultPrivileges;
  let revokedFromDefaults = false;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!matchesDefault(entry, objectType, schema, owner)) continue;
    if (entry.privileges.size === 0) revokedFromDefaults = true;
    const set = grants.get(entry.grantee);
    if (set) for (const privilege of entry.privileges) set.add(privilege);
    else grants.set(entry.grantee, new Set(entry.privileges));
  }
  // A global `REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC` is recorded as an entry with no privileges.
  if (revokedFromDefaults) {
    for (const entry of entries) {
      if (entry.privileges.size === 0 && matchesDefault(entry, objectType, schema, owner)) grants.delete(entry.grantee);
    }
  }
  return grants;
}

function matchesDefault(entry: DefaultPrivilege, objectType: DefaultPrivilegeObject, schema: string, owner: string): boolean {
  return entry.objectType === objectType && entry.forRole === owner && (entry.schema === undefined || entry.schema === schema);
}

/** Adds privileges for a grantee (GRANT). */
export function grant(grants: Grants, grantee: string, privileges: Iterable<Privilege>): void {
  const set = grants.get(grantee) ?? new Set<Privilege>();
  for (const privilege of privileges) set.add(privilege);
  grants.set(grantee, set);
}

/** Removes privileges from a grantee (REVOKE). */
export function revoke(grants: Grants, grantee: string, privileges: Iterable<Privilege>): void {
  const set = grants.get(grantee);
  if (!set) return;
  for (const privilege of privileges) set.delete(privilege);
  if (set.size === 0) grants.delete(grantee);
}

/**
 * `role` and every role whose privileges it has: the roles it is a member of, followed only
 * through roles that inherit (PostgreSQL's has_privs_of_role; Supabase's API roles are NOINHERIT).
 */
export function rolesWithPrivilegesOf(catalog: Catalog, role: string): Set<string> {
  const roles = new Set<string>();
  const stack = [role];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (roles.has(current)) continue;
    roles.add(current);
    const info = catalog.roles.get(current);
    if (info?.inherit) stack.push(...info.memberOf);
  }
  return roles;
}

/** True when `role` holds `privilege` through the ACL: directly, through PUBLIC, or through the roles whose privileges it has. */
export function hasGrantedPrivilege(catalog: Catalog, grants: Grants, role: string, privilege: Privilege): boolean {
  if (grants.get('PUBLIC')?.has(privilege)) return true;
  for (const holder of rolesWithPrivilegesOf(catalog, role)) if (grants.get(holder)?.has(privilege)) return true;
  return false;
}

/**
 * True when `role` holds `privilege` on one column: on the whole table or on the column itself
 * (PostgreSQL's has_column_privilege).
 */
export function hasColumnPrivilege(catalog: Catalog, table: Table, column: Column, role: string, privilege: Privilege): boolean {
  return hasGrantedPrivilege(catalog, table.grants, role, privilege) || (column.grants !== undefined && hasGrantedPrivilege(catalog, column.grants, role, privilege));
}

/**
 * The ACLs of a relation's columns that have one, by column name: a table column's `grants`, or a
 * view's (or materialized view's) `columnGrants`.
 */
export function columnAcls(relation: Table | View): [string, Grants][] {
  if (isView(relation)) return [...(relation.columnGrants ?? [])];
  return [...relation.columns.values()].flatMap((column) => (column.grants ? [[column.name, column.grants] as [string, Grants]] : []));
}

/**
 * True when `role` holds `privilege` on the relation (table, view, materialized view) or on at
 * least one of its columns (PostgreSQL's has_any_column_privilege): `grant select (id, username)`
 * lets the role select those columns of every row.
 */
export function hasAnyColumnPrivilege(catalog: Catalog, relation: Table | View, role: string, privilege: Privilege): boolean {
  if (hasGrantedPrivilege(catalog, relation.grants, role, privilege)) return true;
  return columnAcls(relation).some(([, grants]) => hasGrantedPrivilege(catalog, grants, role, privilege));
}

/** True when the schema is exposed through the Data API and the API roles may use it. */
export function isExposedSchema(catalog: Catalog, schema: string): boolean {
  return catalog.exposedSchemas.includes(schema);
}
