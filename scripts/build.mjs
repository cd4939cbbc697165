// Bundles the CLI, the VS Code extension and the webview with esbuild.
// Packages that load files relative to themselves (libpg-query's WASM, PGlite's data) stay external.
// The extension also bundles pg (into a bundle of its own, below), so that the .vsix ships no loose JavaScript packages; the CLI
// keeps pg external, so that an offline check does not parse it at start-up, and for the same
// reason the language server's protocol packages, which only `pgreview lsp` loads.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const external = ['libpg-query', 'pg', 'pg-native', '@electric-sql/pglite', 'vscode'];
const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'node20' };

const entries = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', external: [...external, 'vscode-languageserver', 'vscode-languageserver-textdocument'] },
  // The CLI's parse worker (src/node/parseMigrationFiles.ts starts it from beside dist/cli.js).
  { entryPoints: ['src/node/parseWorker.ts'], outfile: 'dist/parseWorker.js', platform: 'node', format: 'cjs', external },
];
// Packages the extension needs only later (pg on the first connect, yaml on the first RLS test
// file; the code loads both on first use) are bundled on their own, into dist/vendor/NAME.js, so
// that loading dist/extension.js at activation neither reads nor compiles them. Each import of
// one in the extension's sources becomes a require of that file, made when the code first runs.
const extensionLaterPackages = ['pg', 'yaml'];
const laterPackagesFromVendor = {
  name: 'later-packages-from-vendor',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${extensionLaterPackages.join('|')})$`) }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};
if (existsSync('src/extension/extension.ts')) {
  // The times of the first and last lines: activate() reports how long the bundle's top level took (PgreviewApi.bundleEvaluationMs).
  // The banner comes before esbuild's own "use strict", which then would no longer be a directive: it repeats it.
  const banner = { js: '"use strict";\nvar PGREVIEW_BUNDLE_STARTED = performance.now(), PGREVIEW_BUNDLE_EVALUATED;' };
  const footer = { js: 'PGREVIEW_BUNDLE_EVALUATED = performance.now();' };
  entries.push({ entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', banner, footer, platform: 'node', format: 'cjs', external: external.filter((name) => !extensionLaterPackages.includes(name)), plugins: [laterPackagesFromVendor] });
  for (const name of extensionLaterPackages) {
    entries.push({ stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: '.', sourcefile: `vendor-${name}.js` }, outfile: `dist/vendor/${name}.js`, platform: 'node', format: 'cjs', external: external.filter((other) => other !== name) });
  }
}
if (existsSync('webview/main.ts')) {
  entries.push({ entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022', bundle: true, sourcemap: true, logLevel: 'warning' });
}
await Promise.all(entries.map((entry) => build({ ...common, ...entry })));
// What bin/pgreview.js tries before it loads the CLI: a repeated check answered from the cache
// (src/cli/checkFromCache.ts). It reads entries dist/cli.js wrote, whose keys carry the SHA-256
// of dist/cli.js itself, so it is built after it and told that hash. It is two bundles: the one
// bin/pgreview.js loads holds what a check over unchanged files needs (stat the files, print the
// stored report); the part that reads the project as check does is loaded only when that does not answer.
const engineSha256 = createHash('sha256').update(readFileSync('dist/cli.js')).digest('hex');
const fromCache = {
  ...common,
  platform: 'node',
  format: 'cjs',
  external: [...external, 'vscode-languageserver', 'vscode-languageserver-textdocument'],
  define: { PGREVIEW_ENGINE_SHA256: JSON.stringify(engineSha256) },
};
/** Keeps the import of the second bundle an import of the file beside it, rather than bundling it. */
const loadByReadingBesideIt = {
  name: 'checkFromCacheByReading beside checkFromCache',
  setup(build) {
    build.onResolve({ filter: /^\.\/checkFromCacheByReading$/ }, () => ({ path: './checkFromCacheByReading.js', external: true }));
  },
};
await Promise.all([
  build({ ...fromCache, entryPoints: ['src/cli/checkFromCache.ts'], outfile: 'dist/checkFromCache.js', plugins: [loadByReadingBesideIt] }),
  build({ ...fromCache, entryPoints: ['src/cli/checkFromCacheByReading.ts'], outfile: 'dist/checkFromCacheByReading.js' }),
]);
if (watch) console.log('watch mode is not supported yet; run npm run build again');
