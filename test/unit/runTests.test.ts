/**
 * `npm test` (scripts/run-tests.mjs) is what CI runs: it shows each step's output as it comes,
 * ends each step with its time, and closes with the "N passed, N failed" line CI reads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe('scripts/run-tests.mjs', function () {
  this.timeout(120_000);

  it('prints each step with its time and the closing count', () => {
    const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'build'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^\n=== build ===\n--- build: \d+\.\d s\n\n1 passed, 0 failed\n$/);
  });
});
