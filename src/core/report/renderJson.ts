import type { Category, Level } from '../finding';
import { summarizeReport, type ReportInput, type ReportSummary } from './summarizeReport';
import { printableMessage } from './printableMessage';

/**
 * One finding in the JSON report. This shape is a public contract (issue 2, CLI contract): add
 * fields if needed, never rename or remove one.
 */
export interface JsonFinding {
  rule: string;
  level: Level;
  category: Category;
  message: string;
  /** Qualified object name, `public.bookings` or `public.get_user(uuid)`. */
  object: string;
  /**
   * As every format names files: relative to the working directory on the command line (the
   * project directory elsewhere); null only for findings on objects no file defines.
   */
  file: string | null;
  /** 1-based; the end column is that of the character after the statement, as in SARIF. */
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  fix?: { title: string; sql: string };
}

/** The JSON report, `version: 1`. */
export interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  summary: ReportSummary;
}

/** Builds the JSON report value (the CLI's `--format json`). */
export function buildJsonReport(report: ReportInput, displayPath: (file: string) => string = (file) => file): JsonReport {
  const findings = report.findings.map((finding): JsonFinding => {
    const span = finding.span;
    const entry: JsonFinding = {
      rule: finding.rule,
      level: finding.level,
      category: finding.category,
      message: printableMessage(finding.message),
      object: finding.object,
      file: span ? displayPath(span.file) : null,
      line: span ? span.line : null,
      column: span ? span.column : null,
      endLine: span ? span.endLine : null,
      endColumn: span ? span.endColumn : null,
    };
    if (finding.fix) entry.fix = { title: finding.fix.title, sql: finding.fix.sql };
    return entry;
  });
  return { version: 1, findings, summary: summarizeReport(report) };
}

/** The JSON report as text, pretty-printed, ending with a newline. */
export function renderJson(report: ReportInput, displayPath?: (file: string) => string): string {
  return `${JSON.stringify(buildJsonReport(report, displayPath), null, 2)}\n`;
}
