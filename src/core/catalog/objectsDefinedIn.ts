/**
 * The objects a migration file creates, found through their origins in a catalog: the outline an
 * editor shows for the file (document symbols). Asked of the catalog as it stands once the file
 * ran, it lists what the file made and what still exists then, with schema-qualified names and the
 * names PostgreSQL chose for unnamed indexes.
 */
import type { Catalog, Origin } from './model';
import type { SourceSpan } from '../sql/span';

export type DefinedObjectKind = 'table' | 'view' | 'materialized_view' | 'function' | 'policy' | 'index';

/** An object created by a statement of the file. */
export interface DefinedObject {
  kind: DefinedObjectKind;
  /** `public.bookings`, `public.get_user(uuid)`; a policy's or index's own name. */
  name: string;
  /** For a policy or index: the qualified table (or materialized view) it belongs to. */
  parent?: string;
  /** The statement that created it. */
  span: SourceSpan;
}

/**
 * The tables, views, functions, policies and indexes (other than those a constraint makes) of
 * `catalog` that a statement of `file` created, in the order of their statements.
 */
export function objectsDefinedIn(catalog: Catalog, file: string): DefinedObject[] {
  const found: DefinedObject[] = [];
  const add = (kind: DefinedObjectKind, name: string, origin: Origin, parent?: string): void => {
    if (origin.definedAt?.file === file) found.push({ kind, name, parent, span: origin.definedAt });
  };
  for (const [qualified, table] of catalog.tables) {
    add('table', qualified, table.origin);
    for (const policy of table.policies.values()) add('policy', policy.name, policy.origin, qualified);
    for (const index of table.indexes.values()) if (index.constraint === undefined) add('index', index.name, index.origin, qualified);
  }
  for (const [qualified, view] of catalog.views) {
    add(view.kind, qualified, view.origin);
    for (const index of view.indexes.values()) add('index', index.name, index.origin, qualified);
  }
  for (const func of catalog.functions.values()) add('function', func.key, func.origin);
  return found.sort((a, b) => a.span.start - b.span.start);
}
