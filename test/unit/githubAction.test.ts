/**
 * The review step of the GitHub Action (action.yml runs scripts/github-action.sh) run outside
 * GitHub, the way a pull request's job runs it: a copy of the example project in a git repository
 * with an `origin`, a pull-request branch that adds a migration, and GitHub's environment variables
 * pointing at temporary files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../support/git';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'github-action.sh');
const EXAMPLE = join(ROOT, 'examples', 'trvl-social');

describe('the GitHub Action review step (scripts/github-action.sh)', function () {
  this.timeout(120_000);
  let scratch: string;
  let project: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'pgreview-action-'));
    const origin = join(scratch, 'origin.git');
    project = join(scratch, 'project');
    git(scratch, 'init', '--quiet', '--bare', origin);
    cpSync(EXAMPLE, project, { recursive: true });
    git(project, 'init', '--quiet');
    git(project, 'add', '.');
    git(project, 'commit', '--quiet', '-m', 'the applied migrations');
    git(project, 'remote', 'add', 'origin', origin);
    git(project, 'push', '--quiet', 'origin', 'main');
    // The pull request: one new migration that indexes an existing table without CONCURRENTLY.
    git(project, 'checkout', '--quiet', '-b', 'add-payments-index');
    writeFileSync(join(project, 'supabase/migrations/20240501090000_payments_index.sql'), 'create index booking_payments_booking_id_idx on public.booking_payments (booking_id);\n');
    git(project, 'add', '.');
    git(project, 'commit', '--quiet', '-m', 'index booking payments');
    git(project, 'push', '--quiet', 'origin', 'add-payments-index');
    // A clone of the pull request's branch alone, as actions/checkout makes one: the script has to
    // fetch origin/main itself.
    git(scratch, 'clone', '--quiet', '--single-branch', '--branch', 'add-payments-index', origin, 'checkout');
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  function runStep(env: Record<string, string>): { status: number | null; stdout: string; stderr: string; summary: string; output: string; runnerTemp: string } {
    const runnerTemp = mkdtempSync(join(scratch, 'runner-'));
    const summary = join(runnerTemp, 'summary.md');
    const output = join(runnerTemp, 'output.txt');
    writeFileSync(summary, '');
    writeFileSync(output, '');
    const result = spawnSync('bash', [SCRIPT], {
      cwd: join(scratch, 'checkout'),
      encoding: 'utf8',
      timeout: 110_000,
      env: { ...process.env, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, RUNNER_TEMP: runnerTemp, PGREVIEW_PATH: '.', ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8'), runnerTemp };
  }

  it('writes SARIF, the job summary and the text log, and fails as --fail-on says', () => {
    const run = runStep({ PGREVIEW_FAIL_ON: 'error', GITHUB_BASE_REF: 'main' });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /exit 1: \d+ findings at level error/);
    const sarifPath = join(run.runnerTemp, 'pgreview.sarif');
    assert.equal(run.output.trim(), `sarif=${sarifPath}`);
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.some((result) => result.ruleId === 'rls_disabled_in_public'));
    assert.match(run.summary, /^#/m, 'the summary is the markdown review');
    assert.match(run.stdout, /error rls_disabled_in_public/);
  });

  it('judges only the pull request\'s migrations with the safety rules', () => {
    const run = runStep({ PGREVIEW_FAIL_ON: 'none', GITHUB_BASE_REF: 'main' });
    assert.equal(run.status, 0, run.stderr);
    const safety = run.stdout.split('\n').filter((line) => / create_index_non_concurrently: /.test(line));
    // The example's own CREATE INDEX on bookings is applied history on main: not judged again.
    assert.deepEqual(
      safety.map((line) => line.split(':')[0]),
      ['supabase/migrations/20240501090000_payments_index.sql'],
    );
  });

  it('passes with --fail-on none, and without a pull request judges every migration', () => {
    const run = runStep({ PGREVIEW_FAIL_ON: 'none' });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(join(run.runnerTemp, 'pgreview.sarif')));
    assert.match(run.stdout, /20240410083000_bookings_v2\.sql:\d+:\d+: warning create_index_non_concurrently/);
  });
});
