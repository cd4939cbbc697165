// `npm run bench`: builds (see package.json), generates a large Supabase project into .bench/ and
// prints how fast pgreview checks it, next to the targets of issues 2 and 14, with squawk (the
// squawk-cli devDependency) on the same files as the yardstick of the cold check. It prints and
// never asserts: the figures depend on the machine.
//
// The bench is a list of named steps (BENCH_STEPS below). Each step gets the shared context,
// returns figures, and may skip itself with a clear line when a piece it needs does not exist yet.
// To add a section, add a step. `node scripts/bench.mjs warm cold` runs only the steps whose name
// starts with one of the arguments.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROJECT_DIR = join(ROOT, '.bench', 'project');
const MIGRATIONS_DIR = join(PROJECT_DIR, 'supabase', 'migrations');

/** The size issue 2 asks for. */
const SHAPE = { files: 500, tables: 1500, policies: 4000, functions: 1000 };
/** Bump when the generated SQL changes, so an old .bench/project is regenerated. */
const GENERATOR_VERSION = 1;
/** How many times the timed engine steps run; the median is printed. */
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** How many cold `pgreview check` processes run; the median is the figure. */
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7);

/** Targets on the 2-core CI machine (issues 2 and 14; the language server's from issue 15). */
const TARGETS = {
  coldCheckMs: 1500,
  /** Cold check CPU time (user + sys) over squawk's on the same files. */
  coldCheckCpuOverSquawk: 1.2,
  warmRecheckMs: 50,
  peakMemoryMb: 200,
  /** A second `pgreview check` with at most one changed file, start to exit, with the cache. */
  secondRunMs: 150,
  lspEditToDiagnosticsMs: 200,
  /** The PGlite shadow of the whole project with nothing cached but the baseline snapshot (issue 14). */
  shadowColdMs: 10_000,
  /** The shadow again, unchanged or with the last file edited: a cached state loaded, at most one file applied. */
  shadowCachedMs: 5_000,
};

/** Figures line up after the longest label. */
const LABEL_WIDTH = 48;

/** Thrown by a step that cannot run yet; the message says what is missing. */
class SkipStep extends Error {}

const BENCH_STEPS = [
  { name: 'generate', run: generateProject },
  { name: 'cold check', run: () => measureColdCheck(process.execPath, '') },
  { name: 'cold check on Node 24', run: measureColdCheckOnNode24 },
  { name: 'second run with the cache', run: measureSecondRun },
  { name: 'start-up', run: measureStartUp },
  { name: 'engine split', run: measureEngineSplit },
  { name: 'migration safety', run: measureMigrationSafety },
  { name: 'warm re-check', run: measureWarmRecheck },
  { name: 'introspect', run: measureIntrospection },
  { name: 'shadow', run: measureShadow },
  { name: 'policy matrix', run: measurePolicyMatrix },
  { name: 'simulator', run: measureSimulator },
  { name: 'extension', run: measureExtension },
  { name: 'lsp', run: measureLanguageServer },
  { name: 'lsp in Neovim', run: measureNeovim },
];

await main();

