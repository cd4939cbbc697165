/**
 * The pre-commit hook (.pre-commit-hooks.yaml) run by the real pre-commit tool, the way a user's
 * repository runs it: `pre-commit try-repo` installs this repository as a node hook and runs it on
 * staged migrations, with every pre-commit version found on the machine. pre-commit installs a node
 * hook in two ways:
 * - 3.x to 4.6.0: `npm install --include=dev` in the hook repository, `npm pack`, then
 *   `npm install -g` of the tarball;
 * - 4.6.1 and later: `npm install --allow-git=root --install-links -g git+file://<repository>`, in
 *   which npm 11 runs the package's `prepare` in a clone without its dependencies
 *   (scripts/prepare.mjs installs them).
 * Debian's pre-commit (3.0.4), which scripts/install-test-deps.sh installs, takes the first way:
 * PyPI, whence a newer one comes, is not reachable from every machine that runs these tests. When
 * no pre-commit 4.6.1 or later is installed, the last describe below runs the second way's npm
 * command itself, with pre-commit's environment: a stand-in for that pre-commit, not the tool.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { git } from '../support/git';

const ROOT = join(__dirname, '..', '..');
const CLEAN_PROJECT = join(ROOT, 'test', 'fixtures', 'projects', 'clean');
const BOOKINGS = { file: 'supabase/migrations/20240201000000_bookings.sql', sql: 'create table public.bookings (id uuid primary key, user_id uuid not null);\n' };
const PROFILES_INDEX = { file: 'supabase/migrations/20240202000000_profiles_index.sql', sql: 'create index profiles_display_name_idx on public.profiles (display_name);\n' };
// Installing the hook's environment runs npm install of this repository: minutes, not seconds.
const INSTALL_TIMEOUT_MS = 880_000;

interface PreCommit {
  command: string;
  version: string;
}

/** Debian's pre-commit and the one on PATH (pip's, pyenv's), each version once. */
function installedPreCommits(): PreCommit[] {
  const found = new Map<string, PreCommit>();
  for (const command of ['/usr/bin/pre-commit', 'pre-commit']) {
    const result = spawnSync(command, ['--version'], { encoding: 'utf8' });
    const version = result.status === 0 ? /pre-commit (\d+\.\d+\.\d+)/.exec(result.stdout)?.[1] : undefined;
    if (version && !found.has(version)) found.set(version, { command, version });
  }
  return [...found.values()];
}

