import { fixIdentity, needsStatementEdit, type Finding, type Fix } from '../finding';
import { renderFixMigration } from './renderFixMigration';

/** How one rule fares in a bulk fix migration. */
export interface BulkFixRule {
  rule: string;
  /** Findings of the rule whose fix the migration holds. */
  findings: number;
  /** Fixes written under the rule's header: identical fixes once, and none already written under another rule. */
  fixes: number;
}

/** A finding with a fix that a new migration cannot hold, and why. */
export interface SkippedFix {
  finding: Finding;
  reason: string;
}

/** The one fix migration of a project ("pgreview fix", "Fix All", "Fix All of This Rule"). */
export interface BulkFixPlan {
  /** The title of the migration, which also names its file. */
  title: string;
  /** The migration's SQL: per rule a comment header, then its fixes. Empty when nothing is fixed. */
  sql: string;
  /** The rules with fixes in the migration, in the order written. */
  rules: BulkFixRule[];
  skipped: SkippedFix[];
}

/**
 * Gathers the fixes that need no choice (`finding.fix`, never suggestions) of `findings` into one
 * migration, grouped by rule in rule-id order, with a comment header per rule. An identical fix is
 * written once in the whole file: two rules that enable RLS on one table write it under the first.
 * With `rules`, only those rules' findings count. Fixes that only make sense as an edit of their
 * statement (`needsStatementEdit`) are listed as skipped.
 */
export function planBulkFixes(findings: readonly Finding[], rules?: readonly string[]): BulkFixPlan {
  const wanted = rules && rules.length > 0 ? new Set(rules) : undefined;
  const byRule = new Map<string, Fix[]>();
  const counted = new Map<string, number>();
  const skipped: SkippedFix[] = [];
  for (const finding of findings) {
    if (!finding.fix || (wanted && !wanted.has(finding.rule))) continue;
    if (needsStatementEdit(finding.fix)) {
      skipped.push({
        finding,
        reason: finding.fix.editOnly
          ? 'the fix is an edit of the statement itself (the quick fix in the editor); a new migration beside it would fail'
          : 'the fix edits the statement (NOT VALID) and then adds a migration (VALIDATE); the quick fix in the editor does both',
      });
      continue;
    }
    byRule.set(finding.rule, [...(byRule.get(finding.rule) ?? []), finding.fix]);
    counted.set(finding.rule, (counted.get(finding.rule) ?? 0) + 1);
  }
  const written = new Set<string>();
  const planned: BulkFixRule[] = [];
  const sections: string[] = [];
  for (const rule of [...byRule.keys()].sort()) {
    const fixes = byRule.get(rule)!.filter((fix) => !written.has(fixIdentity(fix)));
    const body = renderFixMigration(fixes);
    const fixCount = body === '' ? 0 : new Set(fixes.map(fixIdentity)).size;
    fixes.forEach((fix) => written.add(fixIdentity(fix)));
    planned.push({ rule, findings: counted.get(rule) ?? 0, fixes: fixCount });
    if (body !== '') sections.push(`-- ${rule}: ${fixCount} ${fixCount === 1 ? 'fix' : 'fixes'} for ${counted.get(rule)} ${counted.get(rule) === 1 ? 'finding' : 'findings'}\n\n${body}`);
  }
  return { title: bulkFixTitle(rules), sql: sections.join('\n\n'), rules: planned, skipped };
}

/** "Fixes", or "Fixes of <rule>, <rule>" when limited to rules: the CLI and the editor name the file alike. */
function bulkFixTitle(rules: readonly string[] | undefined): string {
  return rules && rules.length > 0 ? `Fixes of ${[...new Set(rules)].sort().join(', ')}` : 'Fixes';
}
