import type { A_Expr, ColumnRef, Node } from '@pgsql/types';
import { indexKeyColumns } from '../catalog/indexKeyColumns';
import { objectKey, type Policy, type Table } from '../catalog/model';
import type { RelatedLocation } from '../finding';
import { expressionFacts } from '../sql/expressionFacts';
import type { SourceSpan } from '../sql/span';
import { StatementLocator } from '../sql/statementLocator';
import { tokenize, type SqlToken } from '../sql/statementTokens';
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
    for (const table of catalog.tables.values()) reports.push(...judgeTable(table, context.sourceText ? 'with source text' : 'without', context));
    return reports;
  },
});

/**
 * The reports on one table, which read the table and the source text of its policies' statements:
 * cached by table while it is unchanged (a table shared with the Analyzer's checkpoint comes from
 * files whose text is unchanged), and by whether the context can read source text at all.
 */
const judgeTable = memoizeByObject((table: Table, _sourceTextKey: string, context: RuleContext): RuleReport[] => {
  const reports: RuleReport[] = [];
  if (table.platform || context.isManagedSchema(table.schema) || !table.rlsEnabled || table.policies.size === 0) return reports;
  const qualified = `${table.schema}.${table.name}`;
  const leadingColumns = new Set(indexKeyColumns(table).map((columns) => columns[0]));
  /** Column → the policies that compare it, each with its first reference to the column. */
  const usesByColumn = new Map<string, { policy: Policy; reference: ColumnRef }[]>();
  for (const policy of table.policies.values()) {
    for (const { column, reference } of comparedColumns(policy, table)) {
      if (leadingColumns.has(column)) continue;
      const uses = usesByColumn.get(column) ?? [];
      if (!uses.some((use) => use.policy === policy)) uses.push({ policy, reference });
      usesByColumn.set(column, uses);
    }
  }
  for (const [column, [first, ...others]] of usesByColumn) {
    const related: RelatedLocation[] = others.flatMap(({ policy, reference }) => {
      const span = referenceSpan(policy, reference, context) ?? policy.origin.definedAt;
      return span ? [{ message: `Policy "${policy.name}" compares ${column} too.`, span }] : [];
    });
    reports.push({
      object: `${qualified}.${column}`,
      objectKey: objectKey.column(qualified, column),
      message: `Policy "${first.policy.name}" on ${qualified} filters on ${column}, which no index leads with.`,
      // On the column as the USING clause writes it, not on the whole CREATE POLICY.
      span: referenceSpan(first.policy, first.reference, context) ?? first.policy.origin.definedAt,
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
function comparedColumns(policy: Policy, table: Table): { column: string; reference: ColumnRef }[] {
  const columns: { column: string; reference: ColumnRef }[] = [];
  for (const comparison of comparisonsOf(policy.using?.ast)) {
    const left = ownColumn(comparison.left, table);
    const right = ownColumn(comparison.right, table);
    if (left && !right && !comparison.rightIsConstant) columns.push({ column: left, reference: comparison.left!.node });
    if (right && !left && !comparison.leftIsConstant) columns.push({ column: right, reference: comparison.right!.node });
  }
  return columns;
}

/** A plain column reference: its names as written, qualifiers first, and its node. */
interface Reference {
  names: string[];
  node: ColumnRef;
}

/**
 * One comparison at the top level of a clause, with the column references on each side, or
 * undefined where a side is not a plain column reference. An `x in (select ...)` counts as a
 * comparison whose right side is neither a column nor a constant.
 */
interface Comparison {
  left: Reference | undefined;
  right: Reference | undefined;
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
      comparisons.push({ left: plainReference(lexpr), right: plainReference(rexpr), leftIsConstant: isConstant(lexpr), rightIsConstant: isConstant(rexpr) });
    } else if ('SubLink' in node && node.SubLink.subLinkType === 'ANY_SUBLINK') {
      comparisons.push({ left: plainReference(node.SubLink.testexpr), right: undefined, leftIsConstant: false, rightIsConstant: false });
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

/** A plain column reference (`owner_id`, `bookings.owner_id`), with its names qualifiers first. */
function plainReference(value: unknown): Reference | undefined {
  const node = (value as { ColumnRef?: ColumnRef } | undefined)?.ColumnRef;
  const names = node ? referenceNames(node) : undefined;
  return names && !names.includes('*') ? { names, node: node! } : undefined;
}

/** The names of a column reference as the parser folded them, `*` for a star; undefined for other fields. */
function referenceNames(reference: ColumnRef): string[] | undefined {
  const names: string[] = [];
  for (const field of reference.fields ?? []) {
    if ('String' in field && field.String.sval !== undefined) names.push(field.String.sval);
    else if ('A_Star' in field) names.push('*');
    else return undefined;
  }
  return names.length > 0 ? names : undefined;
}

/** The column name when the reference names a column of the policy's table. */
function ownColumn(reference: Reference | undefined, table: Table): string | undefined {
  if (!reference) return undefined;
  const { names } = reference;
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

/**
 * Where a column reference of a policy's USING clause is written: from its first name to its last
 * in the statement that wrote the clause, its tree location mapped exactly through that
 * statement. Undefined when the clause did not come from a migration, its text cannot be read, or
 * the tokens there do not spell the reference (then the finding stays on the statement).
 */
function referenceSpan(policy: Policy, reference: ColumnRef, context: RuleContext): SourceSpan | undefined {
  const using = policy.using;
  const names = referenceNames(reference);
  if (!using?.writtenAt || using.writtenAtLocation === undefined || reference.location === undefined || !names) return undefined;
  const text = context.sourceText?.(using.writtenAt);
  if (!text) return undefined;
  const locator = StatementLocator.inText(using.writtenAt, text, using.writtenAtLocation);
  const offset = locator.offsetAt(reference.location);
  const tokens = tokenize(text);
  const first = tokens.findIndex((token) => token.start === offset);
  if (first < 0 || !spellsNames(tokens, first, tokens.length - 1, names)) return undefined;
  return locator.spanOf(tokens[first].start, tokens[first + 2 * (names.length - 1)].end);
}

/** True when the tokens from `first` on (no further than `last`) spell the dotted names `a.b.c`. */
function spellsNames(tokens: SqlToken[], first: number, last: number, names: string[]): boolean {
  if (first + 2 * (names.length - 1) > last) return false;
  return names.every((name, index) => {
    const at = first + 2 * index;
    return (index === 0 || tokens[at - 1].text === '.') && tokenName(tokens[at]) === name;
  });
}

/** A name as the parser folds it: unquoted words in lower case, quoted ones as written, `*` as is. */
function tokenName(token: SqlToken): string | undefined {
  if (token.keyword !== undefined) return token.keyword;
  if (token.text === '*') return '*';
  if (token.text.length > 1 && token.text.startsWith('"') && token.text.endsWith('"')) return token.text.slice(1, -1).replace(/""/g, '"');
  return undefined;
}
