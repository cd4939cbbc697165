/**
 * The shape of a CLI command. Adding one: write `commands/<name>.ts` with a default export of
 * `Command`, then add one entry to the command table in `main.ts`.
 */
import type { CancellationToken } from '../core/cancellation';

/** What a command may touch: no globals, so tests and other front ends can run commands too. */
export interface CommandContext {
  /** The working directory that relative paths in arguments start from. */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Set on Ctrl-C. Check it between units of work. */
  token: CancellationToken;
  /** pgreview's version, from package.json. */
  version: string;
}

/** A command's implementation, loaded only when it runs. */
export interface Command {
  /** The full text of `pgreview <name> --help`. */
  help: string;
  /** Runs the command and returns its exit code. Throws typed errors; `reportError` shows them. */
  run(args: string[], context: CommandContext): Promise<number>;
}

/**
 * An entry of the command table: what `pgreview --help` lists, and how to load the rest. Loading
 * on demand keeps `check` from paying for pg and PGlite at start-up.
 */
export interface CommandEntry {
  name: string;
  /** One line for `pgreview --help`. */
  summary: string;
  load(): Promise<{ default: Command }>;
}

/** Exit codes of every command, part of the CLI contract. */
export const EXIT_CODE = {
  /** Nothing reached `--fail-on`. */
  ok: 0,
  /** A finding reached `--fail-on`. */
  findings: 1,
  /** A usage or input error: bad option, missing project, broken config file. */
  input: 2,
  /** Ctrl-C: 128 + SIGINT, as shells report it. */
  cancelled: 130,
} as const;

/** A CancellationToken that follows an AbortSignal (the CLI's, aborted on Ctrl-C). */
export function tokenFromAbortSignal(signal: AbortSignal): CancellationToken {
  return {
    get isCancellationRequested() {
      return signal.aborted;
    },
  };
}
