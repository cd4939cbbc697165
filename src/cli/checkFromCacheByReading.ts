/**
 * The part of the fast path (src/cli/checkFromCache.ts) for a check whose input snapshot does not
 * answer: it reads the project and keys the cache as `check` does (`prepareCheck`), and when the
 * report of the same input is stored, prints it and stores the snapshot that lets the next run
 * stat the files instead. Built as a bundle of its own (dist/checkFromCacheByReading.js), loaded
 * only then: what it needs (discovery, config schemas, the rule list) is most of the fast path's code.
 */
import { CancelledError } from '../core/cancellation';
import { readCheckReport } from '../node/checkResultCache';
import type { CommandContext } from './command';
import { prepareCheck } from './commands/checkInput';
import { printStoredReport } from './commands/checkReportOutput';
import { reportError } from './reportError';
import { userCacheDirectory } from './userCacheDirectory';

/** The exit code of `pgreview check ARGS` when its report is stored (and printed); else undefined, having printed nothing. */
export async function answerByReading(args: string[], context: CommandContext): Promise<number | undefined> {
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
  const exitCode = printStoredReport(report, check, heldBack, context);
  if (exitCode !== undefined) check.storeInputSnapshot?.();
  return exitCode;
}
