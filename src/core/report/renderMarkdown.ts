/**
 * The Markdown report: a review a bot can post as a pull request comment. Counts first, then one
 * section per table (policies, columns and constraints count as their table's), worst first, with
 * each finding's place and its fix SQL.
 */
import { levelRank, type Finding, type Level } from '../finding';
import { describeSummary, summarizeReport, type DisplayPath, type ReportInput } from './summarizeReport';
import { printableMessage } from './printableMessage';

export interface MarkdownOptions {
  /** The heading of the comment. */
  title?: string;
  displayPath?: DisplayPath;
  /**
   * Sections that would make the report longer than this many characters are left out, with a
   * note saying how many findings are missing. GitHub rejects comments above 65,536 characters.
   */
  maxLength?: number;
}

/** Renders the review report as GitHub-flavoured Markdown. */
export function renderMarkdown(report: ReportInput, options: MarkdownOptions = {}): string {
  const displayPath = options.displayPath ?? ((file: string) => file);
  const summary = summarizeReport(report);
  const out: string[] = [`## ${options.title ?? 'pgreview schema review'}`, '', `**${describeSummary(summary)}**`, ''];
  if (report.findings.length === 0) {
    out.push('No findings.');
    return `${out.join('\n')}\n`;
  }
  out.push('| Rule | Level | Findings |', '| --- | --- | ---: |');
  const levelOfRule = new Map<string, Level>();
  for (const finding of report.findings) {
    const known = levelOfRule.get(finding.rule);
    if (!known || levelRank[finding.level] > levelRank[known]) levelOfRule.set(finding.rule, finding.level);
  }
  for (const [rule, count] of Object.entries(summary.byRule)) out.push(`| \`${rule}\` | ${levelOfRule.get(rule)} | ${count} |`);
  out.push('');
  const maxLength = options.maxLength ?? 60_000;
  let length = out.join('\n').length;
  let left = report.findings.length;
  for (const group of groupByTable(report.findings)) {
    const section = [`### ${group.title}`, ''];
    for (const finding of group.findings) {
      const where = finding.span ? ` (\`${displayPath(finding.span.file)}:${finding.span.line}\`)` : '';
      section.push(`- **${finding.level}** \`${finding.rule}\`: ${escapeMarkdown(printableMessage(finding.message))}${where}`);
      if (finding.fix) section.push('', `  ${escapeMarkdown(finding.fix.title)}:`, '', ...fenceSql(finding.fix.sql).map((line) => `  ${line}`), '');
      // Suggestions need a person's choice, so they stay folded: the fix above is the one obvious answer.
      for (const suggestion of finding.suggestions ?? []) {
        section.push('', `  <details><summary>Suggestion: ${escapeMarkdown(suggestion.title)}</summary>`, '', ...fenceSql(suggestion.sql).map((line) => `  ${line}`), '', '  </details>', '');
      }
    }
    section.push('');
    const sectionLength = section.join('\n').length + 1;
    if (length + sectionLength > maxLength) {
      out.push(`_${left} more finding${left === 1 ? ' is' : 's are'} not shown, to keep this comment short: run \`pgreview check\` for the full list._`);
      break;
    }
    out.push(...section);
    length += sectionLength;
    left -= group.findings.length;
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

interface FindingGroup {
  title: string;
  worst: Level;
  findings: Finding[];
}

/** Groups findings by the table they concern; other objects (functions, views, files) get a group each. */
function groupByTable(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const finding of findings) {
    const title = groupTitle(finding);
    let group = groups.get(title);
    if (!group) {
      group = { title, worst: finding.level, findings: [] };
      groups.set(title, group);
    }
    group.findings.push(finding);
    if (levelRank[finding.level] > levelRank[group.worst]) group.worst = finding.level;
  }
  return [...groups.values()].sort((a, b) => levelRank[b.worst] - levelRank[a.worst] || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
}

/** The section a finding belongs to, from its object key (`policy:public.bookings/Owner reads` → table public.bookings). */
function groupTitle(finding: Finding): string {
  const colon = finding.objectKey.indexOf(':');
  const kind = colon < 0 ? '' : finding.objectKey.slice(0, colon);
  const name = finding.objectKey.slice(colon + 1);
  switch (kind) {
    case 'table':
      return `Table \`${name}\``;
    case 'policy':
    case 'constraint':
    case 'trigger':
      return `Table \`${name.slice(0, name.lastIndexOf('/'))}\``;
    case 'column':
      return `Table \`${name.slice(0, name.lastIndexOf('.'))}\``;
    case 'file':
      // Engine findings (syntax errors) key their object by file and line; the section is the file.
      return `File \`${finding.span?.file ?? name}\``;
    case '':
      return `\`${finding.object}\``;
    default:
      return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} \`${name}\``;
  }
}

/** A fenced SQL block whose fence is longer than any backtick run inside the SQL. */
function fenceSql(sql: string): string[] {
  const longestRun = Math.max(2, ...(sql.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return [`${fence}sql`, ...sql.trimEnd().split('\n'), fence];
}

/** Keeps a message from turning into HTML or breaking the list item. */
function escapeMarkdown(text: string): string {
  return text.replace(/[<>]/g, (char) => (char === '<' ? '&lt;' : '&gt;')).replace(/\n+/g, ' ');
}
