/**
 * The README is the first page users read, so what it states about the rules and the CLI is
 * checked against the code, the way each rule's doc is: a rule missing from the table, or a table
 * row whose level, category or needs differ from the rule's, fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../src/core/rules';

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
});
