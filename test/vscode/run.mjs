#!/usr/bin/env node
// Runs the VS Code integration suite (test/vscode/suite/*.test.ts, mocha) inside a real extension
// host, and exits 0 when every test passed, 1 otherwise (a hard timeout counts as a failure).
//
// Two ways to get a real VS Code:
//   - electron: @vscode/test-electron downloads VS Code; used where it can be downloaded and a
//     display exists (DISPLAY set, or not Linux).
//   - code-server: VS Code's server and web workbench from npm (installed into .tools/ by
//     scripts/install-test-deps.sh), with headless Chromium driving the workbench through
//     playwright-core. It needs no network at all. This is what CI uses.
//
// Sessions run one after the other: the single-folder workspace (test/vscode/workspace) with
// every suite file but *.multiroot.test.ts, then the multi-root workspace
// (test/vscode/workspace-multiroot/multiroot.code-workspace) with those files alone
// (suite/index.ts picks them by the kind of workspace it finds). Under code-server a third session
// runs the smoke tests against the packaged extension: `npm run package`'s .vsix, installed with
// code-server's own `--install-extension` into a folder of its own, and loaded from there, so
// that a file the package leaves out fails there and not in users' hands. `--no-packaged` (or
// PGREVIEW_VSCODE_PACKAGED=0) leaves that session out.
//
// The database tests need a real PostgreSQL: the runner starts the throwaway cluster of
// test/support/postgresServer.ts (or uses PGREVIEW_TEST_DATABASE_URL), prepares a database that
// drifts from the fixture's migrations, writes a connection profile for it into the workspace
// settings, and passes the details to the extension host as PGREVIEW_TEST_PG_* variables. Without
// PostgreSQL those tests are skipped with a clear line; everything else still runs.
//
// Usage: node test/vscode/run.mjs [--runner auto|electron|code-server] [--grep TEXT] [--timeout SECONDS] [--verbose] [--no-packaged]
// It prints mocha's spec output, whose "N passing" / "N failing" lines scripts/run-tests.mjs sums.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tools = path.join(root, '.tools');
const suiteOut = path.join(root, 'out', 'vscode-suite');
const outputDir = path.join(root, '.test-output', 'vscode');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = args[index + 1];
  return value === undefined || value.startsWith('--') ? true : value;
};
const timeoutSeconds = Number(option('timeout', 300));
const verbose = Boolean(option('verbose', false));
const grep = option('grep', process.env.PGREVIEW_VSCODE_GREP);
const testPackaged = !args.includes('--no-packaged') && process.env.PGREVIEW_VSCODE_PACKAGED !== '0';
const started = Date.now();
const log = (...parts) => console.log(`[vscode-harness ${((Date.now() - started) / 1000).toFixed(1)}s]`, ...parts);

fs.rmSync(outputDir, { recursive: true, force: true });
fs.mkdirSync(outputDir, { recursive: true });
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pgreview-vscode-'));
const workspace = path.join(scratch, 'workspace');
// The suite writes fix migrations and edits files: it works on a copy, never on the fixture.
fs.cpSync(path.join(root, 'test/vscode/workspace'), workspace, { recursive: true });
fs.cpSync(path.join(root, 'test/vscode/workspace-multiroot'), path.join(scratch, 'workspace-multiroot'), { recursive: true });
/** What each session opens: a folder, or a .code-workspace file. */
const sessions = [
  { name: 'single folder', folder: workspace },
  { name: 'multi-root', workspaceFile: path.join(scratch, 'workspace-multiroot', 'multiroot.code-workspace') },
];

const hostEnv = {
  PGREVIEW_TEST_OUTPUT: outputDir,
  PGREVIEW_TEST_RESULT_FILE: path.join(scratch, 'result.json'),
  ...(grep ? { PGREVIEW_MOCHA_GREP: String(grep) } : {}),
};

