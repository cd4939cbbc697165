/**
 * Parses a large project's migrations on two threads. The main thread parses files from the start
 * of the list while a worker (`parseWorker.ts`) runs libpg_query on files from the end; the
 * worker sends back JSON text, which the main thread turns into the same `ParsedFile`s that
 * `parseSqlFile` builds. Small projects are parsed on the main thread alone: a worker's start-up
 * would cost more than it saves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MigrationFile } from '../core/analyze';
import { CancelledError, throwIfCancelled, type CancellationToken } from '../core/cancellation';
import { parseSqlFile, type ParsedFile } from '../core/sql/parseSqlFile';

/** Below either size a project is parsed on the main thread alone. */
export const PARALLEL_PARSE_MIN_FILES = 50;
export const PARALLEL_PARSE_MIN_CHARS = 200_000;

/** Values of the shared claim array, one slot per file: who parses that file. */
export const UNCLAIMED = 0;
export const CLAIMED_BY_MAIN = 1;
export const CLAIMED_BY_WORKER = 2;

/** The one message the main thread sends: the texts and the claim array both threads share. */
export interface ParseWorkerRequest {
  texts: string[];
  /** An Int32Array's buffer, one slot per file. */
  claims: SharedArrayBuffer;
}

/** The worker's answer for one file: `parseFileToJson` of its text. */
export interface ParseWorkerReply {
  index: number;
  json: string | undefined;
}

export interface ParseMigrationFilesOptions {
  token?: CancellationToken;
  /**
   * Starts the worker, or returns undefined when there is none to start. The default runs
   * `parseWorker.js` beside this bundle (`dist/`); from the TypeScript sources there is none.
   */
  startWorker?: () => Worker | undefined;
  /**
   * How many files at the end of the list the main thread leaves to the worker, however fast it
   * is; the worker may still take more. Without it (0) the threads race for every file, and a
   * worker that starts late may parse none, which is right for the CLI but leaves a test unable
   * to say that the worker took part.
   */
  workerShare?: number;
}

/**
 * Parses the files as `files.map((file) => parseSqlFile(file.path, file.text))` would, with a
 * worker thread's help when the project is large. Any failure of the worker (it cannot start,
 * it crashes) only means the main thread parses the files the worker did not answer.
 */
export async function parseMigrationFiles(files: readonly MigrationFile[], options: ParseMigrationFilesOptions = {}): Promise<ParsedFile[]> {
  return (await parseMigrationFilesOnTwoThreads(files, options)) ?? files.map((file) => parseFileOnThisThread(file, options.token));
}

/**
 * `parseMigrationFiles` when a worker is worth starting and starts; otherwise undefined, without
 * parsing anything, for a caller that then parses each file when it needs it (the CLI's check,
 * which replays each file right after parsing it and keeps no file's trees after its replay).
 */
export async function parseMigrationFilesOnTwoThreads(files: readonly MigrationFile[], options: ParseMigrationFilesOptions = {}): Promise<ParsedFile[] | undefined> {
  const { token } = options;
  const worker = worthAWorker(files) ? startQuietly(options.startWorker ?? startParseWorker) : undefined;
  if (!worker) return undefined;
  const parsed: (ParsedFile | undefined)[] = files.map(() => undefined);
  await parseWithWorker(worker, files, parsed, options.workerShare ?? 0, token);
  // What the worker claimed but never answered (it crashed or failed to start).
  return files.map((file, index) => parsed[index] ?? parseFileOnThisThread(file, token));
}

function parseFileOnThisThread(file: MigrationFile, token: CancellationToken | undefined): ParsedFile {
  throwIfCancelled(token);
  return parseSqlFile(file.path, file.text);
}

/**
 * The main thread's share of a parse with a worker: files from the start of the list until the
 * worker's claims (or the `workerShare` left to it) meet them, then the worker's answers. Fills `parsed`; a slot the worker never
 * answered stays undefined.
 */
async function parseWithWorker(
  worker: Worker,
  files: readonly MigrationFile[],
  parsed: (ParsedFile | undefined)[],
  workerShare: number,
  token: CancellationToken | undefined,
): Promise<void> {
  const claims = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * files.length));
  // Listen before sending, so that neither an answer nor a failure can come unheard.
  const answers = collectAnswers(worker, files, parsed, token);
  try {
    const request: ParseWorkerRequest = { texts: files.map((file) => file.text), claims: claims.buffer as SharedArrayBuffer };
    try {
      worker.postMessage(request);
    } catch {
      // The worker then claims nothing, and this thread parses every file.
    }
    const mainThreadEnd = files.length - Math.min(Math.max(workerShare, 0), files.length);
    for (let index = 0; index < mainThreadEnd; index++) {
      throwIfCancelled(token);
      // The worker claims from the end and stops at the first file taken, so once a claim fails
      // here, the rest of the list is the worker's.
      if (Atomics.compareExchange(claims, index, UNCLAIMED, CLAIMED_BY_MAIN) !== UNCLAIMED) break;
      parsed[index] = parseSqlFile(files[index].path, files[index].text);
    }
    if (parsed.includes(undefined)) await answers.settled();
  } finally {
    answers.stop();
    void worker.terminate();
  }
}

