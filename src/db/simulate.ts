/**
 * The RLS simulator: runs one statement as a role with JWT claims, the way PostgREST does for an
 * API request (`set local role`, `request.jwt.claims`), inside a transaction that is always
 * rolled back. On the shadow (PGlite) any single statement may run, since nothing there is kept;
 * on a live database only a plain SELECT, in a READ ONLY transaction.
 */
import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { QueryConfig } from 'pg';
import { throwIfCancelled, type CancellationToken } from '../core/cancellation';
import type { Catalog } from '../core/catalog/model';
import { InputError, PermissionError, PgreviewError } from '../core/errors';
import { describeStatementAccess, listAppliedPolicies, type AppliedPolicies, type StatementAccess } from '../core/policies/describeStatementAccess';
import { quoteIdent } from '../core/sql/quoteIdent';
import { clientTimeoutMs, connectPgClient, describeTarget, toDatabaseError, type ConnectionOptions } from './connection';
import { refuseUnsafeRoutines, SESSION_SETUP_SQL, TRANSACTION_MARKER_SETTING, verifySessionStillIsolated } from './liveStatementGuard';
import { describeError } from './shadowApply';

/** What to run and as whom. */
export interface SimulationRequest {
  /** The database role: anon, authenticated, service_role or a role the migrations created. */
  role: string;
  /** The JWT claims (`sub`, `email`, `app_metadata`, ...). `role` is added when missing. */
  claims?: Record<string, unknown>;
  /** Exactly one SQL statement. */
  sql: string;
}

/** What the statement did. Values are PostgreSQL's text output, so PGlite and a server agree. */
export interface SimulationResult {
  role: string;
  /** The claims the statement saw, `role` included. */
  claims: Record<string, unknown>;
  sql: string;
  /** `select`, `insert`, `update`, `delete` or another statement kind. */
  kind: string;
  columns: string[];
  rows: Record<string, string | null>[];
  /** Rows returned, or rows changed by an INSERT/UPDATE/DELETE without RETURNING. */
  rowCount: number;
  /** The error the statement raised, such as `new row violates row-level security policy for table "bookings"`. */
  error?: { message: string; code: string };
  /** For each table the statement touches, the role's matrix cell (empty without a catalog). */
  policies: AppliedPolicies[];
  /** Where it ran: `PGlite shadow` or `user@host:port/db`. */
  target: string;
  elapsedMs: number;
}

/** The few things the simulator needs from a connection: PGlite and pg differ in how they return results. */
interface SimulationConnection {
  /** Runs a setup statement (BEGIN, SET, ROLLBACK). */
  run(sql: string, params?: unknown[]): Promise<void>;
  /** Runs the user's statement and returns its rows as text. */
  query(sql: string): Promise<{ columns: string[]; rows: Record<string, string | null>[]; rowCount: number }>;
  /**
   * A live database's guards (see liveStatementGuard): `beforeRole` runs in the transaction before
   * the role is taken, `afterStatement` once the statement has run or failed.
   */
  guards?: {
    beforeRole(access: StatementAccess): Promise<void>;
    afterStatement(role: string): Promise<void>;
  };
}

/**
 * Runs a statement as a role on an open PGlite shadow (see `openShadowSession`), in a transaction
 * that is rolled back: the shadow's data is the same afterwards, whatever the statement did.
 */
export async function simulateOnPglite(db: PGlite, request: SimulationRequest, catalog?: Catalog, token?: CancellationToken): Promise<SimulationResult> {
  const access = parseStatement(request.sql);
  const connection: SimulationConnection = {
    run: async (sql, params) => void (await db.query(sql, params)),
    query: async (sql) => {
      const result = await db.query<Record<string, string | null>>(sql, [], { parsers: TEXT_PARSERS });
      const rowCount = result.fields.length > 0 ? result.rows.length : result.affectedRows ?? 0;
      return { columns: result.fields.map((field) => field.name), rows: result.rows, rowCount };
    },
  };
  return runSimulation(connection, request, access, { readOnly: false, target: 'PGlite shadow' }, catalog, token);
}

