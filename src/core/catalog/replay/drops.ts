/**
 * DROP of every object family, with IF EXISTS and CASCADE. Dropping a table takes its indexes,
 * policies, triggers and owned sequences with it (they live on the table); CASCADE also drops the
 * views that read it and the foreign keys that point at it, as PostgreSQL's dependency walk does.
 * DROP TYPE / DOMAIN ... CASCADE drops the columns, attributes, domains and functions that use
 * the type (typeReferences.ts).
 */
import type { DropRoleStmt, DropStmt, Node } from '@pgsql/types';
import { objectKey } from '../model';
import { findFunction, resolveIndexName, resolveRelationName, resolveTypeName, roleSpecName, stringList } from './names';
import { recordDropped, reportMissing } from './references';
import { markChanged, unregisterIndex } from './relations';
import { replayMemoryOf } from './replayMemory';
import type { ReplayState } from './replayState';
import { dropTypeDependents } from './typeReferences';

/** DROP TABLE / VIEW / MATERIALIZED VIEW / INDEX / SEQUENCE / FUNCTION / POLICY / TRIGGER / TYPE / SCHEMA / EXTENSION. */
export function dropObjects(state: ReplayState, stmt: DropStmt): void {
  const cascade = stmt.behavior === 'DROP_CASCADE';
  const ifExists = Boolean(stmt.missing_ok);
  for (const object of stmt.objects ?? []) {
    switch (stmt.removeType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_FOREIGN_TABLE': {
        const qualified = relationOf(state, object);
        if (state.catalog.tables.has(qualified)) dropTable(state, qualified, cascade);
        else reportMissing(state, 'table', qualified, ifExists);
        break;
      }
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW': {
        const qualified = relationOf(state, object);
        if (state.catalog.views.has(qualified)) dropView(state, qualified, cascade);
        break;
      }
      case 'OBJECT_INDEX': {
        const names = namesOf(object);
        const memory = replayMemoryOf(state.catalog);
        const qualified = resolveIndexName(state, names.length > 1 ? names[0] : undefined, names[names.length - 1] ?? '', memory.indexOwners);
        const ownerName = memory.indexOwners.get(qualified);
        const owner = ownerName ? state.catalog.tables.get(ownerName) ?? state.catalog.views.get(ownerName) : undefined;
        if (owner) {
          unregisterIndex(state, owner, qualified.slice(qualified.indexOf('.') + 1));
          markChanged(state, owner);
        }
        break;
      }
      case 'OBJECT_SEQUENCE':
        state.catalog.sequences.delete(relationOf(state, object));
        break;
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
      case 'OBJECT_ROUTINE':
      case 'OBJECT_AGGREGATE': {
        const { key, func } = findFunction(state, 'ObjectWithArgs' in object ? object.ObjectWithArgs : undefined);
        if (func) {
          state.catalog.functions.delete(key);
          recordDropped(state, objectKey.function(key));
        } else reportMissing(state, 'function', key, ifExists);
        break;
      }
      case 'OBJECT_POLICY':
      case 'OBJECT_TRIGGER': {
        const names = namesOf(object);
        const name = names.pop() ?? '';
        const qualified = resolveRelationName(state, names.length > 1 ? names[0] : undefined, names[names.length - 1] ?? '');
        const table = state.catalog.tables.get(qualified);
        if (!table) {
          reportMissing(state, 'table', qualified, ifExists);
          break;
        }
        if (stmt.removeType === 'OBJECT_POLICY') table.policies.delete(name);
        else table.triggers.delete(name);
        markChanged(state, table);
        break;
      }
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        const names = 'TypeName' in object ? stringList(object.TypeName.names) : namesOf(object);
        const qualified = resolveTypeName(state, names);
        const type = state.catalog.types.get(qualified);
        if (!type) break;
        state.catalog.types.delete(qualified);
        if (cascade) dropTypeDependents(state, type);
        break;
      }
      case 'OBJECT_SCHEMA': {
        const schema = 'String' in object ? object.String.sval ?? '' : '';
        if (cascade) dropSchemaContents(state, schema);
        state.catalog.schemas.delete(schema);
        break;
      }
      case 'OBJECT_EXTENSION':
        state.catalog.extensions.delete('String' in object ? object.String.sval ?? '' : '');
        break;
      default:
        break;
    }
  }
}

/** DROP ROLE [IF EXISTS] roles. */
export function dropRoles(state: ReplayState, stmt: DropRoleStmt): void {
  for (const node of stmt.roles ?? []) state.catalog.roles.delete(roleSpecName(state, node));
}

/** Drops a table, what lives on it, its partitions, and with CASCADE the views and foreign keys that depend on it. */
function dropTable(state: ReplayState, qualified: string, cascade: boolean): void {
  const catalog = state.catalog;
  const table = catalog.tables.get(qualified);
  if (!table) return;
  catalog.tables.delete(qualified);
  recordDropped(state, objectKey.table(qualified));
  for (const index of [...table.indexes.keys()]) unregisterIndex(state, table, index);
  for (const [name, sequence] of catalog.sequences) {
    if (sequence.ownedBy?.startsWith(`${qualified}.`)) catalog.sequences.delete(name);
  }
  for (const [name, child] of [...catalog.tables]) {
    if (child.partitionOf === qualified) {
      if (table.kind === 'partitioned') dropTable(state, name, cascade);
      else if (cascade) dropTable(state, name, cascade);
    }
  }
  if (!cascade) return;
  for (const other of catalog.tables.values()) {
    for (const constraint of [...other.constraints.values()]) {
      if (constraint.references?.table === qualified) other.constraints.delete(constraint.name);
    }
  }
  dropDependentViews(state, qualified);
}

/** Drops a view or materialized view, and with CASCADE the views that read it. */
function dropView(state: ReplayState, qualified: string, cascade: boolean): void {
  const view = state.catalog.views.get(qualified);
  if (!view) return;
  state.catalog.views.delete(qualified);
  recordDropped(state, objectKey.table(qualified));
  for (const index of [...view.indexes.keys()]) unregisterIndex(state, view, index);
  if (cascade) dropDependentViews(state, qualified);
}

function dropDependentViews(state: ReplayState, qualified: string): void {
  for (const [name, view] of [...state.catalog.views]) {
    if (view.dependsOn.includes(qualified)) dropView(state, name, true);
  }
}

function dropSchemaContents(state: ReplayState, schema: string): void {
  const catalog = state.catalog;
  for (const [name, table] of [...catalog.tables]) if (table.schema === schema) dropTable(state, name, true);
  for (const [name, view] of [...catalog.views]) if (view.schema === schema) dropView(state, name, true);
  for (const [key, func] of [...catalog.functions]) {
    if (func.schema === schema) {
      catalog.functions.delete(key);
      recordDropped(state, objectKey.function(key));
    }
  }
  for (const [name, type] of [...catalog.types]) {
    if (type.schema === schema && catalog.types.delete(name)) dropTypeDependents(state, type);
  }
  for (const [name, sequence] of [...catalog.sequences]) if (sequence.schema === schema) catalog.sequences.delete(name);
  for (const [name, extension] of [...catalog.extensions]) if (extension.schema === schema) catalog.extensions.delete(name);
}

function namesOf(object: Node): string[] {
  return 'List' in object ? stringList(object.List.items) : 'String' in object ? [object.String.sval ?? ''] : [];
}

function relationOf(state: ReplayState, object: Node): string {
  const names = namesOf(object);
  return resolveRelationName(state, names.length > 1 ? names[names.length - 2] : undefined, names[names.length - 1] ?? '');
}
