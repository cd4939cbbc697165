import { throwIfCancelled, type CancellationToken } from '../cancellation';
import type { Catalog } from '../catalog/model';
import { isManagedSchema } from '../catalog/platform';
import type { ResolvedConfig } from '../config';
import type { Finding, Level } from '../finding';
import type { RuleContext } from './ruleContext';
import { allRules } from './index';

/**
 * Runs every rule's check over a catalog that did not come from migration files: a live database
 * or a shadow. The L rules (statistics, installed versions, data) run only on a `database`
 * catalog, since nothing else carries what they judge. Findings name objects and have no span;
 * levels and `off` come from the config, as for migrations.
 */
export function runRules(catalog: Catalog, config: ResolvedConfig, token?: CancellationToken): Finding[] {
  const context: RuleContext = { profile: config.profile, isManagedSchema: (schema) => isManagedSchema(config.profile, schema) };
  const findings: Finding[] = [];
  for (const rule of allRules) {
    const setting = config.rules[rule.id];
    if (rule.needs === 'engine' || rule.needs === 'M' || !rule.check || setting === 'off') continue;
    if (rule.needs === 'L' && catalog.source !== 'database') continue;
    throwIfCancelled(token);
    for (const report of rule.check(catalog, context)) {
      const level: Level = setting ?? report.level ?? rule.level;
      findings.push({ rule: rule.id, category: rule.category, key: `${rule.id}:${report.objectKey}`, ...report, level });
    }
  }
  return findings.sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
}
