import type { Node } from '@pgsql/types';
import type { Policy } from '../catalog/model';
import { isConstantTrue } from '../sql/isConstantTrue';

/**
 * Why a permissive UPDATE policy without WITH CHECK lets an update move a row where the user may
 * not write it, or undefined when it does not. Without WITH CHECK, PostgreSQL checks the new row
 * against USING (https://www.postgresql.org/docs/current/sql-createpolicy.html): an owner check
 * such as `user_id = (select auth.uid())` holds the new row to the same owner. Only a USING that
 * admits a row for more than one reason (an OR), or for none (always true), lets it move. The
 * rule update_policy_without_with_check and the policy matrix's flag judge by this one test.
 */
export function updateCheckLetsRowsMove(policy: Policy): 'always true' | 'or' | undefined {
  if (policy.command !== 'update' && policy.command !== 'all') return undefined;
  if (!policy.permissive || !policy.using || policy.withCheck) return undefined;
  if (isConstantTrue(policy.using.ast)) return 'always true';
  return hasOrBranch(policy.using.ast) ? 'or' : undefined;
}

/**
 * True when the expression is an OR, or an AND with an OR among its terms: the row passes through
 * any one branch, so the columns the other branches check are free to change.
 */
function hasOrBranch(node: Node | undefined): boolean {
  if (!node || !('BoolExpr' in node)) return false;
  const { boolop, args = [] } = node.BoolExpr;
  if (boolop === 'OR_EXPR') return args.length > 1;
  if (boolop === 'AND_EXPR') return args.some(hasOrBranch);
  return false;
}
