/**
 * What keeps a simulated statement on a live database inside its READ ONLY, rolled-back
 * transaction and its simulated role. A READ ONLY transaction stops writes to the database's
 * tables, but not what a function does beside them: ending other sessions, reloading the server
 * configuration, opening its own connection (dblink), taking a session lock that outlives the
 * rollback, or changing the role with `set_config`. So every function and operator the statement
 * names is looked up in the live catalog (read-only), and the statement is refused when any
 * function it may resolve to is VOLATILE and not known to be harmless. After the statement, the
 * session is checked again: same transaction, still READ ONLY, still the simulated role.
 */
import type { Client } from 'pg';
import type { CalledRoutine } from '../core/policies/describeStatementAccess';
import { InputError, PgreviewError } from '../core/errors';

/**
 * Session settings that make the server read the statement as pgreview's parser did. With
 * `standard_conforming_strings = off` the server ends `'\''` at the backslash, so text that
 * libpg_query read as one literal would hold further commands for the server.
 */
export const SESSION_SETUP_SQL = [
  'set standard_conforming_strings = on',
  'set escape_string_warning = on',
  "set client_encoding = 'UTF8'",
];

/**
 * VOLATILE functions that touch nothing outside the statement: their results change per call,
 * which is why they are volatile, and that is all. Keyed by where they come from: a built-in, or
 * an extension that Supabase installs in `extensions` (a user function of the same name elsewhere
 * is not trusted).
 */
const HARMLESS_VOLATILE_FUNCTIONS: Record<string, ReadonlySet<string>> = {
  pg_catalog: new Set(['random', 'random_normal', 'gen_random_uuid', 'clock_timestamp', 'timeofday', 'pg_sleep', 'pg_sleep_for', 'pg_sleep_until']),
  pgcrypto: new Set(['gen_random_uuid', 'gen_random_bytes', 'gen_salt']),
  'uuid-ossp': new Set(['uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4']),
};

/** Why well-known functions are refused, in words a user recognises. */
const REFUSAL_REASONS: [RegExp, string][] = [
  [/^dblink/, 'it opens its own connection, outside the READ ONLY transaction and the simulated role'],
  [/^set_config$/, 'it changes session settings such as the role, which would leave the simulated role or the read-only transaction'],
  [/^pg_(terminate|cancel)_backend$/, 'it ends or cancels other sessions on the server'],
  [/^pg_reload_conf$|^pg_rotate_logfile$|^pg_switch_wal$|^pg_promote$/, 'it acts on the whole server'],
  [/advisory/, 'an advisory lock can outlive the rolled-back transaction'],
  [/^(http|net\.http)/, 'it makes a network request that a rollback does not undo'],
  [/^lo_/, 'it reads or writes large objects or server files'],
];

/** A routine the lookup found for a name the statement uses. */
interface ResolvedRoutine {
  kind: 'function' | 'operator';
  written: string;
  schema: string;
  name: string;
  volatility: string;
  /** The extension the function belongs to, if any. */
  extension: string | null;
}

/**
 * Looks up every function and operator the statement names, as the server would resolve them
 * (a qualified name in its schema, an unqualified one in any schema of the search path), and
 * throws an InputError naming the first that is VOLATILE and not known to be harmless. When
 * several functions share a name, any volatile one refuses the statement: the server chooses
 * among them by argument types, which pgreview does not resolve.
 */
