/**
 * How `pgreview check` prints a report, whether it analysed or found the report stored: shared by
 * the command (check.ts) and the fast path that answers a repeated check from the cache
 * (src/cli/checkFromCache.ts), which loads this module and not the engine.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../core/errors';
import type { CheckReport } from '../../node/checkResultCache';
import type { CommandContext } from '../command';

/** True when a check with these arguments may be answered from the cache (no --no-cache, no --db, no help). */
export function mayUseCache(args: readonly string[]): boolean {
  return !args.some((arg) => arg === '--no-cache' || arg === '--db' || arg.startsWith('--db=') || arg === '--help' || arg === '-h');
}

/**
 * Prints a check's report (to standard output, or to `--output`, as given) and returns the exit
 * code. A report file is written before anything is printed, so that when it cannot be, nothing was.
 */
export function printCheckReport(report: CheckReport, check: { output: string | undefined; format: string }, context: CommandContext): number {
  if (check.output !== undefined) writeReport(resolve(context.cwd, check.output), report.output, check.output);
  for (const note of report.notes) context.stderr(note);
  if (check.output === undefined) context.stdout(report.output);
  else context.stderr(`pgreview: wrote the ${check.format} report to ${check.output}: ${report.summary}\n`);
  if (report.exitMessage !== undefined) context.stderr(report.exitMessage);
  return report.exitCode;
}

function writeReport(absolutePath: string, text: string, shownPath: string): void {
  try {
    writeFileSync(absolutePath, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot write the report to ${shownPath} (${code ?? String(error)})`, { cause: error });
  }
}

/**
 * Prints a stored report as `check` would, after `warnings` (what reading the project printed): the
 * exit code, or undefined when it could not be printed (an unwritable `--output`), and then
 * nothing was: the CLI runs the check and reports the failure, as for a fresh check. The warnings
 * go first once the report is sure to be printed: writing `--output` comes before any other output.
 */
export function printStoredReport(report: CheckReport, check: { output: string | undefined; format: string }, warnings: string[], context: CommandContext): number | undefined {
  const flush = () => {
    for (const text of warnings.splice(0)) context.stderr(text);
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
    return undefined;
  }
}
