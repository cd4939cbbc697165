/**
 * `pgreview check` on a project of each migration tool that orders its files by a plan or by
 * folders (Prisma, Drizzle, Atlas, Sqitch, Graphile Migrate) reviews those files, in that order,
 * where it used to say "No migration files found".
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import check from '../../src/cli/commands/check';
import { loadParser } from '../../src/core/sql/parser';
import { runCliCommand } from '../support/runCliCommand';

const FIXTURES = join(__dirname, '..', 'fixtures', 'discovery');

describe('check on the layouts of Prisma, Drizzle, Atlas, Sqitch and Graphile Migrate', () => {
  before(() => loadParser());
  const expected: Record<string, { files: number; statements: number }> = {
    prisma: { files: 3, statements: 4 },
    drizzle: { files: 3, statements: 4 },
    atlas: { files: 3, statements: 3 },
    // Each deploy script wraps its change in BEGIN ... COMMIT.
    sqitch: { files: 4, statements: 13 },
    'graphile-migrate': { files: 4, statements: 4 },
  };
  for (const [layout, counts] of Object.entries(expected)) {
    it(`reviews the ${layout} migrations`, async () => {
      const run = await runCliCommand(check, FIXTURES, [layout, '--format', 'json', '--fail-on', 'none']);
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /No migration files found/);
      const report = JSON.parse(run.stdout) as { summary: { files: number; statements: number }; findings: { rule: string }[] };
      assert.deepEqual({ files: report.summary.files, statements: report.summary.statements }, counts);
      // Replayed in the tool's order, every table exists before a later file refers to it.
      assert.deepEqual(report.findings.filter((finding) => finding.rule === 'object_dropped_but_referenced'), []);
    });
  }
});
