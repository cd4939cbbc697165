/**
 * DROP of every object family, with IF EXISTS and CASCADE. Dropping a table takes its indexes,
 * policies, triggers and owned sequences with it (they live on the table); CASCADE also drops the
 * views that read it, the foreign keys and policies of other tables that name it and what uses its
 * row type, as PostgreSQL's dependency walk does. DROP TYPE / DOMAIN ... CASCADE drops the columns,
 * attributes, domains and functions that use the type (typeReferences.ts); DROP FUNCTION ...
 * CASCADE drops the triggers that call it. Without CASCADE, PostgreSQL refuses the whole statement
 * while any of those still depend on one of its objects: the replay reports it
 * (object_dropped_but_referenced) and drops nothing.
 */
import type { DropRoleStmt, DropStmt, Node } from '@pgsql/types';
import { peekTables } from '../cloneCatalog';
import { objectKey, type Policy } from '../model';
import { findFunction, resolveIndexName, resolveRelationName, resolveTypeName, roleSpecName, splitQualified, stringList } from './names';
import { recordDropped, reportDropBlocked, reportMissing } from './references';
import { markChanged, unregisterIndex } from './relations';
import { replayMemoryOf } from './replayMemory';
import type { ReplayState } from './replayState';
import { dropTypeDependents, typeDependents } from './typeReferences';
import { relationsRead } from './views';

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
      return names.some((name) => reportDropBlocked(state, `${isTable ? 'table' : 'view'} ${name}`, name, objectKey.table(name), relationDependents(state, name, names)));
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE':
    case 'OBJECT_AGGREGATE':
      return objects.some((object) => {
        const { key, func } = findFunction(state, 'ObjectWithArgs' in object ? object.ObjectWithArgs : undefined);
        const triggers = func ? triggersOf(state, key).map(([table, name]) => `trigger ${name} on ${table}`) : [];
        return reportDropBlocked(state, `function ${key}`, key, objectKey.function(key), triggers);
      });
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const types = objects.flatMap((object) => {
        const qualified = resolveTypeName(state, 'TypeName' in object ? stringList(object.TypeName.names) : namesOf(object));
        const type = catalog.types.get(qualified);
        return type ? [{ qualified, type }] : [];
      });
      const together = new Set(types.flatMap(({ qualified }) => [`type ${qualified}`, `domain ${qualified}`]));
      return types.some(({ qualified, type }) =>
        reportDropBlocked(state, `${type.kind === 'domain' ? 'domain' : 'type'} ${qualified}`, qualified, objectKey.type(qualified), typeDependents(state, type).filter((dependent) => !together.has(dependent))),
      );
    }
    default:
      return false;
  }
}

/** DROP ROLE [IF EXISTS] roles. */
export function dropRoles(state: ReplayState, stmt: DropRoleStmt): void {
  for (const node of stmt.roles ?? []) state.catalog.roles.delete(roleSpecName(state, node));
}

/**
 * Drops a table, what lives on it and its partitions; with CASCADE also the inheritance children
 * and what depends on it (dropRelationDependents).
 */
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
  for (const [name, child] of [...peekTables(catalog)]) {
    if (child.partitionOf === qualified) {
      if (table.kind === 'partitioned') dropTable(state, name, cascade);
      else if (cascade) dropTable(state, name, cascade);
    }
  }
  if (cascade) dropRelationDependents(state, table);
}

/** Drops a view or materialized view, and with CASCADE what depends on it (dropRelationDependents). */
function dropView(state: ReplayState, qualified: string, cascade: boolean): void {
  const view = state.catalog.views.get(qualified);
  if (!view) return;
  state.catalog.views.delete(qualified);
  recordDropped(state, objectKey.table(qualified));
  for (const index of [...view.indexes.keys()]) unregisterIndex(state, view, index);
  if (cascade) dropRelationDependents(state, view);
}

/**
 * CASCADE of a dropped table or view: the views that read it, the foreign keys and policies of
 * other tables that name it, and the columns, attributes, domains and functions of its row type.
 */
