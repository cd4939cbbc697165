/**
 * Which function calls in an expression are VOLATILE. PostgreSQL keeps a column default as a
 * "missing value" (no rewrite, PG 11+) only when the default has no volatile function in it
 * (contain_volatile_functions, src/backend/catalog/heap.c StoreAttrDefault); a volatile one is
 * evaluated for every existing row, so ADD COLUMN rewrites the table.
 */
import type { FuncCall, Node } from '@pgsql/types';
import type { Func } from '../catalog/model';
import { expressionFacts } from '../sql/expressionFacts';
import { functionCallName } from '../sql/functionCallName';
import type { MigrationStatement } from './migrationStatement';

type Volatility = Func['volatility'];

/**
 * The volatility (pg_proc.provolatile) of common built-in functions, by name, and of the
 * functions uuid-ossp and pgcrypto install, in whatever schema they are. A function neither here
 * nor in the catalog is unknown, and an unknown call is not called volatile.
 */
const BUILTIN_VOLATILITY: ReadonlyMap<string, Volatility> = new Map<string, Volatility>([
  // A new value on every call, so on every row.
  ['random', 'volatile'],
  ['random_normal', 'volatile'],
  ['gen_random_uuid', 'volatile'],
  ['uuidv4', 'volatile'],
  ['uuidv7', 'volatile'],
  ['clock_timestamp', 'volatile'],
  ['timeofday', 'volatile'],
  ['nextval', 'volatile'],
  ['setval', 'volatile'],
  ['uuid_generate_v1', 'volatile'],
  ['uuid_generate_v1mc', 'volatile'],
  ['uuid_generate_v4', 'volatile'],
  ['gen_random_bytes', 'volatile'],
  ['gen_salt', 'volatile'],
  ['txid_current', 'volatile'],
  ['pg_current_xact_id', 'volatile'],
  // One value per statement: a fast default.
  ['now', 'stable'],
  ['statement_timestamp', 'stable'],
  ['transaction_timestamp', 'stable'],
  ['current_setting', 'stable'],
  ['to_char', 'stable'],
  ['to_timestamp', 'stable'],
  ['jsonb_build_object', 'stable'],
  ['jsonb_build_array', 'stable'],
  ['json_build_object', 'stable'],
  // Always the same value for the same arguments.
  ['lower', 'immutable'],
  ['upper', 'immutable'],
  ['md5', 'immutable'],
  ['uuid_generate_v3', 'immutable'],
  ['uuid_generate_v5', 'immutable'],
  ['uuid_nil', 'immutable'],
]);

/** Built-ins an extension installs into the schema it is created in, not into pg_catalog. */
const EXTENSION_FUNCTIONS: ReadonlySet<string> = new Set(['uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v3', 'uuid_generate_v4', 'uuid_generate_v5', 'uuid_nil', 'gen_random_bytes', 'gen_salt', 'gen_random_uuid']);

/**
 * The calls in `expression` known to be VOLATILE, as written (`gen_random_uuid`,
 * `public.new_code`), in the order they appear. Built-ins are judged by BUILTIN_VOLATILITY,
 * functions the migrations created by their declared volatility (VOLATILE when not declared);
 * a function known neither way is left out.
 */
export function volatileCallsIn(expression: Node | undefined, migration: MigrationStatement): string[] {
  const names: string[] = [];
  for (const { call } of expressionFacts(expression).calls) {
    if (volatilityOf(call, migration) === 'volatile') names.push(functionCallName(call));
  }
  return names;
}

function volatilityOf(call: FuncCall, migration: MigrationStatement): Volatility | undefined {
  const parts = (call.funcname ?? []).map((node) => ('String' in node ? node.String.sval ?? '' : ''));
  const name = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  // pg_catalog comes first on every search path unless it is named later, so an unqualified
  // built-in name is the built-in.
  if (schema === undefined || schema === 'pg_catalog') {
    const builtin = BUILTIN_VOLATILITY.get(name);
    if (builtin) return builtin;
    if (schema === 'pg_catalog') return undefined;
  }
  for (const candidate of schema ? [schema] : migration.searchPath) {
    const declared = declaredVolatility(migration, candidate, name);
    if (declared !== 'none') return declared;
  }
  return schema && EXTENSION_FUNCTIONS.has(name) ? BUILTIN_VOLATILITY.get(name) : undefined;
}

/**
 * The volatility the catalog's functions `schema.name(...)` share: 'none' when the schema has no
 * function of that name, undefined when its overloads differ (which one runs depends on the
 * argument types, which are not resolved here).
 */
function declaredVolatility(migration: MigrationStatement, schema: string, name: string): Volatility | 'none' | undefined {
  const prefix = `${schema}.${name}(`;
  let shared: Volatility | 'none' = 'none';
  for (const [key, func] of migration.catalog.functions) {
    if (!key.startsWith(prefix) || func.kind !== 'function') continue;
    if (shared !== 'none' && shared !== func.volatility) return undefined;
    shared = func.volatility;
  }
  return shared;
}
