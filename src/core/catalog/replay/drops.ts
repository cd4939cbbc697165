/**
 * DROP of every object family, with IF EXISTS and CASCADE. Dropping a table takes its indexes,
 * policies, triggers and owned sequences with it (they live on the table); CASCADE also drops the
 * views that read it, the foreign keys and policies of other tables that name it and what uses its
 * row type, as PostgreSQL's dependency walk does. DROP TYPE / DOMAIN ... CASCADE drops the columns,
 * attributes, domains and functions that use the type; DROP FUNCTION ... CASCADE drops the
 * triggers that call it. Without CASCADE, PostgreSQL refuses the whole statement while any of
 * those still depend on one of its objects: the replay reports it (object_dropped_but_referenced)
 * and drops nothing. Both paths take their dependents from one walk (catalog/dependents.ts).
 */
import type { DropRoleStmt, DropStmt, Node } from '@pgsql/types';
import { describeDependent, functionDependents, relationDependents, typeDependents, type Dependent } from '../dependents';
import { peekTables } from '../cloneCatalog';
import { objectKey, type TypeDef } from '../model';
import { dropColumn } from './alterTable';
import { findFunction, resolveIndexName, resolveRelationName, resolveTypeName, roleSpecName, stringList } from './names';
import { recordDropped, reportDropBlocked, reportMissing } from './references';
import { markChanged, unregisterIndex } from './relations';
import { replayMemoryOf } from './replayMemory';
import type { ReplayState } from './replayState';

/** DROP TABLE / VIEW / MATERIALIZED VIEW / INDEX / SEQUENCE / FUNCTION / POLICY / TRIGGER / TYPE / SCHEMA / EXTENSION. */
export function dropObjects(state: ReplayState, stmt: DropStmt): void {
  const cascade = stmt.behavior === 'DROP_CASCADE';
  const ifExists = Boolean(stmt.missing_ok);
  if (!cascade && refusedDrop(state, stmt)) return;
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
        if (func) dropFunction(state, key);
        else reportMissing(state, 'function', key, ifExists);
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

/**
 * DROP without CASCADE: PostgreSQL takes the statement's objects together (one may depend on
 * another, `drop table payments, bookings`) and refuses the whole statement when anything else
 * still depends on one of them. Reports it on the first such object and returns true: nothing is
 * dropped.
 */
function refusedDrop(state: ReplayState, stmt: DropStmt): boolean {
  const objects = stmt.objects ?? [];
  const catalog = state.catalog;
  switch (stmt.removeType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_FOREIGN_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW': {
      const isTable = stmt.removeType === 'OBJECT_TABLE' || stmt.removeType === 'OBJECT_FOREIGN_TABLE';
      const names = objects.map((object) => relationOf(state, object)).filter((name) => (isTable ? catalog.tables.has(name) : catalog.views.has(name)));
      const dependents = new Map(names.map((name) => [name, relationDependents(state, name)]));
      // The partitions of every relation dropped go too, with what depends on them.
      const together = [...names, ...[...dependents.values()].flat().filter((dependent) => dependent.goesWithIt).map((dependent) => dependent.name)];
      return names.some((name) => reportDropBlocked(state, `${isTable ? 'table' : 'view'} ${name}`, name, objectKey.table(name), blockingDependents(dependents.get(name)!, together)));
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE':
    case 'OBJECT_AGGREGATE':
      return objects.some((object) => {
        const { key, func } = findFunction(state, 'ObjectWithArgs' in object ? object.ObjectWithArgs : undefined);
        return reportDropBlocked(state, `function ${key}`, key, objectKey.function(key), func ? blockingDependents(functionDependents(state, key), []) : []);
      });
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const types = objects.flatMap((object) => {
        const qualified = resolveTypeName(state, 'TypeName' in object ? stringList(object.TypeName.names) : namesOf(object));
        const type = catalog.types.get(qualified);
        return type ? [{ qualified, type }] : [];
      });
      const together = types.map(({ qualified }) => qualified);
      return types.some(({ qualified, type }) =>
        reportDropBlocked(state, `${type.kind === 'domain' ? 'domain' : 'type'} ${qualified}`, qualified, objectKey.type(qualified), blockingDependents(typeDependents(state, type), together)),
      );
    }
    default:
      return false;
  }
}

/**
 * What makes PostgreSQL refuse a DROP without CASCADE, as messages name it: the dependents that do
 * not go with the object (a partition does), and that the same statement does not drop (`together`,
 * qualified names) or that do not live on a table it drops.
 */
function blockingDependents(dependents: Dependent[], together: string[]): string[] {
  const goes = new Set(together);
  return dependents
    .filter((dependent) => !dependent.goesWithIt && !goes.has(dependent.name) && !(dependent.table !== undefined && dependent.kind !== 'inheritance child' && goes.has(dependent.table)))
    .map(describeDependent);
}

