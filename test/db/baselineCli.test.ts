/**
 * `pgreview baseline` (issue 11, a newcomer's database): a plain PostgreSQL database, given the
 * printed baseline through psql as the README says, takes the example project's alignment SQL
 * (`diff --format sql`), and then matches the migrations. Without the baseline that SQL fails at
 * `schema "auth" does not exist`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../../src/cli/command';
import baseline from '../../src/cli/commands/baseline';
import diff from '../../src/cli/commands/diff';
import { getTestServer } from '../support/postgresServer';
import { runCliCommand, type CliRun } from '../support/runCliCommand';

const PROJECT_DIR = join(__dirname, '..', '..', 'examples', 'trvl-social');

function run(command: Command, args: string[]): Promise<CliRun> {
  return runCliCommand(command, PROJECT_DIR, args);
}

/** Applies a SQL file with psql as a user would: stop at the first error. */
function psql(url: string, sql: string): { status: number | null; stderr: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'pgreview-baseline-')), 'script.sql');
  writeFileSync(file, sql);
  const result = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-f', file], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

describe('pgreview baseline', function () {
  this.timeout(300_000);
  const cacheHome = mkdtempSync(join(tmpdir(), 'pgreview-baseline-cache-'));
  const previousCache = process.env.XDG_CACHE_HOME;
  before(() => {
    process.env.XDG_CACHE_HOME = cacheHome;
  });
  after(() => {
    if (previousCache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previousCache;
  });

  it('prints SQL that makes a plain PostgreSQL take the alignment SQL and match the migrations', async function () {
    if (spawnSync('psql', ['--version']).status !== 0) this.skip();
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_baseline_cli', { baseline: false });

    const printed = await run(baseline, []);
    assert.equal(printed.code, 0, printed.stderr);
    const withoutBaseline = await run(diff, ['.', '--db', url, '--format', 'sql']);
    assert.equal(withoutBaseline.code, 1, withoutBaseline.stderr);
    assert.match(psql(url, withoutBaseline.stdout).stderr, /schema "auth" does not exist|schema "extensions" does not exist|role "(anon|authenticated)" does not exist/);

    const freshUrl = await server.createDatabase('pgreview_baseline_cli', { baseline: false });
    const applied = psql(freshUrl, printed.stdout);
    assert.equal(applied.status, 0, applied.stderr);
    // Idempotent: a second run changes nothing and fails nothing.
    assert.equal(psql(freshUrl, printed.stdout).status, 0);
    const alignment = await run(diff, ['.', '--db', freshUrl, '--format', 'sql']);
    assert.equal(alignment.code, 1, alignment.stderr);
    const aligned = psql(freshUrl, alignment.stdout);
    assert.equal(aligned.status, 0, aligned.stderr);
    const after = await run(diff, ['.', '--db', freshUrl]);
    assert.equal(after.code, 0, after.stdout);
  });

  it('refuses another profile with a clear message', async () => {
    const postgres = await run(baseline, ['--profile', 'postgres']);
    assert.equal(postgres.code, 2);
    assert.match(postgres.stderr, /^pgreview: the postgres profile needs no baseline/);
    const unknown = await run(baseline, ['--profile', 'mysql']);
    assert.equal(unknown.stderr, 'pgreview: Unknown --profile "mysql": use supabase\n');
  });
});
