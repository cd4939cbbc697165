/**
 * Caches what a rule reports about one catalog object by the object's identity. On a re-check the
 * Analyzer shares every table the replay did not touch with its checkpoint (`cloneCatalogForReplay`),
 * and a shared table is never changed, so a rule that judges a table by the table alone (and the
 * profile) finds its reports already computed for all but the tables the edit touched.
 *
 * Use it only for a judgement that reads nothing but `object`, `key` and `context.profile`
 * (through `context.isManagedSchema`), not other catalog objects: anything else it reads goes into
 * `key`. `context.sourceText` of the object's own spans is safe when `key` says whether the
 * context has it: a table shared with the checkpoint comes from files whose text is unchanged.
 */
import type { RuleReport } from './defineRule';
import type { RuleContext } from './ruleContext';

/**
 * `judge` wrapped so that it runs once per object (and key and profile). It usually returns the
 * object's reports; a rule that combines objects caches what it reads of each one the same way
 * (what a table's policies read, which of its columns look like references). Callers only read
 * the cached value, never change it.
 */
export function memoizeByObject<T extends object, R = RuleReport[]>(
  judge: (object: T, key: string, context: RuleContext) => R,
): (object: T, key: string, context: RuleContext) => R {
  const cache = new WeakMap<T, { key: string; profile: RuleContext['profile']; value: R }>();
  return (object, key, context) => {
    const cached = cache.get(object);
    if (cached && cached.key === key && cached.profile === context.profile) return cached.value;
    const value = judge(object, key, context);
    cache.set(object, { key, profile: context.profile, value });
    return value;
  };
}
