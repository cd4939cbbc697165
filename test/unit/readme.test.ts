/**
 * The README is the first page users read, so what it states about the rules and the CLI is
 * checked against the code, the way each rule's doc is: a rule missing from the table, or a table
 * row whose level, category or needs differ from the rule's, fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../src/core/rules';
import { ELAPSED_PLACEHOLDER, readmeExampleOutput } from '../support/readmeExampleOutput';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README.md', () => {
  it('starts with the two commands for a fresh machine', () => {
    const [install, test] = README.split('\n').map((line) => line.trim());
    assert.equal(install, 'npm ci && npx pgreview check examples/trvl-social');
    assert.equal(test, 'bash scripts/install-test-deps.sh && npm test');
  });

  it('lists every rule with its level, category and needs, and no rule that does not exist', () => {
    const rows = [...README.matchAll(/^\| `(\w+)` \| (\w+) \| (\w+) \| (\w+) \|/gm)].map((match) => match.slice(1, 5).join(' '));
    const expected = allRules.map((rule) => [rule.id, rule.level, rule.category, rule.needs].join(' '));
    assert.deepEqual([...rows].sort(), [...expected].sort());
  });

  it('shows in its command examples nothing that changes from run to run: no elapsed time, no machine port', () => {
    const examples = [...README.matchAll(/<!-- example:(\S+):start -->([\s\S]*?)<!-- example:\1:end -->/g)];
    assert.ok(examples.some(([, name]) => name === 'inspect'), 'the inspect example is there');
    for (const [, name, output] of examples) {
      assert.doesNotMatch(output, /\b\d+ ?ms\b/, `${name} shows an elapsed time`);
      assert.doesNotMatch(output, /127\.0\.0\.1:\d+/, `${name} shows this machine's port`);
    }
  });

  it('the refresh script normalises the elapsed time and the port, and nothing else', () => {
    const output = 'table:public.bookings estimated_rows=1200\nRead pgreview@127.0.0.1:54321/trvl_social with 19 catalog queries in 3968 ms.\nTook 15 ms to say so\n';
    assert.equal(readmeExampleOutput(output, 54321), `table:public.bookings estimated_rows=1200\nRead pgreview@localhost:5432/trvl_social with 19 catalog queries in ${ELAPSED_PLACEHOLDER} ms.\nTook 15 ms to say so\n`);
  });
});
