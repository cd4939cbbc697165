// The test command of the README and of .ci/run. Runs every suite, then prints one closing line
// "N passed, N failed" summed over all of them, which CI reads. Each step's output is shown as it
// comes, so a CI log never sits silent for minutes, and each step ends with its time.
import { spawn } from 'node:child_process';

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
  const started = Date.now();
  const result = await run(step.command, step.args);
  const ok = result.status === 0;
  if (step.counts) {
    const counts = step.counts(result.stdout);
    passed += counts.passed;
    failed += counts.failed;
    if (!ok && counts.failed === 0) failed += 1;
  } else if (ok) passed += 1;
  else failed += 1;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(ok ? `--- ${step.name}: ${seconds} s` : `--- ${step.name} FAILED (exit ${result.status ?? result.signal}) after ${seconds} s`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

/** Runs a step, passing its output through as it comes and keeping its standard output for the counts. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const stdout = [];
    child.stdout.on('data', (chunk) => {
      stdout.push(chunk);
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('error', (error) => {
      process.stderr.write(`${command}: ${error.message}\n`);
      resolve({ status: null, signal: error.message, stdout: '' });
    });
    // 'close', not 'exit': it comes once both pipes are drained, so no output is lost to the counts.
    child.on('close', (status, signal) => resolve({ status, signal, stdout: Buffer.concat(stdout).toString('utf8') }));
  });
}

function mochaCounts(output) {
  const passing = [...output.matchAll(/^\s*(\d+) passing/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  const failing = [...output.matchAll(/^\s*(\d+) failing/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  return { passed: passing, failed: failing };
}

async function exists(path) {
  const { existsSync } = await import('node:fs');
  return existsSync(path);
}
