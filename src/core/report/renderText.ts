import type { Finding } from '../finding';
import { describeSummary, summarizeReport, type DisplayPath, type ReportInput } from './summarizeReport';
import { printableMessage } from './printableMessage';

/**
 * The text report: one line per finding in the compiler format editors and CI problem matchers
 * understand, `path:line:col: level rule_name: message`, then a blank line and the summary.
 */
export function renderText(report: ReportInput, displayPath: DisplayPath = (file) => file): string {
  const lines = report.findings.map((finding) => formatFindingLine(finding, displayPath));
  if (lines.length > 0) lines.push('');
  lines.push(describeSummary(summarizeReport(report)));
  return `${lines.join('\n')}\n`;
}

/** `path:line:col: level rule_name: message`; a finding without a place in a file starts with its object instead. */
export function formatFindingLine(finding: Finding, displayPath: DisplayPath = (file) => file): string {
  const where = finding.span ? `${displayPath(finding.span.file)}:${finding.span.line}:${finding.span.column}` : finding.object;
  return `${where}: ${finding.level} ${finding.rule}: ${printableMessage(finding.message)}`;
}
