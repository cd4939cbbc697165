/**
 * `pgreview check --since REF` on a real git repository: the safety rules judge the migrations
 * added or changed since REF (committed on the branch, staged, unstaged or untracked), and never
 * the applied history.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import check from '../../src/cli/commands/check';
import { filesChangedSince } from '../../src/node/gitPendingMigrations';
import { runCliCommand, type CliRun } from '../support/runCliCommand';
import { git } from '../support/git';

const MIGRATIONS = 'supabase/migrations';
const BOOKINGS = 'create table public.bookings (id bigint primary key, user_id uuid, status text);\nalter table public.bookings enable row level security;\n';
// Applied history with the very mistake the rule looks for: it ran long ago and is never judged again.
const APPLIED_INDEX = 'create index bookings_status_idx on public.bookings (status);\n';
const PENDING_INDEX = 'create index bookings_user_id_idx on public.bookings (user_id);\n';


/** A repository whose main branch holds a Supabase project (in `subfolder`, when given) with two applied migrations. */
function makeRepository(subfolder = ''): { repo: string; project: string } {
  const repo = mkdtempSync(join(tmpdir(), 'pgreview-since-'));
  const project = join(repo, subfolder);
  mkdirSync(join(project, MIGRATIONS), { recursive: true });
  writeFileSync(join(project, 'supabase', 'config.toml'), 'project_id = "since"\n');
  writeFileSync(join(project, MIGRATIONS, '20240101000000_bookings.sql'), BOOKINGS);
  writeFileSync(join(project, MIGRATIONS, '20240102000000_status_index.sql'), APPLIED_INDEX);
  git(repo, 'init', '-q');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'applied migrations');
  git(repo, 'checkout', '-q', '-b', 'feature');
  return { repo, project };
}

function safetyFindings(run: CliRun): string[] {
  const findings = (JSON.parse(run.stdout) as { findings: { rule: string; category: string; file: string; line: number }[] }).findings;
  // lock_timeout_missing fires beside every such CREATE INDEX: one rule is enough to show which files are judged.
  return findings.filter((finding) => finding.category === 'safety' && finding.rule !== 'lock_timeout_missing').map((finding) => `${finding.rule} ${finding.file}:${finding.line}`);
}