/**
 * `dist/parseWorker.js` beside the CLI bundle; undefined when it is not there (running from the
 * TypeScript sources) or when no core is idle. The worker shortens the wall time only when it has
 * a core to itself, and it always costs CPU: its own start-up and a second copy of the parser. On
 * the bench project (2 cores kept busy by other processes) it took 7% more CPU and ended no
 * sooner, so it is started only when the load leaves a core idle for it.
 */
export function startParseWorker(): Worker | undefined {
  if (!hasAnIdleCore()) return undefined;
  const script = join(__dirname, 'parseWorker.js');
  return existsSync(script) ? new Worker(script) : undefined;
}

/** Whether a core is left for the worker once the main thread has one. */
function hasAnIdleCore(): boolean {
  return availableParallelism() - busyCores() > 1;
}

/**
 * How many cores other processes keep busy: the lower of the 1-minute load average and, on
 * Linux, the threads runnable right now (/proc/loadavg, which counts this one). Each alone
 * misleads: the average stays high for a minute after a CI step such as `npm ci`, and one look at
 * the runnable threads may catch a passing burst (or V8's own background threads). The lower one
 * errs towards starting the worker, as pgreview always did. Windows reports no load (0): there
 * the core count alone decides.
 */
function busyCores(): number {
  const average = loadavg()[0];
  try {
    // "0.52 0.58 0.59 3/512 12345": runnable threads / all threads in the fourth field.
    const runnable = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[3]?.split('/')[0]);
    if (Number.isInteger(runnable) && runnable >= 1) return Math.min(average, runnable - 1);
  } catch {
    // No /proc: the load average alone.
  }
  return average;
}

function worthAWorker(files: readonly MigrationFile[]): boolean {
  if (files.length < PARALLEL_PARSE_MIN_FILES) return false;
  let chars = 0;
  for (const file of files) chars += file.text.length;
  return chars >= PARALLEL_PARSE_MIN_CHARS;
}

function startQuietly(start: () => Worker | undefined): Worker | undefined {
  try {
    return start();
  } catch {
    return undefined;
  }
}

/**
 * Turns the worker's answers into parsed files as they arrive. `settled()` resolves once every
 * file is parsed or the worker has failed, and rejects on Ctrl-C (CancelledError) or when
 * building a file from its answer throws (as `parseSqlFile` would have thrown on this thread).
 */
function collectAnswers(worker: Worker, files: readonly MigrationFile[], parsed: (ParsedFile | undefined)[], token: CancellationToken | undefined) {
  let waiting: { resolve(): void; reject(error: unknown): void } | undefined;
  let remaining = 0;
  let failed = false;
  let cancelPoll: NodeJS.Timeout | undefined;
  const onMessage = (reply: ParseWorkerReply) => {
    const file = files[reply.index];
    if (failed || !file || parsed[reply.index]) return;
    try {
      throwIfCancelled(token);
      parsed[reply.index] = parseSqlFile(file.path, file.text, reply.json);
    } catch (error) {
      failed = true;
      waiting?.reject(error);
      return;
    }
    if (--remaining === 0) waiting?.resolve();
  };
  // Whatever went wrong in the worker, the main thread parses what is missing.
  const onFailure = () => {
    failed = true;
    waiting?.resolve();
  };
  worker.on('message', onMessage);
  worker.on('error', onFailure);
  worker.on('messageerror', onFailure);
  worker.on('exit', onFailure);
  return {
    /** Called once the main thread has taken its files; answers arrive only after it, while it waits. */
    settled(): Promise<void> {
      remaining = parsed.filter((file) => file === undefined).length;
      if (failed || remaining === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiting = { resolve, reject };
        // The token has no event to wait on; Ctrl-C sets it from a signal handler, which runs
        // between the worker's messages.
        cancelPoll = setInterval(() => {
          if (token?.isCancellationRequested) reject(new CancelledError());
        }, 50);
      });
    },
    stop(): void {
      clearInterval(cancelPoll);
      worker.off('message', onMessage);
      worker.off('error', onFailure);
      worker.off('messageerror', onFailure);
      worker.off('exit', onFailure);
      // A terminated worker may still report an error: nobody needs it any more.
      worker.on('error', () => undefined);
    },
  };
}
