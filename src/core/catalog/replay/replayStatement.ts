/**
 * Applies one parsed statement to the catalog, as PostgreSQL would apply it to a database. Each
 * statement family lives in its own module; this file only dispatches. Statements that change
 * nothing pgreview models (INSERT, UPDATE, SELECT, ...) are ignored. Every step is a constant
 * amount of work per statement apart from RENAME / DROP ... CASCADE, which walk the catalog once.
 */
import { alterTable } from './alterTable';
import { commentOn } from './comments';
import { dropObjects, dropRoles } from './drops';
import { alterExtension, createExtension } from './extensions';
import { alterFunction, createFunction } from './functions';
import { alterDefaultPrivileges, grantOrRevoke, grantOrRevokeRole } from './grants';
import { createIndex } from './indexes';
import { alterOwner } from './owners';
import { alterPolicy, createPolicy } from './policies';
import { renameObject, setObjectSchema } from './renames';
import { replayMemoryOf } from './replayMemory';
import type { ReplayState } from './replayState';
import { alterRole, createRole } from './roles';
import { createSchema } from './schemas';
import { alterSequence, createSequence } from './sequences';
import { applySetConfigCall, setVariable } from './session';
import { createTable, createTableAs } from './tables';
import { createTrigger } from './triggers';
import { alterEnum, createCompositeType, createDomain, createEnum, createRangeType } from './types';
import { createMaterializedView, createView } from './views';

/** Applies the current statement of `state` to `state.catalog`. */
export function replayStatement(state: ReplayState): void {
  const node = state.statement.node;
  if ('CreateStmt' in node) return createTable(state, node.CreateStmt);
  if ('CreateForeignTableStmt' in node) return node.CreateForeignTableStmt.base ? createTable(state, node.CreateForeignTableStmt.base, 'foreign') : undefined;
  if ('AlterTableStmt' in node) return alterTable(state, node.AlterTableStmt);
  if ('CreateTableAsStmt' in node) {
    const stmt = node.CreateTableAsStmt;
    return stmt.objtype === 'OBJECT_MATVIEW' ? createMaterializedView(state, stmt) : createTableAs(state, stmt);
  }
  if ('IndexStmt' in node) return createIndex(state, node.IndexStmt);
  if ('CreatePolicyStmt' in node) return createPolicy(state, node.CreatePolicyStmt);
  if ('AlterPolicyStmt' in node) return alterPolicy(state, node.AlterPolicyStmt);
  if ('CreateFunctionStmt' in node) return createFunction(state, node.CreateFunctionStmt);
  if ('AlterFunctionStmt' in node) return alterFunction(state, node.AlterFunctionStmt);
  if ('ViewStmt' in node) return createView(state, node.ViewStmt);
  if ('CreateTrigStmt' in node) return createTrigger(state, node.CreateTrigStmt);
  if ('GrantStmt' in node) return grantOrRevoke(state, node.GrantStmt);
  if ('GrantRoleStmt' in node) return grantOrRevokeRole(state, node.GrantRoleStmt);
  if ('AlterDefaultPrivilegesStmt' in node) return alterDefaultPrivileges(state, node.AlterDefaultPrivilegesStmt);
  if ('DropStmt' in node) return dropObjects(state, node.DropStmt);
  if ('RenameStmt' in node) return renameObject(state, node.RenameStmt);
  if ('AlterObjectSchemaStmt' in node) return setObjectSchema(state, node.AlterObjectSchemaStmt);
  if ('AlterOwnerStmt' in node) return alterOwner(state, node.AlterOwnerStmt);
  if ('CommentStmt' in node) return commentOn(state, node.CommentStmt);
  if ('CreateSchemaStmt' in node) return createSchema(state, node.CreateSchemaStmt);
  if ('CreateExtensionStmt' in node) return createExtension(state, node.CreateExtensionStmt);
  if ('AlterExtensionStmt' in node) return alterExtension(state, node.AlterExtensionStmt);
  if ('CreateSeqStmt' in node) return createSequence(state, node.CreateSeqStmt);
  if ('AlterSeqStmt' in node) return alterSequence(state, node.AlterSeqStmt);
  if ('CreateEnumStmt' in node) return createEnum(state, node.CreateEnumStmt);
  if ('AlterEnumStmt' in node) return alterEnum(state, node.AlterEnumStmt);
  if ('CompositeTypeStmt' in node) return createCompositeType(state, node.CompositeTypeStmt);
  if ('CreateDomainStmt' in node) return createDomain(state, node.CreateDomainStmt);
  if ('CreateRangeStmt' in node) return createRangeType(state, node.CreateRangeStmt);
  if ('CreateRoleStmt' in node) return createRole(state, node.CreateRoleStmt);
  if ('AlterRoleStmt' in node) return alterRole(state, node.AlterRoleStmt);
  if ('DropRoleStmt' in node) return dropRoles(state, node.DropRoleStmt);
  if ('VariableSetStmt' in node) return setVariable(state, node.VariableSetStmt);
  if ('SelectStmt' in node) {
    if (state.statement.text.includes('set_config')) applySetConfigCall(state, node);
    return;
  }
  if ('DoStmt' in node) {
    replayMemoryOf(state.catalog).sawDynamicSql = true;
    state.problems.push({
      rule: 'dynamic_sql_not_replayed',
      message: 'Not replayed: dynamic SQL (a DO block). Objects it creates or changes are unknown to pgreview.',
      span: state.statement.span,
    });
  }
}
