/**
 * Splits a SQL file into statements with exact spans and parses each with the real PostgreSQL
 * parser (libpg_query). Parsing never fails: broken SQL becomes a `syntax_error` finding at its
 * place and the statements around it are still returned.
 */
import type { Node, ParseResult } from '@pgsql/types';
import { getParser, parseToJson } from './parser';
import { LineIndex, type SourceSpan } from './span';

/** One parsed statement. */
export interface ParsedStatement {
  /** The statement node, such as `{ CreateStmt: {...} }`. */
  node: Node;
  /** The node type, `CreateStmt`. */
  kind: string;
  /** From the first keyword to the end of the statement, without the semicolon. */
  span: SourceSpan;
  /** Statement text (`span` applied to the file text). */
  text: string;
  /**
   * UTF-8 byte offset in the file that node `location` fields are relative to. It is 0 when the
   * whole file parsed at once, and the chunk start when the file had to be split.
   */
  byteBase: number;
  /** Position of this statement in its file, 0-based. */
  index: number;
}

/** A problem met while reading the file, before any rule runs. */
export interface ParseProblem {
  rule: 'syntax_error' | 'psql_meta_command';
  message: string;
  span: SourceSpan;
}

export interface ParsedFile {
  path: string;
  text: string;
  lines: LineIndex;
  statements: ParsedStatement[];
  problems: ParseProblem[];
}

/**
 * Parses one migration file. dbmate files keep only their `-- migrate:up` section; psql
 * meta-commands (`\set`, `\i`) are blanked out and reported, since the server never sees them.
 *
 * `wholeFileJson` is `parseFileToJson(text)` of this same text when it was computed elsewhere (the
 * CLI parses part of a large project on a worker thread); the answer is the same either way.
 */
export function parseSqlFile(path: string, text: string, wholeFileJson?: string): ParsedFile {
  const lines = new LineIndex(path, text);
  const problems: ParseProblem[] = [];
  const sql = blankPsqlMetaCommands(keepDbmateUpSection(text), lines, problems);
  const statements: ParsedStatement[] = [];
  // An empty file has no statements (libpg_query refuses an empty string rather than answer none).
  if (sql === '') return { path, text, lines, statements, problems };
  try {
    const result = (wholeFileJson === undefined ? getParser().parseSync(sql) : JSON.parse(wholeFileJson)) as ParseResult;
    for (const raw of result.stmts ?? []) {
      const byteStart = raw.stmt_location ?? 0;
      const byteEnd = raw.stmt_len ? byteStart + raw.stmt_len : lines.byteOffset(sql.length);
      pushStatement(statements, raw.stmt as Node, byteStart, byteEnd, 0, lines, sql);
    }
  } catch (error) {
    if (!isSqlError(error)) throw error;
    parseStatementByStatement(sql, lines, statements, problems, error);
  }
  return { path, text, lines, statements, problems };
}

/**
 * What a statement's `node` is once `releaseStatementTrees` dropped its tree: a node of no kind,
 * which every reader of trees passes over as it does a kind it does not know.
 */
const RELEASED_TREE = Object.freeze({}) as Node;

/**
 * Drops the parse trees of a file's statements, keeping their kinds, spans and texts, for a
 * caller that has run everything that reads them (`analyzeFilesOnce`, once the file is replayed).
 * The statements themselves stay the same objects: the catalog's expressions refer to them for
 * their text, and would otherwise keep each whole tree alive.
 */
export function releaseStatementTrees(file: ParsedFile): void {
  for (const statement of file.statements) statement.node = RELEASED_TREE;
}

/**
 * The first half of `parseSqlFile`, for a caller that parses elsewhere (a worker thread): the
 * whole file's parse tree as libpg_query's JSON text, or `undefined` when the file is empty or
 * does not parse as a whole (then `parseSqlFile` without JSON takes the statement-by-statement
 * path). Pure, like `parseSqlFile`; needs `loadParser()` in the calling thread.
 */
export function parseFileToJson(text: string): string | undefined {
  const sql = blankPsqlMetaCommands(keepDbmateUpSection(text));
  if (sql === '') return undefined;
  try {
    return parseToJson(sql);
  } catch (error) {
    if (isSqlError(error)) return undefined;
    throw error;
  }
}

/**
 * The fallback when the whole file does not parse: split at top-level semicolons with the
 * PostgreSQL scanner (which knows strings, dollar quotes and comments), then parse each chunk
 * alone, so one bad statement hides nothing after it.
 */
