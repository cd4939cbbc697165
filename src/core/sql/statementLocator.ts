/**
 * Where a parse-tree node of a statement is written. libpg_query gives a node's `location` in
 * UTF-8 bytes from the start of the text it parsed: the file, or the chunk at the statement's
 * `byteBase` when the file had to be split. Findings need UTF-16 offsets, lines and columns in the
 * file. Every mapping of a location goes through here, so that none guesses the shift.
 */
import type { ParsedStatement } from './parseSqlFile';
import { LineIndex, type SourceSpan } from './span';

/** Maps the parse-tree locations of one statement to its text and its file. */
export class StatementLocator {
  private constructor(
    /** The statement's span in its file. */
    private readonly span: SourceSpan,
    /** A line index over the file, or over the statement's text alone (`ownText`). */
    private readonly lines: LineIndex,
    private readonly ownText: boolean,
    /** What turns a location into a byte offset of `lines`' text. */
    private readonly byteShift: number,
  ) {}

  /** The locator of a statement of a parsed file, from the file's line index. */
  static inFile(statement: Pick<ParsedStatement, 'span' | 'byteBase'>, lines: LineIndex): StatementLocator {
    return new StatementLocator(statement.span, lines, false, statement.byteBase);
  }

  /**
   * The locator of a statement known by its span and text only (a rule reading the statement
   * back), given the location of its first character (`statementLocation` when it was parsed).
   */
  static inText(span: SourceSpan, text: string, startLocation: number): StatementLocator {
    return new StatementLocator(span, new LineIndex(span.file, text), true, -startLocation);
  }

  /** Where the statement's text starts in `lines`' text. */
  private get textStart(): number {
    return this.ownText ? 0 : this.span.start;
  }

  /** The location of the statement's first character: what an Expression keeps to be located later. */
  get startLocation(): number {
    return this.lines.byteOffset(this.textStart) - this.byteShift;
  }

  /** The UTF-16 offset in the statement's text of a location; outside `[0, text length]` when the location is outside the statement. */
  offsetAt(location: number): number {
    return this.lines.charOffset(location + this.byteShift) - this.textStart;
  }

  /** The file span between two UTF-16 offsets of the statement's text. */
  spanOf(start: number, end: number): SourceSpan {
    const inLines = this.lines.span(this.textStart + start, this.textStart + end);
    if (!this.ownText) return inLines;
    // Lines of the statement's own text: its first line starts at the statement's column.
    const onFirstLine = (line: number, column: number) => (line === 1 ? this.span.column + column - 1 : column);
    return {
      file: this.span.file,
      start: this.span.start + start,
      end: this.span.start + end,
      line: this.span.line + inLines.line - 1,
      column: onFirstLine(inLines.line, inLines.column),
      endLine: this.span.line + inLines.endLine - 1,
      endColumn: onFirstLine(inLines.endLine, inLines.endColumn),
    };
  }
}
