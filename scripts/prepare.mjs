// npm's `prepare`: the build (scripts/build.mjs), after `npm ci` when the checkout has no
// node_modules. That checkout is npm's preparation of a git dependency installed with `-g`, which is
// how pre-commit 4.6.1 and later install a `language: node` hook (`npm install --allow-git=root
// --install-links -g git+file://…`): npm runs `npm install --include=dev` in the clone, but hands it
// its own `npm_config_global=true`, so the dependencies go to the global prefix and `prepare` runs in
// a folder without them. The bundles need the devDependencies (esbuild, the webview's elements) and
// inline the small runtime ones, so the whole lockfile is installed; npm leaves node_modules out of
// the package it then makes from the checkout.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

if (!isResolvable('esbuild')) {
  // `--global=false` overrides the npm_config_global that npm passed down. No install scripts: the
  // build runs none of them, and this checkout's own `prepare` is the one running now.
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  const args = [...npm.slice(1), 'ci', '--global=false', '--ignore-scripts', '--no-audit', '--no-fund'];
  const install = spawnSync(npm[0], args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (install.status !== 0) {
    console.error(`prepare: the checkout has no node_modules, and npm ci failed (exit ${install.status ?? install.error?.message})`);
    process.exit(1);
  }
}
await import('./build.mjs');

function isResolvable(name) {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}
