/**
 * Applies one parsed statement to the catalog, as PostgreSQL would apply it to a database. Each
 * statement family lives in its own module; this file only dispatches. Statements that change
 * nothing pgreview models (INSERT, UPDATE, SELECT, ...) are ignored. Every step is a constant
 * amount of work per statement apart from RENAME / DROP ... CASCADE, which walk the catalog once.
 */
import type { Node } from '@pgsql/types';
import { alterTable } from './alterTable';
import { commentOn } from './comments';
import { replayCronCalls } from './cronJobs';
import { replayDoBlock } from './doBlocks';
import { dropObjects, dropRoles } from './drops';
import { alterExtension, createExtension } from './extensions';
import { alterFunction, createFunction } from './functions';
import { alterDefaultPrivileges, grantOrRevoke, grantOrRevokeRole } from './grants';
import { createIndex } from './indexes';
import { alterOwner } from './owners';
import { alterPolicy, createPolicy } from './policies';
import { renameObject, setObjectSchema } from './renames';
import type { ReplayState } from './replayState';
import { alterRole, createRole } from './roles';
import { createSchema } from './schemas';
import { alterSequence, createSequence } from './sequences';
import { applySetConfigCall, setVariable } from './session';
import { createTable, createTableAs } from './tables';
import { createTrigger } from './triggers';
import { alterDomain, alterEnum, createCompositeType, createDomain, createEnum, createRangeType } from './types';
import { createMaterializedView, createView } from './views';

/** The node types a statement can be: `CreateStmt`, `GrantStmt`, ... */
type NodeKind = Node extends infer Each ? (Each extends unknown ? keyof Each : never) : never;

/** The payload of a node of type `K`: `NodeOf<'CreateStmt'>` is `CreateStmt`. */
type NodeOf<K extends NodeKind> = Extract<Node, Record<K, unknown>>[K];

type Handlers = { [K in NodeKind]?: (state: ReplayState, stmt: NodeOf<K>) => void };

/**
 * What each statement type does. A statement is looked up by its type (`ParsedStatement.kind`)
 * instead of testing `'CreateStmt' in node` down a list of 35 types: a cold replay runs this for
 * every statement, before the JIT has made those tests cheap.
 */
const HANDLER_LIST: Handlers = {
  CreateStmt: createTable,
  CreateForeignTableStmt: (state, stmt) => (stmt.base ? createTable(state, stmt.base, 'foreign') : undefined),
  AlterTableStmt: alterTable,
  CreateTableAsStmt: (state, stmt) => (stmt.objtype === 'OBJECT_MATVIEW' ? createMaterializedView(state, stmt) : createTableAs(state, stmt)),
  IndexStmt: createIndex,
  CreatePolicyStmt: createPolicy,
  AlterPolicyStmt: alterPolicy,
  CreateFunctionStmt: createFunction,
  AlterFunctionStmt: alterFunction,
  ViewStmt: createView,
  CreateTrigStmt: createTrigger,
  GrantStmt: grantOrRevoke,
  GrantRoleStmt: grantOrRevokeRole,
  AlterDefaultPrivilegesStmt: alterDefaultPrivileges,
  DropStmt: dropObjects,
  RenameStmt: renameObject,
  AlterObjectSchemaStmt: setObjectSchema,
  AlterOwnerStmt: alterOwner,
  CommentStmt: commentOn,
  CreateSchemaStmt: createSchema,
  CreateExtensionStmt: createExtension,
  AlterExtensionStmt: alterExtension,
  CreateSeqStmt: createSequence,
  AlterSeqStmt: alterSequence,
  CreateEnumStmt: createEnum,
  AlterEnumStmt: alterEnum,
  CompositeTypeStmt: createCompositeType,
  CreateDomainStmt: createDomain,
  AlterDomainStmt: alterDomain,
  CreateRangeStmt: createRangeType,
  CreateRoleStmt: createRole,
  AlterRoleStmt: alterRole,
  DropRoleStmt: dropRoles,
  VariableSetStmt: setVariable,
  SelectStmt: (state, stmt) => {
    if (state.statement.text.includes('set_config')) applySetConfigCall(state, state.statement.node);
    if (state.statement.text.includes('cron')) replayCronCalls(state, stmt);
  },
  DoStmt: (state, stmt) => replayDoBlock(state, stmt, replayStatement),
};

const HANDLERS = new Map(Object.entries(HANDLER_LIST) as [string, (state: ReplayState, stmt: unknown) => void][]);

/** Applies the current statement of `state` to `state.catalog`. */
export function replayStatement(state: ReplayState): void {
  const { node, kind } = state.statement;
  const handler = HANDLERS.get(kind);
  if (handler) handler(state, (node as Record<string, unknown>)[kind]);
}
