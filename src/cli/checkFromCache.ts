/**
 * The entry of dist/checkFromCache.js: a repeated `pgreview check` answered from the report cache
 * before the CLI bundle is loaded. bin/pgreview.js calls it first. It answers only when the report
 * of the same input is stored: anything else (no entry, `--no-cache`, `--db`, `--help`, an error
 * of any kind) returns undefined having printed nothing, and the CLI runs as if this had never
 * been tried, so an error is reported by the one `reportError`.
 *
 * It asks the input snapshot of the last check with the same arguments (checkInputSnapshot.ts):
 * when the project's files are those it read, stat says so without reading them, and the stored
 * report is printed by this small bundle alone; when one differs, the CLI runs and reads the
 * project once (not here and again there). Only without a snapshot does it load
 * checkFromCacheByReading.ts, which reads the project and keys the cache as `check` does. Neither
 * loads the parser, the replay or the report renderers, and on Node 22+ a hit spares starting the
 * child Node that a full check runs in.
 */
import { version } from '../../package.json';
import { neverCancelled, type CancellationToken } from '../core/cancellation';
import { readUnchangedCheckInput } from '../node/checkInputSnapshot';
import { readCheckReport } from '../node/checkResultCache';
import { tokenFromAbortSignal, type CommandContext } from './command';
import { mayUseCache, printStoredReport } from './commands/checkReportOutput';
import { userCacheDirectory } from './userCacheDirectory';

/**
 * The exit code of `pgreview check ARGS` when its report is in the cache (and printed); else
 * undefined, having printed nothing. Ctrl-C meanwhile ends it as it ends a check (exit 130).
 * `context` is the process's (tests pass their own).
 */
export async function checkFromCache(args: string[], context?: CommandContext): Promise<number | undefined> {
  if (!mayUseCache(args)) return undefined;
  const directory = userCacheDirectory();
  const comparison = readUnchangedCheckInput(directory, { args, cwd: context?.cwd ?? process.cwd(), version: context?.version ?? version });
  if (comparison !== undefined) {
    // A file changed since the last check with these arguments: the CLI reads the project once, and
    // finds the report of these texts if an earlier run stored it (an edit undone), or analyses.
    const snapshot = comparison.unchanged;
    const report = snapshot && readCheckReport(directory, snapshot.keys.report);
    if (!snapshot || !report) return undefined;
    // Synchronous from the start: a Ctrl-C is seen only once this has answered, so it needs no handler.
    return printStoredReport(report, snapshot, snapshot.warnings, context ?? processContext(neverCancelled));
  }
  // These arguments were not seen (or their snapshot was damaged): read the project as check does.
  // A require, not an import(): in the build it loads dist/checkFromCacheByReading.js beside this
  // bundle (scripts/build.mjs), synchronously; from the sources (tests) the test runner's hook loads the .ts.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { answerByReading } = require('./checkFromCacheByReading') as typeof import('./checkFromCacheByReading');
  if (context) return answerByReading(args, context);
  // As src/cli/main.ts does for a whole run; on a miss its own handlers take over.
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    return await answerByReading(args, processContext(tokenFromAbortSignal(controller.signal)));
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

function processContext(token: CancellationToken): CommandContext {
  return { cwd: process.cwd(), stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), token, version };
}
