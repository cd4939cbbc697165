/**
 * The only way pgreview talks to a configured database: one connection, one `BEGIN READ ONLY`
 * transaction with a `statement_timeout`, `row_security = off`, `application_name = 'pgreview'`,
 * and a rollback at the end. A cancelled token cancels the running query on the server. A server that stops answering
 * altogether (a frozen backend, a dead network path) is given up on a little after the statement
 * timeout (clientTimeoutMs), so nothing waits for it forever.
 */
import type { Client, QueryResultRow } from 'pg';
import { CancelledError, throwIfCancelled, type CancellationToken } from '../core/cancellation';
import { PermissionError, type PgreviewError } from '../core/errors';
import { quoteIdent } from '../core/sql/quoteIdent';
import { clientTimeoutMs, connectPgClient, describeTarget, isClientTimeout, toDatabaseError, type ConnectionOptions } from './connection';

/** How often a running query looks at its cancellation token. */
const CANCELLATION_POLL_MS = 50;

/** What a session sets up besides the read-only transaction and the statement timeout. */
export interface SessionSettings {
  /**
   * The search_path for the transaction (`SET LOCAL`), in place of the connecting role's own:
   * PostgreSQL prints names from the schemas on it without their schema, so pinning it makes the
   * printed expressions the same whoever connects.
   */
  searchPath?: readonly string[];
}

/** The outcome of a query that may lack permission: rows, or the permission error to report. */
export type GuardedResult<Row> = { rows: Row[]; error?: undefined } | { rows?: undefined; error: PermissionError };

export class ReadOnlySession {
  /** Catalog queries run so far; the setup statements (BEGIN, SET) are not counted. */
  queryCount = 0;
  private closed = false;
  /** Set when the server stopped answering: the connection is then dropped, not rolled back. */
  private unresponsive = false;

  private constructor(
    readonly options: ConnectionOptions,
    private readonly client: Client,
    private readonly backendPid: number,
  ) {}

  /** Connects and opens the read-only transaction. Failures are typed errors without passwords. */
  static async open(options: ConnectionOptions, token?: CancellationToken, settings: SessionSettings = {}): Promise<ReadOnlySession> {
    throwIfCancelled(token);
    const client = await connectPgClient(options, 'connect to', clientTimeoutMs(options));
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.statementTimeoutMs))}`);
      // A role subject to RLS would read only the rows its policies show (storage.buckets,
      // pg_cron's cron.job, the tables orphan rows are counted in) and pgreview would report on
      // that part as if it were all. With row_security off, such a query fails instead (42501),
      // and the caller leaves its result out with a warning.
      await client.query('SET LOCAL row_security = off');
      if (settings.searchPath) await client.query(`SET LOCAL search_path = ${searchPathValue(settings.searchPath)}`);
      const pid = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      return new ReadOnlySession(options, client, pid.rows[0].pid);
    } catch (error) {
      // end() drops a connection whose query is still unanswered rather than waiting for it.
      await client.end().catch(() => undefined);
      throw toDatabaseError(error, options, 'connect to');
    }
  }

  /** `user@host:port/db` of this session, for messages. */
  get target(): string {
    return describeTarget(this.options);
  }

  /** Runs one query inside the transaction. A cancelled token cancels it on the server and throws CancelledError. */
  async query<Row extends QueryResultRow>(sql: string, token?: CancellationToken): Promise<Row[]> {
    throwIfCancelled(token);
    this.queryCount++;
    let cancelling: Promise<void> | undefined;
    const timer = token
      ? setInterval(() => {
          if (token.isCancellationRequested && !cancelling) cancelling = this.cancelRunningQuery();
        }, CANCELLATION_POLL_MS)
      : undefined;
    try {
      const result = await this.client.query<Row>(sql);
      return result.rows;
    } catch (error) {
      const typed = this.noteFailure(error);
      if (token?.isCancellationRequested) throw new CancelledError();
      throw typed;
    } finally {
      if (timer) clearInterval(timer);
      await cancelling;
    }
  }

  /**
   * Runs a query that the role may lack permission for. A permission error rolls back to a
   * savepoint, so the transaction stays usable, and is returned instead of thrown.
   */
  async queryGuarded<Row extends QueryResultRow>(sql: string, token?: CancellationToken): Promise<GuardedResult<Row>> {
    await this.runControlStatement('SAVEPOINT pgreview_guard');
    try {
      const rows = await this.query<Row>(sql, token);
      await this.runControlStatement('RELEASE SAVEPOINT pgreview_guard');
      return { rows };
    } catch (error) {
      if (!(error instanceof PermissionError)) throw error;
      await this.runControlStatement('ROLLBACK TO SAVEPOINT pgreview_guard');
      return { error };
    }
  }

  /**
   * Runs a savepoint statement. The connection can drop between any two statements (the server
   * restarting, an administrator ending the backend), so these fail with typed errors too.
   */
  private async runControlStatement(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (error) {
      throw this.noteFailure(error);
    }
  }

  /** The typed error for a failed query; a server that stopped answering marks the session unresponsive. */
  private noteFailure(error: unknown): PgreviewError {
    if (isClientTimeout(error)) this.unresponsive = true;
    return toDatabaseError(error, this.options, 'read from');
  }

  /** Rolls the transaction back and closes the connection. Safe to call twice and after a failure. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A ROLLBACK sent to a server that stopped answering would wait another timeout for nothing:
    // closing the connection rolls the transaction back on the server too.
    if (!this.unresponsive) await this.client.query('ROLLBACK').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }

  /**
   * Asks the server to cancel this session's running query, from a second connection: pg has no
   * cancel request of its own, and ending the socket would leave the query running on the server.
   */
  private async cancelRunningQuery(): Promise<void> {
    let canceller: Client | undefined;
    try {
      canceller = await connectPgClient(this.options, 'connect to', clientTimeoutMs(this.options));
      await canceller.query('select pg_cancel_backend($1)', [this.backendPid]);
    } catch {
      // The query may already have finished, or the server may refuse a second connection; then
      // the statement timeout still bounds it, and closing the session ends it.
    } finally {
      await canceller?.end().catch(() => undefined);
    }
  }
}

/** Opens a read-only session, runs `work` and always closes the session. */
export async function withReadOnlySession<T>(
  options: ConnectionOptions,
  work: (session: ReadOnlySession) => Promise<T>,
  token?: CancellationToken,
  settings?: SessionSettings,
): Promise<T> {
  const session = await ReadOnlySession.open(options, token, settings);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}


/** `public, extensions` as a SET value; an empty list is `''`, which leaves only pg_catalog. */
function searchPathValue(schemas: readonly string[]): string {
  return schemas.length === 0 ? "''" : schemas.map(quoteIdent).join(', ');
}
