/** GRANT / REVOKE on objects, ALTER DEFAULT PRIVILEGES, and GRANT / REVOKE role membership. */
import type { AlterDefaultPrivilegesStmt, GrantRoleStmt, GrantStmt, Node } from '@pgsql/types';
import type { DefaultPrivilegeObject, Grants, Origin, Privilege } from '../model';
import { grant, revoke } from '../privileges';
import { findFunction, resolveRelationName, roleSpecName, stringList } from './names';
import { reportMissing } from './references';
import { markChanged } from './relations';
import type { ReplayState } from './replayState';

/** What ALL PRIVILEGES means for each kind of object (PostgreSQL's ACL_ALL_RIGHTS_*; MAINTAIN left out as in the platform baseline). */
const ALL_PRIVILEGES: Record<DefaultPrivilegeObject, Privilege[]> = {
  tables: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'],
  sequences: ['USAGE', 'SELECT', 'UPDATE'],
  functions: ['EXECUTE'],
  types: ['USAGE'],
  schemas: ['USAGE', 'CREATE'],
};

/** GRANT / REVOKE privileges ON objects (or ON ALL ... IN SCHEMA) TO / FROM roles. */
export function grantOrRevoke(state: ReplayState, stmt: GrantStmt): void {
  const objectType = privilegeObjectType(stmt.objtype);
  if (!objectType) return;
  const privileges = privilegeList(stmt.privileges, objectType);
  if (privileges === undefined) return;
  const grantees = (stmt.grantees ?? []).map((node) => roleSpecName(state, node));
  for (const target of grantTargets(state, stmt, objectType)) {
    for (const grantee of grantees) {
      if (stmt.is_grant) grant(target.grants, grantee, privileges);
      else revoke(target.grants, grantee, privileges);
    }
    markChanged(state, target);
  }
}

/** ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT / REVOKE ... ON TABLES | SEQUENCES | FUNCTIONS | TYPES | SCHEMAS. */
export function alterDefaultPrivileges(state: ReplayState, stmt: AlterDefaultPrivilegesStmt): void {
  const action = stmt.action;
  const objectType = action ? privilegeObjectType(action.objtype) : undefined;
  if (!action || !objectType) return;
  const privileges = privilegeList(action.privileges, objectType);
  if (!privileges) return;
  let forRoles = [state.currentRole];
  let schemas: (string | undefined)[] = [undefined];
  for (const node of stmt.options ?? []) {
    if (!('DefElem' in node)) continue;
    const items = node.DefElem.arg && 'List' in node.DefElem.arg ? node.DefElem.arg.List.items ?? [] : [];
    if (node.DefElem.defname === 'roles') forRoles = items.map((item) => roleSpecName(state, item));
    else if (node.DefElem.defname === 'schemas') schemas = stringList(items);
  }
  const grantees = (action.grantees ?? []).map((node) => roleSpecName(state, node));
  const entries = state.catalog.defaultPrivileges;
  for (const forRole of forRoles) {
    for (const schema of schemas) {
      for (const grantee of grantees) {
        if (action.is_grant) {
          const entry = entries.find((found) => found.forRole === forRole && found.schema === schema && found.objectType === objectType && found.grantee === grantee && found.privileges.size > 0);
          if (entry) for (const privilege of privileges) entry.privileges.add(privilege);
          else entries.push({ forRole, schema, objectType, grantee, privileges: new Set(privileges) });
          continue;
        }
        // Per-schema defaults only add to the global ones, so a per-schema REVOKE removes only
        // what a per-schema GRANT added. A global REVOKE from PUBLIC of the built-in EXECUTE
        // (functions) or USAGE (types) is recorded as an entry with no privileges.
        for (let i = entries.length - 1; i >= 0; i--) {
          const entry = entries[i];
          if (entry.forRole !== forRole || entry.schema !== schema || entry.objectType !== objectType || entry.grantee !== grantee || entry.privileges.size === 0) continue;
          for (const privilege of privileges) entry.privileges.delete(privilege);
          if (entry.privileges.size === 0) entries.splice(i, 1);
        }
        const builtin = objectType === 'functions' ? 'EXECUTE' : objectType === 'types' ? 'USAGE' : undefined;
        if (schema === undefined && grantee === 'PUBLIC' && builtin && privileges.includes(builtin)) {
          entries.push({ forRole, schema, objectType, grantee, privileges: new Set() });
        }
      }
    }
  }
}

