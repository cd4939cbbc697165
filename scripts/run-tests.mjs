// The test command of the README and of .ci/run. Runs every suite, then prints one closing line
// "N passed, N failed" summed over all of them, which CI reads.
import { spawnSync } from 'node:child_process';

const only = process.argv.slice(2);
// The specs live here rather than in .mocharc.json, so that `npx mocha test/unit/x.test.ts` runs one file.
const MOCHA_SPECS = ['test/unit/**/*.test.ts', 'test/rules/*.test.ts', 'test/db/**/*.test.ts'];
const steps = [
  { name: 'typecheck', command: 'npx', args: ['tsc', '-p', '.', '--noEmit'] },
  { name: 'lint', command: 'npx', args: ['eslint', '--max-warnings=0', 'src', 'test', 'webview'], optional: !process.env.CI },
  { name: 'build', command: 'node', args: ['scripts/build.mjs'] },
  { name: 'unit and database tests', command: 'npx', args: ['mocha', ...MOCHA_SPECS], counts: mochaCounts },
  { name: 'vscode integration tests', command: 'node', args: ['test/vscode/run.mjs'], counts: mochaCounts, when: () => process.env.PGREVIEW_SKIP_VSCODE !== '1' },
];

let passed = 0;
let failed = 0;
for (const step of steps) {
  if (only.length && !only.includes(step.name.split(' ')[0])) continue;
  if (step.when && !step.when()) continue;
  if (step.command === 'node' && step.args[0].startsWith('test/') && !(await exists(step.args[0]))) continue;
  console.log(`\n=== ${step.name} ===`);
  const result = spawnSync(step.command, step.args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: process.env, maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  const ok = result.status === 0;
  if (step.counts) {
    const counts = step.counts(result.stdout ?? '');
    passed += counts.passed;
    failed += counts.failed;
    if (!ok && counts.failed === 0) failed += 1;
  } else if (ok) passed += 1;
  else failed += 1;
  if (!ok) console.log(`--- ${step.name} FAILED (exit ${result.status ?? result.signal})`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

function mochaCounts(output) {
  const passing = [...output.matchAll(/^\s*(\d+) passing/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  const failing = [...output.matchAll(/^\s*(\d+) failing/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  return { passed: passing, failed: failing };
}

async function exists(path) {
  const { existsSync } = await import('node:fs');
  return existsSync(path);
}
