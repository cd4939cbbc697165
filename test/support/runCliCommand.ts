/**
 * Runs a `pgreview` command in-process the way `src/cli/main.ts` does: errors go through
 * `reportError`, and the exit code, stdout and stderr come back.
 */
import type { Command, CommandContext } from '../../src/cli/command';
import { reportError } from '../../src/cli/reportError';
import { neverCancelled } from '../../src/core/cancellation';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliCommand(command: Command, cwd: string, args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const context: CommandContext = { cwd, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), token: neverCancelled, version: '0.0.0-test' };
  let code: number;
  try {
    code = await command.run(args, context);
  } catch (error) {
    code = reportError(error, context.stderr);
  }
  return { code, stdout, stderr };
}
