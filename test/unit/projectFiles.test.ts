/**
 * The project's files on a real file system: unreadable files and folders, named pipes, symbolic
 * links (inside the project, out of it, broken, looping). Reading goes through the file-system
 * reader and loadProject; what a user sees goes through the built CLI.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadProject } from '../../src/core/project/loadProject';
import { createFileSystemProjectReader } from '../../src/node/fileSystemProjectReader';

const ROOT = join(__dirname, '..', '..');
const PROFILES = 'create table public.profiles (id uuid primary key);\nalter table public.profiles enable row level security;\n';
const VENDORS = 'create table public.vendors (id uuid primary key);\nalter table public.vendors enable row level security;\n';

/** A fresh folder that any user may read, with `files` written into it (paths relative to it). */
function makeFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgreview-files-'));
  chmodSync(dir, 0o755);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user without privileges, so that file permissions apply: root reads
 * every file whatever its mode. As root, that is `nobody`; otherwise the current user.
 */
function runCliUnprivileged(...args: string[]): CliResult {
  const command = [process.execPath, 'bin/pgreview.js', ...args];
  const asRoot = process.getuid?.() === 0;
  const result = spawnSync(asRoot ? 'runuser' : command[0], asRoot ? ['-u', 'nobody', '--', ...command] : command.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runCli(...args: string[]): CliResult {
  const result = spawnSync(process.execPath, ['bin/pgreview.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function findingLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => / (error|warning|info) [a-z_]+: /.test(line));
}

describe('project files on disk', function () {
  this.timeout(120_000);
  const folders: string[] = [];
  const folder = (files: Record<string, string>) => {
    const dir = makeFolder(files);
    folders.push(dir);
    return dir;
  };
  before(() => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
  });
  after(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one finding per line when a syntax error quotes the rest of a large file', () => {
    const dump = `select 'abc\n${'insert into public.profiles values (1);\n'.repeat(50_000)}`;
    const dir = folder({ 'supabase/migrations/20240101000000_profiles.sql': PROFILES, 'supabase/migrations/20240102000000_dump.sql': dump });
    const result = runCli('check', dir, '--fail-on', 'none');
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(-2), ['', '1 error, 0 warnings, 1 info in 2 migration files (2 statements)']);
    assert.equal(lines.length, 4);
    const syntax = lines.find((line) => line.includes(' syntax_error: ')) ?? '';
    assert.match(syntax, /20240102000000_dump\.sql:1:8: error syntax_error: unterminated quoted string at or near "'abc\\ninsert into public\.profiles values \(1\);\\ninsert .*… \(19\d{5} more characters\)$/);
    assert.ok(syntax.length < 1200, `${syntax.length} characters`);
  });

  it('leaves the largest migrations out when the project is over the 20 MB budget, and says so', () => {
    const megabytes = (count: number) => `-- ${'x'.repeat(76)}\n`.repeat((count * 1024 * 1024) / 80);
    const dir = folder({
      'supabase/migrations/20240101000000_profiles.sql': PROFILES + megabytes(7),
      'supabase/migrations/20240102000000_seed_dump.sql': megabytes(9),
      'supabase/migrations/20240103000000_vendors.sql': VENDORS + megabytes(8),
    });
    const result = runCli('check', dir, '--format', 'json', '--fail-on', 'none');
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { rule: string; file: string; message: string }[]; summary: { statements: number } };
    // JSON names files relative to the working directory, as the other formats do.
    assert.deepEqual(report.findings.map((finding) => `${finding.rule} ${finding.file.replace(/^.*?(?=supabase\/)/, '')}`), [
      'file_skipped supabase/migrations/20240102000000_seed_dump.sql',
      'rls_enabled_no_policy supabase/migrations/20240101000000_profiles.sql',
      'rls_enabled_no_policy supabase/migrations/20240103000000_vendors.sql',
    ]);
    assert.equal(
      report.findings[0].message,
      'supabase/migrations/20240102000000_seed_dump.sql is 9.0 MB, and the migrations come to 24.0 MB, above the 20 MB that pgreview reviews in one run (the largest files are left out first): it is not checked.',
    );
  });

  describe('unreadable files (the CLI as an unprivileged user)', () => {
    before(function () {
      if (process.platform === 'win32') this.skip(); // no Unix permission bits
      if (process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status !== 0) this.skip();
    });

    it('reports an unreadable migration as file_skipped and reviews the rest', () => {
      const dir = folder({ 'supabase/migrations/20240101000000_profiles.sql': PROFILES, 'supabase/migrations/20240102000000_vendors.sql': 'create table public.vendors (id uuid primary key);\n' });
      chmodSync(join(dir, 'supabase/migrations/20240102000000_vendors.sql'), 0o000);
      const result = runCliUnprivileged('check', dir);
      assert.equal(result.stderr, '');
      assert.equal(result.status, 0);
      assert.deepEqual(findingLines(result.stdout).map((line) => line.replace(/^.*?(?=supabase\/)/, '')), [
        'supabase/migrations/20240102000000_vendors.sql:1:1: warning file_skipped: supabase/migrations/20240102000000_vendors.sql cannot be read (permission denied, EACCES): it is not checked.',
        'supabase/migrations/20240101000000_profiles.sql:2:1: info rls_enabled_no_policy: Table public.profiles has RLS enabled but no policies: every request through the API is denied.',
      ]);
    });

    it('names an unreadable pgreview.json (exit 2) and warns about an unreadable config.toml', () => {
      const dir = folder({ 'pgreview.json': '{}', 'supabase/config.toml': '[api]\nschemas = ["public"]\n', 'supabase/migrations/20240101000000_profiles.sql': PROFILES });
      chmodSync(join(dir, 'pgreview.json'), 0o000);
      const config = runCliUnprivileged('check', dir);
      assert.equal(config.stderr, 'pgreview: pgreview.json cannot be read (permission denied, EACCES)\n');
      assert.equal(config.status, 2);
      chmodSync(join(dir, 'pgreview.json'), 0o644);
      chmodSync(join(dir, 'supabase/config.toml'), 0o000);
      const toml = runCliUnprivileged('check', dir, '--fail-on', 'none');
      assert.equal(toml.stderr, 'pgreview: warning: supabase/config.toml: it cannot be read (permission denied, EACCES); using the default exposed schemas\n');
      assert.equal(toml.status, 0);
      assert.equal(findingLines(toml.stdout).length, 1, toml.stdout);
    });

    it('warns about an unreadable migrations folder instead of finding no migrations', () => {
      const dir = folder({ 'db/migrations/1_profiles.up.sql': PROFILES, 'supabase/migrations/20240101000000_profiles.sql': PROFILES });
      chmodSync(join(dir, 'supabase/migrations'), 0o000);
      const result = runCliUnprivileged('check', dir, '--fail-on', 'none');
      assert.match(result.stderr, /^pgreview: warning: supabase\/migrations: the folder cannot be read \(permission denied, EACCES\): its files are not reviewed\n/);
    });
  });

  describe('named pipes, sockets and devices', () => {
    before(function () {
      if (process.platform === 'win32') this.skip(); // no named pipes in the file system
    });

    // Through the CLI with a timeout: a reader that waited for a writer would block its process for good.
    it('refuses a named pipe as pgreview.json, config.toml or a migration without waiting for a writer', () => {
      const dir = folder({ 'supabase/migrations/20240101000000_profiles.sql': PROFILES });
      execFileSync('mkfifo', [join(dir, 'pgreview.json'), join(dir, 'supabase/config.toml'), join(dir, 'supabase/migrations/20240102000000_vendors.sql')]);
      const config = runCli('check', dir);
      assert.equal(config.stderr, 'pgreview: pgreview.json is a named pipe, not a regular file\n');
      assert.equal(config.status, 2);
      rmSync(join(dir, 'pgreview.json'));
      const result = runCli('check', dir, '--fail-on', 'none');
      assert.equal(result.stderr, 'pgreview: warning: supabase/config.toml: it is a named pipe, not a regular file; using the default exposed schemas\n');
      assert.equal(result.status, 0);
      assert.deepEqual(findingLines(result.stdout).map((line) => line.replace(/^.*?(?=supabase\/)/, '')), [
        'supabase/migrations/20240102000000_vendors.sql:1:1: warning file_skipped: supabase/migrations/20240102000000_vendors.sql is a named pipe, not a regular file: it is not checked.',
        'supabase/migrations/20240101000000_profiles.sql:2:1: info rls_enabled_no_policy: Table public.profiles has RLS enabled but no policies: every request through the API is denied.',
      ]);
    });

    it('refuses a named pipe as the project\'s supabase/seed.sql (pgreview test)', () => {
      const dir = makeFolder({});
      folders.push(dir);
      cpSync(join(ROOT, 'test/fixtures/policy-tests/broken-bookings'), dir, { recursive: true });
      rmSync(join(dir, 'supabase/seed.sql'));
      execFileSync('mkfifo', [join(dir, 'supabase/seed.sql')]);
      const result = runCli('test', dir);
      assert.equal(result.stderr, 'pgreview: supabase/seed.sql is a named pipe, not a regular file\n');
      assert.equal(result.status, 2);
    });

    it('refuses a folder named pgreview.json', () => {
      const dir = folder({ 'pgreview.json/readme.txt': 'not a config', 'supabase/migrations/20240101000000_profiles.sql': PROFILES });
      assert.throws(() => loadProject(createFileSystemProjectReader(dir)), /^UnreadableFileError: pgreview\.json is a folder, not a regular file$/);
    });
  });

  describe('symbolic links', () => {
    before(function () {
      if (process.platform === 'win32') this.skip(); // symbolic links need privileges there
    });

    it('follows a linked migrations folder and linked files inside the project', () => {
      const dir = folder({ 'db/schema/20240101000000_profiles.sql': PROFILES, 'db/extra/vendors.sql': VENDORS });
      mkdirSync(join(dir, 'supabase'));
      symlinkSync('../db/schema', join(dir, 'supabase/migrations'));
      symlinkSync('../../db/extra/vendors.sql', join(dir, 'db/schema/20240102000000_vendors.sql'));
      const project = loadProject(createFileSystemProjectReader(dir));
      assert.equal(project.layout, 'supabase');
      assert.deepEqual(project.files.map((file) => file.path), ['supabase/migrations/20240101000000_profiles.sql', 'supabase/migrations/20240102000000_vendors.sql']);
      assert.equal(project.files[1].text, VENDORS);
      assert.deepEqual(project.findings, []);
      assert.deepEqual(project.problems, []);
    });

    it('reads no file outside the project: a linked file is skipped with a finding, a linked folder with a warning', () => {
      const outside = folder({ 'secret.sql': 'select 1;\n', 'shared/20240103000000_bookings.sql': 'select 2;\n' });
      const dir = folder({ 'supabase/migrations/20240101000000_profiles.sql': PROFILES, 'db/readme.txt': '' });
      symlinkSync(join(outside, 'secret.sql'), join(dir, 'supabase/migrations/20240102000000_secret.sql'));
      symlinkSync(join(outside, 'shared'), join(dir, 'db/migrations'));
      const project = loadProject(createFileSystemProjectReader(dir));
      assert.deepEqual(project.files.map((file) => file.path), ['supabase/migrations/20240101000000_profiles.sql']);
      assert.deepEqual(project.findings.map((finding) => `${finding.rule} ${finding.span?.file}: ${finding.message}`), [
        `file_skipped supabase/migrations/20240102000000_secret.sql: supabase/migrations/20240102000000_secret.sql is a symbolic link to ${join(outside, 'secret.sql')}, outside the project: pgreview reads no file outside the project folder: it is not checked.`,
      ]);
      assert.deepEqual(project.problems.map((problem) => `${problem.kind} ${problem.file}: ${problem.message}`), [
        `skipped_folder db/migrations: a symbolic link to the folder ${join(outside, 'shared')}, outside the project: its files are not reviewed`,
      ]);
    });

    it('a file listed as a regular file and replaced since (by a link out of the project, or by nothing) is read as any path', () => {
      const outside = folder({ 'secret.sql': 'select 1;\n' });
      const dir = folder({ 'supabase/migrations/20240101000000_profiles.sql': PROFILES, 'supabase/migrations/20240102000000_vendors.sql': VENDORS });
      const reader = createFileSystemProjectReader(dir);
      assert.equal(reader.listFiles().length, 2);
      rmSync(join(dir, 'supabase/migrations/20240101000000_profiles.sql'));
      symlinkSync(join(outside, 'secret.sql'), join(dir, 'supabase/migrations/20240101000000_profiles.sql'));
      rmSync(join(dir, 'supabase/migrations/20240102000000_vendors.sql'));
      assert.throws(() => reader.readFile('supabase/migrations/20240101000000_profiles.sql'), /is a symbolic link to .*secret\.sql, outside the project/);
      assert.equal(reader.sizeOf?.('supabase/migrations/20240101000000_profiles.sql'), undefined);
      assert.equal(reader.readFile('supabase/migrations/20240102000000_vendors.sql'), undefined);
    });

    it('walks a folder that two links lead to once, through the link nearest the root', () => {
      const dir = folder({ 'shared/migrations/1_profiles.up.sql': PROFILES });
      mkdirSync(join(dir, 'apps/web'), { recursive: true });
      symlinkSync('../../shared', join(dir, 'apps/web/db'));
      symlinkSync('shared', join(dir, 'linked'));
      assert.deepEqual(createFileSystemProjectReader(dir).listFiles(), ['linked/migrations/1_profiles.up.sql', 'shared/migrations/1_profiles.up.sql']);
    });

    it('reports a broken link, and walks a looping link once', () => {
      const dir = folder({ 'supabase/migrations/20240101000000_profiles.sql': PROFILES });
      symlinkSync('20240100000000_gone.sql', join(dir, 'supabase/migrations/20240102000000_gone.sql'));
      symlinkSync('..', join(dir, 'supabase/migrations/parent'));
      symlinkSync('../supabase', join(dir, 'supabase/again'));
      const reader = createFileSystemProjectReader(dir);
      assert.deepEqual(reader.listFiles(), ['supabase/migrations/20240101000000_profiles.sql', 'supabase/migrations/20240102000000_gone.sql']);
      const project = loadProject(reader);
      assert.deepEqual(project.findings.map((finding) => finding.message), [
        'supabase/migrations/20240102000000_gone.sql is a symbolic link to a file that does not exist: it is not checked.',
      ]);
    });
  });
});
