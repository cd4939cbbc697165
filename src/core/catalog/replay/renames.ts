/**
 * RENAME and SET SCHEMA. An object's key changes, so everything that names it is updated too:
 * a table's policies, indexes and triggers, foreign keys in other tables, views that read it,
 * the sequences it owns; the columns, attributes, domains and function signatures that use a
 * type (a table's or view's row type too), and the triggers of a re-keyed function. Later
 * statements then find it under its new name, and a statement using the old name is a
 * reference to a missing object.
 */
import type { AlterObjectSchemaStmt, Node, RenameStmt } from '@pgsql/types';
import { tablesToChange } from '../cloneCatalog';
import { extensionFixedSchema } from '../extensionFixedSchema';
import { objectKey, type Column, type Table, type TypeDef, type View } from '../model';
import { rekeyFunction } from './functions';
import { findFunction, resolveIndexName, resolveRelation, resolveTypeName, stringList } from './names';
import { recordCreated, recordDropped, reportMissing } from './references';
import { markChanged, registerIndex, unregisterIndex } from './relations';
import { replayMemoryOf } from './replayMemory';
import type { ReplayState } from './replayState';
import { renameTypeReferences } from './typeReferences';
import { renameDomainConstraint } from './types';

/** ALTER ... RENAME TO / RENAME COLUMN / RENAME CONSTRAINT. */
export function renameObject(state: ReplayState, stmt: RenameStmt): void {
  const newName = stmt.newname ?? '';
  const ifExists = Boolean(stmt.missing_ok);
  const catalog = state.catalog;
  switch (stmt.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_FOREIGN_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_SEQUENCE': {
      if (!stmt.relation) return;
      const qualified = resolveRelation(state, stmt.relation);
      const schema = qualified.slice(0, qualified.indexOf('.'));
      if (catalog.tables.has(qualified)) moveTable(state, qualified, schema, newName);
      else if (catalog.views.has(qualified)) moveView(state, qualified, schema, newName);
      else if (catalog.sequences.has(qualified)) moveSequence(state, qualified, schema, newName);
      else reportMissing(state, 'table', qualified, ifExists);
      return;
    }
    case 'OBJECT_COLUMN': {
      if (!stmt.relation) return;
      const qualified = resolveRelation(state, stmt.relation);
      const table = catalog.tables.get(qualified);
      const view = catalog.views.get(qualified);
      if (view) {
        view.columns = view.columns.map((column) => (column === stmt.subname ? newName : column));
        const grants = view.columnGrants?.get(stmt.subname ?? '');
        if (grants && view.columnGrants) {
          view.columnGrants.delete(stmt.subname ?? '');
          view.columnGrants.set(newName, grants);
        }
        return markChanged(state, view);
      }
      if (!table) return reportMissing(state, 'table', qualified, ifExists);
      if (!table.columns.has(stmt.subname ?? '')) return table.platform ? undefined : reportMissing(state, 'column', `${qualified}.${stmt.subname}`, ifExists);
      renameColumn(state, table, stmt.subname!, newName);
      return markChanged(state, table);
    }
    case 'OBJECT_TABCONSTRAINT': {
      const table = stmt.relation ? catalog.tables.get(resolveRelation(state, stmt.relation)) : undefined;
      const constraint = table?.constraints.get(stmt.subname ?? '');
      if (!table || !constraint) return;
      table.constraints.delete(constraint.name);
      const index = table.indexes.get(constraint.name);
      constraint.name = newName;
      table.constraints.set(newName, constraint);
      // Renaming a primary key or unique constraint renames its index too.
      if (index?.constraint) renameIndexOn(state, table, index.name, newName);
      markChanged(state, constraint);
      return markChanged(state, table);
    }
    case 'OBJECT_INDEX': {
      if (!stmt.relation) return;
      const owners = replayMemoryOf(catalog).indexOwners;
      const qualified = resolveIndexName(state, stmt.relation.schemaname, stmt.relation.relname ?? '', owners);
      const ownerName = owners.get(qualified);
      const owner = ownerName ? catalog.tables.get(ownerName) ?? catalog.views.get(ownerName) : undefined;
      if (!owner) return;
      const oldName = qualified.slice(qualified.indexOf('.') + 1);
      renameIndexOn(state, owner, oldName, newName);
      if ('constraints' in owner) {
        const constraint = owner.constraints.get(oldName);
        if (constraint && owner.indexes.get(newName)?.constraint) {
          owner.constraints.delete(oldName);
          constraint.name = newName;
          owner.constraints.set(newName, constraint);
        }
      }
      return markChanged(state, owner);
    }
    case 'OBJECT_POLICY':
    case 'OBJECT_TRIGGER': {
      const qualified = stmt.relation ? resolveRelation(state, stmt.relation) : '';
      const table = catalog.tables.get(qualified);
      if (!table) return reportMissing(state, 'table', qualified, ifExists);
      const members = stmt.renameType === 'OBJECT_POLICY' ? table.policies : table.triggers;
      const member = members.get(stmt.subname ?? '');
      if (!member) return;
      members.delete(member.name);
      member.name = newName;
      members.set(newName, member as never);
      markChanged(state, member);
      return markChanged(state, table);
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE':
      return moveFunction(state, stmt.object, undefined, newName);
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const qualified = resolveTypeName(state, namesOf(stmt.object));
      const type = catalog.types.get(qualified);
      if (!type) return;
      moveType(state, type, type.schema, newName);
      return markChanged(state, type);
    }
    case 'OBJECT_DOMCONSTRAINT':
      return renameDomainConstraint(state, namesOf(stmt.object), stmt.subname ?? '', newName);
    case 'OBJECT_SCHEMA': {
      const schema = catalog.schemas.get(stmt.subname ?? '');
      if (!schema) return;
      catalog.schemas.delete(schema.name);
      const oldName = schema.name;
      schema.name = newName;
      catalog.schemas.set(newName, schema);
      moveSchemaContents(state, oldName, newName);
      return markChanged(state, schema);
    }
    case 'OBJECT_ROLE': {
      const role = catalog.roles.get(stmt.subname ?? '');
      if (!role) return;
      catalog.roles.delete(role.name);
      role.name = newName;
      catalog.roles.set(newName, role);
      return;
    }
    default:
      return;
  }
}

