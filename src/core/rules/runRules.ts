import { throwIfCancelled, type CancellationToken } from '../cancellation';
import type { Catalog } from '../catalog/model';
import { isManagedSchema } from '../catalog/platform';
import type { ResolvedConfig } from '../config';
import type { Finding, Level } from '../finding';
import type { Rule, RuleReport } from './defineRule';
import type { RuleContext } from './ruleContext';
import { allRules } from './index';

/**
 * The rules that judge a whole catalog, with their check: not the engine's own (reported by the
 * replay), not the migration-safety rules (judged statement by statement during the replay), not
 * those the config turns off, and the L rules only on a live database's catalog, since nothing
 * else carries what they judge.
 */
export function catalogRules(config: ResolvedConfig, source: Catalog['source']): Array<Rule & Required<Pick<Rule, 'check'>>> {
  return allRules.filter((rule): rule is Rule & Required<Pick<Rule, 'check'>> =>
    rule.check !== undefined && rule.needs !== 'engine' && config.rules[rule.id] !== 'off' && (rule.needs !== 'L' || source === 'database'));
}

/** A rule's report as a finding, at the level the config sets, else the report's, else the rule's; undefined when the config turns the rule off. */
export function findingOf(rule: Rule, config: ResolvedConfig, report: RuleReport): Finding | undefined {
  const setting = config.rules[rule.id];
  if (setting === 'off') return undefined;
  const level: Level = setting ?? report.level ?? rule.level;
  return { rule: rule.id, category: rule.category, key: `${rule.id}:${report.objectKey}`, ...report, level };
}

/**
 * Runs the catalog rules over a catalog that did not come from migration files: a live database
 * or a shadow. Findings name objects and have no span; levels and `off` come from the config, as
 * for migrations.
 */
export function runRules(catalog: Catalog, config: ResolvedConfig, token?: CancellationToken): Finding[] {
  const context: RuleContext = { profile: config.profile, isManagedSchema: (schema) => isManagedSchema(config.profile, schema) };
  const findings: Finding[] = [];
  for (const rule of catalogRules(config, catalog.source)) {
    throwIfCancelled(token);
    for (const report of rule.check(catalog, context)) findings.push(findingOf(rule, config, report)!);
  }
  return findings.sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
}