describe('pgreview check --since (real git)', function () {
  this.timeout(120_000);
  const made: string[] = [];
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  function repository(subfolder?: string): { repo: string; project: string } {
    const created = makeRepository(subfolder);
    made.push(created.repo);
    return created;
  }

  it('judges an untracked migration and leaves the applied history alone', async () => {
    const { project } = repository();
    writeFileSync(join(project, MIGRATIONS, '20240201000000_user_index.sql'), PENDING_INDEX);
    const run = await runCliCommand(check, project, ['--since', 'main', '--format', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(safetyFindings(run), [`create_index_non_concurrently ${MIGRATIONS}/20240201000000_user_index.sql:1`]);
    assert.equal(run.stderr, 'pgreview: 1 pending migration (added or changed since main)\n');
  });

  it('counts committed, staged, unstaged and renamed files, from the merge base', async () => {
    const { repo, project } = repository();
    writeFileSync(join(project, MIGRATIONS, '20240201000000_committed.sql'), PENDING_INDEX.replace(/user_id_idx/, 'committed_idx'));
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'a migration on the branch');
    // main moves on after the branch left it: what it gains is not this branch's change.
    git(repo, 'checkout', '-q', 'main');
    writeFileSync(join(project, MIGRATIONS, '20240101000000_bookings.sql'), `${BOOKINGS}-- changed on main\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'main moves on');
    git(repo, 'checkout', '-q', 'feature');
    writeFileSync(join(project, MIGRATIONS, '20240202000000_staged.sql'), PENDING_INDEX.replace(/user_id_idx/, 'staged_idx'));
    git(repo, 'add', '.');
    // An applied file changed on the branch and not committed: pending again.
    writeFileSync(join(project, MIGRATIONS, '20240102000000_status_index.sql'), `${APPLIED_INDEX}-- reviewed\n`);
    git(repo, 'mv', `${MIGRATIONS}/20240202000000_staged.sql`, `${MIGRATIONS}/20240203000000_renamed.sql`);

    const changed = await filesChangedSince(project, 'main');
    assert.deepEqual([...changed].sort(), [`${MIGRATIONS}/20240102000000_status_index.sql`, `${MIGRATIONS}/20240201000000_committed.sql`, `${MIGRATIONS}/20240203000000_renamed.sql`]);
    const run = await runCliCommand(check, project, ['--since', 'main', '--format', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(safetyFindings(run), [
      `create_index_non_concurrently ${MIGRATIONS}/20240102000000_status_index.sql:1`,
      `create_index_non_concurrently ${MIGRATIONS}/20240201000000_committed.sql:1`,
      `create_index_non_concurrently ${MIGRATIONS}/20240203000000_renamed.sql:1`,
    ]);
    assert.match(run.stderr, /^pgreview: 3 pending migrations \(added or changed since main\)\n$/);
  });

  it('works on a project in a folder of the repository', async () => {
    const { repo, project } = repository('services/api');
    writeFileSync(join(repo, 'outside.sql'), 'create index on public.bookings (user_id);\n');
    writeFileSync(join(project, MIGRATIONS, '20240201000000_user_index.sql'), PENDING_INDEX);
    const run = await runCliCommand(check, repo, ['services/api', '--since', 'main', '--format', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(safetyFindings(run), [`create_index_non_concurrently services/api/${MIGRATIONS}/20240201000000_user_index.sql:1`]);
    assert.deepEqual([...(await filesChangedSince(project, 'main'))], [`${MIGRATIONS}/20240201000000_user_index.sql`]);
  });

  it('without --since or --db, notes once that every migration is pending, only when a safety finding exists', async () => {
    const { project } = repository();
    const quiet = await runCliCommand(check, project, ['--format', 'json', '--fail-on', 'none']);
    // The applied index is on a table of an earlier file, so without a pending list it is judged.
    assert.deepEqual(safetyFindings(quiet), [`create_index_non_concurrently ${MIGRATIONS}/20240102000000_status_index.sql:1`]);
    assert.equal(quiet.stderr, 'pgreview: note: no --since or --db: every migration counts as pending, and only tables created in the same file count as new\n');
    writeFileSync(join(project, MIGRATIONS, '20240102000000_status_index.sql'), 'select 1;\n');
    const clean = await runCliCommand(check, project, ['--format', 'json', '--fail-on', 'none']);
    assert.deepEqual(safetyFindings(clean), []);
    assert.equal(clean.stderr, '');
  });

  it('says what is wrong: no repository, an unknown ref, a ref that looks like an option, no git', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'pgreview-since-plain-'));
    made.push(plain);
    mkdirSync(join(plain, MIGRATIONS), { recursive: true });
    writeFileSync(join(plain, MIGRATIONS, '20240101000000_bookings.sql'), BOOKINGS);
    // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temporary folder.
    const ceiling = process.env.GIT_CEILING_DIRECTORIES;
    process.env.GIT_CEILING_DIRECTORIES = tmpdir();
    try {
      const noRepository = await runCliCommand(check, plain, ['--since', 'main']);
      assert.equal(noRepository.code, 2);
      assert.match(noRepository.stderr, /^pgreview: --since needs a git repository, and .*pgreview-since-plain-\w+ is not in one\n$/);
    } finally {
      if (ceiling === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
      else process.env.GIT_CEILING_DIRECTORIES = ceiling;
    }
    const { project } = repository();
    const unknownRef = await runCliCommand(check, project, ['--since', 'origin/nowhere']);
    assert.equal(unknownRef.code, 2);
    assert.equal(unknownRef.stderr, 'pgreview: unknown git ref "origin/nowhere" for --since: no branch, tag or commit of that name (fetch it first, e.g. git fetch origin main)\n');
    const optionLike = await runCliCommand(check, project, ['--since=--output=x']);
    assert.equal(optionLike.code, 2);
    assert.match(optionLike.stderr, /--since needs a git ref/);
    await assert.rejects(filesChangedSince(project, 'main', { git: join(project, 'no-such-git') }), /--since needs git, and .*no-such-git was not found/);
  });
});
