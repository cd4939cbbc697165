/**
 * The entry of dist/checkFromCache.js: a repeated `pgreview check` answered from the report cache
 * before the CLI bundle is loaded. bin/pgreview.js calls it first; it reads the project and keys
 * the cache as `check` does (`prepareCheck`), and when the report of the same input is stored it
 * prints it as `check` would. It answers only then: anything else (no entry, `--no-cache`, `--db`,
 * `--help`, an error of any kind) returns undefined having printed nothing, and the CLI runs as
 * if this had never been tried, so an error is reported by the one `reportError`.
 *
 * This bundle holds what reading the project and the cache needs, not the parser, the replay or the
 * report renderers: on the 500-file bench project it is a third of dist/cli.js to compile, and
 * on Node 22+ a hit also spares starting the child Node that a full check runs in.
 */
import { version } from '../../package.json';
import { CancelledError } from '../core/cancellation';
import { readCheckReport } from '../node/checkResultCache';
import { tokenFromAbortSignal, type CommandContext } from './command';
import { mayUseCache, prepareCheck, printCheckReport } from './commands/checkInput';
import { userCacheDirectory } from './loadProjectDirectory';
import { reportError } from './reportError';

/**
 * The exit code of `pgreview check ARGS` when its report is in the cache (and printed); else
 * undefined, having printed nothing. Ctrl-C meanwhile ends it as it ends a check (exit 130).
 * `context` is the process's (tests pass their own).
 */
export async function checkFromCache(args: string[], context?: CommandContext): Promise<number | undefined> {
  if (!mayUseCache(args)) return undefined;
  if (context) return answerFromCache(args, context);
  // As src/cli/main.ts does for a whole run; on a miss its own handlers take over.
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    return await answerFromCache(args, {
      cwd: process.cwd(),
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      token: tokenFromAbortSignal(controller.signal),
      version,
    });
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

async function answerFromCache(args: string[], context: CommandContext): Promise<number | undefined> {
  // Warnings about the project are held back: on a miss the CLI reads the project again and prints them.
  const heldBack: string[] = [];
  const quiet: CommandContext = { ...context, stdout: () => {}, stderr: (text) => void heldBack.push(text) };
  let check;
  let report;
  try {
    check = await prepareCheck(args, quiet, true);
    report = check.cacheKeys === undefined ? undefined : readCheckReport(userCacheDirectory(), check.cacheKeys.report);
  } catch (error) {
    if (error instanceof CancelledError) return reportError(error, context.stderr);
    // Anything else, an input error included, the CLI meets again and reports.
    return undefined;
  }
  if (!report) return undefined;
  // The held-back warnings go first, once the report is sure to be printed: writing `--output`
  // comes before any other output, and when it fails (an unwritable file) nothing was printed.
  const flush = () => {
    for (const text of heldBack.splice(0)) context.stderr(text);
  };
  const printing: CommandContext = {
    ...context,
    stdout: (text) => {
      flush();
      context.stdout(text);
    },
    stderr: (text) => {
      flush();
      context.stderr(text);
    },
  };
  try {
    const exitCode = printCheckReport(report, check, printing);
    flush();
    return exitCode;
  } catch {
    // The CLI runs the check and reports the failure, as for a fresh check.
    return undefined;
  }
}
