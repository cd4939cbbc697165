import type { AlterTableStmt, CreatePolicyStmt, CreateStmt, Node } from '@pgsql/types';
import type { Column, PolicyCommand, Table } from '../model';
import { qualifyForCreate, resolveRelation, stringList } from './names';
import type { ReplayState } from './replayState';
import { expressionOf } from './expressions';

/**
 * Applies one parsed statement to the catalog, as PostgreSQL would apply it to a database.
 * Statements that change nothing pgreview models (SELECT, INSERT, ...) are ignored.
 */
export function replayStatement(state: ReplayState): void {
  const node = state.statement.node as Record<string, unknown>;
  switch (state.statement.kind) {
    case 'CreateStmt':
      return createTable(state, node.CreateStmt as CreateStmt);
    case 'AlterTableStmt':
      return alterTable(state, node.AlterTableStmt as AlterTableStmt);
    case 'CreatePolicyStmt':
      return createPolicy(state, node.CreatePolicyStmt as CreatePolicyStmt);
    case 'DoStmt':
      state.problems.push({
        rule: 'dynamic_sql_not_replayed',
        message: 'Not replayed: dynamic SQL (a DO block). Objects it creates or changes are unknown to pgreview.',
        span: state.statement.span,
      });
      return;
    default:
      return;
  }
}

function createTable(state: ReplayState, stmt: CreateStmt): void {
  if (!stmt.relation) return;
  const qualified = qualifyForCreate(state, stmt.relation);
  if (state.catalog.tables.has(qualified) && stmt.if_not_exists) return;
  const [schema, name] = splitQualified(qualified);
  const origin = { definedAt: state.statement.span };
  const table: Table = {
    schema,
    name,
    kind: 'table',
    owner: state.currentRole,
    columns: new Map(),
    constraints: new Map(),
    indexes: new Map(),
    policies: new Map(),
    triggers: new Map(),
    rlsEnabled: false,
    rlsForced: false,
    grants: new Map(),
    platform: false,
    origin,
  };
  for (const element of stmt.tableElts ?? []) {
    if ('ColumnDef' in element) {
      const def = element.ColumnDef;
      const column: Column = {
        name: def.colname ?? '',
        type: stringList(def.typeName?.names).filter((part) => part !== 'pg_catalog').join('.'),
        notNull: false,
        origin,
      };
      table.columns.set(column.name, column);
    }
  }
  state.catalog.tables.set(qualified, table);
}

function alterTable(state: ReplayState, stmt: AlterTableStmt): void {
  if (!stmt.relation) return;
  const table = state.catalog.tables.get(resolveRelation(state, stmt.relation));
  if (!table) return;
  for (const command of stmt.cmds ?? []) {
    if (!('AlterTableCmd' in command)) continue;
    switch (command.AlterTableCmd.subtype) {
      case 'AT_EnableRowSecurity':
        table.rlsEnabled = true;
        table.rlsChangedAt = state.statement.span;
        break;
      case 'AT_DisableRowSecurity':
        table.rlsEnabled = false;
        table.rlsChangedAt = state.statement.span;
        break;
      default:
        break;
    }
  }
  table.origin.changedAt = state.statement.span;
}

function createPolicy(state: ReplayState, stmt: CreatePolicyStmt): void {
  if (!stmt.table || !stmt.policy_name) return;
  const tableName = resolveRelation(state, stmt.table);
  const table = state.catalog.tables.get(tableName);
  if (!table) return;
  table.policies.set(stmt.policy_name, {
    name: stmt.policy_name,
    table: tableName,
    command: (stmt.cmd_name ?? 'all') as PolicyCommand,
    permissive: stmt.permissive ?? false,
    roles: (stmt.roles ?? []).map(roleName),
    using: expressionOf(state, stmt.qual),
    withCheck: expressionOf(state, stmt.with_check),
    origin: { definedAt: state.statement.span },
  });
}

function roleName(node: Node): string {
  if (!('RoleSpec' in node)) return '';
  const spec = node.RoleSpec;
  if (spec.roletype === 'ROLESPEC_PUBLIC') return 'public';
  if (spec.roletype === 'ROLESPEC_CURRENT_USER' || spec.roletype === 'ROLESPEC_SESSION_USER') return 'current_user';
  return spec.rolename ?? '';
}

function splitQualified(qualified: string): [string, string] {
  const dot = qualified.indexOf('.');
  return [qualified.slice(0, dot), qualified.slice(dot + 1)];
}
