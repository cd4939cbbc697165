import type { Node, RangeVar } from '@pgsql/types';
import type { ReplayState } from './replayState';

/** The schema an unqualified name is created in: the first schema of the search path. */
export function creationSchema(state: ReplayState): string {
  return state.searchPath[0] ?? 'public';
}

/** `schema.name` of a RangeVar being created. */
export function qualifyForCreate(state: ReplayState, relation: RangeVar): string {
  return `${relation.schemaname ?? creationSchema(state)}.${relation.relname}`;
}

/**
 * `schema.name` of an existing relation: an unqualified name resolves along the search path to
 * the first schema that has it, as PostgreSQL does; if none has it, the creation schema.
 */
export function resolveRelation(state: ReplayState, relation: RangeVar): string {
  if (relation.schemaname) return `${relation.schemaname}.${relation.relname}`;
  for (const schema of state.searchPath) {
    const qualified = `${schema}.${relation.relname}`;
    if (state.catalog.tables.has(qualified) || state.catalog.views.has(qualified) || state.catalog.sequences.has(qualified)) return qualified;
  }
  return `${creationSchema(state)}.${relation.relname}`;
}

/** The string values of a list of `String` nodes, such as a qualified function or type name. */
export function stringList(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).map((node) => ('String' in node ? node.String.sval ?? '' : ''));
}