function parseStatementByStatement(
  sql: string,
  lines: LineIndex,
  statements: ParsedStatement[],
  problems: ParseProblem[],
  wholeFileError: SqlErrorLike,
): void {
  const parser = getParser();
  const totalBytes = lines.byteOffset(sql.length);
  let chunks: { byteStart: number; byteEnd: number }[];
  try {
    chunks = splitAtSemicolons(parser.scanSync(sql).tokens, totalBytes);
  } catch {
    // The scanner fails only on a lexical error (an unterminated quote or comment), which runs to
    // the end of the file. Split what comes before it; the rest is one broken chunk.
    const cursor = utf16IndexOfCodePoint(sql, wholeFileError.sqlDetails?.cursorPosition ?? 0);
    const prefix = sql.slice(0, cursor);
    try {
      chunks = splitAtSemicolons(parser.scanSync(prefix).tokens, lines.byteOffset(cursor));
      chunks[chunks.length - 1].byteEnd = totalBytes;
    } catch {
      chunks = [{ byteStart: 0, byteEnd: totalBytes }];
    }
  }
  const buffer = Buffer.from(sql, 'utf8');
  for (const chunk of chunks) {
    const chunkText = buffer.subarray(chunk.byteStart, chunk.byteEnd).toString('utf8');
    if (!chunkText.trim()) continue;
    try {
      const result = parser.parseSync(chunkText);
      for (const raw of result.stmts ?? []) {
        const byteStart = chunk.byteStart + (raw.stmt_location ?? 0);
        const byteEnd = raw.stmt_len ? byteStart + raw.stmt_len : chunk.byteEnd;
        pushStatement(statements, raw.stmt as Node, byteStart, byteEnd, chunk.byteStart, lines, sql);
      }
    } catch (error) {
      if (!isSqlError(error)) throw error;
      problems.push(syntaxProblem(error, chunkText, chunk.byteStart, chunk.byteEnd, lines));
    }
  }
}

function pushStatement(
  statements: ParsedStatement[],
  node: Node,
  byteStart: number,
  byteEnd: number,
  byteBase: number,
  lines: LineIndex,
  sql: string,
): void {
  const start = lines.charOffset(byteStart);
  let end = lines.charOffset(byteEnd);
  while (end > start && /\s/.test(sql[end - 1])) end--;
  statements.push({
    node,
    kind: Object.keys(node)[0],
    span: lines.span(start, end),
    text: sql.slice(start, end),
    byteBase,
    index: statements.length,
  });
}

/** Byte ranges between top-level semicolons. */
function splitAtSemicolons(tokens: { start: number; end: number; text: string }[], totalBytes: number): { byteStart: number; byteEnd: number }[] {
  const chunks: { byteStart: number; byteEnd: number }[] = [];
  let start = 0;
  for (const token of tokens) {
    if (token.text === ';') {
      chunks.push({ byteStart: start, byteEnd: token.start });
      start = token.end;
    }
  }
  chunks.push({ byteStart: start, byteEnd: totalBytes });
  return chunks;
}

function syntaxProblem(error: SqlErrorLike, chunkText: string, chunkByteStart: number, chunkByteEnd: number, lines: LineIndex): ParseProblem {
  const chunkCharStart = lines.charOffset(chunkByteStart);
  const chunkCharEnd = lines.charOffset(chunkByteEnd);
  // libpg_query's cursor is a 0-based index in code points, not bytes or UTF-16 units.
  const cursor = error.sqlDetails?.cursorPosition;
  let at = chunkCharStart + leadingWhitespace(chunkText);
  if (typeof cursor === 'number' && cursor >= 0) at = chunkCharStart + utf16IndexOfCodePoint(chunkText, cursor);
  at = Math.min(at, chunkCharEnd);
  const endOfToken = lines.text.slice(at, chunkCharEnd).search(/[\s;(),]/);
  const end = endOfToken > 0 ? at + endOfToken : Math.min(chunkCharEnd, at + 1);
  const message = (error.sqlDetails?.message ?? error.message).replace(/^syntax error/, 'Syntax error');
  return { rule: 'syntax_error', message, span: lines.span(at, Math.max(end, at)) };
}

function leadingWhitespace(text: string): number {
  return text.length - text.trimStart().length;
}

function utf16IndexOfCodePoint(text: string, codePoints: number): number {
  let index = 0;
  for (let seen = 0; seen < codePoints && index < text.length; seen++) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return index;
}

interface SqlErrorLike {
  message: string;
  sqlDetails?: { message: string; cursorPosition: number };
}

function isSqlError(error: unknown): error is SqlErrorLike {
  return error instanceof Error && ('sqlDetails' in error || /syntax error|unterminated|invalid/i.test(error.message));
}

/**
 * dbmate keeps both directions in one file. Everything from `-- migrate:down` to the next
 * `-- migrate:up` is blanked with spaces, so offsets and line numbers stay the same.
 */
function keepDbmateUpSection(text: string): string {
  if (!/^--\s*migrate:down\b/m.test(text)) return text;
  let keeping = true;
  return text.replace(/[^\n]*(\n|$)/g, (line) => {
    if (/^--\s*migrate:up\b/.test(line)) keeping = true;
    else if (/^--\s*migrate:down\b/.test(line)) keeping = false;
    return keeping ? line : line.replace(/[^\r\n]/g, ' ');
  });
}

/**
 * psql meta-commands are for the psql client, not the server: the parser would reject them.
 * A line starting with a backslash is blanked and, when `problems` is given, reported.
 */
function blankPsqlMetaCommands(text: string, lines?: LineIndex, problems?: ParseProblem[]): string {
  if (!/^[ \t]*\\/m.test(text)) return text;
  return text.replace(/^[ \t]*\\[^\r\n]*/gm, (command, offset: number) => {
    if (lines && problems) {
      const start = offset + command.indexOf('\\');
      problems.push({
        rule: 'psql_meta_command',
        message: `psql meta-command "${command.trim().split(/\s+/)[0]}" skipped: it runs in psql, not on the server, so pgreview does not replay it.`,
        span: lines.span(start, offset + command.length),
      });
    }
    return command.replace(/[^\s]/g, ' ');
  });
}
