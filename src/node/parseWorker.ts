/**
 * The parse worker of `parseMigrationFiles` (bundled on its own to `dist/parseWorker.js`). It
 * loads the parser as soon as it starts, then takes files from the end of the list while the main
 * thread takes them from the start, and answers each with libpg_query's JSON text: strings cost
 * almost nothing to send, where cloning parse trees would cost as much as parsing their JSON.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { loadParser } from '../core/sql/parser';
import { parseFileToJson } from '../core/sql/parseSqlFile';
import { CLAIMED_BY_WORKER, UNCLAIMED, type ParseWorkerReply, type ParseWorkerRequest } from './parseMigrationFiles';

// Compiled synchronously on purpose (see loadParser). From the same bytes as the main thread's,
// so V8 hands back the code it already compiled for the main thread.
const ready = loadParser({ compiled: new WebAssembly.Module(readFileSync(require.resolve('libpg-query/wasm/libpg-query.wasm'))) });

// The worker keeps listening until the main thread terminates it, so it never exits on its own:
// an 'exit' the main thread sees is always a failure, and no answer can be lost to it.
parentPort?.on('message', (request: ParseWorkerRequest) => {
  void ready.then(() => {
    const claims = new Int32Array(request.claims);
    for (let index = request.texts.length - 1; index >= 0; index--) {
      if (Atomics.compareExchange(claims, index, UNCLAIMED, CLAIMED_BY_WORKER) !== UNCLAIMED) break;
      const reply: ParseWorkerReply = { index, json: parseFileToJson(request.texts[index]) };
      parentPort?.postMessage(reply);
    }
  });
});
