/**
 * The PostgreSQL scanner's tokens of one statement, for the few places that need source text the
 * parse tree does not keep: the exact text of a policy's USING clause, a CHECK constraint, a
 * column default or a view's query. Parse-tree locations give only where a node starts, and for an
 * operator expression not even that (an `A_Expr` is located at its operator), so clause text is
 * found by keywords and balanced parentheses instead.
 */
import type { LineIndex } from './span';
import type { ParsedStatement } from './parseSqlFile';
import { getParser } from './parser';

/** One scanner token; offsets are UTF-8 bytes into the statement text. */
export interface SqlToken {
  start: number;
  end: number;
  /** The token as written. */
  text: string;
  /** Lower-case keyword text for keywords (reserved or not), undefined for identifiers, literals and operators. */
  keyword?: string;
}

/** A slice of the statement: its text and the index of the token after it. */
export interface TokenSlice {
  text: string;
  /** Index of the first token after the slice. */
  next: number;
}

/** Tokens of one statement, with helpers that cut clauses out of its text. */
export class StatementTokens {
  readonly tokens: SqlToken[];
  private readonly statementByteStart: number;
  private readonly bytes: Buffer | undefined;

  constructor(private readonly statement: ParsedStatement, lines: LineIndex) {
    this.statementByteStart = lines.byteOffset(statement.span.start);
    // eslint-disable-next-line no-control-regex
    this.bytes = /[^\x00-\x7f]/.test(statement.text) ? Buffer.from(statement.text, 'utf8') : undefined;
    const scanned = getParser().scanSync(statement.text).tokens as { start: number; end: number; text: string; keywordKind: number }[];
    this.tokens = scanned.map((token) => ({
      start: token.start,
      end: token.end,
      text: token.text,
      keyword: token.keywordKind > 0 ? token.text.toLowerCase() : undefined,
    }));
  }

  /** Index of the first token at or after a parse-tree `location` (bytes relative to the parsed chunk). */
  indexAtLocation(location: number | undefined): number {
    if (location === undefined || location < 0) return 0;
    const byte = location + this.statement.byteBase - this.statementByteStart;
    let low = 0;
    let high = this.tokens.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.tokens[mid].start < byte) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Index of the first run of keywords `words` (lower case) at depth 0 relative to `from`, or -1. */
  findKeywords(from: number, words: string[]): number {
    let depth = 0;
    for (let i = from; i < this.tokens.length; i++) {
      const text = this.tokens[i].text;
      if (text === '(' || text === '[') depth++;
      else if (text === ')' || text === ']') depth--;
      if (depth < 0) return -1;
      if (depth === 0 && words.every((word, offset) => this.tokens[i + offset]?.keyword === word)) return i;
    }
    return -1;
  }

  /**
   * The text inside the parentheses that follow the keywords `words` (such as `using` or
   * `with check`), found at or after token `from`: `USING (user_id = auth.uid())` gives
   * `user_id = auth.uid()`.
   */
  parenthesizedAfter(from: number, words: string[]): TokenSlice | undefined {
    const at = this.findKeywords(from, words);
    if (at < 0) return undefined;
    return this.parenthesizedAt(at + words.length);
  }

  /** The text inside the parentheses that open at token `open`. */
  parenthesizedAt(open: number): TokenSlice | undefined {
    if (this.tokens[open]?.text !== '(') return undefined;
    const close = this.matchingParenthesis(open);
    if (close < 0) return undefined;
    return { text: this.textOfTokens(open + 1, close - 1), next: close + 1 };
  }

  /**
   * The expression that starts at token `from` and runs to a comma or closing parenthesis at its
   * own depth, to one of `stopKeywords` at its own depth, or to the end of the statement.
   */
  expressionFrom(from: number, stopKeywords: ReadonlySet<string>): TokenSlice {
    let depth = 0;
    let i = from;
    for (; i < this.tokens.length; i++) {
      const token = this.tokens[i];
      if (token.text === '(' || token.text === '[') depth++;
      else if (token.text === ')' || token.text === ']') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (token.text === ',' || token.text === ';' || (token.keyword && stopKeywords.has(token.keyword)))) break;
    }
    return { text: this.textOfTokens(from, i - 1), next: i };
  }

  /** Index of the parenthesis that closes the one at `open`, or -1. */
  matchingParenthesis(open: number): number {
    let depth = 0;
    for (let i = open; i < this.tokens.length; i++) {
      const text = this.tokens[i].text;
      if (text === '(') depth++;
      else if (text === ')' && --depth === 0) return i;
    }
    return -1;
  }

  /** The source text from token `first` to token `last`, inclusive, as written (comments inside kept). */
  textOfTokens(first: number, last: number): string {
    if (last < first || first >= this.tokens.length) return '';
    return this.textOfBytes(this.tokens[first].start, this.tokens[Math.min(last, this.tokens.length - 1)].end);
  }

  /** The source text between two byte offsets of the statement. */
  textOfBytes(start: number, end: number): string {
    return this.bytes ? this.bytes.subarray(start, end).toString('utf8') : this.statement.text.slice(start, end);
  }
}