/** GRANT role TO role / REVOKE role FROM role. */
export function grantOrRevokeRole(state: ReplayState, stmt: GrantRoleStmt): void {
  const granted = (stmt.granted_roles ?? []).map((node) => ('AccessPriv' in node ? node.AccessPriv.priv_name ?? '' : roleSpecName(state, node)));
  for (const node of stmt.grantee_roles ?? []) {
    const member = state.catalog.roles.get(roleSpecName(state, node));
    if (!member) continue;
    for (const role of granted) {
      if (stmt.is_grant && !member.memberOf.includes(role)) member.memberOf.push(role);
      else if (!stmt.is_grant) member.memberOf = member.memberOf.filter((existing) => existing !== role);
    }
    member.origin.changedAt = state.statement.span;
  }
}

function grantTargets(state: ReplayState, stmt: GrantStmt, objectType: DefaultPrivilegeObject): { grants: Grants; origin: Origin }[] {
  const catalog = state.catalog;
  const targets: { grants: Grants; origin: Origin }[] = [];
  if (stmt.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    const schemas = new Set(stringList(stmt.objects));
    if (objectType === 'tables') {
      // ALL TABLES IN SCHEMA covers tables, views, materialized views and foreign tables.
      for (const table of catalog.tables.values()) if (schemas.has(table.schema)) targets.push(table);
      for (const view of catalog.views.values()) if (schemas.has(view.schema)) targets.push(view);
    } else if (objectType === 'sequences') {
      for (const sequence of catalog.sequences.values()) if (schemas.has(sequence.schema)) targets.push(sequence);
    } else if (objectType === 'functions') {
      const kind = stmt.objtype === 'OBJECT_PROCEDURE' ? 'procedure' : stmt.objtype === 'OBJECT_FUNCTION' ? 'function' : undefined;
      for (const func of catalog.functions.values()) if (schemas.has(func.schema) && (!kind || func.kind === kind)) targets.push(func);
    }
    return targets;
  }
  for (const node of stmt.objects ?? []) {
    if (objectType === 'schemas') {
      const schema = catalog.schemas.get('String' in node ? node.String.sval ?? '' : '');
      if (schema) targets.push(schema);
    } else if (objectType === 'functions') {
      const { key, func } = findFunction(state, 'ObjectWithArgs' in node ? node.ObjectWithArgs : undefined);
      if (func) targets.push(func);
      else reportMissing(state, 'function', key);
    } else if (objectType === 'tables' || objectType === 'sequences') {
      const range = 'RangeVar' in node ? node.RangeVar : undefined;
      if (!range?.relname) continue;
      const qualified = resolveRelationName(state, range.schemaname, range.relname);
      // GRANT ... ON TABLE also names views and sequences.
      const target = catalog.tables.get(qualified) ?? catalog.views.get(qualified) ?? catalog.sequences.get(qualified);
      if (target) targets.push(target);
      else if (objectType === 'tables') reportMissing(state, 'table', qualified);
    }
  }
  return targets;
}

function privilegeObjectType(objtype: GrantStmt['objtype']): DefaultPrivilegeObject | undefined {
  switch (objtype) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE':
      return 'tables';
    case 'OBJECT_SEQUENCE':
      return 'sequences';
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE':
      return 'functions';
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN':
      return 'types';
    case 'OBJECT_SCHEMA':
      return 'schemas';
    default:
      return undefined;
  }
}

/**
 * The privileges of a GRANT: ALL expands per object kind. Column privileges (`SELECT (a, b)`)
 * are not modelled and are left out, so a column-only GRANT changes nothing; undefined means
 * the statement grants nothing the model keeps.
 */
function privilegeList(nodes: Node[] | undefined, objectType: DefaultPrivilegeObject): Privilege[] | undefined {
  if (!nodes || nodes.length === 0) return ALL_PRIVILEGES[objectType];
  const privileges: Privilege[] = [];
  for (const node of nodes) {
    if (!('AccessPriv' in node)) continue;
    const access = node.AccessPriv;
    if (access.cols && access.cols.length > 0) continue;
    if (!access.priv_name || access.priv_name === 'all') return ALL_PRIVILEGES[objectType];
    privileges.push(access.priv_name.toUpperCase() as Privilege);
  }
  return privileges.length > 0 ? privileges : undefined;
}
