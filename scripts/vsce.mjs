// Runs vsce, the extension packager, without making it a dependency: the pinned version needs
// Node 22 while `engines.node` allows 20, so as a devDependency it made every `npm ci` on Node 20
// print EBADENGINE warnings. npx fetches it only when packaging. Below Node 22 it runs on the
// Node 24 in .tools/ (scripts/install-test-deps.sh) when that is there, else on this Node.
//
// Usage: node scripts/vsce.mjs package --out pgreview.vsix ...
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VSCE = '@vscode/vsce@4.1.0';
const node24Bin = join(dirname(fileURLToPath(import.meta.url)), '..', '.tools', 'node24', 'bin');
const env = { ...process.env };
if (Number(process.versions.node.split('.')[0]) < 22 && existsSync(join(node24Bin, 'node'))) {
  // npm and vsce start through `#!/usr/bin/env node`, so the first node on the PATH runs them.
  env.PATH = `${node24Bin}${delimiter}${env.PATH ?? ''}`;
}
const result = spawnSync('npx', ['--yes', VSCE, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