/**
 * Runs a plain SELECT as a role on a live database, in a READ ONLY transaction with the
 * connection's statement timeout, rolled back at the end. Anything else is refused with an
 * InputError before connecting: the parse tree must be exactly one SelectStmt without INTO, FOR
 * UPDATE/SHARE or a data-modifying WITH. The READ ONLY transaction also stops a SELECT that calls a
 * function that writes.
 */
export async function simulateOnDatabase(
  options: ConnectionOptions,
  request: SimulationRequest,
  catalog?: Catalog,
  token?: CancellationToken,
): Promise<SimulationResult> {
  const access = checkLiveSimulation(request.sql);
  throwIfCancelled(token);
  // TLS as libpq does it for the sslmode, and a client-side timeout for a server that stops answering.
  const client = await connectPgClient(options, 'connect to', clientTimeoutMs(options));
  const target = describeTarget(options);
  try {
    for (const setting of SESSION_SETUP_SQL) await client.query(setting);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw toDatabaseError(error, options, 'connect to');
  }
  const transactionMarker = randomUUID();
  try {
    const connection: SimulationConnection = {
      run: async (sql, params) => void (await client.query(sql, params)),
      query: async (sql) => {
        // The extended protocol runs exactly one statement: text that hides a second one from the
        // parser is refused by the server instead of run.
        // (`queryMode` is pg's, missing from its type definitions.)
        const statement: QueryConfig & { queryMode: 'extended' } = { text: sql, queryMode: 'extended', types: { getTypeParser: () => (value: string) => value } };
        const result = await client.query<Record<string, string | null>>(statement);
        return { columns: result.fields.map((field) => field.name), rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
      },
      guards: {
        beforeRole: async (statement) => {
          await client.query({ text: 'select pg_catalog.set_config($1, $2, true)', values: [TRANSACTION_MARKER_SETTING, transactionMarker] });
          await refuseUnsafeRoutines(client, statement.routines);
        },
        afterStatement: (role) => verifySessionStillIsolated(client, { role, transactionMarker }, target),
      },
    };
    return await runSimulation(connection, request, access, { readOnly: true, statementTimeoutMs: options.statementTimeoutMs, target, user: options.user }, catalog, token);
  } catch (error) {
    throw error instanceof PgreviewError ? error : toDatabaseError(error, options, 'read from');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The connecting role may not take the simulated role: it is not a member of it (or, from
 * PostgreSQL 16, its membership lacks the SET option). A read-only login made for pgreview often
 * is not, and the simulator cannot judge RLS for a role without becoming it.
 */
export class RoleSwitchRefusedError extends PermissionError {
  constructor(readonly user: string, readonly role: string, target: string, options?: { cause?: unknown }) {
    super(`cannot act as role "${role}" on ${target}: ${describeRoleSwitchRefused(user, role)}`, options);
  }
}

/** Why, and what to grant, in one clause; also the reason a policy test on the database is not run. */
export function describeRoleSwitchRefused(user: string, role: string): string {
  return `the connecting role ${user} may not SET ROLE ${role}: grant ${quoteIdent(role)} to ${quoteIdent(user)} (made NOINHERIT, or granted WITH INHERIT FALSE on PostgreSQL 16 and later, it gains none of ${role}'s privileges outside the simulation), or connect as a role that may`;
}

/**
 * Checks that a statement may run on a live database: exactly one plain SELECT. Throws an
 * InputError that says why not, so callers can refuse before they connect.
 */
export function checkLiveSimulation(sql: string): StatementAccess {
  const access = parseStatement(sql);
  if (access.notPlainSelect !== undefined) {
    throw new InputError(`On a live database, only a plain SELECT may run, and this statement is refused: ${access.notPlainSelect}. Run it on the shadow database (without --db) instead.`);
  }
  return access;
}

/**
 * Statements that would end the rolled-back transaction (COMMIT) or undo the role and claims (SET,
 * RESET, DISCARD): running them would make the simulation lie or keep its writes.
 */
const SESSION_STATEMENT_KINDS = new Set(['transactionstmt', 'variablesetstmt', 'discardstmt']);

/**
 * Parses the request's SQL, turning a parse failure, several statements or a statement that would
 * leave the simulated transaction into an InputError.
 */
function parseStatement(sql: string): StatementAccess {
  let access: StatementAccess;
  try {
    access = describeStatementAccess(sql);
  } catch (error) {
    throw new InputError(`cannot simulate this SQL: ${(error as Error).message}`, { cause: error });
  }
  if (SESSION_STATEMENT_KINDS.has(access.kind)) {
    throw new InputError('cannot simulate this SQL: transaction control, SET, RESET and DISCARD would leave the rolled-back transaction or the simulated role');
  }
  return access;
}

async function runSimulation(
  connection: SimulationConnection,
  request: SimulationRequest,
  access: StatementAccess,
  options: { readOnly: boolean; statementTimeoutMs?: number; target: string; user?: string },
  catalog: Catalog | undefined,
  token: CancellationToken | undefined,
): Promise<SimulationResult> {
  throwIfCancelled(token);
  const claims: Record<string, unknown> = { role: request.role, ...(request.claims ?? {}) };
  const started = Date.now();
  await connection.run(options.readOnly ? 'begin read only' : 'begin');
  try {
    if (options.statementTimeoutMs !== undefined) await connection.run(`set local statement_timeout = ${Math.max(1, Math.floor(options.statementTimeoutMs))}`);
    await connection.guards?.beforeRole(access);
    try {
      await connection.run(`set local role ${quoteIdent(request.role)}`);
      // The claims as PostgREST sets them, plus the legacy single-claim settings that older
      // auth.uid() and auth.role() bodies read first.
      await connection.run(
        "select set_config('request.jwt.claims', $1, true), set_config('request.jwt.claim.sub', $2, true), set_config('request.jwt.claim.role', $3, true), set_config('request.jwt.claim.email', $4, true)",
        [JSON.stringify(claims), claimText(claims.sub), claimText(claims.role), claimText(claims.email)],
      );
    } catch (error) {
      const { message, code } = describeError(error);
      if (code === '42501' && options.user !== undefined) throw new RoleSwitchRefusedError(options.user, request.role, options.target, { cause: error });
      throw new InputError(`cannot act as role "${request.role}" on ${options.target}: ${message}`, { cause: error });
    }
    // A savepoint, so that the session can still be checked after a statement that failed.
    await connection.run('savepoint pgreview_statement');
    let outcome: Awaited<ReturnType<SimulationConnection['query']>> = { columns: [], rows: [], rowCount: 0 };
    let failure: SimulationResult['error'];
    try {
      outcome = await connection.query(request.sql);
    } catch (error) {
      failure = describeError(error);
      await connection.run('rollback to savepoint pgreview_statement');
    }
    await connection.guards?.afterStatement(request.role);
    return {
      role: request.role,
      claims,
      sql: request.sql,
      kind: access.kind,
      columns: outcome.columns,
      rows: outcome.rows,
      rowCount: failure ? 0 : outcome.rowCount,
      error: failure,
      policies: catalog ? listAppliedPolicies(catalog, access, request.role) : [],
      target: options.target,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await connection.run('rollback');
  }
}

/** A claim as the legacy `request.jwt.claim.*` settings hold it: text, empty when absent. */
function claimText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * PGlite parses values into JavaScript types by default, and differently from pg (numeric, int8,
 * json). The simulator shows PostgreSQL's own text instead, so every built-in type (OIDs below
 * 10000) gets the identity parser; user types (enums, composites) arrive as text already.
 */
const TEXT_PARSERS: Record<number, (value: string) => string> = Object.fromEntries(
  Array.from({ length: 10_000 }, (_, oid) => [oid, (value: string) => value]),
);
