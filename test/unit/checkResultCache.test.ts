/**
 * `pgreview check`'s persistent cache (issue 14): whatever it reuses, the report equals a fresh
 * analysis, and an entry it cannot trust is ignored and rebuilt. Runs the command in-process with
 * its cache folder in a temporary XDG_CACHE_HOME.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import check from '../../src/cli/commands/check';
import { analyze } from '../../src/core/analyze';
import { loadProject } from '../../src/core/project/loadProject';
import { loadParser } from '../../src/core/sql/parser';
import { checkResultKey, readCheckResult } from '../../src/node/checkResultCache';
import { createFileSystemProjectReader } from '../../src/node/fileSystemProjectReader';
import { runCliCommand } from '../support/runCliCommand';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'trvl-social');
const MIGRATIONS = 'supabase/migrations';
/** The version runCliCommand gives the command. */
const TEST_VERSION = '0.0.0-test';

describe('check result cache', () => {
  let previousCacheHome: string | undefined;
  let cacheHome: string;
  let cacheFolder: string;
  let project: string;

  before(() => loadParser());
  beforeEach(() => {
    previousCacheHome = process.env.XDG_CACHE_HOME;
    cacheHome = mkdtempSync(join(tmpdir(), 'pgreview-check-cache-'));
    cacheFolder = join(cacheHome, 'pgreview');
    process.env.XDG_CACHE_HOME = cacheHome;
    project = mkdtempSync(join(tmpdir(), 'pgreview-check-cache-project-'));
    cpSync(join(EXAMPLE, 'supabase'), join(project, 'supabase'), { recursive: true });
  });
  afterEach(() => {
    if (previousCacheHome === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previousCacheHome;
    rmSync(cacheHome, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  const runCheck = (...args: string[]) => runCliCommand(check, project, ['.', ...args]);
  const entries = () => readdirSync(cacheFolder).filter((name) => name.startsWith('pgreview-check-'));
  const migrationPath = (name: string) => join(project, MIGRATIONS, name);

  /**
   * Checks the project as it is now: the first run (which may fill the cache), a second run (which
   * reads it) and a run with --no-cache print the same report in every format, and the stored
   * findings, fixes and suggestions included, are a fresh analysis's.
   */
  async function assertCachedEqualsFresh(): Promise<void> {
    for (const format of ['json', 'text', 'sarif', 'markdown']) {
      const first = await runCheck('--format', format);
      const second = await runCheck('--format', format);
      const fresh = await runCheck('--format', format, '--no-cache');
      assert.ok(first.code === 0 || first.code === 1, first.stderr);
      assert.deepEqual(first, fresh, `first run, ${format}`);
      assert.deepEqual(second, fresh, `second run, ${format}`);
    }
    const loaded = loadProject(createFileSystemProjectReader(project));
    // As check analyses: with the layout, whose runner the safety rules read, and no pending list.
    const analysis = analyze({ files: loaded.files, config: loaded.config, layout: loaded.layout });
    const stored = readCheckResult(cacheFolder, checkResultKey({ files: loaded.files, config: loaded.config, layout: loaded.layout, version: TEST_VERSION }));
    assert.ok(stored, 'the run stored its result');
    assert.deepEqual(stored.findings, JSON.parse(JSON.stringify(analysis.findings)));
    assert.ok(stored.findings.some((finding) => finding.fix), 'the example has findings with fixes');
  }

  it('reports what a fresh analysis reports across edits, renames, deleted files and config changes', async function () {
    this.timeout(120_000);
    const names = readdirSync(join(project, MIGRATIONS)).sort();
    const original = new Map(names.map((name) => [name, readFileSync(migrationPath(name), 'utf8')]));
    await assertCachedEqualsFresh();
    assert.equal(entries().length, 1);

    // An edit: a table without RLS, in the middle of the history.
    writeFileSync(migrationPath(names[3]), `${original.get(names[3])}\ncreate table public.cache_probe (id bigint primary key, owner uuid references auth.users (id));\n`);
    await assertCachedEqualsFresh();
    assert.equal(entries().length, 2);

    // A rename that moves a migration to the end of the order.
    renameSync(migrationPath(names[1]), migrationPath(`20991231000000_${names[1].replace(/^\d+_/, '')}`));
    await assertCachedEqualsFresh();

    // A deleted file.
    rmSync(migrationPath(names[names.length - 1]));
    await assertCachedEqualsFresh();

    // Config changes: a rule turned off, then another one's level changed.
    writeFileSync(join(project, 'pgreview.json'), JSON.stringify({ rules: { rls_disabled_in_public: 'off' } }));
    await assertCachedEqualsFresh();
    writeFileSync(join(project, 'pgreview.json'), JSON.stringify({ rules: { rls_disabled_in_public: 'off', policy_exists_rls_disabled: 'info' } }));
    await assertCachedEqualsFresh();
    assert.equal(entries().length, 6);

    // Back to the first state: its entry serves, and no new one is written.
    rmSync(join(project, 'pgreview.json'));
    rmSync(join(project, MIGRATIONS), { recursive: true });
    cpSync(join(EXAMPLE, MIGRATIONS), join(project, MIGRATIONS), { recursive: true });
    await assertCachedEqualsFresh();
    assert.equal(entries().length, 6);
  });

  describe('an entry it cannot trust is ignored and rebuilt', () => {
    let fresh: string;
    let entryPath: string;
    let validEntry: Buffer;

    beforeEach(async () => {
      fresh = (await runCheck('--format', 'json', '--no-cache')).stdout;
      await runCheck('--format', 'json');
      assert.equal(entries().length, 1);
      entryPath = join(cacheFolder, entries()[0]);
      validEntry = readFileSync(entryPath);
    });

    /** The entry as a forger would write it: no findings, a correct checksum, the header's fields overridden. */
    function forgedEntry(header: Record<string, unknown> = {}): Buffer {
      const text = validEntry.toString('utf8');
      const realHeader = JSON.parse(text.slice(0, text.indexOf('\n'))) as Record<string, unknown>;
      const payload = JSON.stringify({ findings: [], statements: 1 });
      const sha = createHash('sha256').update(payload).digest('hex');
      return Buffer.from(`${JSON.stringify({ ...realHeader, payloadSha256: sha, ...header })}\n${payload}`);
    }

    /** Runs check over the planted entry: the report is the fresh one, and the entry is this run's again. */
    async function assertIgnoredAndRebuilt(): Promise<void> {
      const run = await runCheck('--format', 'json');
      assert.equal(run.stdout, fresh);
      assert.deepEqual(readFileSync(entryPath), validEntry, 'the entry is rebuilt');
    }

    it('reads a sound entry of its own (the control: a planted result shows)', async () => {
      writeFileSync(entryPath, forgedEntry(), { mode: 0o600 });
      const run = await runCheck('--format', 'json');
      assert.equal(JSON.parse(run.stdout).findings.length, 0);
    });

    it('a truncated entry', async () => {
      truncateSync(entryPath, Math.floor(validEntry.length / 2));
      await assertIgnoredAndRebuilt();
    });

    it('garbage', async () => {
      writeFileSync(entryPath, Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 123, 125]));
      await assertIgnoredAndRebuilt();
    });

    it('a payload that does not match its checksum', async () => {
      writeFileSync(entryPath, validEntry.toString('utf8').replace('"findings":[', '"findings":[ '));
      await assertIgnoredAndRebuilt();
    });

    it('an entry of another cache format (an older or newer pgreview)', async () => {
      writeFileSync(entryPath, forgedEntry({ format: 'pgreview-check-result-0' }));
      await assertIgnoredAndRebuilt();
    });

    it('an entry written for another key (another version, config or file set)', async () => {
      writeFileSync(entryPath, forgedEntry({ key: 'f'.repeat(64) }));
      await assertIgnoredAndRebuilt();
    });

    it('an entry others may write', async () => {
      writeFileSync(entryPath, forgedEntry());
      chmodSync(entryPath, 0o666);
      await assertIgnoredAndRebuilt();
    });

    it('an entry another user owns', async function () {
      if (process.getuid?.() !== 0 || spawnSync('id', ['-u', 'nobody']).status !== 0) this.skip(); // chown needs root
      writeFileSync(entryPath, forgedEntry(), { mode: 0o600 });
      execFileSync('chown', ['nobody', entryPath]);
      await assertIgnoredAndRebuilt();
    });

    it('a cache folder another user owns: neither read nor written', async function () {
      if (process.getuid?.() !== 0 || spawnSync('id', ['-u', 'nobody']).status !== 0) this.skip(); // chown needs root
      writeFileSync(entryPath, forgedEntry(), { mode: 0o600 });
      execFileSync('chown', ['nobody', cacheFolder]);
      const run = await runCheck('--format', 'json');
      assert.equal(run.stdout, fresh);
      assert.deepEqual(entries(), [entryPath.slice(cacheFolder.length + 1)]);
    });

    it('the key covers the version, the config and what the safety review is told', () => {
      const loaded = loadProject(createFileSystemProjectReader(project));
      const input = { files: loaded.files, config: loaded.config, version: TEST_VERSION };
      const key = checkResultKey(input);
      assert.equal(checkResultKey({ ...input }), key);
      assert.notEqual(checkResultKey({ ...input, version: '0.0.1-test' }), key);
      assert.notEqual(checkResultKey({ ...input, config: { ...loaded.config, rules: { rls_disabled_in_public: 'off' } } }), key);
      assert.notEqual(checkResultKey({ ...input, layout: 'supabase' }), key);
      const pending = (paths: string[]) => ({ paths: new Set(paths), source: 'test' });
      assert.notEqual(checkResultKey({ ...input, pending: pending([loaded.files[0].path]) }), checkResultKey({ ...input, pending: pending([loaded.files[1].path]) }));
      assert.notEqual(checkResultKey({ ...input, pending: pending([]) }), key);
      assert.notEqual(checkResultKey({ ...input, files: [...loaded.files.slice(1), loaded.files[0]] }), key);
    });
  });
});
