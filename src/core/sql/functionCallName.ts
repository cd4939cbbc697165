import type { FuncCall } from '@pgsql/types';

/**
 * The name of a called function as written, its parts joined with dots: `auth.uid`,
 * `current_setting`, `pg_catalog.current_setting`. Names are already folded to lower case by the
 * parser unless they were quoted.
 */
export function functionCallName(call: FuncCall): string {
  return (call.funcname ?? []).map((part) => ('String' in part ? part.String.sval ?? '' : '')).join('.');
}
