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

/** The database cannot be reached, refused the connection, or closed it while pgreview was reading. */
export class ConnectionError extends PgreviewError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('connection', message, options);
  }
}

/** The database rejected the user or the password. The message names the user, never the password. */
export class AuthenticationError extends PgreviewError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('authentication', message, options);
  }
}

/** The connected role may not read something pgreview needs (a catalog, a view, a table). */
export class PermissionError extends PgreviewError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('permission', message, options);
  }
}

/** Connecting or a query took longer than its timeout. */
export class TimeoutError extends PgreviewError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('timeout', message, options);
  }
}

/**
 * A project file that exists but is not read: no permission, not a regular file (a named pipe
 * would block the run), or a symbolic link that leaves the project. The project loader turns it
 * into a finding on a migration, and into a message naming the file for a configuration file.
 */
export class UnreadableFileError extends PgreviewError {
  /**
   * @param path The file, relative to the project root.
   * @param reason Why it is not read, as a clause after the path: "cannot be read (permission denied)".
   */
  constructor(readonly path: string, readonly reason: string, options?: { cause?: unknown }) {
    super('unreadable_file', `${path} ${reason}`, options);
  }
}