async function main() {
  const only = process.argv.slice(2);
  const context = { targets: [] };
  console.log(`pgreview bench: ${SHAPE.files} migration files, ${SHAPE.tables} tables, ${SHAPE.policies} policies, ${SHAPE.functions} functions`);
  console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} CPUs, median of ${RUNS} runs where repeated\n`);
  for (const step of BENCH_STEPS) {
    if (only.length && !only.some((prefix) => step.name.startsWith(prefix))) continue;
    console.log(`== ${step.name}`);
    try {
      const figures = await step.run(context);
      for (const figure of figures) printFigure(figure, context);
    } catch (error) {
      // A failing step is printed and the next one still runs: the engine is built by several
      // people at once, and one broken piece should not hide the other figures.
      if (error instanceof SkipStep) console.log(`   skipped: ${error.message}`);
      else console.log(`   failed: ${error?.stack?.split('\n').slice(0, 2).join(' ') ?? error}`);
      process.exitCode = error instanceof SkipStep ? process.exitCode : 1;
    }
    console.log('');
  }
  if (context.targets.length) {
    console.log('== targets (figure / target; 1.00 or below meets the target; the machine is noisy, so nothing fails)');
    for (const { label, ratio } of context.targets) console.log(`   ${label.padEnd(LABEL_WIDTH)} ${ratio.toFixed(2).padStart(6)}  ${ratio <= 1 ? 'met' : 'over'}`);
  }
}

/** A figure is `{ label, value, unit, target? }`; a figure with a target is also listed at the end. */
function printFigure(figure, context) {
  const value = typeof figure.value === 'number' ? formatNumber(figure.value) : figure.value;
  let line = `   ${figure.label.padEnd(LABEL_WIDTH)} ${`${value} ${figure.unit ?? ''}`.trim()}`;
  if (figure.target !== undefined && typeof figure.value === 'number') {
    const ratio = figure.value / figure.target;
    line += `   (target ≤ ${formatNumber(figure.target)}${figure.unit === '×' ? '×' : ` ${figure.unit}`}: ${ratio <= 1 ? 'met' : 'over'})`;
    context.targets.push({ label: figure.label, ratio });
  }
  console.log(line);
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

/** Writes the project unless the same generator version already wrote it. */
async function generateProject(context) {
  const stampPath = join(PROJECT_DIR, '.generator-version');
  const upToDate = existsSync(stampPath) && readFileSync(stampPath, 'utf8').trim() === String(GENERATOR_VERSION);
  const started = performance.now();
  if (!upToDate) {
    rmSync(PROJECT_DIR, { recursive: true, force: true });
    mkdirSync(MIGRATIONS_DIR, { recursive: true });
    writeFileSync(join(PROJECT_DIR, 'supabase', 'config.toml'), '[api]\nschemas = ["public", "graphql_public"]\n');
    for (const file of generateMigrations()) writeFileSync(join(MIGRATIONS_DIR, file.name), file.text);
    writeFileSync(stampPath, `${GENERATOR_VERSION}\n`);
  }
  context.files = readdirSync(MIGRATIONS_DIR)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ path: `supabase/migrations/${name}`, text: readFileSync(join(MIGRATIONS_DIR, name), 'utf8') }));
  const bytes = context.files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0);
  return [
    { label: upToDate ? 'project (already generated)' : 'generated in', value: performance.now() - started, unit: 'ms' },
    { label: 'migration files', value: context.files.length },
    { label: 'SQL size', value: bytes / 1024 / 1024, unit: 'MB' },
  ];
}

/** Node 22+ runs check in a child Node (bin/pgreview.js); the VS Code test tools bring a Node 24. */
function measureColdCheckOnNode24() {
  const node24 = join(ROOT, '.tools', 'node24', 'bin', 'node');
  if (!existsSync(node24)) throw new SkipStep('.tools/node24 does not exist: scripts/install-test-deps.sh installs it.');
  return measureColdCheck(node24, ' on Node 24');
}

/**
 * `pgreview check` as CI runs it the first time: a fresh process, from start to exit, with no
 * cache (--no-cache). On this Node, squawk runs on the same files in turn (pgreview, squawk,
 * pgreview, ...), and the CPU ratio is taken run by run, so that it holds when the machine's speed drifts.
 */
async function measureColdCheck(node, onNode) {
  const args = [...checkArgs(), '--no-cache'];
  const squawk = onNode ? undefined : squawkBinary();
  const floor = onNode ? undefined : await buildParseOnlyFloor();
  const runs = [];
  const squawkRuns = [];
  const floorRuns = [];
  const bareRuns = [];
  let findings = 'unreadable JSON';
  for (let run = 0; run < COLD_RUNS; run++) {
    const result = await timeProcess(node, args);
    runs.push(result);
    if (run === 0) findings = countJsonFindings(result.stdout);
    if (squawk) squawkRuns.push(await timeProcess(squawk, squawkPaths()));
    if (floor) {
      floorRuns.push(await timeProcess(node, [floor, MIGRATIONS_DIR]));
      bareRuns.push(await timeProcess(node, ['-e', '0']));
    }
  }
  const elapsed = runs.map((run) => run.elapsed);
  const maxRssKb = Math.max(...runs.map((run) => run.maxRssKb ?? NaN));
  const cpu = runs.map((run) => run.cpuMs).filter((value) => value !== undefined);
  const figures = [
    { label: `cold check${onNode}, start to exit (median)`, value: median(elapsed), unit: 'ms', target: TARGETS.coldCheckMs },
    { label: `cold check${onNode}, fastest / slowest`, value: `${formatNumber(Math.min(...elapsed))} / ${formatNumber(Math.max(...elapsed))}`, unit: 'ms' },
    ...(cpu.length ? [{ label: `cold check${onNode}, CPU user+sys (median)`, value: median(cpu), unit: 'ms' }] : []),
    // GNU time's figure includes the child Node that check runs in on Node 22+.
    { label: `peak memory${onNode} (max RSS, worst run)`, value: Number.isFinite(maxRssKb) ? maxRssKb / 1024 : 'unknown', unit: 'MB', target: Number.isFinite(maxRssKb) ? TARGETS.peakMemoryMb : undefined },
    { label: 'findings', value: findings },
  ];
  if (squawkRuns.length && cpu.length === runs.length) {
    const squawkCpu = squawkRuns.map((run) => run.cpuMs);
    figures.push(
      { label: `squawk ${squawkVersion()}, same files, CPU (median)`, value: median(squawkCpu), unit: 'ms' },
      { label: 'squawk, start to exit (median)', value: median(squawkRuns.map((run) => run.elapsed)), unit: 'ms' },
      { label: 'cold check CPU / squawk CPU (median of pairs)', value: median(cpu.map((value, index) => value / squawkCpu[index])), unit: '×', target: TARGETS.coldCheckCpuOverSquawk },
    );
  } else if (!onNode) {
    figures.push({ label: 'squawk', value: squawk ? 'no CPU figures: /usr/bin/time is missing' : 'not installed (npm install brings the squawk-cli devDependency)' });
  }
  if (floorRuns.length && floorRuns.every((run) => run.cpuMs !== undefined)) {
    const floorCpu = floorRuns.map((run) => run.cpuMs);
    figures.push(
      { label: 'node -e 0, CPU (median)', value: median(bareRuns.map((run) => run.cpuMs)), unit: 'ms' },
      { label: 'parse-only floor, CPU (median)', value: median(floorCpu), unit: 'ms' },
      { label: '  its peak memory (worst run)', value: Math.max(...floorRuns.map((run) => run.maxRssKb)) / 1024, unit: 'MB' },
    );
    if (squawkRuns.length) figures.push({ label: 'parse-only floor CPU / squawk CPU (pairs)', value: median(floorCpu.map((value, index) => value / squawkRuns[index].cpuMs)), unit: '×' });
  }
  return figures;
}

/**
 * The least a cold check can cost with libpg_query as its parser: a process that starts Node,
 * loads the parser as check does (src/node/loadParserForOneRun.ts) and parses every file of the
 * project with `parseSqlFile`, then exits, with no replay, rules or report. Bundled from the
 * sources into .bench/, as the CLI is bundled; undefined when esbuild cannot build it.
 */
async function buildParseOnlyFloor() {
  const outfile = join(ROOT, '.bench', 'parse-only-floor.js');
  const contents = [
    "const { readdirSync, readFileSync } = require('node:fs');",
    "const { join } = require('node:path');",
    "const { loadParserForOneRun } = require('./src/node/loadParserForOneRun');",
    "const { parseSqlFile } = require('./src/core/sql/parseSqlFile');",
    'const folder = process.argv[2];',
    'loadParserForOneRun().then(() => {',
    "  for (const name of readdirSync(folder).filter((entry) => entry.endsWith('.sql')).sort()) parseSqlFile(name, readFileSync(join(folder, name), 'utf8'));",
    '});',
  ].join('\n');
  try {
    const { build } = await import('esbuild');
    await build({ stdin: { contents, resolveDir: ROOT, loader: 'js' }, outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['libpg-query'], logLevel: 'warning' });
    return outfile;
  } catch {
    return undefined;
  }
}

/**
 * `pgreview check` run again with its cache (in a temporary cache folder): once with nothing
 * changed (bin/pgreview.js prints the stored report, src/cli/checkFromCache.ts), once with the
 * last file changed each run (what a pre-commit hook pays after an edit: today a full analysis).
 */
async function measureSecondRun() {
  const cacheHome = mkdtempSync(join(tmpdir(), 'pgreview-bench-cache-'));
  const editedProject = join(ROOT, '.bench', 'project-edited');
  rmSync(editedProject, { recursive: true, force: true });
  cpSync(PROJECT_DIR, editedProject, { recursive: true });
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
  try {
    await timeProcess(process.execPath, checkArgs(), env);
    const unchanged = [];
    const bare = [];
    // In turn with bare Node: what the cached run costs beyond starting Node, whatever the machine.
    for (let run = 0; run < COLD_RUNS; run++) {
      unchanged.push(await timeProcess(process.execPath, checkArgs(), env));
      bare.push(await timeProcess(process.execPath, ['-e', '0'], env));
    }
    const lastFile = join(editedProject, 'supabase', 'migrations', readdirSync(join(editedProject, 'supabase', 'migrations')).filter((name) => name.endsWith('.sql')).sort().at(-1));
    const lastText = readFileSync(lastFile, 'utf8');
    const oneChanged = [];
    for (let run = 0; run < COLD_RUNS; run++) {
      writeFileSync(lastFile, `${lastText}\ncreate index if not exists bench_second_run_${run} on public.bench_table_0001 (created_at);\n`);
      oneChanged.push(await timeProcess(process.execPath, checkArgs(editedProject), env));
    }
    return [
      { label: 'second run, nothing changed, start to exit', value: median(unchanged.map((run) => run.elapsed)), unit: 'ms', target: TARGETS.secondRunMs },
      { label: 'second run, nothing changed, CPU', value: median(unchanged.map((run) => run.cpuMs ?? NaN)), unit: 'ms' },
      { label: 'second run, nothing changed, over node -e 0', value: median(unchanged.map((run, index) => run.elapsed - bare[index].elapsed)), unit: 'ms' },
      { label: 'second run, last file changed, start to exit', value: median(oneChanged.map((run) => run.elapsed)), unit: 'ms', target: TARGETS.secondRunMs },
      { label: 'second run, last file changed, CPU', value: median(oneChanged.map((run) => run.cpuMs ?? NaN)), unit: 'ms' },
    ];
  } finally {
    rmSync(cacheHome, { recursive: true, force: true });
    rmSync(editedProject, { recursive: true, force: true });
  }
}

/** What every command pays before it starts working: `pgreview --version` against `node -e 0`. */
async function measureStartUp() {
  const version = [];
  const bare = [];
  for (let run = 0; run < COLD_RUNS; run++) {
    version.push(await timeProcess(process.execPath, [join(ROOT, 'bin', 'pgreview.js'), '--version']));
    bare.push(await timeProcess(process.execPath, ['-e', '0']));
  }
  const versionMs = median(version.map((run) => run.elapsed));
  const bareMs = median(bare.map((run) => run.elapsed));
  return [
    { label: 'pgreview --version, start to exit', value: versionMs, unit: 'ms' },
    { label: 'node -e 0, start to exit', value: bareMs, unit: 'ms' },
    { label: 'pgreview start-up over bare Node', value: versionMs - bareMs, unit: 'ms' },
  ];
}

/** The arguments of the bench's `pgreview check`, without the Node executable. */
function checkArgs(project = PROJECT_DIR) {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new SkipStep('dist/cli.js does not exist: the CLI (src/cli/main.ts) is not built yet.');
  return [join(ROOT, 'bin', 'pgreview.js'), 'check', project, '--format', 'json'];
}

/**
 * Runs a process to its exit and returns its wall time, and with GNU time its CPU time and peak
 * memory (without it, the peak is polled from /proc and can miss a short one). A check exits 0
 * or 1; anything else skips the step with the process's last lines.
 */
async function timeProcess(command, args, env = process.env) {
  const timeBinary = '/usr/bin/time';
  const hasTime = existsSync(timeBinary);
  const started = performance.now();
  const result = hasTime
    ? await runProcess(timeBinary, ['-f', 'PGREVIEW_BENCH_TIME %M %U %S', command, ...args], { env })
    : await runProcess(command, args, { pollPeakMemory: true, env });
  const elapsed = performance.now() - started;
  if (result.code !== 0 && result.code !== 1) throw new SkipStep(`${command} exited with ${result.code}: ${lastLines(result.stderr || result.stdout, 3)}`);
  const timed = /PGREVIEW_BENCH_TIME (\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr);
  return {
    elapsed,
    stdout: result.stdout,
    maxRssKb: timed ? Number(timed[1]) : result.peakMemoryKb,
    cpuMs: timed ? (Number(timed[2]) + Number(timed[3])) * 1000 : undefined,
  };
}

function countJsonFindings(stdout) {
  try {
    return JSON.parse(stdout).findings.length;
  } catch {
    // Not fatal for a timing: the JSON contract is tested elsewhere. Show what came out instead.
    return `unreadable JSON (${lastLines(stdout, 1).slice(0, 80)})`;
  }
}

/** squawk's own executable (the squawk-cli package starts it from a Node wrapper, whose start-up is no part of squawk's figure). */
function squawkBinary() {
  try {
    return createRequire(import.meta.url)('squawk-cli/js/index.js').getBinaryPath();
  } catch {
    return undefined;
  }
}

function squawkVersion() {
  return JSON.parse(readFileSync(createRequire(import.meta.url).resolve('squawk-cli/package.json'), 'utf8')).version;
}

/** squawk's arguments: every migration file of the generated project, and JSON output as pgreview's. */
function squawkPaths() {
  const folder = MIGRATIONS_DIR;
  return [...readdirSync(folder).filter((name) => name.endsWith('.sql')).sort().map((name) => join(folder, name)), '--reporter', 'json'];
}

/** Parse, replay and rules timed apart, in this process, through the engine API. */
async function measureEngineSplit(context) {
  const engine = await loadEngine(context);
  const { config, configRulesOff } = engine;
  const parseRuns = [];
  const replayRuns = [];
  const rulesRuns = [];
  let parsed;
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now();
    parsed = context.files.map((file) => engine.parseSqlFile(file.path, file.text));
    parseRuns.push(performance.now() - started);
    started = performance.now();
    // With every rule off, analyzeParsedFiles is the replay (plus engine findings and sorting).
    const replayed = engine.analyzeParsedFiles(parsed, configRulesOff);
    replayRuns.push(performance.now() - started);
    started = performance.now();
    engine.runRules(replayed.catalog, config);
    rulesRuns.push(performance.now() - started);
  }
  context.analysis = engine.analyzeParsedFiles(parsed, config);
  const slowestRules = engine.allRules
    .filter((rule) => rule.needs !== 'engine')
    .map((rule) => {
      const onlyThisRule = { ...configRulesOff, rules: { ...configRulesOff.rules, [rule.id]: rule.level } };
      const started = performance.now();
      engine.runRules(context.analysis.catalog, onlyThisRule);
      return { id: rule.id, ms: performance.now() - started };
    })
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3);
  const statements = parsed.reduce((sum, file) => sum + file.statements.length, 0);
  const parse = median(parseRuns);
  const replay = median(replayRuns);
  const rules = median(rulesRuns);
  const total = parse + replay + rules;
  const catalog = context.analysis.catalog;
  const policies = [...catalog.tables.values()].reduce((sum, table) => sum + table.policies.size, 0);
  const syntaxErrors = context.analysis.findings.filter((finding) => finding.rule === 'syntax_error').length;
  return [
    { label: 'statements', value: statements },
    { label: 'catalog', value: `${catalog.tables.size} tables, ${policies} policies, ${catalog.functions.size} functions` },
    { label: 'syntax errors (should be 0)', value: syntaxErrors },
    { label: 'findings', value: context.analysis.findings.length },
    { label: 'first parse (cold JIT)', value: parseRuns[0], unit: 'ms' },
    { label: 'parse', value: parse, unit: 'ms' },
    { label: 'replay', value: replay, unit: 'ms' },
    { label: `rules (${engine.allRules.length})`, value: rules, unit: 'ms' },
    { label: 'slowest rules', value: slowestRules.map((rule) => `${rule.id} ${formatNumber(rule.ms)} ms`).join(', ') },
    { label: 'split parse / replay / rules', value: `${percent(parse, total)} / ${percent(replay, total)} / ${percent(rules, total)}` },
    { label: 'statements per second', value: Math.round(statements / (total / 1000)), unit: 'stmt/s' },
  ];
}

/**
 * The migration-safety review (rules with needs 'M', run during the replay) in its most expensive
 * case: no pending list, so every file is judged. Its cost is the replay with those rules on minus
 * the replay with every rule off; the target is under 5% of the cold check.
 */
async function measureMigrationSafety(context) {
  const engine = await loadEngine(context);
  const parsed = context.files.map((file) => engine.parseSqlFile(file.path, file.text));
  const safetyRules = engine.allRules.filter((rule) => rule.needs === 'M');
  const onlySafety = { ...engine.configRulesOff, rules: Object.fromEntries(engine.allRules.filter((rule) => rule.needs !== 'M').map((rule) => [rule.id, 'off'])) };
  const withRuns = [];
  const withoutRuns = [];
  let findings = 0;
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now();
    engine.analyzeParsedFiles(parsed, engine.configRulesOff);
    withoutRuns.push(performance.now() - started);
    started = performance.now();
    findings = engine.analyzeParsedFiles(parsed, onlySafety).findings.filter((finding) => finding.category === 'safety').length;
    withRuns.push(performance.now() - started);
  }
  const cost = Math.max(0, median(withRuns) - median(withoutRuns));
  // 5% of the cold check's target, as issue 12 asks.
  const coldTarget = TARGETS.coldCheckMs * 0.05;
  return [
    { label: `safety rules (${safetyRules.length}), every file pending`, value: cost, unit: 'ms', target: coldTarget },
    { label: 'safety findings on the bench project', value: findings },
  ];
}

/** What the editor does on each keystroke: one Analyzer, the last file changed, analyse again. */
async function measureWarmRecheck(context) {
  const engine = await loadEngine(context);
  const analyzer = new engine.Analyzer();
  analyzer.analyze({ files: context.files, config: engine.config });
  const last = context.files[context.files.length - 1];
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const files = [...context.files.slice(0, -1), { path: last.path, text: `${last.text}\n-- edit ${run}\ncreate index if not exists bench_edit_${run} on public.bench_table_0001 (created_at);\n` }];
    const started = performance.now();
    analyzer.analyze({ files, config: engine.config });
    runs.push(performance.now() - started);
  }
  return [
    { label: 'warm re-check, last file changed', value: median(runs), unit: 'ms', target: TARGETS.warmRecheckMs },
    { label: 'fastest / slowest', value: `${formatNumber(Math.min(...runs))} / ${formatNumber(Math.max(...runs))}`, unit: 'ms' },
  ];
}

// ---------------------------------------------------------------------------------------------
// Introspection of a live database (issue 3): a real PostgreSQL server from the test support
// (PGREVIEW_TEST_DATABASE_URL, or a throwaway cluster when initdb is installed).
// ---------------------------------------------------------------------------------------------

async function measureIntrospection() {
  // Declared here, not at the top level: main() runs before later top-level constants exist.
  const INTROSPECT_SHAPE = { tables: 1500, policies: 4000 };
  const require = createRequire(import.meta.url);
  require('tsx/cjs');
  const { getTestServer } = require('../test/support/postgresServer.ts');
  const { resolveConnectionOptions } = require('../src/db/connection.ts');
  const { introspectDatabase } = require('../src/db/introspect.ts');
  const { defaultConfig } = require('../src/core/config.ts');
  let server;
  try {
    server = await getTestServer();
  } catch (error) {
    throw new SkipStep(`no PostgreSQL server: ${error.message.split('\n')[0]}`);
  }
  const url = await server.createDatabase('pgreview_bench_introspect');
  const policiesPerTable = Math.floor(INTROSPECT_SHAPE.policies / INTROSPECT_SHAPE.tables);
  const extraPolicies = INTROSPECT_SHAPE.policies - policiesPerTable * INTROSPECT_SHAPE.tables;
  // Batches keep each transaction's lock count within a default max_locks_per_transaction.
  for (let first = 1; first <= INTROSPECT_SHAPE.tables; first += 100) {
    const last = Math.min(first + 99, INTROSPECT_SHAPE.tables);
    await server.runSql(url, `do $$ begin for i in ${first}..${last} loop
      execute format('create table public.bench_%s (id bigint generated always as identity primary key, user_id uuid not null references auth.users (id), status text not null default ''open'', note text, created_at timestamptz not null default now())', i);
      execute format('create index on public.bench_%s (user_id)', i);
      execute format('alter table public.bench_%s enable row level security', i);
      for p in 1..${policiesPerTable} + (case when i <= ${extraPolicies} then 1 else 0 end) loop
        execute format('create policy "policy %s" on public.bench_%s for select to authenticated using (user_id = (select auth.uid()) and status <> %L)', p, i, 'hidden_' || p);
      end loop;
    end loop; end $$;`);
  }
  const connection = resolveConnectionOptions({ url, env: {} });
  const config = defaultConfig('supabase');
  const times = [];
  let result;
  for (let run = 0; run < Math.min(RUNS, 5); run++) {
    const started = performance.now();
    result = await introspectDatabase(connection, { config });
    times.push(performance.now() - started);
  }
  const policies = [...result.catalog.tables.values()].reduce((count, table) => count + table.policies.size, 0);
  const tables = [...result.catalog.tables.values()].filter((table) => !table.platform).length;
  return [
    { label: `introspect ${tables} tables, ${policies} policies`, value: median(times), unit: 'ms', target: 1000 },
    { label: 'catalog queries', value: result.queryCount, unit: 'queries' },
  ];
}

// ---------------------------------------------------------------------------------------------
// The shadow database (issues 3 and 14): the generated migrations applied to PGlite, "shadow cold"
// (an empty cache folder: PGlite initialised, the baseline loaded, every file applied), "shadow
// cached" (the applied state loaded from the cache, nothing applied) and "shadow, last file
// changed" (the state before it loaded, that file applied), each then introspected. One run each:
// the cold one takes tens of seconds.
// ---------------------------------------------------------------------------------------------

async function measureShadow(context) {
  const engine = await loadEngine(context);
  const require = createRequire(import.meta.url);
  const { shadowWithPglite } = require('../src/db/shadow.ts');
  const parsed = context.files.map((file) => engine.parseSqlFile(file.path, file.text));
  const last = context.files[context.files.length - 1];
  const editedLast = [...parsed.slice(0, -1), engine.parseSqlFile(last.path, `${last.text}\ncreate index bench_shadow_edit_idx on public.bench_table_0001 (created_at);\n`)];
  const cacheDirectory = join(ROOT, '.bench', 'shadow-cache');
  rmSync(cacheDirectory, { recursive: true, force: true });
  // The first run ever builds the baseline snapshot (initdb, roles, schemas) that every later run of
  // this pgreview version starts from; the cold target (issue 14) is a run with only that snapshot.
  const forgetAppliedStates = () => {
    for (const name of readdirSync(cacheDirectory)) if (name.startsWith('pgreview-applied-')) rmSync(join(cacheDirectory, name));
  };
  const runs = [
    { label: 'shadow, first run (initdb, nothing cached)', files: parsed },
    { label: 'shadow cold (baseline snapshot only)', files: parsed, target: TARGETS.shadowColdMs, before: forgetAppliedStates },
    { label: 'shadow cached', files: parsed, target: TARGETS.shadowCachedMs },
    { label: 'shadow, last file changed', files: editedLast, target: TARGETS.shadowCachedMs },
  ];
  const figures = [];
  for (const run of runs) {
    run.before?.();
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const result = await shadowWithPglite(run.files, { config: engine.config, cacheDirectory });
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    const { startMs, applyMs, introspectMs } = result.timings;
    figures.push(
      { label: `${run.label}, ${run.files.length} files`, value: elapsed, unit: 'ms', target: run.target },
      // The bench's own process: parsing is done before, compression of the cached states runs on libuv's threads and counts.
      { label: '  CPU user+sys', value: (cpu.user + cpu.system) / 1000, unit: 'ms' },
      { label: '  start / apply / introspect', value: `${formatNumber(startMs)} / ${formatNumber(applyMs)} / ${formatNumber(introspectMs)}`, unit: 'ms' },
      { label: '  files from cache / applied', value: `${result.cache.filesFromCache} / ${result.cache.filesApplied}` },
    );
    if (run.before) {
      figures.push(
        { label: '  statements applied / failed', value: `${result.statementsApplied} / ${result.statementsFailed}` },
        { label: '  catalog queries', value: result.queryCount, unit: 'queries' },
      );
    }
  }
  return figures;
}

/** `pgreview policies`: the RLS policy matrix over every exposed table of the generated project (issue 5). */
async function measurePolicyMatrix(context) {
  const engine = await loadEngine(context);
  const require = createRequire(import.meta.url);
  const { computePolicyMatrix } = require('../src/core/policies/computePolicyMatrix.ts');
  const parsed = context.files.map((file) => engine.parseSqlFile(file.path, file.text));
  const { catalog } = engine.analyzeParsedFiles(parsed, engine.configRulesOff);
  let matrix;
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    matrix = computePolicyMatrix(catalog);
    runs.push(performance.now() - started);
  }
  const cells = matrix.rows.reduce((sum, row) => sum + row.cells.length, 0);
  return [
    { label: `matrix, ${matrix.rows.length} tables × ${matrix.roles.length} roles`, value: median(runs), unit: 'ms' },
    { label: 'cells', value: cells },
  ];
}

/**
 * `pgreview simulate` on the example project: the shadow with the seed opened once, then the
 * round trip of one statement as a user (BEGIN, SET ROLE, claims, the statement, ROLLBACK).
 */
async function measureSimulator(context) {
  const engine = await loadEngine(context);
  const require = createRequire(import.meta.url);
  const { openShadowSession } = require('../src/db/shadowSession.ts');
  const { simulateOnPglite } = require('../src/db/simulate.ts');
  const example = join(ROOT, 'examples', 'trvl-social', 'supabase');
  const parsed = readdirSync(join(example, 'migrations')).filter((name) => name.endsWith('.sql')).sort()
    .map((name) => engine.parseSqlFile(`supabase/migrations/${name}`, readFileSync(join(example, 'migrations', name), 'utf8')));
  const { catalog } = engine.analyzeParsedFiles(parsed, engine.configRulesOff);
  const seed = { path: 'supabase/seed.sql', text: readFileSync(join(example, 'seed.sql'), 'utf8') };
  const opened = performance.now();
  const session = await openShadowSession(parsed, { config: engine.config, cacheDirectory: join(ROOT, '.bench', 'shadow-cache'), seed });
  const openMs = performance.now() - opened;
  try {
    const bob = { role: 'authenticated', claims: { sub: '22222222-2222-4222-8222-222222222222' } };
    const timings = { select: [], insert: [] };
    for (let run = 0; run < Math.max(RUNS, 20); run++) {
      let started = performance.now();
      await simulateOnPglite(session.db, { ...bob, sql: 'select * from public.bookings' }, catalog);
      timings.select.push(performance.now() - started);
      started = performance.now();
      await simulateOnPglite(session.db, { ...bob, sql: "insert into public.favorites (user_id, adventure_id) values ('22222222-2222-4222-8222-222222222222', 'bbbbbbbb-0000-4000-8000-000000000001')" }, catalog);
      timings.insert.push(performance.now() - started);
    }
    return [
      { label: `shadow + seed, ${parsed.length} files (${session.timings.start})`, value: openMs, unit: 'ms' },
      { label: 'round trip, SELECT as a user', value: median(timings.select), unit: 'ms' },
      { label: 'round trip, INSERT (rolled back)', value: median(timings.insert), unit: 'ms' },
    ];
  } finally {
    await session.close();
  }
}

/**
 * The VS Code extension: the size of the .vsix `npm run package` makes (packaged here into
 * .bench/), and the activation figures the integration suite measured in a real extension host
 * (test/vscode/suite/activation.test.ts writes them on each `npm run test:vscode`).
 */
async function measureExtension() {
  const figures = [];
  const vsix = join(ROOT, '.bench', 'pgreview.vsix');
  rmSync(vsix, { force: true });
  const packaged = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/vsce.mjs', 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('close', (code) => resolve({ code, output }));
  });
  if (packaged.code !== 0 || !existsSync(vsix)) throw new Error(`vsce package failed: ${packaged.output.trim().split('\n').slice(-3).join(' ')}`);
  const files = /Packaged: .*\((\d+) files/.exec(packaged.output)?.[1];
  figures.push({ label: 'package (.vsix) size', value: statSync(vsix).size / 1024 / 1024, unit: 'MB' });
  if (files) figures.push({ label: 'files in the package', value: Number(files) });
  const timingsFile = join(ROOT, '.test-output', 'vscode', 'timings.json');
  if (!existsSync(timingsFile)) {
    figures.push({ label: 'activation / first diagnostics', value: 'not measured: run npm run test:vscode first' });
    return figures;
  }
  const timings = JSON.parse(readFileSync(timingsFile, 'utf8'));
  figures.push(
    { label: 'activation (extension host)', value: timings.activationMs, unit: 'ms', target: 300 },
    { label: `first diagnostics, ${timings.migrationFiles} files`, value: timings.firstDiagnosticsMs ?? 'n/a', unit: 'ms' },
    { label: 'extension host memory (rss)', value: timings.extensionHostMemoryMb, unit: 'MB' },
    { label: '  measured by the suite at', value: timings.measuredAt },
  );
  return figures;
}

// ---------------------------------------------------------------------------------------------
// The language server (issue 15): `pgreview lsp` spawned as an editor spawns it, spoken to over
// JSON-RPC; an edit's latency is from the didChange sent to the publishDiagnostics that shows it,
// debounce included.
// ---------------------------------------------------------------------------------------------

async function measureLanguageServer() {
  const require = createRequire(import.meta.url);
  const protocol = require('vscode-languageserver-protocol/node');
  const child = spawn(process.execPath, ['bin/pgreview.js', 'lsp', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = protocol.createProtocolConnection(new protocol.StreamMessageReader(child.stdout), new protocol.StreamMessageWriter(child.stdin));
  const lastFile = readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.sql')).sort().at(-1);
  const uri = pathToFileURL(join(MIGRATIONS_DIR, lastFile)).href;
  /** Resolves on the first publish for `uri` that `accept` takes. */
  let waiting;
  connection.onNotification(protocol.PublishDiagnosticsNotification.type, (params) => {
    if (waiting && params.uri === uri && waiting.accept(params.diagnostics)) waiting.resolve(performance.now());
  });
  const published = (accept) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no diagnostics within 120 s')), 120_000);
    waiting = { accept, resolve: (at) => { clearTimeout(timer); waiting = undefined; resolve(at); } };
  });
  connection.listen();
  try {
    const started = performance.now();
    const rootUri = pathToFileURL(PROJECT_DIR).href;
    const first = published(() => true);
    await connection.sendRequest(protocol.InitializeRequest.type, { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'bench' }], capabilities: {} });
    await connection.sendNotification(protocol.InitializedNotification.type, {});
    const firstAt = await first;
    let text = readFileSync(join(MIGRATIONS_DIR, lastFile), 'utf8');
    let version = 1;
    await connection.sendNotification(protocol.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version, text } });
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const table = `bench_lsp_${run}`;
      const lines = text.split('\n').length;
      const insert = `create table public.${table} (id bigint primary key);\n`;
      const end = { line: lines - 1, character: text.length - text.lastIndexOf('\n') - 1 };
      text += insert;
      version += 1;
      const shown = published((diagnostics) => diagnostics.some((diagnostic) => diagnostic.message.includes(`public.${table}`)));
      const sent = performance.now();
      await connection.sendNotification(protocol.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range: { start: end, end }, text: insert }] });
      runs.push((await shown) - sent);
    }
    return [
      { label: 'start to first diagnostics', value: firstAt - started, unit: 'ms' },
      { label: 'edit to its diagnostic (debounce included)', value: median(runs), unit: 'ms', target: TARGETS.lspEditToDiagnosticsMs },
      { label: 'fastest / slowest', value: `${formatNumber(Math.min(...runs))} / ${formatNumber(Math.max(...runs))}`, unit: 'ms' },
    ];
  } finally {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    connection.dispose();
  }
}

/**
 * The same edit typed in Neovim (apt's, headless, its built-in LSP client driven by
 * scripts/benchNeovim.lua): from the change to the buffer until Neovim holds the diagnostic. Twice:
 * with Neovim's own debounce of didChange (150 ms by default, on top of the server's 40 ms), and
 * with `debounce_text_changes = 0`, as the README's setup has it.
 */
async function measureNeovim() {
  const version = await runProcess('nvim', ['--version']).catch(() => undefined);
  if (version?.code !== 0) throw new SkipStep('nvim is not installed: scripts/install-test-deps.sh installs it.');
  const lastFile = readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.sql')).sort().at(-1);
  const figures = [];
  for (const debounce of [undefined, 0]) {
    const scratch = mkdtempSync(join(tmpdir(), 'pgreview-bench-nvim-'));
    const out = join(scratch, 'result.json');
    try {
      const env = {
        ...process.env,
        PGREVIEW_ROOT: PROJECT_DIR,
        PGREVIEW_FILE: join(MIGRATIONS_DIR, lastFile),
        PGREVIEW_OUT: out,
        PGREVIEW_RUNS: String(RUNS),
        PGREVIEW_DEBOUNCE: debounce === undefined ? '' : String(debounce),
        PGREVIEW_NODE: process.execPath,
        PGREVIEW_BIN: join(ROOT, 'bin', 'pgreview.js'),
        XDG_STATE_HOME: join(scratch, 'state'),
        XDG_CACHE_HOME: join(scratch, 'cache'),
      };
      // -n: no swap file; the buffer is edited but never written, so the project stays as generated.
      const run = await runProcess('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${join(ROOT, 'scripts', 'benchNeovim.lua')}`], { env });
      if (!existsSync(out)) throw new Error(`Neovim wrote no result (exit ${run.code}): ${lastLines(run.stderr, 3)}`);
      const result = JSON.parse(readFileSync(out, 'utf8'));
      if (result.error) throw new Error(result.error.split('\n')[0]);
      const flags = debounce === undefined ? 'nvim debounce 150 ms' : `nvim debounce ${debounce}`;
      if (debounce === undefined) figures.push({ label: `nvim ${version.stdout.split('\n')[0].replace(/^NVIM v/, '')}: start to first diagnostics`, value: result.first_ms, unit: 'ms' });
      figures.push(
        { label: `edit to its diagnostic (${flags})`, value: median(result.edits_ms), unit: 'ms', target: debounce === undefined ? undefined : TARGETS.lspEditToDiagnosticsMs },
        { label: '  fastest / slowest', value: `${formatNumber(Math.min(...result.edits_ms))} / ${formatNumber(Math.max(...result.edits_ms))}`, unit: 'ms' },
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------
// The engine, loaded from TypeScript sources through tsx
// ---------------------------------------------------------------------------------------------

async function loadEngine(context) {
  if (context.engine) return context.engine;
  if (!context.files) throw new SkipStep('no project: the generate step did not run.');
  const require = createRequire(import.meta.url);
  require('tsx/cjs');
  const { Analyzer, analyzeParsedFiles } = require('../src/core/analyze.ts');
  const { defaultConfig } = require('../src/core/config.ts');
  const { parseSqlFile } = require('../src/core/sql/parseSqlFile.ts');
  const { loadParser } = require('../src/core/sql/parser.ts');
  const { allRules } = require('../src/core/rules/index.ts');
  const { runRules } = require('../src/core/rules/runRules.ts');
  await loadParser();
  const config = defaultConfig('supabase');
  const configRulesOff = { ...config, rules: Object.fromEntries(allRules.map((rule) => [rule.id, 'off'])) };
  context.engine = { Analyzer, analyzeParsedFiles, parseSqlFile, runRules, allRules, config, configRulesOff };
  return context.engine;
}

// ---------------------------------------------------------------------------------------------
// The generated project
// ---------------------------------------------------------------------------------------------

/**
 * A deterministic project of SHAPE's size, shaped like a Supabase app: tables owned by users with
 * RLS and owner policies, foreign keys to earlier tables (most indexed), SECURITY DEFINER and
 * plain functions, grants and revokes, a few views. Roughly one table in fifty carries a mistake
 * (no RLS, per-row auth.uid(), unindexed FK) so the rules have work to do.
 */
function generateMigrations() {
  const files = [];
  const tablesPerFile = SHAPE.tables / SHAPE.files;
  const functionsPerFile = SHAPE.functions / SHAPE.files;
  // 2 policies on every table, 2 more on every third: 3,000 + 1,000.
  for (let fileIndex = 0; fileIndex < SHAPE.files; fileIndex++) {
    const lines = [`-- Generated by scripts/bench.mjs (file ${fileIndex + 1} of ${SHAPE.files}).`, ''];
    if (fileIndex === 0) lines.push(...generateProfiles());
    for (let k = 0; k < tablesPerFile; k++) lines.push(...generateTable(fileIndex * tablesPerFile + k + 1));
    for (let k = 0; k < functionsPerFile; k++) lines.push(...generateFunction(fileIndex * functionsPerFile + k + 1));
    if (fileIndex % 25 === 24) lines.push(...generateView(fileIndex * tablesPerFile + 1));
    // One file a minute from 2024-01-01 00:00, so every prefix is a real 14-digit timestamp.
    const timestamp = `20240101${String(Math.floor(fileIndex / 60)).padStart(2, '0')}${String(fileIndex % 60).padStart(2, '0')}00`;
    files.push({ name: `${timestamp}_bench_${String(fileIndex + 1).padStart(3, '0')}.sql`, text: `${lines.join('\n')}\n` });
  }
  return files;
}

function generateProfiles() {
  return [
    'create table public.profiles (',
    '  id uuid primary key references auth.users (id) on delete cascade,',
    '  username text unique,',
    '  created_at timestamptz not null default now()',
    ');',
    'alter table public.profiles enable row level security;',
    'create policy "Profiles are public" on public.profiles for select to anon, authenticated using (true);',
    '',
  ];
}

function generateTable(n) {
  const name = tableName(n);
  const parent = n > 1 ? tableName(n - 1) : undefined;
  const lines = [
    `create table public.${name} (`,
    '  id uuid primary key default gen_random_uuid(),',
    '  user_id uuid not null references public.profiles (id) on delete cascade,',
    ...(parent ? [`  parent_id uuid references public.${parent} (id) on delete set null,`] : []),
    "  status text not null default 'active',",
    '  amount numeric(10, 2) not null default 0,',
    '  note text,',
    '  created_at timestamptz not null default now()',
    ');',
    `create index ${name}_user_id_idx on public.${name} (user_id);`,
  ];
  if (parent && n % 50 !== 7) lines.push(`create index ${name}_parent_id_idx on public.${name} (parent_id);`);
  if (n % 50 !== 13) lines.push(`alter table public.${name} enable row level security;`);
  const owner = n % 50 === 21 ? 'auth.uid()' : '(select auth.uid())';
  lines.push(
    `create policy "Owners read ${name}" on public.${name} for select to authenticated using (user_id = ${owner});`,
    `create policy "Owners insert ${name}" on public.${name} for insert to authenticated with check (user_id = (select auth.uid()));`,
  );
  if (n % 3 === 0) {
    lines.push(
      `create policy "Owners update ${name}" on public.${name} for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));`,
      `create policy "Owners delete ${name}" on public.${name} for delete to authenticated using (user_id = (select auth.uid()));`,
    );
  }
  lines.push(`grant select on public.${name} to authenticated;`, `revoke all on public.${name} from anon;`, '');
  return lines;
}

function generateFunction(n) {
  const table = tableName(((n - 1) % SHAPE.tables) + 1);
  if (n % 2 === 0) {
    return [
      `create or replace function public.bench_total_${n}(target_user uuid)`,
      'returns numeric',
      'language sql',
      'stable',
      "set search_path = ''",
      'as $$',
      `  select coalesce(sum(amount), 0) from public.${table} where user_id = target_user;`,
      '$$;',
      '',
    ];
  }
  return [
    `create or replace function public.bench_touch_${n}(target uuid, new_note text)`,
    'returns void',
    'language plpgsql',
    'security definer',
    ...(n % 20 === 1 ? [] : ["set search_path = ''"]),
    'as $$',
    'begin',
    `  update public.${table} set note = new_note where id = target and user_id = (select auth.uid());`,
    'end;',
    '$$;',
    `revoke execute on function public.bench_touch_${n}(uuid, text) from public, anon;`,
    `grant execute on function public.bench_touch_${n}(uuid, text) to authenticated;`,
    '',
  ];
}

function generateView(n) {
  const table = tableName(n);
  return [
    `create view public.bench_view_${n} with (security_invoker = true) as`,
    `  select id, user_id, status, amount from public.${table} where status = 'active';`,
    '',
  ];
}

function tableName(n) {
  return `bench_table_${String(n).padStart(4, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Small pieces
// ---------------------------------------------------------------------------------------------

/**
 * Runs a child process and collects its output; never rejects on a non-zero exit. With
 * `pollPeakMemory`, reads the child's VmHWM (peak RSS, in kB) from /proc every 10 ms.
 */
function runProcess(command, args, { pollPeakMemory = false, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    let peakMemoryKb;
    const poll = pollPeakMemory
      ? setInterval(() => {
          try {
            const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (match) peakMemoryKb = Math.max(peakMemoryKb ?? 0, Number(match[1]));
          } catch {
            // The child has exited between two polls, or there is no /proc: keep the last reading.
          }
        }, 10)
      : undefined;
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, peakMemoryKb, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percent(part, whole) {
  return `${Math.round((part / whole) * 100)}%`;
}

function formatNumber(value) {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

function lastLines(text, count) {
  return text.trim().split('\n').slice(-count).join(' | ');
}
