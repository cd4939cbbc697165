/**
 * Connection profiles: where the connection details come from (a URL, `DATABASE_URL`, the `PG*`
 * variables, `.pgpass`, the Supabase local default), how they become a pg client configuration,
 * and how pg's failures become typed errors whose messages never contain a password.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Client, ClientConfig } from 'pg';
import { AuthenticationError, ConnectionError, InputError, PermissionError, PgreviewError, TimeoutError } from '../core/errors';
import { findPgpassPassword } from './findPgpassPassword';

/** libpq's sslmode values. `allow` and `prefer` connect without TLS, since pg cannot fall back between the two. */
export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Everything needed to open a connection. Print it with `describeTarget`, never directly. */
export interface ConnectionOptions {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslMode: SslMode;
  /** Path of the CA certificate file for `verify-ca` and `verify-full`. */
  sslRootCert?: string;
  connectTimeoutSeconds: number;
  /** The `statement_timeout` of every read-only session, in milliseconds. */
  statementTimeoutMs: number;
}

/** The database `supabase start` runs locally. */
export const SUPABASE_LOCAL_URL = 'postgresql://postgres:postgres@127.0.0.1:54322/postgres';

export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

export interface ConnectionSources {
  /** A connection string given on the command line or in settings; it wins over everything else. */
  url?: string;
  /** Defaults to `process.env`: `DATABASE_URL`, `PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGCONNECT_TIMEOUT`, `PGPASSFILE`. */
  env?: NodeJS.ProcessEnv;
  /** True when the project is a Supabase project: with nothing else set, the local Supabase database is used. */
  supabaseProject?: boolean;
  statementTimeoutMs?: number;
}

/**
 * Resolves the connection details the way libpq does: the URL (or `DATABASE_URL`, or the Supabase
 * local default) first, then the `PG*` variables for what it leaves out, then the password file.
 */
export function resolveConnectionOptions(sources: ConnectionSources = {}): ConnectionOptions {
  const env = sources.env ?? process.env;
  const url = sources.url ?? env.DATABASE_URL ?? (sources.supabaseProject && !hasPgVariables(env) ? SUPABASE_LOCAL_URL : undefined);
  const fromUrl = url ? parseConnectionUrl(url) : {};
  const host = fromUrl.host ?? env.PGHOST ?? 'localhost';
  const port = fromUrl.port ?? parsePort(env.PGPORT) ?? 5432;
  const user = fromUrl.user ?? env.PGUSER ?? currentOsUser();
  const database = fromUrl.database ?? env.PGDATABASE ?? user;
  const sslMode = parseSslMode(fromUrl.sslMode ?? env.PGSSLMODE ?? 'prefer');
  const connectTimeout = fromUrl.connectTimeout ?? env.PGCONNECT_TIMEOUT;
  const options: ConnectionOptions = {
    host,
    port,
    database,
    user,
    sslMode,
    sslRootCert: fromUrl.sslRootCert ?? env.PGSSLROOTCERT,
    connectTimeoutSeconds: connectTimeout !== undefined && Number(connectTimeout) > 0 ? Number(connectTimeout) : DEFAULT_CONNECT_TIMEOUT_SECONDS,
    statementTimeoutMs: sources.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
  };
  const password = fromUrl.password ?? env.PGPASSWORD ?? findPgpassPassword({ host, port, database, user }, env);
  if (password !== undefined) options.password = password;
  return options;
}

/** True when the user set any libpq variable that names a server. */
function hasPgVariables(env: NodeJS.ProcessEnv): boolean {
  return ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGSERVICE'].some((name) => env[name] !== undefined && env[name] !== '');
}

/** `user@host:port/database`: how messages name a database. Never includes the password. */
export function describeTarget(options: Pick<ConnectionOptions, 'user' | 'host' | 'port' | 'database'>): string {
  return `${options.user}@${options.host}:${options.port}/${options.database}`;
}

/**
 * A pg client (not yet connected) for these options. `pg` is loaded on first use, not at start-up:
 * it takes ~90 ms to load, and an offline `pgreview check` never needs it.
 */
export async function createPgClient(options: ConnectionOptions): Promise<Client> {
  const pg = await import('pg');
  // Through esbuild's bundle and Node's ESM loader alike, pg's CommonJS exports are the default export.
  return new pg.default.Client(toPgClientConfig(options));
}

/** The pg client configuration, with TLS set up from the sslmode and `application_name` pgreview. */
export function toPgClientConfig(options: ConnectionOptions): ClientConfig {
  return {
    host: options.host,
    port: options.port,
    database: options.database,
    user: options.user,
    // An explicit string keeps pg from reading .pgpass itself (deprecated in pg 8); with no
    // password, a server that asks for one gets a clear authentication error.
    password: options.password ?? '',
    ssl: sslConfig(options),
    connectionTimeoutMillis: options.connectTimeoutSeconds * 1000,
    application_name: 'pgreview',
  };
}

function sslConfig(options: ConnectionOptions): ClientConfig['ssl'] {
  switch (options.sslMode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      // libpq's `require` encrypts but does not check the certificate, unless a root certificate is given.
      return options.sslRootCert ? { ca: readCaFile(options.sslRootCert), checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ca: readCaFile(options.sslRootCert), rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ca: readCaFile(options.sslRootCert), rejectUnauthorized: true };
  }
}

function readCaFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`Cannot read the CA certificate file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Turns whatever pg threw into a typed error with a one-line message that names the target and
 * never the password. PgreviewErrors pass through unchanged.
 */
export function toDatabaseError(error: unknown, options: ConnectionOptions, doing = 'connect to'): PgreviewError {
  if (error instanceof PgreviewError) return error;
  const target = describeTarget(options);
  const raw = error as { code?: string; message?: string };
  const detail = redactPassword(raw.message ?? String(error), options.password);
  const cause = redactedCause(error, options.password);
  switch (raw.code) {
    case 'ECONNREFUSED':
      return new ConnectionError(`Cannot connect to ${target}: the server refused the connection (is PostgreSQL running on that port?).`, { cause });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectionError(`Cannot connect to ${target}: the host name ${options.host} does not resolve.`, { cause });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return new ConnectionError(`Cannot connect to ${target}: the host is unreachable.`, { cause });
    case 'ECONNRESET':
    case 'EPIPE':
      return new ConnectionError(`The connection to ${target} was closed while trying to ${doing} the database.`, { cause });
    case '28P01':
      return new AuthenticationError(`Password authentication failed for ${target}: check the password (it is never shown).`, { cause });
    case '28000':
      return new AuthenticationError(`The server rejected ${target}: ${detail}`, { cause });
    case '3D000':
      return new ConnectionError(`Cannot connect to ${target}: the database "${options.database}" does not exist.`, { cause });
    case '42501':
      return new PermissionError(`Permission denied on ${target}: ${detail}`, { cause });
    case '57014':
      return new TimeoutError(`A query on ${target} ran longer than the statement timeout (${options.statementTimeoutMs / 1000} s) and was cancelled.`, { cause });
    case '57P01':
    case '57P02':
    case '57P03':
      return new ConnectionError(`The server closed the connection to ${target} while trying to ${doing} it: ${detail}`, { cause });
    default:
      break;
  }
  // pg says "timeout expired" (or "Connection terminated due to connection timeout") when connectionTimeoutMillis passes.
  if (/timeout expired|connection timeout/i.test(detail)) {
    return new TimeoutError(`Cannot connect to ${target}: no answer within ${options.connectTimeoutSeconds} s (connect timeout).`, { cause });
  }
  if (/Connection terminated|connection.*(closed|ended)|not queryable/i.test(detail)) {
    return new ConnectionError(`The connection to ${target} was closed while trying to ${doing} the database.`, { cause });
  }
  if (/password/i.test(detail) && /SASL|SCRAM|must be a/i.test(detail)) {
    return new AuthenticationError(`The server at ${target} asks for a password and none was given (set it in the URL, PGPASSWORD or .pgpass).`, { cause });
  }
  if (/self[- ]signed|certificate|SSL|TLS/i.test(detail)) {
    return new ConnectionError(`TLS failed for ${target} (sslmode ${options.sslMode}): ${detail}`, { cause });
  }
  return new ConnectionError(`Cannot ${doing} ${target}: ${detail}`, { cause });
}

/** Replaces the password, raw and URL-encoded, wherever it appears in a text. */
export function redactPassword(text: string, password: string | undefined): string {
  if (!password) return text;
  let redacted = text;
  for (const form of new Set([password, encodeURIComponent(password)])) redacted = redacted.split(form).join('***');
  return redacted;
}

/** The original error, kept as `cause` for the full log, with the password removed from its message and stack. */
function redactedCause(error: unknown, password: string | undefined): unknown {
  if (!(error instanceof Error) || !password) return error;
  error.message = redactPassword(error.message, password);
  if (error.stack) error.stack = redactPassword(error.stack, password);
  return error;
}

interface UrlParts {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslMode?: string;
  sslRootCert?: string;
  connectTimeout?: string;
}

/** Parses `postgres://` and `postgresql://` URLs. Errors never repeat the URL, which may hold a password. */
function parseConnectionUrl(url: string): UrlParts {
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new InputError('The connection string must be a URL starting with postgresql:// (key=value strings are not supported).');
  }
  let parsed: URL;
  try {
    // The WHATWG parser does not know the postgres scheme's host rules, so parse it as http.
    parsed = new URL(url.replace(/^postgres(ql)?:/i, 'http:'));
  } catch {
    throw new InputError('The connection string is not a valid postgresql:// URL.');
  }
  const parts: UrlParts = {};
  const hostParam = parsed.searchParams.get('host');
  if (parsed.hostname) parts.host = decodeURIComponent(parsed.hostname.replace(/^\[(.*)\]$/, '$1'));
  if (hostParam) parts.host = hostParam;
  if (parsed.port) parts.port = parsePort(parsed.port);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database) parts.database = database;
  if (parsed.username) parts.user = decodeURIComponent(parsed.username);
  if (parsed.password) parts.password = decodeURIComponent(parsed.password);
  const sslMode = parsed.searchParams.get('sslmode');
  if (sslMode) parts.sslMode = sslMode;
  const rootCert = parsed.searchParams.get('sslrootcert');
  if (rootCert) parts.sslRootCert = rootCert;
  const timeout = parsed.searchParams.get('connect_timeout');
  if (timeout) parts.connectTimeout = timeout;
  return parts;
}

function parsePort(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new InputError(`The port "${text}" is not a valid port number.`);
  return port;
}

function parseSslMode(text: string): SslMode {
  if ((SSL_MODES as readonly string[]).includes(text)) return text as SslMode;
  throw new InputError(`Unknown sslmode "${text}": use one of ${SSL_MODES.join(', ')}.`);
}

function currentOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}