/** ALTER TABLE / VIEW / SEQUENCE / FUNCTION / TYPE ... SET SCHEMA. */
export function setObjectSchema(state: ReplayState, stmt: AlterObjectSchemaStmt): void {
  const newSchema = stmt.newschema ?? '';
  const catalog = state.catalog;
  switch (stmt.objectType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_FOREIGN_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_SEQUENCE': {
      if (!stmt.relation) return;
      const qualified = resolveRelation(state, stmt.relation);
      const name = stmt.relation.relname ?? '';
      if (catalog.tables.has(qualified)) moveTable(state, qualified, newSchema, name);
      else if (catalog.views.has(qualified)) moveView(state, qualified, newSchema, name);
      else if (catalog.sequences.has(qualified)) moveSequence(state, qualified, newSchema, name);
      else reportMissing(state, 'table', qualified, Boolean(stmt.missing_ok));
      return;
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE':
      return moveFunction(state, stmt.object, newSchema, undefined);
    case 'OBJECT_EXTENSION': {
      const extension = catalog.extensions.get(stmt.object && 'String' in stmt.object ? stmt.object.String.sval ?? '' : '');
      // An extension with a fixed schema is not relocatable: PostgreSQL refuses to move it.
      if (!extension || extensionFixedSchema(extension.name)) return;
      extension.schema = newSchema;
      return markChanged(state, extension);
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const qualified = resolveTypeName(state, namesOf(stmt.object));
      const type = catalog.types.get(qualified);
      if (!type) return;
      moveType(state, type, newSchema, type.name);
      return markChanged(state, type);
    }
    default:
      return;
  }
}

/** Moves a table to a new schema and/or name and updates everything that names it. */
function moveTable(state: ReplayState, qualified: string, schema: string, name: string): void {
  const catalog = state.catalog;
  const table = catalog.tables.get(qualified)!;
  const target = `${schema}.${name}`;
  const owners = replayMemoryOf(catalog).indexOwners;
  for (const index of table.indexes.keys()) owners.delete(`${table.schema}.${index}`);
  catalog.tables.delete(qualified);
  recordDropped(state, objectKey.table(qualified), target);
  table.schema = schema;
  table.name = name;
  catalog.tables.set(target, table);
  recordCreated(state, objectKey.table(target));
  for (const index of table.indexes.values()) registerIndex(state, table, index);
  for (const index of table.indexes.values()) index.table = target;
  for (const policy of table.policies.values()) policy.table = target;
  for (const trigger of table.triggers.values()) trigger.table = target;
  const namesIt = (other: Table) => other.partitionOf === qualified || referencesTable(other, qualified);
  for (const other of tablesToChange(catalog, namesIt)) {
    if (other.partitionOf === qualified) other.partitionOf = target;
    for (const constraint of other.constraints.values()) {
      if (constraint.references?.table === qualified) constraint.references.table = target;
    }
  }
  renameInViews(state, qualified, target);
  renameTypeReferences(state, qualified, target);
  for (const sequence of catalog.sequences.values()) {
    if (sequence.ownedBy?.startsWith(`${qualified}.`)) sequence.ownedBy = `${target}.${sequence.ownedBy.slice(qualified.length + 1)}`;
  }
  markChanged(state, table);
}

