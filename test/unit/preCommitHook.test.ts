/**
 * The pre-commit hook (.pre-commit-hooks.yaml) run by the real pre-commit tool, the way a user's
 * repository runs it: `pre-commit try-repo` installs this repository as a node hook (npm install,
 * npm pack, npm install -g, as for any hook repository) and runs it on staged migrations.
 * pre-commit comes from Debian (scripts/install-test-deps.sh installs it): PyPI is not reachable
 * from every machine that runs these tests.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLEAN_PROJECT = join(ROOT, 'test', 'fixtures', 'projects', 'clean');

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
}

/**
 * Debian's pre-commit (3.x), which install-test-deps.sh installs: the one CI has. pre-commit 4
 * installs a node hook with `npm install -g --install-links git+file://...`, and npm 11 then runs
 * the package's `prepare` (the build) without its devDependencies, which fails (see the README).
 */
const PRE_COMMIT = existsSync('/usr/bin/pre-commit') ? '/usr/bin/pre-commit' : 'pre-commit';
const hasPreCommit = spawnSync(PRE_COMMIT, ['--version'], { encoding: 'utf8' }).status === 0;

describe('the pre-commit hook, run by pre-commit', function () {
  // Installing the hook's environment runs npm install of this repository: minutes, not seconds.
  this.timeout(900_000);
  let scratch: string;
  let project: string;

  before(function () {
    if (!hasPreCommit) {
      if (process.env.CI) throw new Error('pre-commit is not installed: run scripts/install-test-deps.sh');
      this.skip();
    }
    scratch = mkdtempSync(join(tmpdir(), 'pgreview-pre-commit-'));
    project = join(scratch, 'project');
    cpSync(CLEAN_PROJECT, project, { recursive: true });
    git(project, 'init', '--quiet');
    git(project, 'add', '.');
    git(project, 'commit', '--quiet', '-m', 'profiles');
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  function preCommit(file: string, sql: string): { status: number | null; output: string } {
    writeFileSync(join(project, file), sql);
    git(project, 'add', file);
    const result = spawnSync(PRE_COMMIT, ['try-repo', ROOT, 'pgreview', '--verbose', '--files', file], {
      cwd: project,
      encoding: 'utf8',
      timeout: 880_000,
      // Its own home, so the hook's environment is built from this checkout, and npm may use its cache.
      env: { ...process.env, PRE_COMMIT_HOME: join(scratch, 'pre-commit-home'), npm_config_prefer_offline: 'true' },
    });
    git(project, 'reset', '--quiet', '--hard');
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  it('fails the commit of a migration with an error, naming the finding', () => {
    const file = 'supabase/migrations/20240201000000_bookings.sql';
    const run = preCommit(file, 'create table public.bookings (id uuid primary key, user_id uuid not null);\n');
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /20240201000000_bookings\.sql:1:1: error rls_disabled_in_public/);
  });

  it('passes a migration with only warnings, and judges only the staged one for migration safety', () => {
    const file = 'supabase/migrations/20240202000000_profiles_index.sql';
    const run = preCommit(file, 'create index profiles_display_name_idx on public.profiles (display_name);\n');
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /20240202000000_profiles_index\.sql:1:1: warning create_index_non_concurrently/);
  });
});
