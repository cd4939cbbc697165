import type { A_Expr, Node } from '@pgsql/types';
import { indexKeyColumns } from '../catalog/indexKeyColumns';
import { objectKey, type Policy, type Table } from '../catalog/model';
import type { RelatedLocation } from '../finding';
import { expressionFacts } from '../sql/expressionFacts';
import { createIndexFix } from './createIndexFix';
import { defineRule, type RuleReport } from './defineRule';
import { memoizeByObject } from './memoizeByObject';
import type { RuleContext } from './ruleContext';

export default defineRule({
  id: 'policy_column_unindexed',
  name: 'Policy Column Unindexed',
  level: 'info',
  category: 'performance',
  needs: 'S',
  description: 'A policy\'s USING clause compares a column of its table (such as `user_id = (select auth.uid())`) that no index leads with, so every query through the API scans the whole table to find the rows the policy lets through.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) reports.push(...judgeTable(table, qualified, context));
    return reports;
  },
});

/** The reports on one table, which read nothing but the table: cached by table while it is unchanged. */
const judgeTable = memoizeByObject((table: Table, qualified: string, context: RuleContext): RuleReport[] => {
  const reports: RuleReport[] = [];
  if (table.platform || context.isManagedSchema(table.schema) || !table.rlsEnabled) return reports;
  const leadingColumns = new Set(indexKeyColumns(table).map((columns) => columns[0]));
  const policiesByColumn = new Map<string, Policy[]>();
  for (const policy of table.policies.values()) {
    for (const column of comparedColumns(policy, table)) {
      if (leadingColumns.has(column)) continue;
      const policies = policiesByColumn.get(column) ?? [];
      if (!policies.includes(policy)) policies.push(policy);
      policiesByColumn.set(column, policies);
    }
  }
  for (const [column, [first, ...others]] of policiesByColumn) {
    const related: RelatedLocation[] = others.flatMap((policy) =>
      policy.origin.definedAt ? [{ message: `Policy "${policy.name}" compares ${column} too.`, span: policy.origin.definedAt }] : [],
    );
    reports.push({
      object: `${qualified}.${column}`,
      objectKey: objectKey.column(qualified, column),
      message: `Policy "${first.name}" on ${qualified} filters on ${column}, which no index leads with.`,
      span: first.origin.definedAt,
      fix: createIndexFix(table, [column]),
      ...(related.length > 0 ? { related } : {}),
    });
  }
  return reports;
});

/**
 * Columns of the policy's own table that its USING clause compares with a value that does not
 * come from the row: `user_id = (select auth.uid())`, `auth.uid() = owner_id`,
 * `group_id in (select ...)`, `tenant_id = any(...)`. Only the clause's top level counts, through
 * AND, OR and NOT: a column inside a function call or a subquery is not one an index on this
 * table can serve. Comparisons with constants (`status = 'published'`) are left out, since such
 * columns rarely narrow the rows enough for an index to pay. WITH CHECK is left out too: it is
 * checked on the one new row and never searches the table.
 */
function comparedColumns(policy: Policy, table: Table): string[] {
  const columns: string[] = [];
  for (const comparison of comparisonsOf(policy.using?.ast)) {
    const left = ownColumn(comparison.left, table);
    const right = ownColumn(comparison.right, table);
    if (left && !right && !comparison.rightIsConstant) columns.push(left);
    if (right && !left && !comparison.leftIsConstant) columns.push(right);
  }
  return columns;
}

/**
 * One comparison at the top level of a clause, with the column references on each side (the names
 * as written, qualifiers first) or undefined where a side is not a plain column reference. An
 * `x in (select ...)` counts as a comparison whose right side is neither a column nor a constant.
 */
interface Comparison {
  left: string[] | undefined;
  right: string[] | undefined;
  leftIsConstant: boolean;
  rightIsConstant: boolean;
}

/**
 * The comparisons of a clause, which do not depend on the table. Only the clause's top level
 * counts (`expressionFacts` has it, memoized by tree): below anything but AND, OR and NOT a column
 * is not one an index on this table can serve.
 */
function comparisonsOf(ast: Node | undefined): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const node of expressionFacts(ast).topLevel) {
    if ('A_Expr' in node && isComparison(node.A_Expr)) {
      const { lexpr, rexpr } = node.A_Expr;
      comparisons.push({ left: columnRefNames(lexpr), right: columnRefNames(rexpr), leftIsConstant: isConstant(lexpr), rightIsConstant: isConstant(rexpr) });
    } else if ('SubLink' in node && node.SubLink.subLinkType === 'ANY_SUBLINK') {
      comparisons.push({ left: columnRefNames(node.SubLink.testexpr), right: undefined, leftIsConstant: false, rightIsConstant: false });
    }
  }
  return comparisons;
}

const COMPARISON_OPERATORS = new Set(['=', '<', '>', '<=', '>=']);

function isComparison(expression: A_Expr): boolean {
  const { kind, name } = expression;
  const operator = name?.length === 1 && 'String' in name[0] ? name[0].String.sval : undefined;
  if (kind === 'AEXPR_IN') return true;
  return (kind === 'AEXPR_OP' || kind === 'AEXPR_OP_ANY') && operator !== undefined && COMPARISON_OPERATORS.has(operator);
}

/** The names of a plain column reference (`owner_id`, `bookings.owner_id`), qualifiers first. */
function columnRefNames(value: unknown): string[] | undefined {
  const fields = (value as { ColumnRef?: { fields?: { String?: { sval?: string } }[] } } | undefined)?.ColumnRef?.fields;
  if (!fields || fields.some((field) => field.String?.sval === undefined)) return undefined;
  return fields.map((field) => field.String!.sval!);
}

/** The column name when the reference names a column of the policy's table. */
function ownColumn(names: string[] | undefined, table: Table): string | undefined {
  if (!names) return undefined;
  const column = names[names.length - 1];
  const qualifiers = names.slice(0, -1);
  if (qualifiers.length > 0 && qualifiers[qualifiers.length - 1] !== table.name) return undefined;
  if (qualifiers.length > 1 && qualifiers[qualifiers.length - 2] !== table.schema) return undefined;
  return table.columns.has(column) ? column : undefined;
}

/** Literals, casts of literals and lists or arrays of them (the right side of `in (...)`). */
function isConstant(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isConstant);
  if (value === null || typeof value !== 'object') return false;
  const node = value as Record<string, { arg?: unknown; elements?: unknown[]; items?: unknown[] }>;
  if ('A_Const' in node) return true;
  if ('TypeCast' in node) return isConstant(node.TypeCast.arg);
  if ('A_ArrayExpr' in node) return isConstant(node.A_ArrayExpr.elements ?? []);
  if ('List' in node) return isConstant(node.List.items ?? []);
  return false;
}
