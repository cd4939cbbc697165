/**
 * `pgreview check`'s persistent cache (issue 14): whatever it reuses (a stored result, or the
 * stored report that bin/pgreview.js prints before loading the engine), the report equals a fresh
 * analysis, and an entry it cannot trust is ignored and rebuilt. Runs the command and the fast
 * path (`checkFromCache`) in-process with the cache folder in a temporary XDG_CACHE_HOME.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFromCache } from '../../src/cli/checkFromCache';
import check from '../../src/cli/commands/check';
import { analyze } from '../../src/core/analyze';
import { neverCancelled } from '../../src/core/cancellation';
import { loadProject } from '../../src/core/project/loadProject';
import { loadParser } from '../../src/core/sql/parser';
import { readUnchangedCheckInput, SNAPSHOT_ENTRY_PREFIX } from '../../src/node/checkInputSnapshot';
import { RACY_WINDOW_NS } from '../../src/node/fileStatSignature';
import { checkReportKey, checkResultKey, checksum, readCheckResult, REPORT_ENTRY_PREFIX, RESULT_ENTRY_PREFIX } from '../../src/node/checkResultCache';
import { createFileSystemProjectReader } from '../../src/node/fileSystemProjectReader';
import { runCliCommand, type CliRun } from '../support/runCliCommand';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'trvl-social');
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
  /** What bin/pgreview.js tries first: the stored report, or undefined (and nothing printed). */
  async function runFromCache(...args: string[]): Promise<CliRun | undefined> {
    let stdout = '';
    let stderr = '';
    const context = { cwd: project, stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text), token: neverCancelled, version: TEST_VERSION };
    const code = await checkFromCache(['.', ...args], context);
    if (code === undefined) {
      assert.deepEqual({ stdout, stderr }, { stdout: '', stderr: '' }, 'a miss prints nothing');
      return undefined;
    }
    return { code, stdout, stderr };
  }
  const entries = (prefix = RESULT_ENTRY_PREFIX) => readdirSync(cacheFolder).filter((name) => name.startsWith(prefix));
  const migrationPath = (name: string) => join(project, MIGRATIONS, name);

  /**
   * Checks the project as it is now: the first run (which may fill the cache), a second run (which
   * reads it), the fast path bin/pgreview.js tries first, and a run with --no-cache print the same
   * report in every format, and the stored findings, fixes and suggestions included, are a fresh
   * analysis's. `stored`: whether an earlier state of the project was this one (else the fast path
   * must miss before the first run).
   */
  async function assertCachedEqualsFresh(seenBefore = false): Promise<void> {
    for (const format of ['json', 'text', 'sarif', 'markdown']) {
      const before = await runFromCache('--format', format);
      const first = await runCheck('--format', format);
      const second = await runCheck('--format', format);
      const fromCache = await runFromCache('--format', format);
      const fresh = await runCheck('--format', format, '--no-cache');
      assert.ok(first.code === 0 || first.code === 1, first.stderr);
      assert.deepEqual(first, fresh, `first run, ${format}`);
      assert.deepEqual(second, fresh, `second run, ${format}`);
      assert.deepEqual(fromCache, fresh, `the stored report, ${format}`);
      if (before !== undefined || !seenBefore) assert.deepEqual(before, seenBefore ? fresh : undefined, `the stored report before the first run, ${format}`);
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
    await assertCachedEqualsFresh(true);
    assert.equal(entries().length, 6);
    assert.equal(entries(REPORT_ENTRY_PREFIX).length, 16, 'reports are pruned to the 16 used last');
  });

  it('prints the stored report only where it shows the same paths, and writes --output as a fresh run does', async function () {
    this.timeout(60_000);
    await runCheck('--format', 'text');
    const fromProject = await runFromCache('--format', 'text');
    assert.ok(fromProject);
    // From the parent folder the paths read differently: another report.
    let stdout = '';
    const parent = join(project, '..');
    const fromParent = await checkFromCache([project.slice(parent.length + 1), '--format', 'text'], { cwd: parent, stdout: (text) => void (stdout += text), stderr: () => {}, token: neverCancelled, version: TEST_VERSION });
    assert.equal(fromParent, undefined);
    assert.equal(stdout, '');
    const output = join(project, 'report.sarif');
    const fresh = await runCheck('--format', 'sarif', '--output', output);
    const freshFile = readFileSync(output, 'utf8');
    rmSync(output);
    const fromCache = await runFromCache('--format', 'sarif', '--output', output);
    assert.deepEqual(fromCache, fresh);
    assert.equal(readFileSync(output, 'utf8'), freshFile);
    // An --output that cannot be written: the fast path prints nothing and leaves the error to the CLI.
    assert.equal(await runFromCache('--format', 'sarif', '--output', join(project, 'missing-folder', 'report.sarif')), undefined);
  });

  /** The two kinds of entry, each with what a forger would store and how its planted payload shows. */
  const kinds = [
    {
      name: 'a result',
      prefix: RESULT_ENTRY_PREFIX,
      forgedPayload: { findings: [], statements: 1 },
      showsForged: (run: CliRun) => JSON.parse(run.stdout).findings.length === 0,
    },
    {
      name: 'a report',
      prefix: REPORT_ENTRY_PREFIX,
      forgedPayload: { notes: [], output: 'forged\n', summary: '', exitCode: 0 },
      showsForged: (run: CliRun) => run.stdout === 'forged\n',
    },
  ];

  for (const kind of kinds) {
    describe(`${kind.name}: an entry it cannot trust is ignored and rebuilt`, () => {
      let fresh: string;
      let entryPath: string;
      let validEntry: Buffer;

      beforeEach(async () => {
        fresh = (await runCheck('--format', 'json', '--no-cache')).stdout;
        await runCheck('--format', 'json');
        assert.equal(entries(kind.prefix).length, 1);
        entryPath = join(cacheFolder, entries(kind.prefix)[0]);
        validEntry = readFileSync(entryPath);
      });

      /** Runs check as bin/pgreview.js does (the fast path, then the command); a result is read only when no report is stored. */
      async function runAsTheCli(): Promise<CliRun> {
        if (kind.prefix === RESULT_ENTRY_PREFIX) for (const report of entries(REPORT_ENTRY_PREFIX)) rmSync(join(cacheFolder, report));
        return (await runFromCache('--format', 'json')) ?? (await runCheck('--format', 'json'));
      }

      /** The entry as a forger would write it: a planted payload, a correct checksum, the header's fields overridden. */
      function forgedEntry(header: Record<string, unknown> = {}): Buffer {
        const text = validEntry.toString('utf8');
        const realHeader = JSON.parse(text.slice(0, text.indexOf('\n'))) as Record<string, unknown>;
        const payload = JSON.stringify(kind.forgedPayload);
        return Buffer.from(`${JSON.stringify({ ...realHeader, payloadChecksum: checksum(payload), ...header })}\n${payload}`);
      }

      /** Runs check over the planted entry: the report is the fresh one, and the entry is this run's again. */
      async function assertIgnoredAndRebuilt(): Promise<void> {
        const run = await runAsTheCli();
        assert.equal(run.stdout, fresh);
        assert.deepEqual(readFileSync(entryPath), validEntry, 'the entry is rebuilt');
      }

      it('reads a sound entry of its own (the control: a planted payload shows)', async () => {
        writeFileSync(entryPath, forgedEntry(), { mode: 0o600 });
        assert.ok(kind.showsForged(await runAsTheCli()));
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
        const text = validEntry.toString('utf8');
        const newline = text.indexOf('\n');
        writeFileSync(entryPath, `${text.slice(0, newline + 1)} ${text.slice(newline + 1)}`);
        await assertIgnoredAndRebuilt();
      });

      it('a payload of the other kind', async () => {
        const other = kinds.find((candidate) => candidate !== kind)!;
        const text = validEntry.toString('utf8');
        const payload = JSON.stringify(other.forgedPayload);
        const header = { ...(JSON.parse(text.slice(0, text.indexOf('\n'))) as object), payloadChecksum: checksum(payload) };
        writeFileSync(entryPath, `${JSON.stringify(header)}\n${payload}`);
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
        const run = await runAsTheCli();
        assert.equal(run.stdout, fresh);
        assert.deepEqual(entries(kind.prefix), [entryPath.slice(cacheFolder.length + 1)]);
      });
    });
  }

  describe('the input snapshot: a settled file is known by its stat, unread', () => {
    const ARGS = ['--format', 'json'];
    let fresh: CliRun;
    let names: string[];
    /** What bin/pgreview.js asks first: the snapshot of the last check with these arguments, and how many files it had to read. */
    const askSnapshot = () => {
      const comparison = readUnchangedCheckInput(cacheFolder, { args: ['.', ...ARGS], cwd: project, version: TEST_VERSION });
      return comparison?.unchanged && { filesRead: comparison.filesRead };
    };
    const freshCheck = () => runCheck(...ARGS, '--no-cache');

    /** Waits until every file of the project is older than the racy window: until then its stat is not trusted. */
    async function waitUntilSettled(): Promise<void> {
      const files = [join(project, 'pgreview.json'), ...readdirSync(join(project, MIGRATIONS)).map(migrationPath)];
      const newestMs = Math.max(...files.map((path) => Math.max(statSync(path).mtimeMs, statSync(path).ctimeMs)));
      while (Date.now() <= newestMs + Number(RACY_WINDOW_NS / 1_000_000n) + 50) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    /** An edit that keeps the file's size and sets its mtime back: only its text (and ctime) differ. */
    function editKeepingSizeAndMtime(path: string): void {
      // utimes takes seconds as a double, exact for the whole seconds beforeEach gave every file.
      const before = statSync(path, { bigint: true });
      assert.equal(before.mtimeNs % 1_000_000_000n, 0n);
      const text = readFileSync(path, 'utf8');
      const at = text.indexOf('create table');
      assert.ok(at >= 0);
      writeFileSync(path, `${text.slice(0, at)}CREATE TABLE${text.slice(at + 'create table'.length)}`);
      utimesSync(path, Number(before.atimeNs / 1_000_000_000n), Number(before.mtimeNs / 1_000_000_000n));
      const after = statSync(path, { bigint: true });
      assert.deepEqual([after.size, after.mtimeMs], [before.size, before.mtimeMs]);
    }

    beforeEach(async function () {
      this.timeout(60_000);
      // A warning about the project, which a check answered from the snapshot prints again.
      writeFileSync(join(project, 'pgreview.json'), JSON.stringify({ rules: { no_such_rule: 'off' } }));
      names = readdirSync(join(project, MIGRATIONS)).sort();
      const wholeSeconds = Math.floor(Date.now() / 1000);
      for (const name of names) utimesSync(migrationPath(name), wholeSeconds, wholeSeconds);
      fresh = await freshCheck();
      assert.match(fresh.stderr, /no_such_rule/);
    });

    it('reads no file when every one is settled and unchanged, and prints what a fresh check prints', async function () {
      this.timeout(60_000);
      await waitUntilSettled();
      await runCheck(...ARGS);
      assert.equal(askSnapshot()?.filesRead, 0);
      assert.deepEqual(await runFromCache(...ARGS), fresh);
    });

    it('reads every file changed within the racy window, and sees an edit that kept its size and mtime', async function () {
      this.timeout(60_000);
      // Just copied: every file is within the window of the first check's reading.
      await runCheck(...ARGS);
      assert.ok((askSnapshot()?.filesRead ?? 0) > names.length, 'the migrations and pgreview.json are read and hashed');
      assert.deepEqual(await runFromCache(...ARGS), fresh);
      editKeepingSizeAndMtime(migrationPath(names[2]));
      assert.equal(askSnapshot(), undefined);
      assert.equal(await runFromCache(...ARGS), undefined);
      assert.deepEqual(await runCheck(...ARGS), await freshCheck());
    });

    it('sees an edit of a settled file, whether its mtime moved or was set back', async function () {
      this.timeout(60_000);
      await waitUntilSettled();
      await runCheck(...ARGS);
      assert.equal(askSnapshot()?.filesRead, 0);
      writeFileSync(migrationPath(names[1]), `${readFileSync(migrationPath(names[1]), 'utf8')}\ncreate table public.snapshot_probe (id bigint primary key);\n`);
      assert.equal(askSnapshot(), undefined);
      assert.equal(await runFromCache(...ARGS), undefined);
      const afterEdit = await runCheck(...ARGS);
      assert.deepEqual(afterEdit, await freshCheck());
      assert.notDeepEqual(afterEdit, fresh, 'the edit shows in the report');

      await waitUntilSettled();
      await runCheck(...ARGS);
      assert.equal(askSnapshot()?.filesRead, 0);
      editKeepingSizeAndMtime(migrationPath(names[3]));
      assert.equal(askSnapshot(), undefined);
      assert.deepEqual(await runCheck(...ARGS), await freshCheck());

      // A new file: the listing differs.
      writeFileSync(migrationPath('20991231000000_snapshot_probe.sql'), 'create table public.snapshot_new (id bigint primary key);\n');
      assert.equal(askSnapshot(), undefined);
      assert.deepEqual(await runCheck(...ARGS), await freshCheck());
    });

    it('reads a touched but unchanged file, and still answers from the cache', async function () {
      this.timeout(60_000);
      await waitUntilSettled();
      await runCheck(...ARGS);
      const now = new Date();
      utimesSync(migrationPath(names[0]), now, now);
      assert.equal(askSnapshot()?.filesRead, 1);
      assert.deepEqual(await runFromCache(...ARGS), fresh);
    });

    it('sees an edit of a migration skipped for its size, which the check never read', async function () {
      this.timeout(120_000);
      const dump = migrationPath('20991231000000_data_dump.sql');
      // Over the 10 MB limit: loading the project asks its size and never reads it.
      writeFileSync(dump, `-- ${'x'.repeat(97)}\n`.repeat(110_000));
      await waitUntilSettled();
      const skipped = await runCheck(...ARGS);
      assert.deepEqual(skipped, await freshCheck());
      const dumpFindings = (run: CliRun) => (JSON.parse(run.stdout) as { findings: { rule: string; file: string }[] }).findings.filter((finding) => finding.file.endsWith('data_dump.sql')).map((finding) => finding.rule);
      assert.deepEqual(dumpFindings(skipped), ['file_skipped']);
      assert.equal(askSnapshot()?.filesRead, 0, 'its size is known by its stat');
      assert.deepEqual(await runFromCache(...ARGS), skipped);

      writeFileSync(dump, 'create table public.b (id int primary key);\n');
      assert.equal(askSnapshot(), undefined);
      assert.equal(await runFromCache(...ARGS), undefined);
      const afterEdit = await runCheck(...ARGS);
      assert.deepEqual(afterEdit, await freshCheck());
      assert.deepEqual(dumpFindings(afterEdit), ['rls_disabled_in_public']);
    });

    it('leaves a --config that is a pipe now to the check, unread (--config /dev/stdin)', async function () {
      this.timeout(240_000);
      // As a shell runs it, standard input a real file or a real pipe (Node's own stdin "pipe" is a
      // socket, which /dev/stdin cannot open): the built bin/pgreview.js, fast path first.
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
      const command = [process.execPath, join(ROOT, 'bin', 'pgreview.js'), 'check', '.', ...ARGS, '--config', '/dev/stdin'];
      const pgreview = (stdin: { file: string } | { text: string }, ...extra: string[]): CliRun => {
        const run =
          'file' in stdin
            ? spawnSync('sh', ['-c', '"$@" < "$CONFIG_FILE"', 'sh', ...command, ...extra], { cwd: project, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CONFIG_FILE: stdin.file } })
            : spawnSync('sh', ['-c', 'printf %s "$CONFIG_TEXT" | "$@"', 'sh', ...command, ...extra], { cwd: project, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CONFIG_TEXT: stdin.text } });
        return { code: run.status as number, stdout: run.stdout, stderr: run.stderr };
      };
      const configFile = join(project, 'pgreview.json');
      const fromFile = pgreview({ file: configFile });
      assert.ok(fromFile.code === 0 || fromFile.code === 1, fromFile.stderr);
      assert.deepEqual(pgreview({ file: configFile }), fromFile);
      assert.equal(entries(SNAPSHOT_ENTRY_PREFIX).length, 1, 'the check took the snapshot, /dev/stdin a regular file');

      const rules = (run: CliRun) => new Set((JSON.parse(run.stdout) as { findings: { rule: string }[] }).findings.map((finding) => finding.rule));
      const [firstRule] = rules(fromFile);
      const otherConfig = JSON.stringify({ rules: { [firstRule]: 'off' } });
      const piped = pgreview({ text: otherConfig });
      assert.deepEqual(piped, pgreview({ text: otherConfig }, '--no-cache'));
      assert.equal(rules(piped).has(firstRule), false, 'the piped config decides the report');
      assert.deepEqual(pgreview({ text: readFileSync(configFile, 'utf8') }), fromFile, 'the same text through a pipe');
    });

    it('ignores a damaged snapshot, answers by reading the project, and takes the snapshot again', async function () {
      this.timeout(60_000);
      await waitUntilSettled();
      await runCheck(...ARGS);
      const [name] = entries(SNAPSHOT_ENTRY_PREFIX);
      const entry = readFileSync(join(cacheFolder, name), 'utf8');
      // And a sound one of another invocation whose name is the same (a checksum collision): it does not answer either.
      const header = JSON.parse(entry.slice(0, entry.indexOf('\n'))) as Record<string, unknown>;
      const payload = JSON.parse(entry.slice(entry.indexOf('\n') + 1)) as { invocation: string };
      const otherPayload = JSON.stringify({ ...payload, invocation: payload.invocation.replace('"json"', '"text"') });
      assert.notEqual(otherPayload, entry.slice(entry.indexOf('\n') + 1));
      const otherInvocation = `${JSON.stringify({ ...header, payloadChecksum: checksum(otherPayload) })}\n${otherPayload}`;
      for (const damaged of [entry.replace(/"settled":true/, '"settled":false'), entry.slice(0, entry.length / 2), 'garbage', otherInvocation]) {
        writeFileSync(join(cacheFolder, name), damaged, { mode: 0o600 });
        assert.equal(askSnapshot(), undefined, 'a damaged snapshot does not answer');
        if (damaged !== otherInvocation) assert.deepEqual(entries(SNAPSHOT_ENTRY_PREFIX), [], 'and is deleted');
        assert.deepEqual(await runFromCache(...ARGS), fresh);
        assert.equal(askSnapshot()?.filesRead, 0, 'the check that read the project took the snapshot again');
      }
    });
  });

  describe('keys', () => {
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

    it("a report's key covers its result and how it is shown", () => {
      const rendering = { format: 'json', cwd: '/a' };
      const key = checkReportKey('r'.repeat(64), rendering);
      assert.equal(checkReportKey('r'.repeat(64), { ...rendering }), key);
      assert.notEqual(checkReportKey('s'.repeat(64), rendering), key);
      assert.notEqual(checkReportKey('r'.repeat(64), { ...rendering, format: 'text' }), key);
      assert.notEqual(checkReportKey('r'.repeat(64), { ...rendering, cwd: '/b' }), key);
    });
  });
});