export async function refuseUnsafeRoutines(client: Client, routines: readonly CalledRoutine[]): Promise<void> {
  if (routines.length === 0) return;
  const result = await client.query<ResolvedRoutine>({
    text: `with called as (
             select * from unnest($1::text[], $2::text[], $3::text[]) as c(kind, schema_name, routine_name)
           ), candidates as (
             -- The schema that name resolution sees: the function's own, or the operator's (whose
             -- function may live elsewhere).
             select c.kind, c.schema_name, c.routine_name, p.pronamespace as resolved_in, p.oid as proc_oid
               from called c
               join pg_catalog.pg_proc p on c.kind = 'function' and p.proname = c.routine_name
             union all
             select c.kind, c.schema_name, c.routine_name, o.oprnamespace, o.oprcode::oid
               from called c
               join pg_catalog.pg_operator o on c.kind = 'operator' and o.oprname = c.routine_name
           )
           select c.kind,
                  case when c.schema_name = '' then c.routine_name else c.schema_name || '.' || c.routine_name end as written,
                  n.nspname as schema, p.proname as name, p.provolatile::text as volatility,
                  (select e.extname from pg_catalog.pg_depend d join pg_catalog.pg_extension e on e.oid = d.refobjid
                    where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e' limit 1) as extension
             from candidates c
             join pg_catalog.pg_namespace resolved on resolved.oid = c.resolved_in
             join pg_catalog.pg_proc p on p.oid = c.proc_oid
             join pg_catalog.pg_namespace n on n.oid = p.pronamespace
            where (c.schema_name = '' and resolved.nspname = any (pg_catalog.current_schemas(true)))
               or resolved.nspname = c.schema_name
            order by 2, 3, 4`,
    values: [routines.map((routine) => routine.kind), routines.map((routine) => routine.schema ?? ''), routines.map((routine) => routine.name)],
  });
  for (const routine of result.rows) {
    if (routine.volatility !== 'v') continue;
    const origin = routine.schema === 'pg_catalog' ? 'pg_catalog' : routine.extension ?? '';
    if (HARMLESS_VOLATILE_FUNCTIONS[origin]?.has(routine.name)) continue;
    const qualified = `${routine.schema}.${routine.name}`;
    const reason = REFUSAL_REASONS.find(([pattern]) => pattern.test(routine.name) || pattern.test(qualified))?.[1]
      ?? 'a VOLATILE function may have effects that a rollback does not undo';
    const what = routine.kind === 'operator' ? `the operator ${routine.written}, which calls the VOLATILE function ${qualified}` : `${routine.written} (${qualified}, VOLATILE)`;
    throw new InputError(
      `On a live database, only a SELECT that calls no VOLATILE function may run, and this one calls ${what}: ${reason}. Run it on the shadow database (without --db) instead.`,
    );
  }
}

/** What the session looked like before the statement: the checks after it compare with this. */
export interface SimulationSessionState {
  role: string;
  /** A value only this transaction holds (`set local`): it is gone once the transaction ends. */
  transactionMarker: string;
}

/** The setting that holds the transaction marker. */
export const TRANSACTION_MARKER_SETTING = 'pgreview.simulation_transaction';

/**
 * The statement broke out of the rolled-back, read-only transaction or the simulated role. This
 * never happens while the other guards hold; it is checked all the same, and ends the run loudly.
 */
export class IsolationBrokenError extends PgreviewError {
  constructor(message: string) {
    super('isolation', message);
  }
}

/**
 * Checks, after the statement, that the session is still in the same transaction, READ ONLY and
 * acting as the simulated role. Throws IsolationBrokenError, naming what changed, when it is not.
 */
export async function verifySessionStillIsolated(client: Client, expected: SimulationSessionState, target: string): Promise<void> {
  const result = await client.query<{ role: string; read_only: string; marker: string | null }>({
    text: `select current_user as role, pg_catalog.current_setting('transaction_read_only') as read_only,
                  pg_catalog.current_setting($1, true) as marker`,
    values: [TRANSACTION_MARKER_SETTING],
  });
  const state = result.rows[0];
  const broken: string[] = [];
  if (state.marker !== expected.transactionMarker) broken.push('the transaction pgreview opened has ended');
  if (state.read_only !== 'on') broken.push('the transaction is no longer READ ONLY');
  if (state.role !== expected.role) broken.push(`the statement runs as "${state.role}" instead of "${expected.role}"`);
  if (broken.length > 0) {
    throw new IsolationBrokenError(`pgreview stopped the simulation on ${target}: ${broken.join('; ')}. Everything still open was rolled back; please report the statement that did this.`);
  }
}
