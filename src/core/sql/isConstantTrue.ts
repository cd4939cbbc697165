import type { A_Const, Node } from '@pgsql/types';

/**
 * True when an expression is the constant `true` whatever the row: `true`, `'true'::boolean`,
 * `1 = 1`, or an OR with such an arm (an AND only when every arm is). Anything else, including
 * expressions that happen to be true for every row in practice, is not judged: callers stay silent.
 */
export function isConstantTrue(node: Node | undefined): boolean {
  if (!node) return false;
  if ('A_Const' in node) return node.A_Const.boolval?.boolval === true;
  if ('TypeCast' in node) {
    const cast = node.TypeCast;
    const type = (cast.typeName?.names ?? []).map((part) => ('String' in part ? part.String.sval : '')).filter((name) => name !== 'pg_catalog');
    if (type.length !== 1 || (type[0] !== 'bool' && type[0] !== 'boolean')) return false;
    if (cast.arg && 'A_Const' in cast.arg && cast.arg.A_Const.sval) return TRUE_LITERALS.has(cast.arg.A_Const.sval.sval?.trim().toLowerCase() ?? '');
    return isConstantTrue(cast.arg);
  }
  if ('BoolExpr' in node) {
    const { boolop, args = [] } = node.BoolExpr;
    if (boolop === 'OR_EXPR') return args.some(isConstantTrue);
    if (boolop === 'AND_EXPR') return args.length > 0 && args.every(isConstantTrue);
    return false;
  }
  if ('A_Expr' in node) {
    const { kind, name = [], lexpr, rexpr } = node.A_Expr;
    const operator = name.length === 1 && 'String' in name[0] ? name[0].String.sval : undefined;
    if (kind !== 'AEXPR_OP' || operator !== '=') return false;
    const left = lexpr && 'A_Const' in lexpr ? constantText(lexpr.A_Const) : undefined;
    const right = rexpr && 'A_Const' in rexpr ? constantText(rexpr.A_Const) : undefined;
    return left !== undefined && left === right;
  }
  return false;
}

/** The spellings PostgreSQL's boolin accepts for true that people write in policies. */
const TRUE_LITERALS = new Set(['true', 't', 'yes', 'on', '1']);

/** A number or string constant as comparable text; NULL and booleans are left out (`null = null` is not true). */
function constantText(constant: A_Const): string | undefined {
  if (constant.ival) return `int:${constant.ival.ival ?? 0}`;
  if (constant.fval) return `float:${constant.fval.fval}`;
  if (constant.sval) return `string:${constant.sval.sval ?? ''}`;
  return undefined;
}
