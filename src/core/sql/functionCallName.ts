import type { FuncCall } from '@pgsql/types';

/**
 * The name of a called function as written, its parts joined with dots: `auth.uid`,
 * `current_setting`, `pg_catalog.current_setting`. Names are already folded to lower case by the
 * parser unless they were quoted.
 */
export function functionCallName(call: FuncCall): string {
  // A loop rather than map and join: rules name every call of thousands of policy clauses.
  const parts = call.funcname ?? [];
  let name = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i > 0) name += '.';
    if ('String' in part) name += part.String.sval ?? '';
  }
  return name;
}
