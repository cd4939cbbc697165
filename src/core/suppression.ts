import type { Finding } from './finding';
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
