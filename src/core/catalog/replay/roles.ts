/** CREATE ROLE / USER and ALTER ROLE attributes. */
import type { AlterRoleStmt, CreateRoleStmt, Node } from '@pgsql/types';
import type { Role } from '../model';
import { roleSpecName } from './names';
import { markChanged, originHere } from './relations';
import type { ReplayState } from './replayState';

/** CREATE ROLE name [WITH] LOGIN | BYPASSRLS | SUPERUSER | [NO]INHERIT | IN ROLE ...; CREATE USER implies LOGIN. */
export function createRole(state: ReplayState, stmt: CreateRoleStmt): void {
  const name = stmt.role;
  if (!name || state.catalog.roles.has(name)) return;
  const role: Role = {
    name,
    login: stmt.stmt_type === 'ROLESTMT_USER',
    bypassRls: false,
    superuser: false,
    inherit: true,
    memberOf: [],
    platform: false,
    origin: originHere(state),
  };
  applyRoleOptions(state, role, stmt.options);
  state.catalog.roles.set(name, role);
}

/** ALTER ROLE name WITH attributes. */
export function alterRole(state: ReplayState, stmt: AlterRoleStmt): void {
  const role = state.catalog.roles.get(roleSpecName(state, stmt.role));
  if (!role) return;
  applyRoleOptions(state, role, stmt.options);
  markChanged(state, role);
}

function applyRoleOptions(state: ReplayState, role: Role, options: Node[] | undefined): void {
  for (const node of options ?? []) {
    if (!('DefElem' in node)) continue;
    const arg = node.DefElem.arg;
    const enabled = !arg || ('Boolean' in arg ? Boolean(arg.Boolean.boolval) : 'Integer' in arg ? (arg.Integer.ival ?? 0) !== 0 : true);
    switch (node.DefElem.defname) {
      case 'canlogin': role.login = enabled; break;
      case 'bypassrls': role.bypassRls = enabled; break;
      case 'superuser': role.superuser = enabled; break;
      case 'inherit': role.inherit = enabled; break;
      case 'addroleto': {
        // IN ROLE parents: the new role becomes a member of each.
        const items = arg && 'List' in arg ? arg.List.items ?? [] : [];
        for (const item of items) role.memberOf.push(roleSpecName(state, item));
        break;
      }
      default: break;
    }
  }
}
