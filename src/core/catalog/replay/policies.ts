/** CREATE / ALTER POLICY and ENABLE / DISABLE / FORCE ROW LEVEL SECURITY. */
import type { AlterPolicyStmt, CreatePolicyStmt, Node } from '@pgsql/types';
import type { PolicyCommand, Table } from '../model';
import { expressionInParentheses } from './expressions';
import { roleSpecName } from './names';
import { reportAlreadyExists } from './references';
import { markChanged, originHere, tableFor } from './relations';
import type { ReplayState } from './replayState';

/** CREATE POLICY: USING and WITH CHECK keep their exact source text and their parse trees. */
export function createPolicy(state: ReplayState, stmt: CreatePolicyStmt): void {
  const table = tableFor(state, stmt.table);
  if (!table || !stmt.policy_name) return;
  const existing = table.policies.get(stmt.policy_name);
  if (existing) {
    const qualified = `${table.schema}.${table.name}`;
    return reportAlreadyExists(state, 'policy', `"${stmt.policy_name}" on ${qualified}`, qualified, { platform: table.platform, origin: existing.origin });
  }
  table.policies.set(stmt.policy_name, {
    name: stmt.policy_name,
    table: `${table.schema}.${table.name}`,
    command: (stmt.cmd_name ?? 'all') as PolicyCommand,
    permissive: stmt.permissive ?? false,
    roles: policyRoles(state, stmt.roles),
    using: expressionInParentheses(state, stmt.qual, 0, ['using']),
    withCheck: expressionInParentheses(state, stmt.with_check, 0, ['with', 'check']),
    origin: originHere(state),
  });
}

/** ALTER POLICY ... TO / USING / WITH CHECK (renames are RenameStmt). */
export function alterPolicy(state: ReplayState, stmt: AlterPolicyStmt): void {
  const table = tableFor(state, stmt.table);
  const policy = table?.policies.get(stmt.policy_name ?? '');
  if (!table || !policy) return;
  if (stmt.roles && stmt.roles.length > 0) policy.roles = policyRoles(state, stmt.roles);
  if (stmt.qual) policy.using = expressionInParentheses(state, stmt.qual, 0, ['using']);
  if (stmt.with_check) policy.withCheck = expressionInParentheses(state, stmt.with_check, 0, ['with', 'check']);
  markChanged(state, policy);
}

/** Applies an RLS switch of ALTER TABLE; `rlsChangedAt` points findings about RLS at it. */
export function setRowSecurity(state: ReplayState, table: Table, subtype: string): void {
  if (subtype === 'AT_EnableRowSecurity') table.rlsEnabled = true;
  else if (subtype === 'AT_DisableRowSecurity') table.rlsEnabled = false;
  else if (subtype === 'AT_ForceRowSecurity') table.rlsForced = true;
  else if (subtype === 'AT_NoForceRowSecurity') table.rlsForced = false;
  table.rlsChangedAt = state.statement.span;
}

/** Policy roles as the model stores them: lower-case `public` for PUBLIC (and for no TO clause). */
function policyRoles(state: ReplayState, roles: Node[] | undefined): string[] {
  if (!roles || roles.length === 0) return ['public'];
  return roles.map((role) => {
    const name = roleSpecName(state, role);
    return name === 'PUBLIC' ? 'public' : name;
  });
}
