/**
 * A deep copy of a catalog that the replay can go on mutating while the original stays as it was:
 * the Analyzer keeps the catalog as it stood before the file being edited, and replays only from
 * that file on. Parse trees and source spans are never mutated after they are made, so the copy
 * shares them; everything else (Maps, Sets, arrays, objects) is copied.
 */
import type { Catalog } from './model';
import { copyReplayMemory } from './replay/replayMemory';

/** Fields whose values are immutable once made: parse trees and source spans. */
const SHARED_FIELDS = new Set(['ast', 'definedAt', 'changedAt', 'rlsChangedAt', 'writtenAt', 'span']);

/** Copies a catalog (and the replay's memory of it) so that changing one never changes the other. */
export function cloneCatalog(catalog: Catalog): Catalog {
  const copy = cloneValue(catalog) as Catalog;
  copyReplayMemory(catalog, copy);
  return copy;
}

function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map) {
    const map = new Map();
    for (const [key, item] of value) map.set(key, cloneValue(item));
    return map;
  }
  if (value instanceof Set) return new Set(value);
  if (Array.isArray(value)) return value.map(cloneValue);
  const source = value as Record<string, unknown>;
  const object: Record<string, unknown> = {};
  for (const key in source) {
    const item = source[key];
    object[key] = SHARED_FIELDS.has(key) ? item : cloneValue(item);
  }
  return object;
}
