/**
 * Errors a user can act on. `code` maps to CLI exit codes and to the status the editor shows;
 * messages never contain passwords or connection strings.
 */
export class PgreviewError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from the user: a missing project, a broken config file, an unknown option. */
export class InputError extends PgreviewError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('input', message, options);
  }
}
