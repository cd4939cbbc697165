/**
 * The CLI parses a large project on two threads. Whoever parses a file, and whatever happens to
 * the worker, the answer must be `parseSqlFile` of every file, in order.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MigrationFile } from '../../src/core/analyze';
import { CancelledError } from '../../src/core/cancellation';
import { loadParser } from '../../src/core/sql/parser';
import { parseSqlFile } from '../../src/core/sql/parseSqlFile';
import {
  CLAIMED_BY_WORKER,
  PARALLEL_PARSE_MIN_CHARS,
  PARALLEL_PARSE_MIN_FILES,
  UNCLAIMED,
  parseMigrationFiles,
  parseMigrationFilesOnTwoThreads,
} from '../../src/node/parseMigrationFiles';

const workerSource = join(__dirname, '..', '..', 'src', 'node', 'parseWorker.ts');

/** The real worker, from the TypeScript sources (the CLI runs the bundled dist/parseWorker.js). */
function startSourceWorker(): Worker {
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(workerSource)});`, { eval: true });
}

/** A project of `count` files of about 5 KB each: tables, policies, functions, and broken files. */
function project(count: number): MigrationFile[] {
  return Array.from({ length: count }, (_, index) => {
    const table = `public.booking_${index}`;
    const body = [
      `-- Bookings ${index}: réservations für Zoë 😀`,
      `create table ${table} (id uuid primary key default gen_random_uuid(), owner uuid not null references auth.users (id), note text default 'ß✈😀', created_at timestamptz not null default now());`,
      `alter table ${table} enable row level security;`,
      `create policy "Owners read ${index}" on ${table} for select to authenticated using ((select auth.uid()) = owner);`,
      `create index booking_${index}_owner_idx on ${table} (owner);`,
      `create function public.booking_${index}_count() returns bigint language sql stable as $$ select count(*) from ${table} $$;`,
    ].join('\n');
    let text = `${body}\n${`comment on table ${table} is 'padding ${'x'.repeat(60)}';\n`.repeat(40)}`;
    if (index % 17 === 3) text += `create tabel broken_${index} (id int);\nselect 'after the error';\n`;
    if (index % 23 === 5) text += "select 'never closed;\n";
    if (index % 29 === 7) text = `\\set ON_ERROR_STOP on\n${text}`;
    if (index % 31 === 11) text = `-- migrate:up\n${text}-- migrate:down\ndrop table ${table};\n`;
    if (index % 37 === 13) text = '';
    return { path: `supabase/migrations/2024${String(index).padStart(10, '0')}_bookings.sql`, text };
  });
}

describe('parseMigrationFiles (the CLI parses on two threads)', function () {
  this.timeout(120_000);
  before(() => loadParser());

  const files = project(120);
  let expected: ReturnType<typeof parseSqlFile>[];
  before(() => {
    expected = files.map((file) => parseSqlFile(file.path, file.text));
    assert.ok(files.reduce((chars, file) => chars + file.text.length, 0) >= PARALLEL_PARSE_MIN_CHARS);
  });

  it('answers what parseSqlFile answers for every file, broken ones included, with the worker parsing part of them', async () => {
    const worker = startSourceWorker();
    const answered = new Set<number>();
    worker.on('message', (reply: { index: number }) => answered.add(reply.index));
    // The worker starts slowly (it loads the parser, here through tsx), and on a busy machine the
    // main thread could parse every file before it claims one: its share makes it take part.
    const workerShare = 20;
    const parsed = await parseMigrationFiles(files, { startWorker: () => worker, workerShare });
    assert.deepEqual(parsed, expected);
    for (let index = files.length - workerShare; index < files.length; index++) assert.ok(answered.has(index), `the worker did not parse file ${index}`);
  });

  it('leaves the worker its share even when the worker starts claiming only once the main thread is done', async () => {
    // This worker claims nothing until the test says "go", which the test does when the worker's
    // first message reaches it: the main thread has then parsed its files and waits for the rest.
    const late = new Worker(
      `const { parentPort } = require('node:worker_threads');
      let request;
      parentPort.on('message', (message) => {
        if (message !== 'go') {
          request = message;
          parentPort.postMessage('waiting for go');
          return;
        }
        const claims = new Int32Array(request.claims);
        for (let index = request.texts.length - 1; index >= 0; index--) {
          if (Atomics.compareExchange(claims, index, ${UNCLAIMED}, ${CLAIMED_BY_WORKER}) !== ${UNCLAIMED}) break;
          parentPort.postMessage({ index, json: undefined });
        }
      });`,
      { eval: true },
    );
    const answered: number[] = [];
    late.on('message', (message: { index: number } | string) => (typeof message === 'string' ? late.postMessage('go') : answered.push(message.index)));
    assert.deepEqual(await parseMigrationFiles(files, { startWorker: () => late, workerShare: 5 }), expected);
    assert.deepEqual(answered, [119, 118, 117, 116, 115]);
  });

  it('starts no worker for a small project', async () => {
    let started = 0;
    const startWorker = () => {
      started++;
      return startSourceWorker();
    };
    const few = files.slice(0, PARALLEL_PARSE_MIN_FILES - 1);
    assert.deepEqual(await parseMigrationFiles(few, { startWorker }), expected.slice(0, few.length));
    const small = files.map((file) => ({ ...file, text: file.text.slice(0, 100) }));
    assert.deepEqual(await parseMigrationFiles(small, { startWorker }), small.map((file) => parseSqlFile(file.path, file.text)));
    assert.equal(started, 0);
  });

  it('parses every file on the main thread when the worker cannot start or fails at once', async () => {
    assert.deepEqual(
      await parseMigrationFiles(files, {
        startWorker: () => {
          throw new Error('no threads here');
        },
      }),
      expected,
    );
    assert.deepEqual(await parseMigrationFiles(files, { startWorker: () => undefined }), expected);
    assert.deepEqual(await parseMigrationFiles(files, { startWorker: () => new Worker("throw new Error('broken worker')", { eval: true }) }), expected);
  });

  // The CLI's check then parses each file right before its replay, so nothing may be parsed here.
  it('parses nothing on two threads when no worker starts, for a caller that parses file by file', async () => {
    assert.equal(await parseMigrationFilesOnTwoThreads(files, { startWorker: () => undefined }), undefined);
    assert.equal(await parseMigrationFilesOnTwoThreads(files.slice(0, PARALLEL_PARSE_MIN_FILES - 1), { startWorker: startSourceWorker }), undefined);
    assert.deepEqual(await parseMigrationFilesOnTwoThreads(files, { startWorker: startSourceWorker, workerShare: files.length / 2 }), expected);
  });

  it('parses the files a crashed worker had taken', async () => {
    // This worker takes the second half of the files, answers two of them, and dies.
    const crashing = new Worker(
      `const { parentPort } = require('node:worker_threads');
      parentPort.on('message', (request) => {
        const claims = new Int32Array(request.claims);
        for (let index = request.texts.length - 1; index >= request.texts.length / 2; index--) {
          if (Atomics.compareExchange(claims, index, ${UNCLAIMED}, ${CLAIMED_BY_WORKER}) !== ${UNCLAIMED}) break;
        }
        parentPort.postMessage({ index: request.texts.length - 1, json: undefined });
        parentPort.postMessage({ index: request.texts.length - 2, json: undefined });
        setTimeout(() => process.exit(3), 50);
      });`,
      { eval: true },
    );
    // Its share makes sure it has taken the second half before the main thread gets there.
    assert.deepEqual(await parseMigrationFiles(files, { startWorker: () => crashing, workerShare: files.length / 2 }), expected);
  });

  it('stops waiting for the worker on Ctrl-C', async () => {
    // This worker takes every file and never answers.
    const stuck = new Worker(
      `const { parentPort } = require('node:worker_threads');
      parentPort.on('message', (request) => {
        const claims = new Int32Array(request.claims);
        for (let index = request.texts.length - 1; index >= 0; index--) {
          if (Atomics.compareExchange(claims, index, ${UNCLAIMED}, ${CLAIMED_BY_WORKER}) !== ${UNCLAIMED}) break;
        }
        parentPort.postMessage('claimed');
      });`,
      { eval: true },
    );
    const token = { isCancellationRequested: false };
    // The message arrives only once the main thread has parsed its half and waits for the rest.
    stuck.once('message', () => (token.isCancellationRequested = true));
    const exited = new Promise((resolve) => stuck.once('exit', resolve));
    // The main thread parses its files, then waits for the worker's, until the token is set. Its
    // share makes sure the worker holds files: a main thread that took them all would not wait.
    await assert.rejects(parseMigrationFiles(files, { startWorker: () => stuck, token, workerShare: files.length / 2 }), CancelledError);
    await exited;
  });
});