function isAtLeast(version: string, minimum: string): boolean {
  const [a, b] = [version, minimum].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

const PRE_COMMITS = installedPreCommits();

/** A git repository holding the clean fixture project, for the hook to run in. */
function makeProject(scratch: string): string {
  const project = join(scratch, 'project');
  cpSync(CLEAN_PROJECT, project, { recursive: true });
  git(project, 'init', '--quiet');
  git(project, 'add', '.');
  git(project, 'commit', '--quiet', '-m', 'profiles');
  return project;
}

/** Stages a migration, runs `run` (the hook), and puts the project back as it was. */
function withStaged(project: string, migration: { file: string; sql: string }, run: () => SpawnSyncReturns<string>): { status: number | null; output: string } {
  writeFileSync(join(project, migration.file), migration.sql);
  git(project, 'add', migration.file);
  const result = run();
  git(project, 'reset', '--quiet', '--hard');
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error?.message ?? ''}` };
}

/** The two commits every way of installing the hook must judge alike. */
function itJudgesCommits(hook: () => { project: string; run: () => SpawnSyncReturns<string> }): void {
  it('fails the commit of a migration with an error, naming the finding', () => {
    const { project, run } = hook();
    const result = withStaged(project, BOOKINGS, run);
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /20240201000000_bookings\.sql:1:1: error rls_disabled_in_public/);
  });

  it('passes a migration with only warnings, and judges only the staged one for migration safety', () => {
    const { project, run } = hook();
    const result = withStaged(project, PROFILES_INDEX, run);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /20240202000000_profiles_index\.sql:1:1: warning create_index_non_concurrently/);
    assert.match(result.output, /1 pending migration/);
  });
}

describe('the pre-commit hook, run by pre-commit', function () {
  this.timeout(900_000);

  if (PRE_COMMITS.length === 0) {
    it('needs pre-commit', function () {
      if (process.env.CI) throw new Error('pre-commit is not installed: run scripts/install-test-deps.sh');
      this.skip();
    });
  }

  for (const preCommit of PRE_COMMITS) {
    describe(`pre-commit ${preCommit.version}`, () => {
      let scratch: string;
      let project: string;
      before(() => {
        scratch = mkdtempSync(join(tmpdir(), 'pgreview-pre-commit-'));
        project = makeProject(scratch);
      });
      after(() => rmSync(scratch, { recursive: true, force: true }));

      itJudgesCommits(() => ({
        project,
        run: () =>
          spawnSync(preCommit.command, ['try-repo', ROOT, 'pgreview', '--verbose', '--files', ...git(project, 'diff', '--cached', '--name-only').trim().split('\n')], {
            cwd: project,
            encoding: 'utf8',
            timeout: INSTALL_TIMEOUT_MS,
            // Its own home, so the hook's environment is built from this checkout, and npm may use its cache.
            env: { ...process.env, PRE_COMMIT_HOME: join(scratch, 'pre-commit-home'), npm_config_prefer_offline: 'true' },
          }),
      }));
    });
  }
});

describe('the pre-commit hook, installed with the npm command of pre-commit 4.6.1 and later', function () {
  this.timeout(900_000);
  let scratch: string;
  let project: string;
  let environment: NodeJS.ProcessEnv;

  before(function () {
    if (PRE_COMMITS.some((preCommit) => isAtLeast(preCommit.version, '4.6.1'))) this.skip(); // the real one ran above
    scratch = mkdtempSync(join(tmpdir(), 'pgreview-pre-commit-npm-'));
    project = makeProject(scratch);
    // The hook repository as pre-commit's store holds it: a git clone of this checkout, with its
    // uncommitted changes (try-repo commits them into a shadow repository).
    const repository = join(scratch, 'repository');
    for (const file of git(ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0')) {
      if (!file || !existsSync(join(ROOT, file))) continue;
      mkdirSync(dirname(join(repository, file)), { recursive: true });
      cpSync(join(ROOT, file), join(repository, file));
    }
    git(repository, 'init', '--quiet');
    git(repository, 'add', '.');
    git(repository, 'commit', '--quiet', '-m', 'hook');
    // pre_commit/languages/node.py: get_env_patch() for a node_env with the system's node, then
    // install_environment()'s one npm command.
    const environmentDir = join(scratch, 'node_env-system');
    environment = {
      ...process.env,
      NODE_VIRTUAL_ENV: environmentDir,
      NPM_CONFIG_PREFIX: environmentDir,
      npm_config_prefix: environmentDir,
      NODE_PATH: join(environmentDir, 'lib', 'node_modules'),
      PATH: `${join(environmentDir, 'bin')}${delimiter}${process.env.PATH}`,
      npm_config_prefer_offline: 'true',
    };
    delete environment.NPM_CONFIG_USERCONFIG;
    delete environment.npm_config_userconfig;
    const install = spawnSync('npm', ['install', '--allow-git=root', '--install-links', '-g', `git+file://${repository}`], { cwd: repository, env: environment, encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS });
    assert.equal(install.status, 0, `npm install -g git+file://: ${install.stdout}${install.stderr}`);
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  // The hook's entry run as pre-commit runs it (pass_filenames: false): in the project, with the
  // environment's bin folder first on PATH.
  itJudgesCommits(() => {
    const [command, ...args] = hookEntry().split(/\s+/);
    return { project, run: () => spawnSync(command, args, { cwd: project, env: environment, encoding: 'utf8', timeout: 120_000 }) };
  });
});

function hookEntry(): string {
  const hooks = parseYaml(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{ id: string; entry: string; pass_filenames?: boolean }>;
  const hook = hooks.find((candidate) => candidate.id === 'pgreview');
  assert.ok(hook && hook.pass_filenames === false, 'the pgreview hook, run without file names');
  return hook.entry;
}
