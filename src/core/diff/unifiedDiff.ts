/**
 * Line diffs of two texts in the unified format (`diff -u`): for a function whose body differs
 * between the migrations and a database, the whole body difference instead of two truncated
 * values. Myers' O(ND) algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986) finds
 * a shortest edit script. Function bodies are small, so the simple version that keeps each step's
 * frontier for the trace back is enough (memory grows with D·(N+M), D the number of changed lines).
 */

import { printableLine } from '../report/printableMessage';

/** One line of an edit script: kept, removed from the first text, or added from the second. */
export interface LineEdit {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/** A shortest edit script turning the lines of `before` into the lines of `after`. */
export function diffLines(before: readonly string[], after: readonly string[]): LineEdit[] {
  const n = before.length;
  const m = after.length;
  const max = n + m;
  const offset = max;
  // frontier[k + offset]: the furthest x reached on diagonal k; one copy per step D, to trace back.
  let frontier = new Int32Array(2 * max + 2);
  const history: Int32Array[] = [];
  let found = max === 0;
  for (let d = 0; d <= max && !found; d++) {
    history.push(frontier.slice());
    const next = frontier.slice();
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && frontier[k - 1 + offset] < frontier[k + 1 + offset]);
      let x = down ? frontier[k + 1 + offset] : frontier[k - 1 + offset] + 1;
      let y = x - k;
      while (x < n && y < m && before[x] === after[y]) {
        x++;
        y++;
      }
      next[k + offset] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    frontier = next;
  }
  return traceBack(history, before, after, offset);
}

/** Walks the frontiers back from the end, emitting the snake of each step. */
function traceBack(history: Int32Array[], before: readonly string[], after: readonly string[], offset: number): LineEdit[] {
  const edits: LineEdit[] = [];
  let x = before.length;
  let y = after.length;
  for (let d = history.length - 1; d >= 0; d--) {
    const frontier = history[d];
    const k = x - y;
    const down = k === -d || (k !== d && frontier[k - 1 + offset] < frontier[k + 1 + offset]);
    const previousK = down ? k + 1 : k - 1;
    const previousX = d === 0 ? 0 : frontier[previousK + offset];
    const previousY = d === 0 ? 0 : previousX - previousK;
    while (x > previousX && y > previousY && x > 0 && y > 0 && before[x - 1] === after[y - 1]) {
      edits.push({ kind: 'same', text: before[--x] });
      y--;
    }
    if (d === 0) break;
    if (down) edits.push({ kind: 'added', text: after[--y] });
    else edits.push({ kind: 'removed', text: before[--x] });
  }
  while (x > 0 && y > 0) {
    edits.push({ kind: 'same', text: before[--x] });
    y--;
  }
  return edits.reverse();
}

export interface UnifiedDiffOptions {
  /** The names on the `---` and `+++` lines. */
  beforeLabel: string;
  afterLabel: string;
  /** Unchanged lines shown around each change; 3, as `diff -u`. */
  context?: number;
}

/**
 * The unified diff of two texts; the empty string when their lines are the same. Control and
 * bidirectional characters in a line are written as escapes (`printableLine`), as in every report.
 */
export function renderUnifiedDiff(before: string, after: string, options: UnifiedDiffOptions): string {
  const edits = diffLines(splitLines(before), splitLines(after));
  const hunks = groupHunks(edits, options.context ?? 3);
  if (hunks.length === 0) return '';
  const lines = [`--- ${options.beforeLabel}`, `+++ ${options.afterLabel}`];
  for (const hunk of hunks) {
    lines.push(`@@ -${range(hunk.beforeStart, hunk.beforeCount)} +${range(hunk.afterStart, hunk.afterCount)} @@`);
    for (const edit of hunk.edits) lines.push(`${edit.kind === 'same' ? ' ' : edit.kind === 'removed' ? '-' : '+'}${printableLine(edit.text)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** How many lines an edit from `before` to `after` removes and adds. */
export function countChangedLines(before: string, after: string): { removed: number; added: number } {
  const counts = { removed: 0, added: 0 };
  for (const edit of diffLines(splitLines(before), splitLines(after))) if (edit.kind !== 'same') counts[edit.kind]++;
  return counts;
}

/** The lines of a text, without the line break of the last one. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface Hunk {
  beforeStart: number;
  beforeCount: number;
  afterStart: number;
  afterCount: number;
  edits: LineEdit[];
}

/** Changes with `context` lines around them; changes closer than twice that share a hunk, as in `diff -u`. */
function groupHunks(edits: readonly LineEdit[], context: number): Hunk[] {
  const changed = edits.map((edit, index) => (edit.kind === 'same' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return [];
  const ranges: [number, number][] = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(edits.length - 1, index + context);
    const last = ranges[ranges.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }
  // Line numbers of each edit in both texts (1-based, of the line before it for an empty side).
  const beforeLine: number[] = [];
  const afterLine: number[] = [];
  let b = 0;
  let a = 0;
  for (const edit of edits) {
    beforeLine.push(b);
    afterLine.push(a);
    if (edit.kind !== 'added') b++;
    if (edit.kind !== 'removed') a++;
  }
  return ranges.map(([start, end]) => {
    const slice = edits.slice(start, end + 1);
    const beforeCount = slice.filter((edit) => edit.kind !== 'added').length;
    const afterCount = slice.filter((edit) => edit.kind !== 'removed').length;
    return {
      beforeStart: beforeCount === 0 ? beforeLine[start] : beforeLine[start] + 1,
      beforeCount,
      afterStart: afterCount === 0 ? afterLine[start] : afterLine[start] + 1,
      afterCount,
      edits: slice,
    };
  });
}

/** `3,4`, or `3` for one line, as `diff -u` writes a range. */
function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}