let exitCode = 1;
try {
  build();
  Object.assign(hostEnv, await prepareDatabase());
  const runner = await chooseRunner(option('runner', process.env.PGREVIEW_VSCODE_RUNNER ?? 'auto'));
  log(`running the suite with ${runner}`);
  exitCode = runner === 'electron' ? await runWithElectron() : await runWithCodeServer();
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  console.log('\n  0 passing\n  1 failing\n\n  1) the VS Code test harness itself failed (see above)');
  exitCode = 1;
}
fs.rmSync(scratch, { recursive: true, force: true });
log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s, exit ${exitCode}`);
process.exit(exitCode);

/** Builds the extension and webview (scripts/build.mjs), then the suite into out/vscode-suite/. */
function build() {
  const buildStarted = Date.now();
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`scripts/build.mjs failed (exit ${result.status ?? result.signal})`);
  const esbuild = createRequire(import.meta.url)('esbuild');
  const suiteDir = path.join(root, 'test/vscode/suite');
  fs.rmSync(suiteOut, { recursive: true, force: true });
  esbuild.buildSync({
    entryPoints: fs.readdirSync(suiteDir).filter((file) => file === 'index.ts' || file.endsWith('.test.ts')).map((file) => path.join(suiteDir, file)),
    outdir: suiteOut,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    // mocha (and pg, which history tests write a runner's table with) stays a require from the
    // project's node_modules: out/ sits inside the project.
    external: ['vscode', 'mocha', 'pg'],
    logLevel: 'warning',
  });
  log(`built the extension and the suite in ${Date.now() - buildStarted} ms`);
}

/**
 * Starts (or reuses) the test cluster and makes the database the suite connects to: the Supabase
 * baseline plus the fixture's first two migrations, so the third one's table (payments) is missing
 * in the database, plus a planted table no migration defines, a rewritten function body and a
 * pg_cron job. The cluster stops when this process
 * exits (postgresServer.ts registers that).
 */
async function prepareDatabase() {
  const started = Date.now();
  const bundle = path.join(root, 'out', 'vscode-support', 'postgresServer.cjs');
  createRequire(import.meta.url)('esbuild').buildSync({
    entryPoints: [path.join(root, 'test/support/postgresServer.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['pg', 'pg-native'],
    logLevel: 'warning',
  });
  let server;
  try {
    server = await createRequire(import.meta.url)(bundle).getTestServer();
  } catch (error) {
    log(`no PostgreSQL for the database tests, which will be skipped: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
    return { PGREVIEW_TEST_PG_UNAVAILABLE: 'PostgreSQL could not be started (see the harness output)' };
  }
  const database = 'pgreview_vscode';
  const url = await server.createDatabase(database);
  const migrations = path.join(workspace, 'supabase', 'migrations');
  for (const file of ['20240101000000_profiles.sql', '20240102000000_vendors_bookings.sql']) {
    await server.runSql(url, fs.readFileSync(path.join(migrations, file), 'utf8'));
  }
  // Drift of every kind: a table no migration defines, properties changed by hand, a function body
  // rewritten, and a pg_cron job no migration schedules (pg_cron's catalog made by hand: the test
  // server has no pg_cron).
  await server.runSql(url, `create table public.legacy_orders_backup (id bigint primary key, total_cents integer not null);
    alter table public.profiles alter column avatar_url set not null;
    alter policy "Vendors are public" on public.vendors to authenticated;
    create or replace function public.booking_count(p_vendor bigint) returns bigint language sql stable as $$
  select count(*)
  from public.bookings
  where vendor_id = p_vendor and starts_at > now()
$$;`);
  const cronCatalog = path.join(root, 'out', 'vscode-support', 'pgCronCatalog.cjs');
  createRequire(import.meta.url)('esbuild').buildSync({ entryPoints: [path.join(root, 'test/support/pgCronCatalog.ts')], outfile: cronCatalog, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  await server.runSql(url, `${createRequire(import.meta.url)(cronCatalog).PG_CRON_CATALOG_SQL}
    select cron.schedule('refresh-stats', '@hourly', 'analyze');`);
  const unreachablePort = await findFreePort();
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({
    'pgreview.connections': [
      { name: 'test cluster', host: server.host, port: server.port, database, user: server.user, sslmode: 'disable' },
      { name: 'unreachable', host: '127.0.0.1', port: unreachablePort, database: 'postgres', user: 'postgres', sslmode: 'disable' },
    ],
  }, null, 2));
  log(`PostgreSQL ready on ${server.host}:${server.port} (database ${database}) in ${Date.now() - started} ms`);
  return {
    PGREVIEW_TEST_PG_URL: url,
    PGREVIEW_TEST_PG_HOST: server.host,
    PGREVIEW_TEST_PG_PORT: String(server.port),
    PGREVIEW_TEST_PG_USER: server.user,
    PGREVIEW_TEST_PG_PASSWORD: server.password,
    PGREVIEW_TEST_PG_DATABASE: database,
  };
}

async function chooseRunner(requested) {
  if (requested === 'electron' || requested === 'code-server') return requested;
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (hasDisplay && (await canReach('https://update.code.visualstudio.com/api/releases/stable'))) return 'electron';
  return 'code-server';
}

