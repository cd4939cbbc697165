import { CancelledError } from '../core/cancellation';
import { PgreviewError } from '../core/errors';
import { EXIT_CODE } from './command';

/**
 * The one place that decides what the user sees when a command fails, and with which exit code.
 * Known errors get their one-line message; cancellation is quiet; anything else is a bug, shown
 * as one line, with the stack only when PGREVIEW_DEBUG is set.
 */
export function reportError(error: unknown, stderr: (text: string) => void): number {
  if (error instanceof CancelledError) {
    stderr('pgreview: cancelled\n');
    return EXIT_CODE.cancelled;
  }
  if (error instanceof PgreviewError) {
    stderr(`${namingTheTool(error.message)}\n`);
    return EXIT_CODE.input;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr(`pgreview: internal error: ${message.split('\n')[0]}\n`);
  if (process.env.PGREVIEW_DEBUG) stderr(`${error instanceof Error ? error.stack : String(error)}\n`);
  else stderr('pgreview: set PGREVIEW_DEBUG=1 to see the stack trace, and please report it.\n');
  return EXIT_CODE.input;
}

/** Every line starts with the tool's name, once: a message that names it first ("pgreview runs only...") keeps its own. */
function namingTheTool(message: string): string {
  return /^pgreview /.test(message) ? message : `pgreview: ${message}`;
}
