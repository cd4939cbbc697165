/**
 * Connection profiles: where the connection details come from (a URL, `DATABASE_URL`, the `PG*`
 * variables, `.pgpass`, the Supabase local default), how they become a pg client configuration,
 * and how pg's failures become typed errors whose messages never contain a password.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Client, ClientConfig } from 'pg';
import { parse as parsePostgresUrl } from 'pg-connection-string';
import { AuthenticationError, ConnectionError, InputError, PermissionError, PgreviewError, TimeoutError } from '../core/errors';
import { findPgpassPassword } from './findPgpassPassword';

/**
 * libpq's sslmode values, with libpq's meaning (connectPgClient): `prefer` tries TLS first and
 * connects without it when the server refuses, `allow` does the reverse.
 */
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

/**
 * How much longer than the statement timeout pgreview waits for an answer before it gives up on
 * the connection: a server that is alive cancels the query at the statement timeout and says so,
 * so only a frozen server or a broken network runs into this.
 */
const CLIENT_TIMEOUT_MARGIN_MS = 5_000;

/** True for pg's error when a query's `query_timeout` (clientTimeoutMs) passed without an answer. */
export function isClientTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}

/** How long pgreview waits for the answer to one query of a read-only session. */
export function clientTimeoutMs(options: Pick<ConnectionOptions, 'statementTimeoutMs'>): number {
  return options.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS;
}

export interface ConnectionSources {
  /**
   * A connection string given on the command line or in settings, as a `postgresql://` URL or as
   * libpq `key=value` pairs (`host=db dbname=app user=reader sslmode=require`); it wins over everything else.
   */
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
  const fromUrl = url ? parseConnectionString(url) : {};
  const host = fromUrl.host ?? env.PGHOST ?? 'localhost';
  const port = fromUrl.port ?? parsePort(env.PGPORT, `in PGPORT ("${env.PGPORT}")`) ?? 5432;
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
 * Connects as libpq does for the sslmode: `prefer` tries TLS, without checking the certificate,
 * and connects without TLS when the server refuses it (it answers 'N' to the SSLRequest), the
 * handshake fails or pg_hba.conf rejects the TLS connection (SQLSTATE 28000);
 * `allow` connects without TLS and tries TLS when the server rejects that. Failures are typed
 * errors without the password. The client ignores errors on the idle connection (the server going
 * away), which would otherwise end the process; the next query reports them. With
 * `queryTimeoutMs`, a query that gets no answer in that time fails (isClientTimeout).
 */
export async function connectPgClient(options: ConnectionOptions, doing = 'connect to', queryTimeoutMs?: number): Promise<Client> {
  const attempts = sslAttempts(options);
  for (let attempt = 0; ; attempt++) {
    const config = toPgClientConfig(options, attempts[attempt]);
    // pg fails a query with "Query read timeout" when no answer comes in time (isClientTimeout).
    if (queryTimeoutMs !== undefined) config.query_timeout = queryTimeoutMs;
    const client = await newPgClient(config);
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      const next = attempts[attempt + 1];
      if (next === undefined || !isWorthRetryingWith(next, error)) throw toDatabaseError(error, options, doing);
    }
  }
}

/** `pg` is loaded on first use, not at start-up: it takes ~90 ms to load, and an offline `pgreview check` never needs it. */
async function newPgClient(config: ClientConfig): Promise<Client> {
  const pg = await import('pg');
  // Through esbuild's bundle and Node's ESM loader alike, pg's CommonJS exports are the default export.
  return new pg.default.Client(config);
}

/** The TLS settings to connect with, in the order libpq tries them for the sslmode. */
function sslAttempts(options: ConnectionOptions): ClientConfig['ssl'][] {
  switch (options.sslMode) {
    case 'disable':
      return [false];
    case 'allow':
      return [false, tlsConfig(options)];
    case 'prefer':
      return [tlsConfig(options), false];
    default:
      return [tlsConfig(options)];
  }
}

/** Whether a failed attempt is one libpq would retry with the next TLS setting (see connectPgClient). */
function isWorthRetryingWith(next: ClientConfig['ssl'], error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  if (code === '28000') return true;
  if (next !== false) return false;
  return /does not support SSL/i.test(message ?? '') || /^(EPROTO|ERR_SSL_|ERR_TLS_)/.test(code ?? '');
}

/**
 * The pg client configuration: the connection's TLS settings (by default the first that the
 * sslmode tries) and `application_name` pgreview.
 */
export function toPgClientConfig(options: ConnectionOptions, ssl: ClientConfig['ssl'] = sslAttempts(options)[0]): ClientConfig {
  return {
    host: options.host,
    port: options.port,
    database: options.database,
    user: options.user,
    // An explicit string keeps pg from reading .pgpass itself (deprecated in pg 8); with no
    // password, a server that asks for one gets a clear authentication error.
    password: options.password ?? '',
    ssl,
    connectionTimeoutMillis: options.connectTimeoutSeconds * 1000,
    application_name: 'pgreview',
  };
}

/** The TLS settings of a connection that uses TLS. */
function tlsConfig(options: ConnectionOptions): Exclude<ClientConfig['ssl'], false | undefined> {
  switch (options.sslMode) {
    case 'disable':
    case 'allow':
    case 'prefer':
    case 'require':
      // libpq's `require` (and the TLS tries of `allow` and `prefer`) encrypts but does not check the certificate, unless a root certificate is given.
      return options.sslRootCert ? { ca: readCaFile(options.sslRootCert), checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ca: readCaFile(options.sslRootCert), rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ca: readCaFile(options.sslRootCert), rejectUnauthorized: true };
  }
}