async function canReach(url) {
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(4000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function runWithElectron() {
  const { runTests } = createRequire(import.meta.url)('@vscode/test-electron');
  Object.assign(process.env, hostEnv);
  let exitCode = 0;
  for (const session of sessions) {
    log(`session: ${session.name}`);
    try {
      await runTests({
        extensionDevelopmentPath: root,
        extensionTestsPath: path.join(suiteOut, 'index.js'),
        launchArgs: [session.folder ?? session.workspaceFile, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
        extensionTestsEnv: hostEnv,
      });
    } catch (error) {
      log(`VS Code reported a failure: ${error instanceof Error ? error.message : error}`);
      exitCode = 1;
    }
  }
  return exitCode;
}

/** The code-server recipe: server on a free loopback port, headless Chromium opens the test payload. */
async function runWithCodeServer() {
  const nodeBinary = process.env.CODE_SERVER_NODE ?? path.join(tools, 'node24/bin/node');
  const entry = process.env.CODE_SERVER_ENTRY ?? path.join(tools, 'code-server/node_modules/code-server/out/node/entry.js');
  const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  for (const [what, file] of [['Node 24', nodeBinary], ['code-server', entry], ['Chromium', chromiumPath]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} is missing (${file}): run scripts/install-test-deps.sh first`);
  }
  const { chromium } = createRequire(path.join(tools, 'driver/package.json'))('playwright-core');

  const userData = path.join(scratch, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'files.autoSave': 'off',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'npm.autoDetect': 'off',
    'typescript.disableAutomaticTypeAcquisition': true,
    'window.commandCenter': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  }, null, 2));
  const configFile = path.join(scratch, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const port = await findFreePort();
  const host = `127.0.0.1:${port}`;
  const serverLogFile = path.join(outputDir, 'code-server.log');
  const serverLog = fs.createWriteStream(serverLogFile);
  const server = spawn(nodeBinary, [
    entry,
    '--auth', 'none',
    '--bind-addr', host,
    '--config', configFile,
    '--user-data-dir', userData,
    '--extensions-dir', path.join(scratch, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    // Without it the built workbench ignores the test payload (extensionTestsPath) and the run hangs.
    '--vscode-option', 'enable-smoke-test-driver',
  ], {
    env: {
      ...process.env,
      ...hostEnv,
      XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'),
      XDG_DATA_HOME: path.join(scratch, 'xdg-data'),
      XDG_CACHE_HOME: path.join(scratch, 'xdg-cache'),
      VSCODE_PROXY_URI: '',
      // No marketplace: code-server would otherwise reach for open-vsx.org.
      EXTENSIONS_GALLERY: '{}',
      PGREVIEW_MOCHA_PREFIX: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  let serverExited = false;
  server.on('exit', () => { serverExited = true; });

  let browser;
  const stop = async () => {
    try { await browser?.close(); } catch (error) { log(`closing Chromium failed: ${error.message}`); }
    if (!serverExited) {
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
      await new Promise((resolve) => setTimeout(resolve, 500));
      try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  };
  let timer;
  // The time limit applies to each session; startSession() restarts it.
  let expire;
  const timeout = new Promise((resolve) => { expire = resolve; });
  const restartTimer = (session) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      console.log(`\n  1 failing\n\n  1) the ${session} session did not finish within ${timeoutSeconds}s (logs in .test-output/vscode/)`);
      expire(1);
    }, timeoutSeconds * 1000);
  };
  restartTimer(sessions[0].name);
  const interrupted = new Promise((resolve) => process.once('SIGINT', () => resolve(130)));
  try {
    return await Promise.race([drive(), timeout, interrupted]);
  } finally {
    clearTimeout(timer);
    await stop();
  }

  async function drive() {
    const upBy = Date.now() + 60_000;
    for (;;) {
      if (serverExited) throw new Error(`code-server exited during startup; see ${serverLogFile}`);
      if (Date.now() > upBy) throw new Error(`code-server did not answer within 60s; see ${serverLogFile}`);
      try {
        if ((await fetch(`http://${host}/healthz`)).ok) break;
      } catch { /* not listening yet */ }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    log(`code-server is up on ${host}`);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'), XDG_CACHE_HOME: path.join(scratch, 'xdg-cache') },
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-extensions'],
    });
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 850 } })).newPage();
    const consoleLog = fs.createWriteStream(path.join(outputDir, 'workbench-console.log'));
    let screenshots = Promise.resolve();
    let resolveExit = () => {};
    await page.exposeFunction('codeAutomationLog', (type, parts) => {
      const list = Array.isArray(parts) ? parts : [parts];
      const line = util.format(...list.map((part) => (typeof part === 'string' || typeof part === 'number' ? part : util.inspect(part, { depth: 4 }))));
      consoleLog.write(`[${type}] ${line}\n`);
      // The suite asks for a workbench screenshot by logging ##pgreview-screenshot:<name>##.
      const shot = /##pgreview-screenshot:([\w.-]+)##/.exec(line);
      if (shot) {
        screenshots = screenshots.then(() => takeScreenshot(page, shot[1])).catch((error) => log(`screenshot ${shot[1]} failed: ${error.message}`));
        return;
      }
      if (verbose) console.log(`[${type}] ${line}`);
      for (const text of line.split('\n')) {
        // Reporter lines lose their marker; lines the tests print with "[test]" keep it.
        const match = /^\[(mocha|test)\] ?(.*)$/.exec(text);
        if (match) console.log(match[1] === 'mocha' ? match[2] : text);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.message}\n`));
    const remote = (file) => `vscode-remote://${host}${file}`;
    const payloadFor = (session) => [
      ['extensionDevelopmentPath', remote(session.extensionPath ?? root)],
      ['extensionTestsPath', remote(path.join(suiteOut, 'index.js'))],
      ['skipWelcome', 'true'],
    ];
    let exitCode = 0;
    if (testPackaged) sessions.push(installPackagedExtension(nodeBinary, entry));
    for (const [index, session] of sessions.entries()) {
      if (index > 0) restartTimer(session.name);
      const exited = new Promise((resolve) => { resolveExit = resolve; });
      fs.rmSync(hostEnv.PGREVIEW_TEST_RESULT_FILE, { force: true });
      const opens = session.folder ? `folder=${encodeURIComponent(session.folder)}` : `workspace=${encodeURIComponent(session.workspaceFile)}`;
      await page.goto(`http://${host}/?${opens}&payload=${encodeURIComponent(JSON.stringify(payloadFor(session)))}`);
      log(`workbench opened (${session.name}); waiting for the extension host to run the suite`);
      const code = await exited;
      log(`the extension host finished the ${session.name} suite (exit ${code})`);
      await screenshots;
      let result;
      try {
        result = JSON.parse(fs.readFileSync(hostEnv.PGREVIEW_TEST_RESULT_FILE, 'utf8'));
      } catch {
        // The suite never reached its end: its runner failed to load, or the host crashed.
        console.log(`\n  0 passing\n  1 failing\n\n  1) the extension host exited with ${code} before the ${session.name} suite finished (see .test-output/vscode/workbench-console.log)`);
        exitCode = 1;
        continue;
      }
      if (code !== 0 || result.failures !== 0) exitCode = 1;
    }
    return exitCode;
  }
}

