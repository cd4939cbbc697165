/** GRANT / REVOKE on objects and columns, ALTER DEFAULT PRIVILEGES, and GRANT / REVOKE role membership. */
import type { AlterDefaultPrivilegesStmt, GrantRoleStmt, GrantStmt, Node } from '@pgsql/types';
import { isView, type DefaultPrivilegeObject, type Grants, type Origin, type Privilege, type Table, type View } from '../model';
import { columnAcls, grant, revoke } from '../privileges';
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

/**
 * GRANT / REVOKE privileges ON objects (or ON ALL ... IN SCHEMA) TO / FROM roles. Column
 * privileges (`select (id, username)`) go to the columns of the table, view or materialized view.
 * As in PostgreSQL, a relation-level REVOKE also takes that privilege off every column of the
 * relation, while a relation-level GRANT leaves the columns' own privileges as they are.
 */
export function grantOrRevoke(state: ReplayState, stmt: GrantStmt): void {
  const objectType = privilegeObjectType(stmt.objtype);
  if (!objectType) return;
  const { privileges, columnPrivileges } = privilegeList(stmt.privileges, objectType);
  if (privileges.length === 0 && columnPrivileges.length === 0) return;
  const grantees = (stmt.grantees ?? []).map((node) => roleSpecName(state, node));
  // `grant select (id) on all tables in schema` names columns some tables lack: not a mistake there.
  const reportMissingColumns = stmt.targtype !== 'ACL_TARGET_ALL_IN_SCHEMA';
  for (const { holder, relation } of grantTargets(state, stmt, objectType)) {
    for (const grantee of grantees) {
      if (privileges.length > 0) {
        if (stmt.is_grant) grant(holder.grants, grantee, privileges);
        else revoke(holder.grants, grantee, privileges);
        if (relation && !stmt.is_grant) revokeFromColumns(state, relation, columnAcls(relation).map(([name]) => name), grantee, privileges, false);
      }
      if (!relation) continue;
      for (const { privilege, columns } of columnPrivileges) {
        if (stmt.is_grant) grantToColumns(state, relation, columns, grantee, privilege, reportMissingColumns);
        else revokeFromColumns(state, relation, columns, grantee, [privilege], reportMissingColumns);
      }
    }
    markChanged(state, holder);
  }
}

/** GRANT privilege (columns): a column that does not exist fails the statement in PostgreSQL. */
function grantToColumns(state: ReplayState, relation: Table | View, columns: string[], grantee: string, privilege: Privilege, reportMissingColumns: boolean): void {
  for (const name of columns) {
    const acl = findColumnAcl(state, relation, name, reportMissingColumns);
    if (!acl) continue;
    const grants = acl.grants ?? new Map();
    grant(grants, grantee, [privilege]);
    acl.set(grants);
    markChanged(state, acl.changes);
  }
}

/** Takes privileges off columns: those a statement names, or all of a relation's for a relation-level REVOKE. */
function revokeFromColumns(state: ReplayState, relation: Table | View, columns: string[], grantee: string, privileges: Privilege[], reportMissingColumns: boolean): void {
  for (const name of columns) {
    const acl = findColumnAcl(state, relation, name, reportMissingColumns);
    const held = acl?.grants?.get(grantee);
    if (!acl?.grants || !held || !privileges.some((privilege) => held.has(privilege))) continue;
    revoke(acl.grants, grantee, privileges);
    if (acl.grants.size === 0) acl.set(undefined);
    markChanged(state, acl.changes);
  }
}

/**
 * Where one column's privileges live: a table column's `grants`, or the view's `columnGrants`
 * entry (a view's columns have no origin, so the view records the change).
 */
interface ColumnAcl {
  grants: Grants | undefined;
  /** Stores the column's ACL, or removes it (undefined) when it is empty. */
  set(grants: Grants | undefined): void;
  changes: { origin: Origin };
}

function findColumnAcl(state: ReplayState, relation: Table | View, name: string, reportIfMissing: boolean): ColumnAcl | undefined {
  let acl: ColumnAcl | undefined;
  if (isView(relation)) {
    // A view's column list is read from its SELECT and misses what that cannot name (casts,
    // coalesce(...), UNION, `*` over a view): a grant on a column it lacks is kept, not reported.
    acl = {
      grants: relation.columnGrants?.get(name),
      set(grants) {
        if (grants) (relation.columnGrants ??= new Map()).set(name, grants);
        else if (relation.columnGrants?.delete(name) && relation.columnGrants.size === 0) delete relation.columnGrants;
      },
      changes: relation,
    };
  } else {
    const column = relation.columns.get(name);
    if (column) {
      acl = {
        grants: column.grants,
        set(grants) {
          if (grants) column.grants = grants;
          else delete column.grants;
        },
        changes: column,
      };
    }
  }
  if (!acl && reportIfMissing && !relation.platform) reportMissing(state, 'column', `${relation.schema}.${relation.name}.${name}`);
  return acl;
}

/** ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT / REVOKE ... ON TABLES | SEQUENCES | FUNCTIONS | TYPES | SCHEMAS. */
export function alterDefaultPrivileges(state: ReplayState, stmt: AlterDefaultPrivilegesStmt): void {
  const action = stmt.action;
  const objectType = action ? privilegeObjectType(action.objtype) : undefined;
  if (!action || !objectType) return;
  // Default privileges have no column form.
  const { privileges } = privilegeList(action.privileges, objectType);
  if (privileges.length === 0) return;
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

/** What a GRANT acts on: the object holding the grants, and the relation when it is one (for column privileges). */
interface GrantTarget {
  holder: { grants: Grants; origin: Origin };
  relation?: Table | View;
}

function grantTargets(state: ReplayState, stmt: GrantStmt, objectType: DefaultPrivilegeObject): GrantTarget[] {
  const catalog = state.catalog;
  const targets: GrantTarget[] = [];
  if (stmt.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    const schemas = new Set(stringList(stmt.objects));
    if (objectType === 'tables') {
      // ALL TABLES IN SCHEMA covers tables, views, materialized views and foreign tables.
      for (const table of catalog.tables.values()) if (schemas.has(table.schema)) targets.push({ holder: table, relation: table });
      for (const view of catalog.views.values()) if (schemas.has(view.schema)) targets.push({ holder: view, relation: view });
    } else if (objectType === 'sequences') {
      for (const sequence of catalog.sequences.values()) if (schemas.has(sequence.schema)) targets.push({ holder: sequence });
    } else if (objectType === 'functions') {
      const kind = stmt.objtype === 'OBJECT_PROCEDURE' ? 'procedure' : stmt.objtype === 'OBJECT_FUNCTION' ? 'function' : undefined;
      for (const func of catalog.functions.values()) if (schemas.has(func.schema) && (!kind || func.kind === kind)) targets.push({ holder: func });
    }
    return targets;
  }
  for (const node of stmt.objects ?? []) {
    if (objectType === 'schemas') {
      const schema = catalog.schemas.get('String' in node ? node.String.sval ?? '' : '');
      if (schema) targets.push({ holder: schema });
    } else if (objectType === 'functions') {
      const { key, func } = findFunction(state, 'ObjectWithArgs' in node ? node.ObjectWithArgs : undefined);
      if (func) targets.push({ holder: func });
      else reportMissing(state, 'function', key);
    } else if (objectType === 'tables' || objectType === 'sequences') {
      const range = 'RangeVar' in node ? node.RangeVar : undefined;
      if (!range?.relname) continue;
      const qualified = resolveRelationName(state, range.schemaname, range.relname);
      // GRANT ... ON TABLE also names views and sequences.
      const relation = catalog.tables.get(qualified) ?? catalog.views.get(qualified);
      const target = relation ?? catalog.sequences.get(qualified);
      if (target) targets.push({ holder: target, relation });
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

/** What ALL (columns) means: the privileges a column can hold (PostgreSQL's ACL_ALL_RIGHTS_COLUMN). */
const COLUMN_PRIVILEGES: Privilege[] = ['SELECT', 'INSERT', 'UPDATE', 'REFERENCES'];

/**
 * The privileges of a GRANT: the object-level ones (ALL expands per object kind) and the column
 * privileges (`select (id, username)`, `all (role)`), one entry per privilege. Both are empty when
 * the statement grants nothing the model keeps.
 */
function privilegeList(nodes: Node[] | undefined, objectType: DefaultPrivilegeObject): { privileges: Privilege[]; columnPrivileges: { privilege: Privilege; columns: string[] }[] } {
  if (!nodes || nodes.length === 0) return { privileges: ALL_PRIVILEGES[objectType], columnPrivileges: [] };
  const privileges: Privilege[] = [];
  const columnPrivileges: { privilege: Privilege; columns: string[] }[] = [];
  for (const node of nodes) {
    if (!('AccessPriv' in node)) continue;
    const access = node.AccessPriv;
    if (access.cols && access.cols.length > 0) {
      const columns = stringList(access.cols);
      const named = access.priv_name && access.priv_name !== 'all' ? [access.priv_name.toUpperCase() as Privilege] : COLUMN_PRIVILEGES;
      for (const privilege of named) columnPrivileges.push({ privilege, columns });
      continue;
    }
    if (!access.priv_name || access.priv_name === 'all') return { privileges: ALL_PRIVILEGES[objectType], columnPrivileges };
    privileges.push(access.priv_name.toUpperCase() as Privilege);
  }
  return { privileges, columnPrivileges };
}
