import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../core/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments strictly (unknown options are usage errors) and turns Node's
 * parse errors into InputErrors, so they exit with code 2 and a one-line message.
 */
export function parseCommandArgs<T extends Options>(args: string[], options: T, commandName: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      const message = (error as Error).message.split('. To specify a positional argument')[0];
      throw new InputError(`${message} (see pgreview ${commandName} --help)`, { cause: error });
    }
    throw error;
  }
}

/** Checks that an option's value is one of `allowed`. */
export function readChoice<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, option: string): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const choices = allowed.length === 1 ? allowed[0] : `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
  throw new InputError(`Unknown ${option} "${value}": use ${choices}`);
}
