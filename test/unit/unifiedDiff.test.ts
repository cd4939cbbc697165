/**
 * The unified line diff of function bodies, checked against GNU diff: on generated pairs of texts
 * the edit script must turn the first text into the second, be as short as `diff --minimal`'s,
 * and, where the shortest script is unique, print the same hunks as `diff -u`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countChangedLines, diffLines, renderUnifiedDiff } from '../../src/core/diff/unifiedDiff';

const folder = mkdtempSync(join(tmpdir(), 'pgreview-unified-'));

/** GNU diff's unified output for two texts, without its file header. */
function gnuDiff(before: string, after: string, minimal: boolean): string {
  writeFileSync(join(folder, 'a'), before);
  writeFileSync(join(folder, 'b'), after);
  try {
    execFileSync('diff', [...(minimal ? ['--minimal'] : []), '-u', join(folder, 'a'), join(folder, 'b')], { encoding: 'utf8' });
    return '';
  } catch (error) {
    const output = (error as { stdout: string }).stdout;
    return output.split('\n').slice(2).join('\n');
  }
}

/** A deterministic pseudo-random generator, so that a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('unified diff of function bodies', () => {
  it('prints the whole body difference as diff -u does', () => {
    const before = 'begin\n  return (select count(*) from public.bookings where vendor_id = p_vendor);\nend;\n';
    const after = "begin\n  return (select count(*) from public.bookings\n    where vendor_id = p_vendor and status <> 'cancelled');\nend;\n";
    const expected = [
      '--- database',
      '+++ migrations',
      '@@ -1,3 +1,4 @@',
      ' begin',
      '-  return (select count(*) from public.bookings where vendor_id = p_vendor);',
      '+  return (select count(*) from public.bookings',
      "+    where vendor_id = p_vendor and status <> 'cancelled');",
      ' end;',
      '',
    ].join('\n');
    assert.equal(renderUnifiedDiff(before, after, { beforeLabel: 'database', afterLabel: 'migrations' }), expected);
    assert.equal(gnuDiff(before, after, false), expected.split('\n').slice(2).join('\n'));
    assert.deepEqual(countChangedLines(before, after), { removed: 1, added: 2 });
    assert.equal(renderUnifiedDiff(before, before, { beforeLabel: 'a', afterLabel: 'b' }), '');
    // A body that hides text behind a bidirectional override or a terminal escape shows them escaped; tabs stay.
    assert.equal(renderUnifiedDiff('\treturn 1;\n', '\treturn 1; -- \u202e\u001b[2J\n', { beforeLabel: 'a', afterLabel: 'b' }), '--- a\n+++ b\n@@ -1 +1 @@\n-\treturn 1;\n+\treturn 1; -- \\u202e\\u001b[2J\n');
  });

  it('splits far-apart changes into hunks with three lines of context, and handles empty sides', () => {
    const lines = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`);
    const changed = [...lines];
    changed[1] = 'changed 2';
    changed.splice(15, 1);
    const before = `${lines.join('\n')}\n`;
    const after = `${changed.join('\n')}\n`;
    const ours = renderUnifiedDiff(before, after, { beforeLabel: 'a', afterLabel: 'b' });
    assert.equal(ours.split('\n').slice(2).join('\n'), gnuDiff(before, after, false));
    assert.equal((ours.match(/^@@/gm) ?? []).length, 2);
    assert.equal(renderUnifiedDiff('', 'select 1;\n', { beforeLabel: 'a', afterLabel: 'b' }), '--- a\n+++ b\n@@ -0,0 +1 @@\n+select 1;\n');
    assert.equal(renderUnifiedDiff('select 1;\n', '', { beforeLabel: 'a', afterLabel: 'b' }), '--- a\n+++ b\n@@ -1 +0,0 @@\n-select 1;\n');
  });

  it('finds a shortest edit script that turns one text into the other (150 generated pairs against diff --minimal)', () => {
    const next = random(13);
    const vocabulary = ['begin', 'end;', 'return 1;', 'select 1;', 'if found then', 'end if;', '', 'perform 1;'];
    for (let run = 0; run < 150; run++) {
      const before = Array.from({ length: Math.floor(next() * 14) }, () => vocabulary[Math.floor(next() * vocabulary.length)]);
      const after = before.filter(() => next() > 0.25).flatMap((line) => (next() > 0.8 ? [line, vocabulary[Math.floor(next() * vocabulary.length)]] : [line]));
      const edits = diffLines(before, after);
      assert.deepEqual(edits.filter((edit) => edit.kind !== 'added').map((edit) => edit.text), before, `run ${run}: the kept and removed lines are the first text`);
      assert.deepEqual(edits.filter((edit) => edit.kind !== 'removed').map((edit) => edit.text), after, `run ${run}: the kept and added lines are the second text`);
      const gnu = gnuDiff(before.map((line) => `${line}\n`).join(''), after.map((line) => `${line}\n`).join(''), true);
      const gnuChanges = gnu.split('\n').filter((line) => /^[-+]/.test(line)).length;
      assert.equal(edits.filter((edit) => edit.kind !== 'same').length, gnuChanges, `run ${run}: as short as diff --minimal\n${JSON.stringify({ before, after })}`);
    }
  });
});