/** DROP ROLE [IF EXISTS] roles. */
export function dropRoles(state: ReplayState, stmt: DropRoleStmt): void {
  for (const node of stmt.roles ?? []) state.catalog.roles.delete(roleSpecName(state, node));
}

/**
 * Drops a table, what lives on it and its partitions; with CASCADE also the inheritance children
 * and what depends on it.
 */
function dropTable(state: ReplayState, qualified: string, cascade: boolean): void {
  const catalog = state.catalog;
  const table = catalog.tables.get(qualified);
  if (!table) return;
  const dependents = relationDependents(state, qualified);
  catalog.tables.delete(qualified);
  recordDropped(state, objectKey.table(qualified));
  for (const index of [...table.indexes.keys()]) unregisterIndex(state, table, index);
  for (const [name, sequence] of catalog.sequences) {
    if (sequence.ownedBy?.startsWith(`${qualified}.`)) catalog.sequences.delete(name);
  }
  dropDependents(state, cascade ? dependents : dependents.filter((dependent) => dependent.goesWithIt), cascade);
}

/** Drops a view or materialized view, and with CASCADE what depends on it. */
function dropView(state: ReplayState, qualified: string, cascade: boolean): void {
  const view = state.catalog.views.get(qualified);
  if (!view) return;
  const dependents = cascade ? relationDependents(state, qualified) : [];
  state.catalog.views.delete(qualified);
  recordDropped(state, objectKey.table(qualified));
  for (const index of [...view.indexes.keys()]) unregisterIndex(state, view, index);
  dropDependents(state, dependents, cascade);
}

/** Drops a type's dependents, as DROP TYPE ... CASCADE (or of a table, for its row type) does. */
function dropTypeDependents(state: ReplayState, type: Pick<TypeDef, 'schema' | 'name'>): void {
  dropDependents(state, typeDependents(state, type), true);
}

/**
 * Drops the dependents the walk found for a dropped object. One found twice (through a partition
 * and its parent) or already taken by an earlier one is skipped.
 */
function dropDependents(state: ReplayState, dependents: Dependent[], cascade: boolean): void {
  const catalog = state.catalog;
  for (const dependent of dependents) {
    switch (dependent.kind) {
      case 'view':
      case 'materialized view':
        dropView(state, dependent.name, true);
        break;
      case 'partition':
      case 'inheritance child':
        dropTable(state, dependent.name, cascade);
        break;
      case 'function':
        if (catalog.functions.has(dependent.name)) dropFunction(state, dependent.name);
        break;
      case 'domain': {
        const domain = catalog.types.get(dependent.name);
        if (domain && catalog.types.delete(dependent.name)) dropTypeDependents(state, domain);
        break;
      }
      case 'composite type': {
        const composite = catalog.types.get(dependent.name);
        if (composite?.attributes) composite.attributes = composite.attributes.filter((attribute) => !dependent.attributes?.includes(attribute.name));
        break;
      }
      default:
        dropTableMember(state, dependent);
    }
  }
}

/** Drops a dependent that lives on a table: a column, constraint, policy or trigger. */
function dropTableMember(state: ReplayState, dependent: Dependent): void {
  const table = dependent.table === undefined ? undefined : state.catalog.tables.get(dependent.table);
  if (!table) return;
  switch (dependent.kind) {
    case 'column': {
      const column = dependent.name.slice(dependent.table!.length + 1);
      if (table.columns.has(column)) dropColumn(state, table, column);
      return;
    }
    case 'foreign key':
    case 'constraint':
      table.constraints.delete(dependent.name);
      break;
    case 'policy':
      table.policies.delete(dependent.name);
      break;
    case 'trigger':
      table.triggers.delete(dependent.name);
      break;
    default:
      return;
  }
  markChanged(state, table);
}

/**
 * Drops a function and the triggers that call it: PostgreSQL refuses without CASCADE while a
 * trigger uses the function (the caller checks), and CASCADE drops the triggers.
 */
function dropFunction(state: ReplayState, key: string): void {
  const dependents = functionDependents(state, key);
  state.catalog.functions.delete(key);
  recordDropped(state, objectKey.function(key));
  dropDependents(state, dependents, true);
}

function dropSchemaContents(state: ReplayState, schema: string): void {
  const catalog = state.catalog;
  for (const [name, table] of [...peekTables(catalog)]) if (table.schema === schema) dropTable(state, name, true);
  for (const [name, view] of [...catalog.views]) if (view.schema === schema) dropView(state, name, true);
  for (const [key, func] of [...catalog.functions]) if (func.schema === schema) dropFunction(state, key);
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
