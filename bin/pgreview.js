#!/usr/bin/env node
// Node 22.1+ can keep the compiled bundles between runs (a cold check then skips compiling ~1 MB
// of JavaScript); older Node versions lack the function and compile as before.
require('node:module').enableCompileCache?.();

// `pgreview check` parses every migration once and exits, and is fastest with libpg_query's WASM
// kept on V8's baseline compiler (see src/node/loadParserForOneRun.ts). Node 22 and later accept
// that V8 flag only on the command line, so there check runs in a child Node started with it: on
// the bench project 1.0 s and 200 MB instead of 2.6 s and 640 MB (Node 24), for ~70 ms of start-up.
// The child's JavaScript also stops at Maglev, V8's mid tier: TurboFan compiles for longer than
// its code saves in one run (7% less CPU on Node 24, measured in pairs on the bench project).
const ONE_RUN_FLAG = '--liftoff-only';
const ONE_RUN_JAVASCRIPT_TIER = '--max-opt=2';
const nodeMajor = Number(process.versions.node.split('.')[0]);
const isCheck = process.argv[2] === 'check';
const inChild = process.execArgv.includes(ONE_RUN_FLAG);

if (isCheck && !inChild) {
  // A check over the same files, config and options as an earlier one prints that one's stored
  // report, from a small bundle that loads no engine (src/cli/checkFromCache.ts), and in this
  // process; anything else runs the CLI as below, as if this had not been tried.
  require('../dist/checkFromCache.js')
    .checkFromCache(process.argv.slice(3))
    .then((exitCode) => {
      if (exitCode === undefined) runCli();
      else process.exitCode = exitCode;
    })
    .catch((error) => {
      // Only a broken install gets here (a bundle that fails to load): say so, as the CLI's errors do.
      process.stderr.write(`pgreview: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    });
} else {
  runCli();
}

function runCli() {
  if (isCheck && nodeMajor >= 22 && !inChild) runCheckInChild();
  else require('../dist/cli.js');
}

function runCheckInChild() {
  // The child runs in its own process group (POSIX), so a signal reaches it once, from here:
  // whether Ctrl-C in a terminal (sent to this process's group) or `kill -INT` to this process
  // alone, the child stops at its next check and exits 130, as a check in one process does.
  // The handlers come first: a signal that arrives while the child is being started is handled
  // once this code has run, when `child` is set.
  let child;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child = require('node:child_process').spawn(process.execPath, [ONE_RUN_FLAG, ONE_RUN_JAVASCRIPT_TIER, ...process.execArgv, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    detached: process.platform !== 'win32',
  });
  child.on('error', (error) => {
    process.stderr.write(`pgreview: could not start ${process.execPath}: ${error.message}\n`);
    process.exitCode = 2;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (require('node:os').constants.signals[signal] ?? 0);
  });
}
