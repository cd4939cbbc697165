/**
 * ALTER TABLE (and ALTER VIEW / MATERIALIZED VIEW / SEQUENCE / INDEX / FOREIGN TABLE, which share
 * its statement): columns, constraints, RLS, owner, partitions, triggers, view options.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Node } from '@pgsql/types';
import { objectKey, type Table } from '../model';
import { expressionAfter } from './expressions';
import { resolveRelation, roleSpecName, typeText } from './names';
import { setRowSecurity } from './policies';
import { recordDropped, reportMissing } from './references';
import { createOwnedSequence, markChanged, unregisterIndex } from './relations';
import type { ReplayState } from './replayState';
import { addColumn, addConstraint, clauseSpan, foldRedundantIndexConstraints, type QueuedConstraint } from './tables';
import { applyViewOptions } from './views';

/** Keywords that end an expression inside an ALTER TABLE command list. */
const NO_STOP_KEYWORDS: ReadonlySet<string> = new Set();

/** ALTER TABLE and its siblings. */
export function alterTable(state: ReplayState, stmt: AlterTableStmt): void {
  if (!stmt.relation) return;
  const ifExists = Boolean(stmt.missing_ok);
  switch (stmt.objtype) {
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
      return alterView(state, stmt);
    case 'OBJECT_SEQUENCE':
      return alterSequenceOwner(state, stmt);
    case 'OBJECT_INDEX':
      return;
    default:
      break;
  }
  const qualified = resolveRelation(state, stmt.relation);
  const table = state.catalog.tables.get(qualified);
  if (!table) {
    // ALTER TABLE also works on views (OWNER TO, SET (...)), as in PostgreSQL.
    if (state.catalog.views.has(qualified)) alterView(state, stmt);
    else reportMissing(state, 'table', qualified, ifExists);
    return;
  }
  // Commands carry no locations; expressions are found by scanning forward from the previous one.
  let cursor = 0;
  for (const node of stmt.cmds ?? []) {
    if (!('AlterTableCmd' in node)) continue;
    cursor = applyCommand(state, table, node.AlterTableCmd, cursor);
  }
  markChanged(state, table);
}

function applyCommand(state: ReplayState, table: Table, command: AlterTableCmd, cursor: number): number {
  const qualified = `${table.schema}.${table.name}`;
  const column = command.name ? table.columns.get(command.name) : undefined;
  const needColumn = (): boolean => {
    if (column) return true;
    if (!table.platform) reportMissing(state, 'column', `${qualified}.${command.name}`, command.missing_ok);
    return false;
  };
  switch (command.subtype) {
    case 'AT_AddColumn': {
      const def = command.def && 'ColumnDef' in command.def ? command.def.ColumnDef : undefined;
      if (!def?.colname || (table.columns.has(def.colname) && command.missing_ok)) return cursor;
      const constraints: QueuedConstraint[] = [];
      addColumn(state, table, def, constraints);
      for (const constraint of foldRedundantIndexConstraints(constraints)) addConstraint(state, table, constraint.node, constraint);
      return cursor;
    }
    case 'AT_DropColumn':
      if (!needColumn()) return cursor;
      dropColumn(state, table, command.name!);
      return cursor;
    case 'AT_ColumnDefault': {
      if (!needColumn()) return cursor;
      if (!command.def) {
        column!.default = undefined;
        markChanged(state, column!);
        return cursor;
      }
      const found = expressionAfter(state, command.def, cursor, ['set', 'default'], NO_STOP_KEYWORDS);
      column!.default = found.expression;
      markChanged(state, column!);
      return found.next;
    }
    case 'AT_SetNotNull':
    case 'AT_DropNotNull':
      if (!needColumn()) return cursor;
      column!.notNull = command.subtype === 'AT_SetNotNull';
      markChanged(state, column!);
      return cursor;
    case 'AT_AlterColumnType': {
      if (!needColumn()) return cursor;
      const def: ColumnDef | undefined = command.def && 'ColumnDef' in command.def ? command.def.ColumnDef : undefined;
      if (def?.typeName) {
        column!.type = typeText(state, def.typeName);
        // Findings about the type go on this command now: `status type text using ...`.
        const clauseAt = clauseSpan(state, def.location, undefined);
        if (clauseAt) column!.clauseAt = clauseAt;
        else delete column!.clauseAt;
      }
      markChanged(state, column!);
      return cursor;
    }
    case 'AT_AddIdentity':
      if (!needColumn()) return cursor;
      column!.identity = identityOf(command.def);
      column!.notNull = true;
      createOwnedSequence(state, table, column!.name, command.def && 'Constraint' in command.def ? command.def.Constraint.options : undefined);
      return cursor;
    case 'AT_DropIdentity':
      if (column) column.identity = undefined;
      return cursor;
    case 'AT_SetExpression':
    case 'AT_DropExpression':
      if (column && command.subtype === 'AT_DropExpression') column.generated = undefined;
      return cursor;
    case 'AT_AddConstraint':
    case 'AT_AddIndexConstraint': {
      const def = command.def && 'Constraint' in command.def ? command.def.Constraint : undefined;
      if (!def) return cursor;
      if (def.conname && table.constraints.has(def.conname)) return cursor;
      addConstraint(state, table, def);
      return cursor;
    }
    case 'AT_ValidateConstraint': {
      const constraint = table.constraints.get(command.name ?? '');
      if (constraint) {
        constraint.validated = true;
        markChanged(state, constraint);
      }
      return cursor;
    }
    case 'AT_DropConstraint': {
      const name = command.name ?? '';
      if (!table.constraints.has(name)) return cursor;
      dropConstraint(state, table, name);
      return cursor;
    }
    case 'AT_EnableRowSecurity':
    case 'AT_DisableRowSecurity':
    case 'AT_ForceRowSecurity':
    case 'AT_NoForceRowSecurity':
      setRowSecurity(state, table, command.subtype);
      return cursor;
    case 'AT_ChangeOwner':
      table.owner = roleSpecName(state, command.newowner);
      return cursor;
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_DisableTrig': {
      const trigger = table.triggers.get(command.name ?? '');
      if (trigger) trigger.enabled = command.subtype !== 'AT_DisableTrig';
      return cursor;
    }
    case 'AT_EnableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrigAll':
    case 'AT_DisableTrigUser':
      for (const trigger of table.triggers.values()) trigger.enabled = command.subtype.startsWith('AT_Enable');
      return cursor;
    case 'AT_AttachPartition': {
      const partition = command.def && 'PartitionCmd' in command.def ? command.def.PartitionCmd.name : undefined;
      if (!partition) return cursor;
      const child = state.catalog.tables.get(resolveRelation(state, partition));
      if (child) child.partitionOf = qualified;
      else reportMissing(state, 'table', resolveRelation(state, partition));
      return cursor;
    }
    case 'AT_DetachPartition': {
      const partition = command.def && 'PartitionCmd' in command.def ? command.def.PartitionCmd.name : undefined;
      const child = partition ? state.catalog.tables.get(resolveRelation(state, partition)) : undefined;
      if (child) child.partitionOf = undefined;
      return cursor;
    }
    case 'AT_AddInherit': {
      const parent = command.def && 'RangeVar' in command.def ? resolveRelation(state, command.def.RangeVar) : undefined;
      if (parent) table.partitionOf = parent;
      return cursor;
    }
    case 'AT_DropInherit':
      table.partitionOf = undefined;
      return cursor;
    default:
      return cursor;
  }
}

