/** Session settings a migration can change: search_path and the current role. */
import type { Node, VariableSetStmt } from '@pgsql/types';
import { constantText } from '../../sql/constantText';
import { functionCallName } from '../../sql/functionCallName';
import { DEFAULT_SEARCH_PATH, type ReplayState } from './replayState';

/** SET [LOCAL] search_path / role / session authorization, RESET ..., and `SET ... TO DEFAULT`. */
export function setVariable(state: ReplayState, stmt: VariableSetStmt): void {
  const name = (stmt.name ?? '').toLowerCase();
  const reset = stmt.kind === 'VAR_RESET' || stmt.kind === 'VAR_SET_DEFAULT' || stmt.kind === 'VAR_RESET_ALL';
  if (name === 'search_path' || (stmt.kind === 'VAR_RESET_ALL')) {
    state.searchPath = reset ? [...DEFAULT_SEARCH_PATH] : parseSearchPath((stmt.args ?? []).map((arg) => constantText(arg) ?? ''));
  }
  if (name === 'role' || name === 'session_authorization' || stmt.kind === 'VAR_RESET_ALL') {
    const role = constantText(stmt.args?.[0]);
    const isReset = reset || !role || role.toLowerCase() === 'none';
    state.currentRole = isReset ? state.catalog.migrationRole : role;
    state.statedRole = isReset ? undefined : role;
  }
}

/**
 * `SELECT pg_catalog.set_config('search_path', '', false)`, which `pg_dump` and `supabase db dump`
 * put at the top of every file: it changes the search path like SET does; and the role.
 */
export function applySetConfigCall(state: ReplayState, node: Node): void {
  const select = 'SelectStmt' in node ? node.SelectStmt : undefined;
  const target = select?.targetList?.[0];
  const value = target && 'ResTarget' in target ? target.ResTarget.val : undefined;
  if (!value || !('FuncCall' in value)) return;
  if (functionCallName(value.FuncCall).split('.').pop() !== 'set_config') return;
  const [setting, newValue] = (value.FuncCall.args ?? []).map(constantText);
  if (setting === 'search_path' && newValue !== undefined) state.searchPath = parseSearchPath(newValue.split(','));
  // set_config('role', ...) is SET ROLE. A value that is not a constant is, in the SQL pgreview
  // writes, the role current before a SET ROLE (renderAlignmentSql's inRole): the role applying
  // the migrations, as after RESET ROLE.
  if (setting === 'role') {
    state.currentRole = newValue && newValue.toLowerCase() !== 'none' ? newValue : state.catalog.migrationRole;
    state.statedRole = newValue && newValue.toLowerCase() !== 'none' ? newValue : undefined;
  }
}

/** Search path entries without quotes and `$user` (a schema named after the role, rarely present). */
function parseSearchPath(entries: string[]): string[] {
  return entries.map((entry) => entry.trim().replace(/^"(.*)"$/, '$1')).filter((entry) => entry !== '' && entry !== '$user');
}
