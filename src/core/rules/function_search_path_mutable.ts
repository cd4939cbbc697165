import { functionSignature } from '../catalog/functionSignature';
import { objectKey } from '../catalog/model';
import type { TextEdit } from '../finding';
import type { SourceSpan } from '../sql/span';
import { tokenize } from '../sql/statementTokens';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'function_search_path_mutable',
  name: 'Function Search Path Mutable',
  level: 'warning',
  category: 'security',
  needs: 'S',
  description: 'A function does not set search_path, so the objects it names are resolved along the caller\'s search path, which a caller can change to run its own objects instead.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const fn of catalog.functions.values()) {
      if (fn.platform || fn.extension !== undefined || context.isManagedSchema(fn.schema)) continue;
      // Aggregates have no SET clause; their support functions are checked on their own.
      if (fn.kind === 'aggregate' || fn.config.has('search_path')) continue;
      const span = fn.origin.definedAt;
      const statementText = span ? context.sourceText?.(span) : undefined;
      const edit = span && statementText !== undefined ? insertSearchPathOnce(span, statementText) : undefined;
      reports.push({
        object: fn.key,
        objectKey: objectKey.function(fn.key),
        message: `${fn.kind === 'procedure' ? 'Procedure' : 'Function'} ${fn.key} has no fixed search_path${fn.securityDefiner ? ', and it is SECURITY DEFINER' : ''}.`,
        span,
        fix: {
          title: `Set search_path = '' on ${fn.key}`,
          sql: `alter ${fn.kind === 'procedure' ? 'procedure' : 'function'} ${functionSignature(fn)} set search_path = '';\n`,
          ...(edit ? { edit } : {}),
        },
      });
    }
    return reports;
  },
});

/**
 * Edits already computed, by the span of their statement. A span belongs to one parse of one file
 * text, and the Analyzer keeps the parses of unchanged files, so on a re-check the scan below runs
 * only for functions of edited files (scanning every function took several milliseconds each run).
 */
const editsBySpan = new WeakMap<SourceSpan, TextEdit | undefined>();

function insertSearchPathOnce(span: SourceSpan, statementText: string): TextEdit | undefined {
  if (!editsBySpan.has(span)) editsBySpan.set(span, insertSearchPath(span.file, span.start, statementText));
  const edit = editsBySpan.get(span);
  // A copy, so that findings of two runs never share an object.
  return edit ? { ...edit } : undefined;
}

/**
 * An edit of the CREATE FUNCTION statement that adds `set search_path = ''` just before its body
 * (`AS`, or a SQL-standard `BEGIN ATOMIC` / `RETURN` body), on the body's own line when the body
 * starts a line. The statement is tokenized, not searched as text, so an `as` inside a default
 * value, a string or a comment is never taken for the body. The statement parsed, so our lexer
 * and PostgreSQL's scanner agree on its tokens; ours costs no WASM call.
 */
function insertSearchPath(file: string, statementStart: number, statementText: string): TextEdit | undefined {
  const tokens = tokenize(statementText);
  const argumentsOpen = tokens.findIndex((token) => token.text === '(');
  if (argumentsOpen < 0) return undefined;
  let depth = 0;
  let bodyToken = -1;
  for (let i = argumentsOpen; i < tokens.length; i++) {
    const text = tokens[i].text;
    const keyword = tokens[i].keyword;
    if (text === '(' || text === '[') depth++;
    else if (text === ')' || text === ']') depth--;
    else if (depth === 0 && keyword !== undefined && isBodyStart(keyword, tokens[i + 1]?.keyword)) {
      bodyToken = i;
      break;
    }
  }
  if (bodyToken < 0) return undefined;
  const at = tokens[bodyToken].start;
  // Comments are not tokens: what precedes the body is the white space after the last of them.
  const gap = statementText.slice(tokens[bodyToken - 1].end, at);
  const before = gap.slice(gap.trimEnd().length);
  // Repeat the line break (CRLF included) and indentation that precede the body, if any.
  const lineBreak = before.lastIndexOf('\n');
  const separator = lineBreak < 0 ? ' ' : before.slice(before[lineBreak - 1] === '\r' ? lineBreak - 1 : lineBreak);
  return { file, start: statementStart + at, end: statementStart + at, text: `set search_path = ''${separator}` };
}

function isBodyStart(keyword: string, next: string | undefined): boolean {
  return keyword === 'as' || keyword === 'return' || (keyword === 'begin' && next === 'atomic');
}
