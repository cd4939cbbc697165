/**
 * The tokens of one statement, for the few places that need source text the parse tree does not
 * keep: the exact text of a policy's USING clause, a CHECK constraint, a column default or a view's
 * query. Parse-tree locations give only where a node starts, and for an operator expression not
 * even that (an `A_Expr` is located at its operator), so clause text is found by keywords and
 * balanced parentheses instead.
 *
 * The tokens come from a small lexer that follows PostgreSQL's scanner (scan.l) where clause
 * boundaries depend on it: comments (nested `/* *\/`), string literals (`''` and `E'\''`
 * escapes), dollar quotes, quoted identifiers. libpg_query's own `scanSync` is as slow as a full
 * parse, and replaying thousands of policies must stay in milliseconds.
 */
import type { LineIndex } from './span';
import type { ParsedStatement } from './parseSqlFile';
import { StatementLocator } from './statementLocator';

/** One token; offsets are UTF-16 code units into the statement text. */
export interface SqlToken {
  start: number;
  end: number;
  /** The token as written. */
  text: string;
  /** Lower-case text of an unquoted word (a keyword or a plain identifier); undefined for quoted names, literals and operators. */
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

  constructor(readonly statement: ParsedStatement, private readonly lines: LineIndex) {
    this.tokens = tokenize(statement.text);
  }

  /** Index of the first token at or after a parse-tree `location` (UTF-8 bytes relative to the parsed chunk). */
  indexAtLocation(location: number | undefined): number {
    if (location === undefined || location < 0) return 0;
    const offset = StatementLocator.inFile(this.statement, this.lines).offsetAt(location);
    let low = 0;
    let high = this.tokens.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.tokens[mid].start < offset) low = mid + 1;
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
      if (depth === 0 && this.tokens[i].keyword === words[0] && this.matchesFrom(i, words)) return i;
    }
    return -1;
  }

  private matchesFrom(at: number, words: string[]): boolean {
    for (let offset = 1; offset < words.length; offset++) {
      if (this.tokens[at + offset]?.keyword !== words[offset]) return false;
    }
    return true;
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
    return this.statement.text.slice(this.tokens[first].start, this.tokens[Math.min(last, this.tokens.length - 1)].end);
  }
}

const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';

/** OPERATOR_CHARS by character code, so the lexer tests a code instead of searching a string. */
const IS_OPERATOR_CHAR = new Uint8Array(128);
for (const char of OPERATOR_CHARS) IS_OPERATOR_CHAR[char.charCodeAt(0)] = 1;

function isOperatorChar(code: number): boolean {
  return code < 128 && IS_OPERATOR_CHAR[code] === 1;
}

function isWordStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 128;
}

function isWordPart(code: number): boolean {
  return isWordStart(code) || (code >= 48 && code <= 57) || code === 36;
}

/**
 * Splits SQL text into tokens, skipping whitespace and comments. The replay tokenizes the text of
 * most statements it meets, so the loop reads character codes, never one-character strings.
 */
export function tokenize(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    const next = i + 1 < length ? text.charCodeAt(i + 1) : -1;
    if (code === 32 || code === 10 || code === 9 || code === 13 || code === 12) {
      i++;
    } else if (code === 45 /* - */ && next === 45) {
      while (i < length && text.charCodeAt(i) !== 10) i++;
    } else if (code === 47 /* / */ && next === 42 /* * */) {
      let depth = 0;
      while (i < length) {
        const at = text.charCodeAt(i);
        const after = i + 1 < length ? text.charCodeAt(i + 1) : -1;
        if (at === 47 && after === 42) { depth++; i += 2; }
        else if (at === 42 && after === 47) { depth--; i += 2; if (depth === 0) break; }
        else i++;
      }
    } else if (code === 39 /* ' */) {
      const start = i;
      // E'...' strings allow backslash escapes; the prefix letter is the previous token.
      const previous = tokens[tokens.length - 1];
      const escapes = previous !== undefined && previous.end === i && (previous.text === 'e' || previous.text === 'E');
      i = endOfQuoted(text, i, "'", escapes);
      if (escapes) {
        tokens.pop();
        tokens.push({ start: start - 1, end: i, text: text.slice(start - 1, i) });
      } else tokens.push({ start, end: i, text: text.slice(start, i) });
    } else if (code === 34 /* " */) {
      const start = i;
      i = endOfQuoted(text, i, '"', false);
      tokens.push({ start, end: i, text: text.slice(start, i) });
    } else if (code === 36 /* $ */ && next !== -1 && (isWordStart(next) || next === 36)) {
      // A dollar quote `$tag$ ... $tag$`; `$1` is a parameter and falls through below.
      const start = i;
      let tagEnd = i + 1;
      while (tagEnd < length && text.charCodeAt(tagEnd) !== 36 && isWordPart(text.charCodeAt(tagEnd))) tagEnd++;
      if (tagEnd < length && text.charCodeAt(tagEnd) === 36) {
        const tag = text.slice(i, tagEnd + 1);
        const close = text.indexOf(tag, tagEnd + 1);
        i = close < 0 ? length : close + tag.length;
      } else i = tagEnd;
      tokens.push({ start, end: i, text: text.slice(start, i) });
    } else if (isWordStart(code)) {
      const start = i;
      while (i < length && isWordPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      tokens.push({ start, end: i, text: word, keyword: word.toLowerCase() });
    } else if ((code >= 48 && code <= 57) || code === 36) {
      const start = i++;
      while (i < length && (isWordPart(text.charCodeAt(i)) || text.charCodeAt(i) === 46 /* . */)) i++;
      tokens.push({ start, end: i, text: text.slice(start, i) });
    } else if (code === 58 /* : */ && next === 58) {
      tokens.push({ start: i, end: i + 2, text: '::' });
      i += 2;
    } else if (isOperatorChar(code)) {
      const start = i;
      while (i < length) {
        const at = text.charCodeAt(i);
        if (!isOperatorChar(at)) break;
        const after = i + 1 < length ? text.charCodeAt(i + 1) : -1;
        if ((at === 45 && after === 45) || (at === 47 && after === 42)) break;
        i++;
      }
      tokens.push({ start, end: i, text: text.slice(start, i) });
    } else {
      tokens.push({ start: i, end: i + 1, text: text[i] });
      i++;
    }
  }
  return tokens;
}

/** The offset after a quoted string or identifier that starts at `start`; a doubled quote is an escaped quote. */
function endOfQuoted(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (backslashEscapes && char === '\\') i += 2;
    else if (char === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}
