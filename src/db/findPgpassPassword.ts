/**
 * Reads a password from a libpq password file (`~/.pgpass` or `PGPASSFILE`), as libpq does:
 * https://www.postgresql.org/docs/current/libpq-pgpass.html. pg 8 reads the file itself through
 * the `pgpass` module, but that is deprecated and goes away in pg 9, so pgreview reads it here and
 * always hands pg an explicit password.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PgpassLookup {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** The path libpq would read: `PGPASSFILE`, else `~/.pgpass` (`%APPDATA%\postgresql\pgpass.conf` on Windows). */
export function pgpassPath(env: NodeJS.ProcessEnv): string {
  if (env.PGPASSFILE) return env.PGPASSFILE;
  if (process.platform === 'win32') return join(env.APPDATA ?? homedir(), 'postgresql', 'pgpass.conf');
  return join(env.HOME ?? homedir(), '.pgpass');
}

/**
 * The password of the first matching line, or undefined when there is no file, no match, or the
 * file is readable by group or others (libpq ignores such a file on Unix, and so does pgreview).
 */
export function findPgpassPassword(lookup: PgpassLookup, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = pgpassPath(env);
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) return undefined;
    text = readFileSync(path, 'utf8');
  } catch {
    // No password file is the normal case: the password comes from elsewhere or is not needed.
    return undefined;
  }
  const wanted = [lookup.host, String(lookup.port), lookup.database, lookup.user];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = splitPgpassLine(line);
    if (fields.length < 5) continue;
    const matches = wanted.every((value, index) => fields[index] === '*' || fields[index] === value || (index === 0 && isLocalHostAlias(fields[index], value)));
    if (matches) return fields.slice(4).join(':');
  }
  return undefined;
}

/** Splits on unescaped colons and removes the backslash escapes (`\:` and `\\`). */
function splitPgpassLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (char === '\\' && index + 1 < line.length) {
      current += line[++index];
    } else if (char === ':') {
      fields.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  fields.push(current);
  return fields;
}

/** libpq matches `localhost` for connections over the default Unix socket. */
function isLocalHostAlias(field: string, host: string): boolean {
  return field === 'localhost' && host.startsWith('/');
}
