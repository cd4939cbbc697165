/**
 * The `pgreview check` contract (issue 2, CLI contract), run for real: the CLI is bundled once,
 * then spawned on small Supabase-style projects under test/fixtures/projects/.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import check from '../../src/cli/commands/check';
import { EXIT_CODE } from '../../src/cli/command';
import { reportError } from '../../src/cli/reportError';
import { CancelledError } from '../../src/core/cancellation';
import { InputError } from '../../src/core/errors';

const ROOT = join(__dirname, '..', '..');
const PROJECTS = 'test/fixtures/projects';

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(...args: string[]): CliResult {
  const result = spawnSync(process.execPath, ['bin/pgreview.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like runCli, without blocking: the error cases run side by side, since each process mostly waits. */
function runCliAsync(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/pgreview.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/** The findings of a JSON report as `rule object line`, for compact assertions. */
function jsonFindings(stdout: string): string[] {
  return JSON.parse(stdout).findings.map((finding: { rule: string; object: string; line: number }) => `${finding.rule} ${finding.object} ${finding.line}`);
}

describe('pgreview check (CLI)', function () {
  this.timeout(120_000);
  before(() => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
  });

  it('exits 0 with no findings on a well-built project, in every format', () => {
    const text = runCli('check', `${PROJECTS}/clean`, '--fail-on', 'info');
    assert.equal(text.stderr, '');
    assert.equal(text.stdout, '0 errors, 0 warnings, 0 info in 1 migration file (4 statements)\n');
    assert.equal(text.status, 0);
    const json = runCli('check', `${PROJECTS}/clean`, '--format', 'json');
    assert.equal(json.status, 0);
    assert.deepEqual(JSON.parse(json.stdout), {
      version: 1,
      findings: [],
      summary: { byLevel: { error: 0, warning: 0, info: 0 }, byRule: {}, files: 1, statements: 4 },
    });
    const sarif = runCli('check', `${PROJECTS}/clean`, '--format', 'sarif');
    assert.equal(sarif.status, 0);
    const log = JSON.parse(sarif.stdout);
    assert.equal(log.version, '2.1.0');
    assert.ok(log.runs[0].tool.driver.rules.length > 0);
    assert.ok(log.runs[0].tool.driver.rules.find((rule: { id: string }) => rule.id === 'rls_enabled_no_policy').help.markdown.startsWith('# rls_enabled_no_policy'));
    const markdown = runCli('check', `${PROJECTS}/clean`, '--format', 'markdown');
    assert.equal(markdown.status, 0);
    assert.match(markdown.stdout, /No findings\./);
  });

  it('reports a syntax error in the middle of a file and still finds problems after it', () => {
    const result = runCli('check', `${PROJECTS}/syntax-error`);
    assert.equal(result.status, 1, result.stderr);
    const file = `${PROJECTS}/syntax-error/supabase/migrations/20240105000000_bookings.sql`;
    const lines = result.stdout.split('\n');
    assert.ok(lines.some((line) => /^.*:10:8: error syntax_error: syntax error at or near "tabel"$/i.test(line) && line.startsWith(file)), result.stdout);
    assert.ok(lines.some((line) => line.startsWith(`${file}:19:1: info rls_enabled_no_policy: Table public.bookings`)), result.stdout);
    const json = runCli('check', `${PROJECTS}/syntax-error`, '--format', 'json');
    assert.equal(json.status, 1);
    const findings = JSON.parse(json.stdout).findings;
    const syntax = findings.find((finding: { rule: string }) => finding.rule === 'syntax_error');
    // Every format names files the same way: relative to the working directory, as text does.
    assert.equal(syntax.file, file);
    assert.deepEqual([syntax.line, syntax.column], [10, 8]);
    assert.ok(jsonFindings(json.stdout).includes('rls_enabled_no_policy public.bookings 19'));
  });

  it('honours -- pgreview-ignore on the line before a statement', () => {
    const result = runCli('check', `${PROJECTS}/ignore`, '--format', 'json');
    assert.equal(result.status, 0);
    const rlsFindings = jsonFindings(result.stdout).filter((finding) => finding.startsWith('rls_enabled_no_policy'));
    assert.deepEqual(rlsFindings, ['rls_enabled_no_policy public.wallet_transactions 13']);
  });

  it('exits 1 when a finding reaches --fail-on, saying why on the last line of stderr, and 0 with --fail-on none', () => {
    const info = runCli('check', `${PROJECTS}/ignore`, '--fail-on', 'info');
    assert.equal(info.status, 1);
    assert.equal(info.stderr, 'pgreview: exit 1: 1 finding at level info or above (--fail-on info)\n');
    const error = runCli('check', `${PROJECTS}/syntax-error`);
    assert.equal(error.status, 1);
    assert.equal(error.stderr, 'pgreview: exit 1: 1 finding at level error (--fail-on error)\n');
    const warning = runCli('check', `${PROJECTS}/ignore`, '--fail-on', 'warning');
    assert.equal(warning.status, 0);
    assert.equal(warning.stderr, '');
    const none = runCli('check', `${PROJECTS}/syntax-error`, '--fail-on', 'none');
    assert.equal(none.status, 0);
    assert.equal(none.stderr, '');
  });

  it('skips a binary .sql file with a file_skipped warning and checks the rest', () => {
    const result = runCli('check', `${PROJECTS}/binary`);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(
      lines[0],
      `${PROJECTS}/binary/supabase/migrations/20240102000000_data_dump.sql:1:1: warning file_skipped: supabase/migrations/20240102000000_data_dump.sql is a binary file (it contains NUL bytes), not SQL text: it is not checked.`,
    );
    assert.match(result.stdout, /in 2 migration files \(4 statements\)/);
    assert.equal(runCli('check', `${PROJECTS}/binary`, '--fail-on', 'warning').status, 1);
  });

  it('warns about an unknown rule name in pgreview.json on stderr and goes on', () => {
    const result = runCli('check', `${PROJECTS}/unknown-rule`);
    assert.equal(result.status, 0);
    assert.equal(result.stderr, 'pgreview: warning: pgreview.json: unknown rule "rls_enabled_no_plicy" in "rules" is ignored\n');
  });

  it('writes the report to --output and the summary to stderr', () => {
    const folder = mkdtempSync(join(tmpdir(), 'pgreview-cli-'));
    try {
      const output = join(folder, 'report.sarif');
      const result = runCli('check', `${PROJECTS}/syntax-error`, '--format', 'sarif', '--output', output);
      assert.equal(result.status, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^pgreview: wrote the sarif report to .*report\.sarif: 1 error, /);
      const log = JSON.parse(readFileSync(output, 'utf8'));
      const uris = log.runs[0].results.map((entry: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => entry.locations[0].physicalLocation.artifactLocation.uri);
      assert.ok(uris.includes(`${PROJECTS}/syntax-error/supabase/migrations/20240105000000_bookings.sql`));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  describe('usage and input errors exit 2 with one line on stderr', () => {
    const cases: { name: string; args: string[]; stderr: RegExp }[] = [
      { name: 'a missing project directory', args: ['check', `${PROJECTS}/no-such-project`], stderr: /^pgreview: project directory not found: test\/fixtures\/projects\/no-such-project\n$/ },
      { name: 'a file as PROJECT_DIR', args: ['check', `${PROJECTS}/clean/supabase/config.toml`], stderr: /^pgreview: not a directory: test\/fixtures\/projects\/clean\/supabase\/config\.toml/ },
      { name: 'two project directories', args: ['check', `${PROJECTS}/clean`, `${PROJECTS}/ignore`], stderr: /^pgreview: check takes one PROJECT_DIR, got 2/ },
      { name: 'an --output that cannot be written', args: ['check', `${PROJECTS}/clean`, '--output', 'no-such-folder/report.txt'], stderr: /^pgreview: cannot write the report to no-such-folder\/report\.txt \(ENOENT\)\n$/ },
      { name: 'a bad --format', args: ['check', `${PROJECTS}/clean`, '--format', 'xml'], stderr: /^pgreview: Unknown --format "xml": use text, json, sarif, markdown or codequality\n$/ },
      { name: 'a bad --fail-on', args: ['check', `${PROJECTS}/clean`, '--fail-on', 'fatal'], stderr: /^pgreview: Unknown --fail-on "fatal"/ },
      { name: 'an unknown option', args: ['check', `${PROJECTS}/clean`, '--strict'], stderr: /^pgreview: Unknown option '--strict' \(see pgreview check --help\)\n$/ },
      { name: 'a broken pgreview.json', args: ['check', `${PROJECTS}/broken-config`], stderr: /^pgreview: pgreview\.json: invalid JSON \(.*\)\n$/ },
      { name: 'a missing --config file', args: ['check', `${PROJECTS}/clean`, '--config', 'nope.json'], stderr: /^pgreview: config file not found: nope\.json\n$/ },
      { name: 'a project without migrations', args: ['check', `${PROJECTS}/empty`], stderr: /^pgreview: No migration files found: looked for supabase\/migrations\/<timestamp>_name\.sql; .* \(in test\/fixtures\/projects\/empty\)\n$/ },
      { name: 'an unknown command', args: ['lint'], stderr: /^pgreview: unknown command "lint"; commands: check/ },
    ];
    const results = new Map<string, CliResult>();
    before(async () => {
      await Promise.all(cases.map(async ({ name, args }) => results.set(name, await runCliAsync(...args))));
    });
    for (const { name, stderr } of cases) {
      it(name, () => {
        const result = results.get(name) as CliResult;
        assert.equal(result.status, 2, result.stderr);
        assert.match(result.stderr, stderr);
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
        assert.equal(result.stdout, '');
      });
    }
  });

  it('stops at the next check when Ctrl-C has cancelled the token, and exits 130 quietly', async () => {
    const output: string[] = [];
    const context = { cwd: ROOT, stdout: (text: string) => output.push(text), stderr: (text: string) => output.push(text), token: { isCancellationRequested: true }, version: '0.0.0' };
    await assert.rejects(check.run([`${PROJECTS}/clean`], context), CancelledError);
    assert.deepEqual(output, []);
    const stderr: string[] = [];
    assert.equal(reportError(new CancelledError(), (text) => stderr.push(text)), EXIT_CODE.cancelled);
    assert.deepEqual(stderr, ['pgreview: cancelled\n']);
  });

  it('answers a repeated check from the stored report without loading the CLI bundle, on this Node and on 22+', () => {
    const nodes = [process.execPath, join(ROOT, '.tools/node24/bin/node')].filter((node) => existsSync(node));
    const scratch = mkdtempSync(join(tmpdir(), 'pgreview-stored-report-'));
    // Says at exit whether this process (or the child Node a check runs in on 22+) loaded dist/cli.js.
    const marker = '[dist/cli.js loaded]\n';
    const preload = join(scratch, 'reportCliBundle.cjs');
    writeFileSync(preload, `process.on('exit', () => { if (require.cache[${JSON.stringify(join(ROOT, 'dist', 'cli.js'))}]) process.stderr.write(${JSON.stringify(marker)}); });\n`);
    try {
      for (const node of nodes) {
        const env = { ...process.env, XDG_CACHE_HOME: join(scratch, `cache-${nodes.indexOf(node)}`) };
        const run = () => spawnSync(node, ['-r', preload, 'bin/pgreview.js', 'check', 'examples/trvl-social', '--format', 'sarif'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env });
        const first = run();
        const second = run();
        assert.equal(first.status, 1, first.stderr);
        assert.ok(first.stderr.includes(marker), 'the first run analyses');
        assert.ok(!second.stderr.includes(marker), `the second run prints the stored report (${node})`);
        assert.deepEqual([second.status, second.stdout, second.stderr], [first.status, first.stdout, first.stderr.replace(marker, '')]);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('names the tool once at the start of an error line, even when the message starts with it', () => {
    const stderr: string[] = [];
    assert.equal(reportError(new InputError('pgreview runs only a plain SELECT on a live database'), (text) => stderr.push(text)), EXIT_CODE.input);
    assert.equal(reportError(new InputError('pgreview.json: invalid JSON'), (text) => stderr.push(text)), EXIT_CODE.input);
    assert.deepEqual(stderr, ['pgreview runs only a plain SELECT on a live database\n', 'pgreview: pgreview.json: invalid JSON\n']);
  });

  describe('on Node 22 and later (check runs in a child Node started with --liftoff-only)', () => {
    const node22 = [process.execPath, join(ROOT, '.tools/node24/bin/node')].find((node) => existsSync(node) && Number(execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' })) >= 22);
    const runOn = (node: string, ...args: string[]): CliResult => {
      const result = spawnSync(node, ['bin/pgreview.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    before(function () {
      if (!node22) this.skip(); // neither this Node nor .tools/node24 (scripts/install-test-deps.sh) is 22+
    });

    it('prints the same report and exit code as in one process, and passes errors through', () => {
      const example = ['check', 'examples/trvl-social', '--format', 'json'];
      const child = runOn(node22!, ...example);
      const inProcess = runCli(...example);
      assert.equal(child.status, 1);
      assert.equal(child.stdout, inProcess.stdout);
      assert.ok(jsonFindings(child.stdout).length > 20);
      const usage = runOn(node22!, 'check', '--format', 'nope');
      assert.equal(usage.status, 2);
      assert.equal(usage.stderr, 'pgreview: Unknown --format "nope": use text, json, sarif, markdown or codequality\n');
      const clean = runOn(node22!, 'check', `${PROJECTS}/clean`);
      assert.equal(clean.status, 0);
      assert.equal(clean.stdout, '0 errors, 0 warnings, 0 info in 1 migration file (4 statements)\n');
    });

    for (const [how, target] of [['a terminal\'s Ctrl-C, sent to the process group', 'group'], ['kill -INT of the pgreview process alone', 'process']] as const) {
      it(`stops cleanly on SIGINT (${how}): exit 130, "cancelled", no report`, async () => {
        // The config file is a named pipe: check opens it after its Ctrl-C handling is in place, and
        // waits on it, so the signal arrives at a known point of the run.
        const dir = mkdtempSync(join(tmpdir(), 'pgreview-sigint-'));
        const config = join(dir, 'pgreview.json');
        execFileSync('mkfifo', [config]);
        try {
          // --no-cache: a stored report of the same input (an earlier test's) would be printed within a
          // turn of the config read, before the signal the parent forwards has surely reached the child;
          // a whole analysis leaves it that long and more.
          const started = spawn(node22!, ['bin/pgreview.js', 'check', 'examples/trvl-social', '--config', config, '--no-cache'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          started.stdout.on('data', (chunk) => (stdout += chunk));
          started.stderr.on('data', (chunk) => (stderr += chunk));
          const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
          const writer = await open(config, 'w'); // returns once check has opened the pipe to read it
          process.kill(target === 'group' ? -started.pid! : started.pid!, 'SIGINT');
          await writer.writeFile('{}');
          await writer.close();
          assert.equal(await exited, 130);
          assert.equal(stdout, '');
          assert.equal(stderr, 'pgreview: cancelled\n');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });

  it('prints --help and --version', () => {
    const help = runCli('check', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: pgreview check \[PROJECT_DIR\]/);
    assert.match(help.stdout, /--format FORMAT +text, json, sarif, markdown, or codequality/);
    const main = runCli('--help');
    assert.equal(main.status, 0);
    assert.match(main.stdout, /Commands:\n {2}check/);
    const version = runCli('--version');
    assert.equal(version.status, 0);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
