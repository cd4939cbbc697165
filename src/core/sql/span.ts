/**
 * Locations in source files. libpg_query reports UTF-8 byte offsets; editors, SARIF and our text
 * output use UTF-16 code units (JavaScript string indices), 1-based lines and columns.
 */

/** A range in one file. Offsets are UTF-16 code units into the file text; lines and columns are 1-based. */
export interface SourceSpan {
  /** Path relative to the project root, with forward slashes. */
  file: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * Converts UTF-8 byte offsets and UTF-16 offsets of one text into spans. Built once per file;
 * ASCII-only text (the common case) needs no byte table.
 */
export class LineIndex {
  private readonly lineStarts: number[] = [0];
  /** UTF-8 byte offset at each UTF-16 index, only for text with non-ASCII characters. */
  private readonly byteAtChar: Uint32Array | undefined;

  constructor(readonly file: string, readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(text)) {
      const table = new Uint32Array(text.length + 1);
      let bytes = 0;
      for (let i = 0; i < text.length; i++) {
        table[i] = bytes;
        const code = text.charCodeAt(i);
        if (code < 0x80) bytes += 1;
        else if (code < 0x800) bytes += 2;
        else if (code >= 0xd800 && code <= 0xdbff) {
          // A surrogate pair is one 4-byte code point; its low half adds nothing.
          bytes += 4;
          table[++i] = bytes;
          continue;
        } else bytes += 3;
      }
      table[text.length] = bytes;
      this.byteAtChar = table;
    }
  }

  /** The UTF-16 offset of a UTF-8 byte offset. */
  charOffset(byteOffset: number): number {
    const table = this.byteAtChar;
    if (!table) return Math.min(byteOffset, this.text.length);
    let low = 0;
    let high = table.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (table[mid] < byteOffset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The UTF-8 byte offset of a UTF-16 offset. */
  byteOffset(charOffset: number): number {
    return this.byteAtChar ? this.byteAtChar[Math.min(charOffset, this.text.length)] : charOffset;
  }

  /** 1-based line and column of a UTF-16 offset. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }

  /** The span between two UTF-16 offsets. */
  span(start: number, end: number): SourceSpan {
    const from = this.position(start);
    const to = this.position(end);
    return { file: this.file, start, end, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }

  /** The span between two UTF-8 byte offsets. */
  spanFromBytes(byteStart: number, byteEnd: number): SourceSpan {
    return this.span(this.charOffset(byteStart), this.charOffset(byteEnd));
  }

  /** The UTF-16 offset at which a 1-based line starts (the text's length past the last line). */
  lineStart(line: number): number {
    return this.lineStarts[line - 1] ?? this.text.length;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}