function dropRelationDependents(state: ReplayState, relation: { schema: string; name: string }): void {
  const qualified = `${relation.schema}.${relation.name}`;
  for (const [name, view] of [...state.catalog.views]) {
    if (view.dependsOn.includes(qualified)) dropView(state, name, true);
  }
  for (const [name, other] of [...peekTables(state.catalog)]) {
    const constraints = [...other.constraints.values()].filter((constraint) => constraint.references?.table === qualified).map((constraint) => constraint.name);
    const policies = [...other.policies.values()].filter((policy) => policyReads(state, policy, [qualified])).map((policy) => policy.name);
    if (constraints.length === 0 && policies.length === 0) continue;
    const table = state.catalog.tables.get(name);
    if (!table) continue;
    for (const constraint of constraints) table.constraints.delete(constraint);
    for (const policy of policies) table.policies.delete(policy);
    markChanged(state, table);
  }
  dropTypeDependents(state, relation);
}

/**
 * Drops a function and the triggers that call it: PostgreSQL refuses without CASCADE while a
 * trigger uses the function (the caller checks), and CASCADE drops the triggers.
 */
function dropFunction(state: ReplayState, key: string): void {
  state.catalog.functions.delete(key);
  recordDropped(state, objectKey.function(key));
  for (const [tableName, trigger] of triggersOf(state, key)) {
    const table = state.catalog.tables.get(tableName);
    if (!table) continue;
    table.triggers.delete(trigger);
    markChanged(state, table);
  }
}

/** The triggers that execute the function `key`, as [qualified table name, trigger name]. */
function triggersOf(state: ReplayState, key: string): [string, string][] {
  const found: [string, string][] = [];
  for (const [name, table] of peekTables(state.catalog)) {
    for (const trigger of table.triggers.values()) if (trigger.function === key) found.push([name, trigger.name]);
  }
  return found;
}

/**
 * What PostgreSQL would refuse to drop a table or view over without CASCADE, as
 * `view public.booking_totals`: the views that read it (or the partitions that go with a
 * partitioned table), the foreign keys and policies of other tables that name them, and what
 * uses its row type (typeDependents). Objects dropped by the same statement (`together`) do not count.
 */
function relationDependents(state: ReplayState, qualified: string, together: string[]): string[] {
  const tables = new Map(peekTables(state.catalog));
  const withPartitions = (names: string[]): Set<string> => {
    const all = new Set(names);
    for (const name of all) {
      if (tables.get(name)?.kind !== 'partitioned') continue;
      for (const [childName, child] of tables) if (child.partitionOf === name) all.add(childName);
    }
    return all;
  };
  const own = withPartitions([qualified]);
  const goes = withPartitions([qualified, ...together]);
  const names = [...own];
  const dependents: string[] = [];
  for (const [name, view] of state.catalog.views) {
    if (!goes.has(name) && view.dependsOn.some((relation) => own.has(relation))) dependents.push(`view ${name}`);
  }
  for (const [name, other] of tables) {
    if (goes.has(name)) continue;
    for (const constraint of other.constraints.values()) {
      if (constraint.references && own.has(constraint.references.table)) dependents.push(`constraint ${constraint.name} on ${name}`);
    }
    for (const policy of other.policies.values()) if (policyReads(state, policy, names)) dependents.push(`policy "${policy.name}" on ${name}`);
  }
  const [schema, name] = splitQualified(qualified);
  dependents.push(...typeDependents(state, { schema, name }));
  return dependents;
}

/**
 * True when the policy's USING or WITH CHECK reads one of the relations (`exists (select 1 from
 * public.bookings ...)`): PostgreSQL records that dependency. Unqualified names resolve along the
 * search path of the DROP, which is the policy's own in the usual single-search-path migrations.
 */
function policyReads(state: ReplayState, policy: Policy, qualified: string[]): boolean {
  return [policy.using, policy.withCheck].some((expression) => expression?.ast !== undefined && relationsRead(state, expression.ast).some((relation) => qualified.includes(relation)));
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