/**
 * DROP COLUMN: PostgreSQL also drops the indexes and constraints that use the column (and, with
 * CASCADE, other objects such as views; the replay keeps views, which only name their sources).
 */
export function dropColumn(state: ReplayState, table: Table, name: string): void {
  const qualified = `${table.schema}.${table.name}`;
  table.columns.delete(name);
  recordDropped(state, objectKey.column(qualified, name));
  for (const constraint of [...table.constraints.values()]) {
    if (constraint.columns.includes(name)) dropConstraint(state, table, constraint.name);
  }
  for (const index of [...table.indexes.values()]) {
    if (index.keys.some((key) => key.column === name) || index.include.includes(name)) unregisterIndex(state, table, index.name);
  }
  for (const [sequenceName, sequence] of state.catalog.sequences) {
    if (sequence.ownedBy === `${qualified}.${name}`) state.catalog.sequences.delete(sequenceName);
  }
}

/** DROP CONSTRAINT, with the index of a primary key or unique constraint. */
function dropConstraint(state: ReplayState, table: Table, name: string): void {
  table.constraints.delete(name);
  const index = table.indexes.get(name);
  if (index?.constraint === name) unregisterIndex(state, table, name);
}

function alterView(state: ReplayState, stmt: AlterTableStmt): void {
  const view = state.catalog.views.get(resolveRelation(state, stmt.relation!));
  if (!view) return;
  for (const node of stmt.cmds ?? []) {
    if (!('AlterTableCmd' in node)) continue;
    const command = node.AlterTableCmd;
    if (command.subtype === 'AT_ChangeOwner') view.owner = roleSpecName(state, command.newowner);
    else if (command.subtype === 'AT_SetRelOptions' || command.subtype === 'AT_ResetRelOptions') {
      applyViewOptions(view, listOf(command.def), command.subtype === 'AT_ResetRelOptions');
    }
  }
  markChanged(state, view);
}

function alterSequenceOwner(state: ReplayState, stmt: AlterTableStmt): void {
  // Sequences have no owner field in the model; the statement is recorded as a change.
  const sequence = state.catalog.sequences.get(resolveRelation(state, stmt.relation!));
  if (sequence) markChanged(state, sequence);
}

function identityOf(def: Node | undefined): 'always' | 'by default' {
  return def && 'Constraint' in def && def.Constraint.generated_when === 'a' ? 'always' : 'by default';
}

function listOf(node: Node | undefined): Node[] {
  return node && 'List' in node ? node.List.items ?? [] : [];
}
