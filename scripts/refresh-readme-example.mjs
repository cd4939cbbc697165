// Replaces the example output in README.md (between the example-output markers) with what
// `pgreview check examples/trvl-social` prints now. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(ROOT, 'README.md');
const START = '<!-- example-output:start -->';
const END = '<!-- example-output:end -->';

const result = spawnSync(process.execPath, ['bin/pgreview.js', 'check', 'examples/trvl-social'], { cwd: ROOT, encoding: 'utf8' });
// Exit 1 only means that some findings are errors, which the example has on purpose.
if (result.status !== 0 && result.status !== 1) {
  console.error(`pgreview check exited with ${result.status}:\n${result.stderr}`);
  process.exit(1);
}
const readme = readFileSync(README, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) {
  console.error(`README.md has no ${START} ... ${END} block`);
  process.exit(1);
}
// stderr last, as a terminal shows it: the line that says why the exit code is 1.
const block = `${START}\n\`\`\`\n$ npx pgreview check examples/trvl-social\n${result.stdout.trimEnd()}\n${result.stderr.trimEnd()}\n\`\`\`\n`;
writeFileSync(README, readme.slice(0, start) + block + readme.slice(end));
console.log('README.md: example output refreshed');
