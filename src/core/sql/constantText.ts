import type { Node } from '@pgsql/types';

/**
 * A string or integer constant as its text (`'lock_timeout'`, `''`, `5` → `'5'`); undefined for
 * anything else: NULL, a boolean, a float, an expression. libpg-query leaves the value out of an
 * empty string (`sval: {}`) and of the integer 0 (`ival: {}`), so those are `''` and `'0'`.
 * `isConstantTrue` has its own version, which keeps the type (`1 = '1'` is not a constant truth).
 */
export function constantText(node: Node | undefined): string | undefined {
  if (!node || !('A_Const' in node)) return undefined;
  const constant = node.A_Const;
  if (constant.sval) return constant.sval.sval ?? '';
  if (constant.ival) return String(constant.ival.ival ?? 0);
  return undefined;
}
