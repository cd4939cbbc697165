// Checks that the packaged extension (pgreview.vsix, from `npm run package`) loads on its own:
// unzips it into a temporary folder outside the project, so nothing resolves from the project's
// node_modules, then in a child process loads dist/extension.js (with a stand-in for the `vscode`
// module, which only the editor provides) and uses every dependency the bundle keeps external:
// libpg-query parses a statement, pg and yaml load from their own bundles in dist/vendor/ (not shipped loose), and PGlite starts with the contrib extensions the
// shadow needs and runs a query. Prints the package size. Exit 0 when all of that worked.
//
// Usage: node scripts/check-package.mjs [path/to/file.vsix]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const vsix = resolve(process.argv[2] ?? 'pgreview.vsix');
const size = statSync(vsix).size;
console.log(`${vsix}: ${(size / 1024 / 1024).toFixed(2)} MB`);
const scratch = mkdtempSync(join(tmpdir(), 'pgreview-vsix-'));
try {
  const unzip = spawnSync('unzip', ['-q', vsix, '-d', scratch], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new Error(`unzip failed: ${unzip.stderr}`);
  const extensionDir = join(scratch, 'extension');
  const probe = join(extensionDir, 'pgreview-package-probe.cjs');
  writeFileSync(probe, probeSource());
  const result = spawnSync(process.execPath, [probe], { cwd: extensionDir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' }, timeout: 120_000 });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.status !== 0) throw new Error(`the packaged extension did not load (exit ${result.status ?? result.signal})`);
  console.log('the packaged extension loads, and its external dependencies work from the package');
} catch (error) {
  console.error(`check-package: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** The probe's source; it runs inside the unzipped extension folder. */
function probeSource() {
  return String.raw`
const Module = require('node:module');
const path = require('node:path');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'vscode') return 'vscode';
  const resolved = originalResolve.call(this, request, parent, ...rest);
  if (!resolved.startsWith(__dirname) && !Module.isBuiltin(resolved)) throw new Error(request + ' resolved outside the package: ' + resolved);
  return resolved;
};
// The editor provides vscode; loading the bundle only binds it, activate() uses it.
// Static fields (CodeActionKind.QuickFix...) read it at load time, so every property is a stand-in
// too; esbuild's __toESM copies own properties and inherits the rest, so the stand-in is the prototype.
const standIn = () => new Proxy(function () {}, {
  get: (_target, property) => (property === '__esModule' ? false : property === Symbol.toPrimitive ? () => '' : standIn()),
  apply: () => standIn(),
  construct: () => standIn(),
});
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: Object.create(standIn()) };
(async () => {
  const started = Date.now();
  const extension = require('./dist/extension.js');
  if (typeof extension.activate !== 'function') throw new Error('dist/extension.js exports no activate()');
  console.log('dist/extension.js loads in ' + (Date.now() - started) + ' ms');
  const libpgQuery = require('libpg-query');
  await libpgQuery.loadModule?.();
  const tree = libpgQuery.parseSync ? libpgQuery.parseSync('select 1') : await libpgQuery.parse('select 1');
  if (!tree.stmts?.length) throw new Error('libpg-query parsed nothing');
  console.log('libpg-query parses from the package');
  // pg and yaml are bundled into dist/vendor/ (loaded on first use): the package must not ship them loose.
  for (const name of ['pg', 'yaml']) {
    let loose = false;
    try { require.resolve(name); loose = true; } catch {}
    if (loose) throw new Error(name + ' ships as a loose package; it should be bundled into dist/vendor/' + name + '.js');
  }
  if (typeof require('./dist/vendor/pg.js').Client !== 'function') throw new Error('dist/vendor/pg.js has no Client');
  if (require('./dist/vendor/yaml.js').parseDocument('a: 1').toJSON().a !== 1) throw new Error('dist/vendor/yaml.js parses wrongly');
  console.log('pg and yaml are bundled into dist/vendor/ and load from there, not shipped loose');
  const { PGlite } = require('@electric-sql/pglite');
  const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm');
  const db = new PGlite({ extensions: { pg_trgm } });
  await db.exec('create extension pg_trgm');
  const rows = (await db.query("select similarity('bookings', 'booking') > 0.5 as close")).rows;
  if (!rows[0]?.close) throw new Error('PGlite answered wrongly');
  await db.close();
  console.log('PGlite starts and loads pg_trgm from the package');
})().catch((error) => {
  console.error(error && error.stack || error);
  process.exit(1);
});
`;
}
