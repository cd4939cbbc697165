import type { Finding, TextEdit } from './finding';
import type { ParsedFile } from './sql/parseSqlFile';

const IGNORE_LINE = /--\s*pgreview-ignore(?!-file)\b\s*([\w\s,]*)/;
const IGNORE_FILE = /--\s*pgreview-ignore-file\b\s*([\w\s,]*)/g;

/**
 * Drops findings silenced in the SQL: `-- pgreview-ignore rule_a, rule_b` on the line before the
 * statement, or `-- pgreview-ignore-file rule_a` anywhere in the file. A comment naming no rule
 * silences every rule.
 */
export function applySuppressions(findings: Finding[], files: ParsedFile[]): Finding[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const fileIgnores = new Map<string, Set<string> | 'all'>();
  for (const file of files) {
    if (!mentionsIgnore(file)) continue;
    for (const match of file.text.matchAll(IGNORE_FILE)) mergeIgnores(fileIgnores, file.path, ruleNames(match[1]));
  }
  return findings.filter((finding) => {
    const span = finding.span;
    if (!span) return true;
    if (isIgnored(fileIgnores.get(span.file), finding.rule)) return false;
    const file = byPath.get(span.file);
    if (!file || span.line < 2 || !mentionsIgnore(file)) return true;
    const statement = file.statements.find((s) => s.span.start <= span.start && span.start <= s.span.end);
    const firstLine = statement ? statement.span.line : span.line;
    for (const line of [firstLine - 1, span.line - 1]) {
      const match = IGNORE_LINE.exec(file.lines.lineText(line));
      if (match && isIgnored(ruleNames(match[1]), finding.rule)) return false;
    }
    return true;
  });
}

/**
 * Whether a file has any pgreview-ignore comment, by parse: the Analyzer keeps the parses of
 * unchanged files, so a re-check searches only edited files, and findings in files without such
 * a comment (nearly all of them) skip the line lookups below.
 */
const mentionsIgnoreByFile = new WeakMap<ParsedFile, boolean>();

function mentionsIgnore(file: ParsedFile): boolean {
  let mentions = mentionsIgnoreByFile.get(file);
  if (mentions === undefined) {
    mentions = file.text.includes('pgreview-ignore');
    mentionsIgnoreByFile.set(file, mentions);
  }
  return mentions;
}

function ruleNames(list: string): Set<string> | 'all' {
  const names = list.split(/[\s,]+/).filter(Boolean);
  return names.length === 0 ? 'all' : new Set(names);
}

function mergeIgnores(map: Map<string, Set<string> | 'all'>, path: string, names: Set<string> | 'all'): void {
  const existing = map.get(path);
  if (existing === 'all' || names === 'all') map.set(path, 'all');
  else map.set(path, new Set([...(existing ?? []), ...names]));
}

function isIgnored(ignores: Set<string> | 'all' | undefined, rule: string): boolean {
  return ignores === 'all' || (ignores !== undefined && ignores.has(rule));
}

/** A comment that silences a finding: the code action's title and the edit that writes it. */
export interface IgnoreComment {
  title: string;
  edit: TextEdit;
}

/**
 * Puts `-- pgreview-ignore <rule>` on the line above the finding's statement, or adds the rule to
 * such a comment already there: suppression applies it to the whole statement. A finding on a
 * clause inside the statement (a foreign key's REFERENCES) says so in the title, and so does a
 * comment that silences more of `findings` than this one. `file` is the parse the finding came from.
 */
export function ignoreStatementComment(file: ParsedFile, finding: Finding, findings: readonly Finding[]): IgnoreComment | undefined {
  const span = finding.span;
  if (!span || span.file !== file.path) return undefined;
  const statement = file.statements.find((candidate) => candidate.span.start <= span.start && span.start <= candidate.span.end);
  const line = statement?.span.line ?? span.line;
  const silenced = statement
    ? findings.filter((other) => other.rule === finding.rule && other.span?.file === span.file && statement.span.start <= other.span.start && other.span.start <= statement.span.end).length
    : 1;
  const title = span.line === line && silenced <= 1
    ? `Ignore ${finding.rule} for this statement`
    : `Ignore ${finding.rule} for the whole statement (line ${line}${silenced > 1 ? `, ${silenced} findings` : ''})`;
  const previous = line > 1 ? file.lines.lineText(line - 1) : undefined;
  if (previous !== undefined && /--\s*pgreview-ignore\s+\w/.test(previous) && !previous.includes('pgreview-ignore-file')) {
    const end = file.lines.lineStart(line - 1) + previous.length;
    return { title, edit: { file: file.path, start: end, end, text: `, ${finding.rule}` } };
  }
  const indentation = /^\s*/.exec(file.lines.lineText(line))?.[0] ?? '';
  const start = file.lines.lineStart(line);
  return { title, edit: { file: file.path, start, end: start, text: `${indentation}-- pgreview-ignore ${finding.rule}\n` } };
}

/**
 * Puts `-- pgreview-ignore-file <rule>` on the file's first line, or adds the rule to such a
 * comment already there, which silences the rule everywhere in the file.
 */
export function ignoreFileComment(file: ParsedFile, rule: string): IgnoreComment {
  const title = `Ignore ${rule} in this file`;
  const first = file.lines.lineText(1);
  if (/^--\s*pgreview-ignore-file\s+\w/.test(first)) {
    return { title, edit: { file: file.path, start: first.length, end: first.length, text: `, ${rule}` } };
  }
  return { title, edit: { file: file.path, start: 0, end: 0, text: `-- pgreview-ignore-file ${rule}\n` } };
}