/**
 * pgreview reads with row_security off (readOnlySession.ts), so a table whose policies would filter
 * the rows refuses the query rather than answer for part of it. PostgreSQL's message names the
 * table, not why pgreview asked that way.
 */
function isRowSecurityRefusal(detail: string): boolean {
  return /would be affected by row-level security policy/.test(detail);
}

const ROW_SECURITY_HINT = '; pgreview reads all of a table\'s rows or none, and RLS shows this role only some: connect as the table\'s owner or a role with BYPASSRLS';

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
      return new PermissionError(`Permission denied on ${target}: ${detail}${isRowSecurityRefusal(detail) ? ROW_SECURITY_HINT : ''}`, { cause });
    case '57014':
      return new TimeoutError(`A query on ${target} ran longer than the statement timeout (${options.statementTimeoutMs / 1000} s) and was cancelled.`, { cause });
    case '57P01':
    case '57P02':
    case '57P03':
      return new ConnectionError(`The server closed the connection to ${target} while trying to ${doing} it: ${detail}`, { cause });
    default:
      break;
  }
  if (isClientTimeout(error)) {
    return new TimeoutError(
      `No answer from ${target} within ${clientTimeoutMs(options) / 1000} s, longer than the statement timeout (${options.statementTimeoutMs / 1000} s): the server or the network stopped responding, so the connection was closed.`,
      { cause },
    );
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

interface ConnectionStringParts {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslMode?: string;
  sslRootCert?: string;
  connectTimeout?: string;
}

/**
 * Parses a `postgres://` or `postgresql://` URL (with pg-connection-string, as pg itself does) or a
 * libpq `key=value` string. Errors never repeat the string, nor any part of it, which may hold a
 * password. Keywords pgreview does not use (`application_name`, `pgbouncer`, ...) are ignored.
 */
function parseConnectionString(text: string): ConnectionStringParts {
  const keywords = /^postgres(ql)?:\/\//i.test(text) ? urlKeywords(text) : keyValueKeywords(text);
  const parts: ConnectionStringParts = {};
  const value = (name: string): string | undefined => (keywords[name] === undefined || keywords[name] === '' ? undefined : keywords[name]);
  if (value('host')) parts.host = value('host');
  // The value is not repeated: in a malformed string it may be part of the password.
  if (value('port')) parts.port = parsePort(value('port'), 'in the connection string');
  const database = value('dbname') ?? value('database');
  if (database) parts.database = database;
  if (value('user')) parts.user = value('user');
  if (value('password')) parts.password = value('password');
  if (value('sslmode')) parts.sslMode = value('sslmode');
  if (value('sslrootcert')) parts.sslRootCert = value('sslrootcert');
  if (value('connect_timeout')) parts.connectTimeout = value('connect_timeout');
  return parts;
}

function urlKeywords(url: string): Record<string, string | undefined> {
  // pg-connection-string turns the TLS parameters into pg's ssl option, reading the certificate
  // files and refusing some combinations; pgreview does that itself (sslAttempts, readCaFile), so
  // they are taken out first and kept as they are.
  const tlsParameters: Record<string, string> = {};
  let withoutTls = url;
  const query = url.indexOf('?');
  if (query >= 0) {
    const params = new URLSearchParams(url.slice(query + 1));
    for (const name of [...params.keys()]) {
      if (!name.startsWith('ssl')) continue;
      tlsParameters[name] = params.get(name) ?? '';
      params.delete(name);
    }
    withoutTls = `${url.slice(0, query)}?${params.toString()}`;
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parsePostgresUrl(withoutTls);
  } catch {
    throw new InputError('The connection string is not a valid postgresql:// URL.');
  }
  const keywords: Record<string, string | undefined> = { ...tlsParameters };
  for (const [name, value] of Object.entries(parsed)) if (typeof value === 'string') keywords[name] = value;
  return keywords;
}

/**
 * libpq's `key=value` connection strings (conninfo_parse in fe-connect.c): pairs separated by
 * whitespace, spaces allowed around `=`, a value in single quotes may hold spaces, and a backslash
 * escapes the next character.
 */
function keyValueKeywords(text: string): Record<string, string> {
  const invalid = (): InputError =>
    new InputError('The connection string must be a postgresql:// URL or libpq key=value pairs (host=db dbname=app user=reader); it is not valid (it is not repeated here, since it may hold a password).');
  const keywords: Record<string, string> = {};
  let position = 0;
  const skipSpaces = (): void => {
    while (position < text.length && /\s/.test(text[position])) position++;
  };
  skipSpaces();
  if (position === text.length) throw invalid();
  while (position < text.length) {
    const keywordStart = position;
    while (position < text.length && text[position] !== '=' && !/\s/.test(text[position])) position++;
    const keyword = text.slice(keywordStart, position);
    skipSpaces();
    if (keyword === '' || text[position] !== '=') throw invalid();
    position++;
    skipSpaces();
    let value = '';
    const quoted = text[position] === "'";
    if (quoted) position++;
    for (;;) {
      if (position >= text.length) {
        if (quoted) throw invalid();
        break;
      }
      const char = text[position];
      if (!quoted && /\s/.test(char)) break;
      if (quoted && char === "'") {
        position++;
        break;
      }
      if (char === '\\') {
        position++;
        if (position >= text.length) throw invalid();
      }
      value += text[position];
      position++;
    }
    keywords[keyword] = value;
    skipSpaces();
  }
  return keywords;
}

function parsePort(text: string | undefined, where: string): number | undefined {
  if (!text) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new InputError(`The port ${where} is not a valid port number (1 to 65535).`);
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
