/**
 * Shared bookkeeping for tables and the objects hanging off them: creating an empty table, the
 * relation namespace of a schema (tables, views, sequences and indexes share it), owned
 * sequences, and the lookups that statements on a table start with.
 */
import type { Node, RangeVar } from '@pgsql/types';
import { objectKey, type Catalog, type Index, type Origin, type Sequence, type Table, type View } from '../model';
import { initialGrants } from '../privileges';
import { chooseName } from './chooseName';
import { resolveRelation, stringList } from './names';
import { recordCreated, reportMissing } from './references';
import { replayMemoryOf } from './replayMemory';
import type { ReplayState } from './replayState';

/** A fresh origin at the current statement. */
export function originHere(state: ReplayState): Origin {
  return { definedAt: state.statement.span };
}

/** Marks an object changed by the current statement. */
export function markChanged(state: ReplayState, object: { origin: Origin }): void {
  object.origin.changedAt = state.statement.span;
}

/** An empty table owned by the current role, with the grants its schema's default privileges give it. */
export function newTable(state: ReplayState, schema: string, name: string): Table {
  const owner = state.currentRole;
  return {
    schema,
    name,
    kind: 'table',
    owner,
    columns: new Map(),
    constraints: new Map(),
    indexes: new Map(),
    policies: new Map(),
    triggers: new Map(),
    rlsEnabled: false,
    rlsForced: false,
    grants: initialGrants(state.catalog, 'tables', schema, owner),
    platform: false,
    origin: originHere(state),
  };
}

/** Adds a table to the catalog and forgets any earlier drop of it. */
export function registerTable(state: ReplayState, table: Table): void {
  const qualified = `${table.schema}.${table.name}`;
  state.catalog.tables.set(qualified, table);
  recordCreated(state, objectKey.table(qualified));
}

/** True when `schema.name` is taken in the schema's relation namespace (tables, views, sequences, indexes). */
export function isRelationNameTaken(state: ReplayState, schema: string, name: string): boolean {
  return isRelationNameTakenIn(state.catalog, schema, name);
}

/** `isRelationNameTaken` on a catalog alone, for code that judges a catalog outside the replay (safety rules naming an index). */
export function isRelationNameTakenIn(catalog: Catalog, schema: string, name: string): boolean {
  const qualified = `${schema}.${name}`;
  return catalog.tables.has(qualified) || catalog.views.has(qualified) || catalog.sequences.has(qualified) || replayMemoryOf(catalog).indexOwners.has(qualified);
}

/**
 * The relation that holds a name in a schema (table, view, sequence or index), with what an
 * "already exists" message needs: how PostgreSQL calls it, where it was created, whether the
 * platform made it.
 */
export function relationHoldingName(state: ReplayState, schema: string, name: string): { kind: string; platform?: boolean; origin?: Origin } | undefined {
  const qualified = `${schema}.${name}`;
  const catalog = state.catalog;
  const table = catalog.tables.get(qualified);
  if (table) return { kind: table.kind === 'foreign' ? 'foreign table' : 'table', platform: table.platform, origin: table.origin };
  const view = catalog.views.get(qualified);
  if (view) return { kind: view.kind === 'materialized_view' ? 'materialized view' : 'view', platform: view.platform, origin: view.origin };
  const sequence = catalog.sequences.get(qualified);
  if (sequence) return { kind: 'sequence', platform: sequence.platform, origin: sequence.origin };
  const owner = replayMemoryOf(catalog).indexOwners.get(qualified);
  if (owner === undefined) return undefined;
  const ownerRelation = catalog.tables.get(owner) ?? catalog.views.get(owner);
  return { kind: 'index', platform: ownerRelation?.platform, origin: ownerRelation?.indexes.get(name)?.origin };
}

/** True when the table already has a constraint of that name. */
export function isConstraintNameTaken(table: Table, name: string): boolean {
  return table.constraints.has(name);
}

/** Adds an index to a table or materialized view and to its schema's namespace. */
export function registerIndex(state: ReplayState, owner: Table | View, index: Index): void {
  owner.indexes.set(index.name, index);
  replayMemoryOf(state.catalog).indexOwners.set(`${owner.schema}.${index.name}`, `${owner.schema}.${owner.name}`);
}

/** Removes an index from its owner and from the schema's namespace. */
export function unregisterIndex(state: ReplayState, owner: Table | View, name: string): void {
  owner.indexes.delete(name);
  replayMemoryOf(state.catalog).indexOwners.delete(`${owner.schema}.${name}`);
}

/** Creates the sequence a serial or identity column owns (`bookings_id_seq`) and returns its qualified name. */
export function createOwnedSequence(state: ReplayState, table: Table, column: string, options?: Node[]): string {
  // `GENERATED ... AS IDENTITY (SEQUENCE NAME s.n ...)`, as pg_dump writes it, names the sequence.
  const named = (options ?? []).flatMap((node) => ('DefElem' in node && node.DefElem.defname === 'sequence_name' && node.DefElem.arg && 'List' in node.DefElem.arg ? [stringList(node.DefElem.arg.List.items)] : []))[0];
  const schema = named && named.length > 1 ? named[named.length - 2] : table.schema;
  const name = named ? named[named.length - 1] : chooseSequenceName(state, table, column);
  const qualified = `${schema}.${name}`;
  const sequence: Sequence = {
    schema,
    name,
    ownedBy: `${table.schema}.${table.name}.${column}`,
    grants: initialGrants(state.catalog, 'sequences', table.schema, state.currentRole),
    platform: false,
    origin: originHere(state),
  };
  state.catalog.sequences.set(qualified, sequence);
  return qualified;
}

function chooseSequenceName(state: ReplayState, table: Table, column: string): string {
  return chooseName(table.name, column, 'seq', (name) => isRelationNameTaken(state, table.schema, name));
}

/** The `nextval('...'::regclass)` default PostgreSQL gives a serial column, printed like pg_get_expr. */
export function nextvalDefault(sequence: string): string {
  const [schema, name] = [sequence.slice(0, sequence.indexOf('.')), sequence.slice(sequence.indexOf('.') + 1)];
  return `nextval('${schema === 'public' ? name : sequence}'::regclass)`;
}

/**
 * The table a statement works on, resolved along the search path. When it does not exist, the
 * reference is reported (unless `ifExists`) and undefined is returned.
 */
export function tableFor(state: ReplayState, relation: RangeVar | undefined, ifExists = false): Table | undefined {
  if (!relation) return undefined;
  const qualified = resolveRelation(state, relation);
  const table = state.catalog.tables.get(qualified);
  if (!table && !state.catalog.views.has(qualified)) reportMissing(state, 'table', qualified, ifExists);
  return table;
}
