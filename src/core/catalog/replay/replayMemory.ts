/**
 * What the replay remembers across statements and files beyond the catalog itself: which objects
 * were dropped (for object_dropped_but_referenced), whether dynamic SQL ran, and which table owns
 * each index name (index names share the schema's namespace with tables). It is keyed by the
 * catalog, so analyze.ts needs no extra state and every replay starts fresh.
 */
import type { Catalog } from '../model';
import type { SourceSpan } from '../../sql/span';

/** Replay bookkeeping that is not part of the schema itself. */
export interface ReplayMemory {
  /** Object key (`table:public.t`, `column:public.t.c`, `function:public.f(uuid)`) → the DROP or RENAME that removed it. */
  dropped: Map<string, { span: SourceSpan; renamedTo?: string }>;
  /** True once a DO block was met: from then on a missing object may have been created dynamically. */
  sawDynamicSql: boolean;
  /** Qualified index name (`public.bookings_pkey`) → qualified name of its table or materialized view. */
  indexOwners: Map<string, string>;
}

const memories = new WeakMap<Catalog, ReplayMemory>();

/** The replay memory of a catalog, created on first use from the indexes already in it (the platform's). */
export function replayMemoryOf(catalog: Catalog): ReplayMemory {
  let memory = memories.get(catalog);
  if (!memory) {
    memory = { dropped: new Map(), sawDynamicSql: false, indexOwners: new Map() };
    for (const [qualified, table] of catalog.tables) {
      for (const index of table.indexes.keys()) memory.indexOwners.set(`${table.schema}.${index}`, qualified);
    }
    for (const [qualified, view] of catalog.views) {
      for (const index of view.indexes.keys()) memory.indexOwners.set(`${view.schema}.${index}`, qualified);
    }
    memories.set(catalog, memory);
  }
  return memory;
}

/** Gives `to` (a copy of `from`) its own copy of the replay memory of `from`. */
export function copyReplayMemory(from: Catalog, to: Catalog): void {
  const memory = memories.get(from);
  if (!memory) return;
  memories.set(to, { dropped: new Map(memory.dropped), sawDynamicSql: memory.sawDynamicSql, indexOwners: new Map(memory.indexOwners) });
}
