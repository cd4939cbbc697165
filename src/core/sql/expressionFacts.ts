/**
 * The nodes of an expression tree that rules about policies look at, collected in one walk. Several
 * rules judge every USING and WITH CHECK clause of every policy (which auth calls it makes, whether
 * it reads user_metadata); walking each tree once for all of them, without the generic walker's
 * per-node objects, keeps the rules phase of a cold check short. Memoized by tree, like every fact
 * derived from a parse tree (see memoizeByNode).
 */
import type { A_Expr, ColumnRef, FuncCall, Node, RangeVar, SelectStmt } from '@pgsql/types';
import { memoizeByNode } from './memoizeByNode';

/** A function call met in the walk, with what encloses it. */
export interface CallSite {
  call: FuncCall;
  /** The innermost SelectStmt (a sub-select of the expression) that encloses the call, if any. */
  enclosingSelect: SelectStmt | undefined;
  /** The calls whose arguments hold this one, outermost first; empty at the top. */
  enclosingCalls: readonly FuncCall[];
}

/** What `expressionFacts` collects; each list is in the order of a depth-first walk, parents first. */
export interface ExpressionFacts {
  calls: readonly CallSite[];
  /** Every operator expression (`A_Expr`: `=`, `->>`, `in`, `= any`). */
  operators: readonly A_Expr[];
  columnRefs: readonly ColumnRef[];
  /** Every relation a FROM names (`RangeVar`), in sub-selects and common table expressions too. */
  relations: readonly RangeVar[];
  /** The names common table expressions (`WITH name AS ...`) define anywhere in the tree. */
  cteNames: ReadonlySet<string>;
  /** Whether the tree holds a sub-select (`SubLink`), even a scalar `(select auth.uid())`. */
  hasSubLinks: boolean;
  /**
   * The operands at the top of the expression, seen through AND, OR and NOT: the comparisons of
   * `a = 1 and (b = 2 or not c)` are `a = 1`, `b = 2` and `c`. The whole expression when it is no
   * boolean combination.
   */
  topLevel: readonly Node[];
}

const NO_NAMES: ReadonlySet<string> = new Set();
const NO_FACTS: ExpressionFacts = { calls: [], operators: [], columnRefs: [], relations: [], cteNames: NO_NAMES, hasSubLinks: false, topLevel: [] };
const NO_CALLS: readonly FuncCall[] = [];

/** The lists one walk fills; `hasSubLinks` is set when the walk meets one. */
interface CollectedFacts {
  calls: CallSite[];
  operators: A_Expr[];
  columnRefs: ColumnRef[];
  relations: RangeVar[];
  /** Made when the walk meets the first common table expression: most trees have none. */
  cteNames: Set<string> | undefined;
  hasSubLinks: boolean;
}

/**
 * The calls, operators, column references, relations and sub-selects anywhere in `root`, sub-selects
 * included, visited in the same order as `walkNodes`, and the operands at its top. An undefined
 * tree has none.
 */
export function expressionFacts(root: Node | undefined): ExpressionFacts {
  return memoizedFacts(root) ?? NO_FACTS;
}

const memoizedFacts = memoizeByNode((root: Node): ExpressionFacts => {
  const facts: CollectedFacts = { calls: [], operators: [], columnRefs: [], relations: [], cteNames: undefined, hasSubLinks: false };
  collect(root, facts, undefined, []);
  const topLevel: Node[] = [];
  collectTopLevel(root, topLevel);
  const { calls, operators, columnRefs, relations, cteNames, hasSubLinks } = facts;
  return { calls, operators, columnRefs, relations, cteNames: cteNames ?? NO_NAMES, hasSubLinks, topLevel };
});

function collectTopLevel(node: Node, operands: Node[]): void {
  if ('BoolExpr' in node) {
    for (const arg of node.BoolExpr.args ?? []) collectTopLevel(arg, operands);
  } else operands.push(node);
}

/**
 * One step of the walk. A wrapped node is an object with one key, its type (`{ FuncCall: {...} }`);
 * bare structs (a RangeVar in a FROM list) and arrays are walked through, as in `walkNodes`.
 * Scalars are skipped before a call: they are most of a tree's values.
 */
function collect(
  value: object,
  facts: CollectedFacts,
  enclosingSelect: SelectStmt | undefined,
  callStack: FuncCall[],
): void {
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null && typeof item === 'object') collect(item, facts, enclosingSelect, callStack);
    return;
  }
  const object = value as Record<string, unknown>;
  let type: string | undefined;
  let keys = 0;
  for (const key in object) {
    if (++keys > 1) break;
    type = key;
  }
  const fields = keys === 1 && type !== undefined ? object[type] : undefined;
  if (type === undefined || keys !== 1 || !isUpperCaseLetter(type.charCodeAt(0)) || fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    collectChildren(object, facts, enclosingSelect, callStack);
    return;
  }
  if (LEAF_TYPES.has(type)) return;
  const node = fields as Record<string, unknown>;
  if (type === 'FuncCall') {
    const call = node as FuncCall;
    facts.calls.push({ call, enclosingSelect, enclosingCalls: callStack.length === 0 ? NO_CALLS : [...callStack] });
    callStack.push(call);
    collectChildren(node, facts, enclosingSelect, callStack);
    callStack.pop();
    return;
  }
  if (type === 'ColumnRef') {
    // Its fields are names (String) and `*` (A_Star) only: nothing below it is collected.
    facts.columnRefs.push(node as ColumnRef);
    return;
  }
  if (type === 'SelectStmt') enclosingSelect = node as SelectStmt;
  else if (type === 'A_Expr') facts.operators.push(node as A_Expr);
  else if (type === 'RangeVar') facts.relations.push(node as RangeVar);
  else if (type === 'SubLink') facts.hasSubLinks = true;
  else if (type === 'CommonTableExpr' && typeof node.ctename === 'string') (facts.cteNames ??= new Set()).add(node.ctename);
  collectChildren(node, facts, enclosingSelect, callStack);
}

function collectChildren(
  object: Record<string, unknown>,
  facts: CollectedFacts,
  enclosingSelect: SelectStmt | undefined,
  callStack: FuncCall[],
): void {
  for (const key in object) {
    const child = object[key];
    if (child !== null && typeof child === 'object') collect(child, facts, enclosingSelect, callStack);
  }
}

/** Node types that hold no other node: a walk need not look inside them (names, constants). */
const LEAF_TYPES: ReadonlySet<string> = new Set(['String', 'A_Const', 'Integer', 'Float', 'Boolean', 'BitString', 'A_Star', 'ParamRef']);

function isUpperCaseLetter(code: number): boolean {
  return code >= 65 && code <= 90;
}