function moveView(state: ReplayState, qualified: string, schema: string, name: string): void {
  const catalog = state.catalog;
  const view = catalog.views.get(qualified)!;
  const target = `${schema}.${name}`;
  const owners = replayMemoryOf(catalog).indexOwners;
  for (const index of view.indexes.keys()) owners.delete(`${view.schema}.${index}`);
  catalog.views.delete(qualified);
  recordDropped(state, objectKey.table(qualified), target);
  view.schema = schema;
  view.name = name;
  catalog.views.set(target, view);
  recordCreated(state, objectKey.table(target));
  for (const index of view.indexes.values()) {
    index.table = target;
    registerIndex(state, view, index);
  }
  renameInViews(state, qualified, target);
  renameTypeReferences(state, qualified, target);
  markChanged(state, view);
}

/** Moves a type to a new schema and/or name; what names it (columns, functions, other types) names the new one. */
function moveType(state: ReplayState, type: TypeDef, schema: string, name: string): void {
  const qualified = `${type.schema}.${type.name}`;
  const target = `${schema}.${name}`;
  state.catalog.types.delete(qualified);
  type.schema = schema;
  type.name = name;
  state.catalog.types.set(target, type);
  renameTypeReferences(state, qualified, target);
}

function moveSequence(state: ReplayState, qualified: string, schema: string, name: string): void {
  const sequence = state.catalog.sequences.get(qualified)!;
  state.catalog.sequences.delete(qualified);
  sequence.schema = schema;
  sequence.name = name;
  state.catalog.sequences.set(`${schema}.${name}`, sequence);
  markChanged(state, sequence);
}

function moveFunction(state: ReplayState, object: Node | undefined, newSchema: string | undefined, newName: string | undefined): void {
  const { key, func } = findFunction(state, object && 'ObjectWithArgs' in object ? object.ObjectWithArgs : undefined);
  if (!func) return reportMissing(state, 'function', key);
  func.schema = newSchema ?? func.schema;
  func.name = newName ?? func.name;
  rekeyFunction(state, func, key, `${func.schema}.${func.name}(${key.slice(key.indexOf('(') + 1, -1)})`);
  markChanged(state, func);
}

/** RENAME COLUMN keeps the column's position and updates constraints, indexes and foreign keys that name it. */
function renameColumn(state: ReplayState, table: Table, oldName: string, newName: string): void {
  const qualified = `${table.schema}.${table.name}`;
  const renamed = new Map<string, Column>();
  for (const [name, column] of table.columns) {
    if (name === oldName) {
      column.name = newName;
      renamed.set(newName, column);
    } else renamed.set(name, column);
  }
  table.columns = renamed;
  recordDropped(state, objectKey.column(qualified, oldName), newName);
  recordCreated(state, objectKey.column(qualified, newName));
  const swap = (columns: string[]) => columns.map((column) => (column === oldName ? newName : column));
  for (const constraint of table.constraints.values()) constraint.columns = swap(constraint.columns);
  for (const index of table.indexes.values()) {
    for (const key of index.keys) if (key.column === oldName) key.column = newName;
    index.include = swap(index.include);
  }
  for (const other of tablesToChange(state.catalog, (candidate) => referencesTable(candidate, qualified))) {
    for (const constraint of other.constraints.values()) {
      if (constraint.references?.table === qualified) constraint.references.columns = swap(constraint.references.columns);
    }
  }
  for (const sequence of state.catalog.sequences.values()) {
    if (sequence.ownedBy === `${qualified}.${oldName}`) sequence.ownedBy = `${qualified}.${newName}`;
  }
}

function renameIndexOn(state: ReplayState, owner: Table | View, oldName: string, newName: string): void {
  const index = owner.indexes.get(oldName);
  if (!index) return;
  unregisterIndex(state, owner, oldName);
  index.name = newName;
  if (index.constraint) index.constraint = newName;
  registerIndex(state, owner, index);
}

function renameInViews(state: ReplayState, from: string, to: string): void {
  for (const view of state.catalog.views.values()) {
    view.dependsOn = view.dependsOn.map((name) => (name === from ? to : name));
  }
}

function moveSchemaContents(state: ReplayState, from: string, to: string): void {
  const catalog = state.catalog;
  for (const [qualified, table] of [...catalog.tables]) if (table.schema === from) moveTable(state, qualified, to, table.name);
  for (const [qualified, view] of [...catalog.views]) if (view.schema === from) moveView(state, qualified, to, view.name);
  for (const [qualified, sequence] of [...catalog.sequences]) if (sequence.schema === from) moveSequence(state, qualified, to, sequence.name);
  for (const [key, func] of [...catalog.functions]) {
    if (func.schema !== from) continue;
    func.schema = to;
    rekeyFunction(state, func, key, `${to}.${key.slice(from.length + 1)}`);
  }
  for (const type of [...catalog.types.values()]) if (type.schema === from) moveType(state, type, to, type.name);
  for (const extension of catalog.extensions.values()) if (extension.schema === from) extension.schema = to;
}

function namesOf(object: Node | undefined): string[] {
  return object && 'List' in object ? stringList(object.List.items) : [];
}

/** True when a foreign key of `table` references the table `qualified`. */
function referencesTable(table: Table, qualified: string): boolean {
  return [...table.constraints.values()].some((constraint) => constraint.references?.table === qualified);
}
