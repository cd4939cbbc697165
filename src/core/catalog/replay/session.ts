/** Session settings a migration can change: search_path and the current role. */
import type { Node, VariableSetStmt } from '@pgsql/types';
import { DEFAULT_SEARCH_PATH, type ReplayState } from './replayState';

/** SET [LOCAL] search_path / role / session authorization, RESET ..., and `SET ... TO DEFAULT`. */
export function setVariable(state: ReplayState, stmt: VariableSetStmt): void {
  const name = (stmt.name ?? '').toLowerCase();
  const reset = stmt.kind === 'VAR_RESET' || stmt.kind === 'VAR_SET_DEFAULT' || stmt.kind === 'VAR_RESET_ALL';
  if (name === 'search_path' || (stmt.kind === 'VAR_RESET_ALL')) {
    state.searchPath = reset ? [...DEFAULT_SEARCH_PATH] : parseSearchPath((stmt.args ?? []).map(constantText));
  }
  if (name === 'role' || name === 'session_authorization' || stmt.kind === 'VAR_RESET_ALL') {
    const role = (stmt.args ?? []).map(constantText)[0];
    const isReset = reset || !role || role.toLowerCase() === 'none';
    state.currentRole = isReset ? state.catalog.migrationRole : role;
    state.statedRole = isReset ? undefined : role;
  }
}

/**
 * `SELECT pg_catalog.set_config('search_path', '', false)`, which `pg_dump` and `supabase db dump`
 * put at the top of every file: it changes the search path like SET does.
 */
export function applySetConfigCall(state: ReplayState, node: Node): void {
  const select = 'SelectStmt' in node ? node.SelectStmt : undefined;
  const target = select?.targetList?.[0];
  const value = target && 'ResTarget' in target ? target.ResTarget.val : undefined;
  if (!value || !('FuncCall' in value)) return;
  const names = (value.FuncCall.funcname ?? []).map(constantText);
  if (names[names.length - 1] !== 'set_config') return;
  const [setting, newValue] = (value.FuncCall.args ?? []).map(constantText);
  if (setting === 'search_path' && newValue !== undefined) state.searchPath = parseSearchPath(newValue.split(','));
}

/** Search path entries without quotes and `$user` (a schema named after the role, rarely present). */
function parseSearchPath(entries: string[]): string[] {
  return entries.map((entry) => entry.trim().replace(/^"(.*)"$/, '$1')).filter((entry) => entry !== '' && entry !== '$user');
}

function constantText(node: Node): string {
  if ('A_Const' in node) return node.A_Const.sval?.sval ?? (node.A_Const.ival ? String(node.A_Const.ival.ival ?? 0) : '');
  if ('String' in node) return node.String.sval ?? '';
  return '';
}
