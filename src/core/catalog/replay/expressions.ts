import type { Node } from '@pgsql/types';
import type { Expression } from '../model';
import type { ParsedStatement } from '../../sql/parseSqlFile';
import { StatementTokens } from '../../sql/statementTokens';
import type { ReplayState } from './replayState';

const tokensByStatement = new WeakMap<ParsedStatement, StatementTokens>();

/**
 * The scanner tokens of the current statement, scanned once and only when a statement needs
 * expression text: most statements never pay for it.
 */
export function tokensOf(state: ReplayState): StatementTokens {
  let tokens = tokensByStatement.get(state.statement);
  if (!tokens) {
    tokens = new StatementTokens(state.statement, state.file.lines);
    tokensByStatement.set(state.statement, tokens);
  }
  return tokens;
}

/**
 * The expression inside the parentheses after `words` (such as `['using']` or `['with', 'check']`),
 * searched from the token at `location`: the text exactly as written, and its parse tree.
 */
export function expressionInParentheses(state: ReplayState, node: Node | undefined, location: number | undefined, words: string[]): Expression | undefined {
  if (!node) return undefined;
  const tokens = tokensOf(state);
  const slice = tokens.parenthesizedAfter(tokens.indexAtLocation(location), words);
  return { text: slice?.text ?? '', ast: node };
}

/** Keywords that end a column default inside a column definition (`default now() not null`). */
export const COLUMN_CONSTRAINT_KEYWORDS: ReadonlySet<string> = new Set([
  'not', 'null', 'constraint', 'primary', 'unique', 'check', 'references', 'default', 'generated', 'collate',
  'deferrable', 'initially',
]);

/**
 * The expression after the keywords `words`, searched from the token at `location`, up to a comma,
 * a closing parenthesis or one of `stopKeywords` at its own depth. The returned `next` lets a caller
 * continue after it (ALTER TABLE has several commands and no location per command).
 */
export function expressionAfter(
  state: ReplayState,
  node: Node | undefined,
  from: number,
  words: string[],
  stopKeywords: ReadonlySet<string>,
): { expression: Expression | undefined; next: number } {
  if (!node) return { expression: undefined, next: from };
  const tokens = tokensOf(state);
  const at = tokens.findKeywords(from, words);
  if (at < 0) return { expression: { text: '', ast: node }, next: from };
  const slice = tokens.expressionFrom(at + words.length, stopKeywords);
  return { expression: { text: slice.text, ast: node }, next: slice.next };
}
