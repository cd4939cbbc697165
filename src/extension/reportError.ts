/**
 * The one place that decides what the user sees when something fails: a short notification, and
 * the full stack in the output channel. Messages come from our own errors, which never contain
 * passwords or connection strings.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../core/cancellation';
import { PgreviewError } from '../core/errors';

export function reportError(log: vscode.LogOutputChannel, context: string, error: unknown): void {
  // Cancellation is not a failure: a newer run replaced this one.
  if (error instanceof CancelledError) return;
  const detail = error instanceof PgreviewError ? error.message : error instanceof Error ? error.message : String(error);
  log.error(`${context}: ${error instanceof Error && error.stack ? error.stack : detail}`);
  void vscode.window.showErrorMessage(`pgreview: ${context}. ${detail}`, 'Show Log').then((choice) => {
    if (choice) log.show(true);
  });
}

/**
 * `vscode.commands.registerCommand`, with a failure reported through `reportError` (by default as
 * "The command <id> failed") and the command resolving to undefined, so no error escapes to VS
 * Code's own generic notification.
 */
export function registerReportingCommand(
  log: vscode.LogOutputChannel,
  id: string,
  run: (...args: never[]) => unknown,
  failure = `The command ${id} failed`,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: never[]) => {
    try {
      return await run(...args);
    } catch (error) {
      reportError(log, failure, error);
      return undefined;
    }
  });
}
