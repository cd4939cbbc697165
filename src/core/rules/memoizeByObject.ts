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

/** `judge` wrapped so that it runs once per object (and key and profile). */
export function memoizeByObject<T extends object>(
  judge: (object: T, key: string, context: RuleContext) => RuleReport[],
): (object: T, key: string, context: RuleContext) => RuleReport[] {
  const cache = new WeakMap<T, { key: string; profile: RuleContext['profile']; reports: RuleReport[] }>();
  return (object, key, context) => {
    const cached = cache.get(object);
    if (cached && cached.key === key && cached.profile === context.profile) return cached.reports;
    const reports = judge(object, key, context);
    cache.set(object, { key, profile: context.profile, reports });
    return reports;
  };
}
