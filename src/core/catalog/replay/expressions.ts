import type { Node } from '@pgsql/types';
import type { Expression } from '../model';
import type { ParsedStatement } from '../../sql/parseSqlFile';
import type { LineIndex, SourceSpan } from '../../sql/span';
import { StatementLocator } from '../../sql/statementLocator';
import { StatementTokens } from '../../sql/statementTokens';
import type { ReplayState } from './replayState';

const tokensByStatement = new WeakMap<ParsedStatement, StatementTokens>();

/**
 * The scanner tokens of a statement, scanned once and only when something needs its expression
 * text: most statements never pay for it.
 */
export function tokensOfStatement(statement: ParsedStatement, lines: LineIndex): StatementTokens {
  let tokens = tokensByStatement.get(statement);
  if (!tokens) {
    tokens = new StatementTokens(statement, lines);
    tokensByStatement.set(statement, tokens);
  }
  return tokens;
}

/** The scanner tokens of the current statement (see `tokensOfStatement`). */
export function tokensOf(state: ReplayState): StatementTokens {
  return tokensOfStatement(state.statement, state.file.lines);
}

/**
 * Finds an expression's text in its statement's tokens; `at` is the location or position the
 * replay saw, `words` the keywords before the expression. A plain function, not a closure, so
 * that a SourceExpression allocates nothing more than itself.
 */
export type CutText = (tokens: StatementTokens, at: number | undefined, words: string[]) => string;

/**
 * An Expression replayed from a migration: its parse tree at once, its text cut out of the
 * statement only when first read. Rules judge the tree, and the text is read mostly by fixes,
 * renderCatalog, the diff and the webview, so a check of thousands of policies and defaults
 * would otherwise scan every statement's tokens for nothing.
 *
 * The cut reads only the statement (which never changes), so reading the text before or after a
 * `cloneCatalog`, which shares Expressions, gives the same string. `text` is an accessor on the
 * prototype, so a spread (`{ ...expression }`) would not copy it (nothing spreads an Expression:
 * copies share them), and `toJSON` gives `JSON.stringify` the plain `{ text, ast }` shape.
 */
export class SourceExpression implements Expression {
  ast: Node | undefined;
  writtenAt: SourceSpan;
  writtenAtLocation: number;
  #text: string | undefined;
  #cut: CutText | undefined;
  #statement: ParsedStatement | undefined;
  #lines: LineIndex | undefined;
  #at: number | undefined;
  #words: string[];

  /** `cut(tokens, at, words)` finds the text in the current statement's tokens; it runs at most once. */
  constructor(state: ReplayState, ast: Node | undefined, cut: CutText, at: number | undefined, words: string[] = NO_WORDS) {
    this.ast = ast;
    this.writtenAt = state.statement.span;
    this.writtenAtLocation = StatementLocator.inFile(state.statement, state.file.lines).startLocation;
    this.#cut = cut;
    this.#statement = state.statement;
    this.#lines = state.file.lines;
    this.#at = at;
    this.#words = words;
  }

  /** The expression's source text as written. */
  get text(): string {
    if (this.#cut) this.text = this.#cut(tokensOfStatement(this.#statement!, this.#lines!), this.#at, this.#words);
    return this.#text!;
  }

  set text(value: string) {
    this.#text = value;
    this.#cut = undefined;
    this.#statement = undefined;
    this.#lines = undefined;
  }

  /** The plain `{ text, ast }` shape, for `JSON.stringify`. */
  toJSON(): Expression {
    return { text: this.text, ast: this.ast };
  }
}

const NO_WORDS: string[] = [];

/**
 * The expression inside the parentheses after `words` (such as `['using']` or `['with', 'check']`),
 * searched from the token at `location`: the text exactly as written, and its parse tree.
 */
export function expressionInParentheses(state: ReplayState, node: Node | undefined, location: number | undefined, words: string[]): Expression | undefined {
  if (!node) return undefined;
  return new SourceExpression(state, node, textInParentheses, location, words);
}

function textInParentheses(tokens: StatementTokens, location: number | undefined, words: string[]): string {
  return tokens.parenthesizedAfter(tokens.indexAtLocation(location), words)?.text ?? '';
}

/** Keywords that end a column default inside a column definition (`default now() not null`). */
const COLUMN_CONSTRAINT_KEYWORDS: ReadonlySet<string> = new Set([
  'not', 'null', 'constraint', 'primary', 'unique', 'check', 'references', 'default', 'generated', 'collate',
  'deferrable', 'initially',
]);

/**
 * A column default: the expression after `DEFAULT`, searched from the token at `location`, up to
 * a comma, a closing parenthesis or a keyword that starts the next column constraint.
 */
export function columnDefaultExpression(state: ReplayState, node: Node | undefined, location: number | undefined): Expression | undefined {
  if (!node) return undefined;
  return new SourceExpression(state, node, columnDefaultText, location);
}

const DEFAULT_KEYWORD = ['default'];

/**
 * The text of a column default as written: what follows the `DEFAULT` at or after `location` (the
 * DEFAULT constraint's) in the statement's tokens, up to the next column constraint.
 */
export function columnDefaultText(tokens: StatementTokens, location: number | undefined): string {
  const at = tokens.findKeywords(tokens.indexAtLocation(location), DEFAULT_KEYWORD);
  return at < 0 ? '' : tokens.expressionFrom(at + 1, COLUMN_CONSTRAINT_KEYWORDS).text;
}

/**
 * The expression after the keywords `words`, searched from token `from`, up to a comma, a closing
 * parenthesis or one of `stopKeywords` at its own depth. The returned `next` lets a caller
 * continue after it (ALTER TABLE has several commands and no location per command), so this one
 * scans at once.
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
