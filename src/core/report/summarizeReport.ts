/**
 * What every report format is rendered from, and the counts they share.
 */
import type { Finding, Level } from '../finding';

/** The result of one check, as the renderers take it. */
export interface ReportInput {
  /** In file order, then position, as `analyze` sorts them. */
  findings: readonly Finding[];
  /** Number of migration files checked. */
  files: number;
  /** Number of statements parsed in them. */
  statements: number;
}

/** Counts for a report's summary: the JSON `summary` object, and the headers of text and Markdown. */
export interface ReportSummary {
  byLevel: Record<Level, number>;
  /** Rule id → number of findings, in rule id order. */
  byRule: Record<string, number>;
  files: number;
  statements: number;
}

/** Counts the findings by level and by rule. */
export function summarizeReport(report: ReportInput): ReportSummary {
  const byLevel: Record<Level, number> = { error: 0, warning: 0, info: 0 };
  const byRuleUnsorted = new Map<string, number>();
  for (const finding of report.findings) {
    byLevel[finding.level]++;
    byRuleUnsorted.set(finding.rule, (byRuleUnsorted.get(finding.rule) ?? 0) + 1);
  }
  const byRule: Record<string, number> = {};
  for (const rule of [...byRuleUnsorted.keys()].sort()) byRule[rule] = byRuleUnsorted.get(rule) as number;
  return { byLevel, byRule, files: report.files, statements: report.statements };
}

/** "2 errors, 1 warning, 0 info in 12 migration files (340 statements)". */
export function describeSummary(summary: ReportSummary): string {
  const { error, warning, info } = summary.byLevel;
  return (
    `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info` +
    ` in ${plural(summary.files, 'migration file')} (${plural(summary.statements, 'statement')})`
  );
}

/** How a report names a file: the CLI passes a function that makes paths relative to the working directory. */
export type DisplayPath = (file: string) => string;

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
