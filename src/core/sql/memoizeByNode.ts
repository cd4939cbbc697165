/**
 * Caches a pure function of a parse tree by the tree's identity. The Analyzer keeps the parse of
 * unchanged files between runs, so on a re-check every rule that derives facts from expressions
 * (which calls a policy makes, which keys it reads) finds them already computed; a tree that is
 * no longer referenced drops out of the cache with it.
 */
import type { Node } from '@pgsql/types';

/** `compute` wrapped so that it runs once per tree object; undefined trees give undefined. */
export function memoizeByNode<T>(compute: (node: Node) => T): (node: Node | undefined) => T | undefined {
  // One WeakMap lookup per hit and two per miss (a lookup costs about a microsecond in a cold
  // process, and rules look up thousands of trees): an undefined result is stored as a marker.
  const cache = new WeakMap<Node, T | typeof UNDEFINED>();
  return (node) => {
    if (node === undefined) return undefined;
    const cached = cache.get(node);
    if (cached !== undefined) return cached === UNDEFINED ? undefined : (cached as T);
    const value = compute(node);
    cache.set(node, value === undefined ? UNDEFINED : value);
    return value;
  };
}

const UNDEFINED: unique symbol = Symbol('undefined');