/**
 * Packages the extension (`npm run package`), installs the .vsix with code-server's own installer
 * into a folder of its own, and returns the session that loads it from there, on a fresh copy of
 * the single-folder workspace.
 */
function installPackagedExtension(nodeBinary, entry) {
  const packageStarted = Date.now();
  const vsix = path.join(scratch, 'pgreview.vsix');
  const packaged = spawnSync(process.execPath, ['scripts/vsce.mjs', 'package', '--no-rewrite-relative-links', '--out', vsix], { cwd: root, encoding: 'utf8' });
  if (packaged.status !== 0) throw new Error(`packaging the extension failed (exit ${packaged.status ?? packaged.signal}):\n${packaged.stdout}${packaged.stderr}`);
  const extensionsDir = path.join(scratch, 'packaged-extensions');
  const installed = spawnSync(nodeBinary, [entry, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'), XDG_DATA_HOME: path.join(scratch, 'xdg-data'), EXTENSIONS_GALLERY: '{}' },
  });
  const folder = fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir).find((name) => name.startsWith('pgreview.pgreview-')) : undefined;
  if (installed.status !== 0 || !folder) throw new Error(`code-server --install-extension failed (exit ${installed.status ?? installed.signal}):\n${installed.stdout}${installed.stderr}`);
  const packagedWorkspace = path.join(scratch, 'workspace-packaged');
  fs.cpSync(path.join(root, 'test/vscode/workspace'), packagedWorkspace, { recursive: true });
  log(`packaged (${(fs.statSync(vsix).size / 1024 / 1024).toFixed(2)} MB) and installed ${folder} in ${Date.now() - packageStarted} ms`);
  return { name: 'packaged extension', folder: packagedWorkspace, extensionPath: path.join(extensionsDir, folder) };
}

async function takeScreenshot(page, name) {
  const file = path.join(outputDir, `${name}.png`);
  await page.screenshot({ path: `${file}.partial.png` });
  // The suite waits for the final name, so the file appears only once it is complete.
  fs.renameSync(`${file}.partial.png`, file);
  log(`screenshot ${path.relative(root, file)}`);
}

function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
