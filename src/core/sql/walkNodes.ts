/**
 * A depth-first walk over a libpg_query parse tree. The JSON tree wraps each node in an object with
 * one key, its type (`{ FuncCall: {...} }`); some fields hold a bare struct instead (a policy's
 * `table` is a RangeVar without its wrapper). Every wrapped node is visited, with its type and the
 * chain of wrapped nodes above it; bare structs and arrays are walked through, not visited.
 */

/** A node met during a walk. */
export interface VisitedNode {
  /** The node type, `FuncCall`, `SubLink`, `ColumnRef`. */
  type: string;
  /** The node's fields, such as `{ funcname: [...], args: [...], location: 12 }`. */
  fields: Record<string, unknown>;
  /**
   * The path of fields from the parent node to this one, dotted when it passes through a bare
   * struct (`over.partitionClause`), undefined for the root. A SubLink's `subselect` and
   * `testexpr` are told apart this way.
   */
  field: string | undefined;
}

/**
 * Calls `visit` on every wrapped node under `root` (the root included), parents before children.
 * `parents` runs from the root to the direct parent. When `visit` returns false, the walk does
 * not descend into that node's children.
 */
export function walkNodes(root: unknown, visit: (node: VisitedNode, parents: readonly VisitedNode[]) => boolean | void): void {
  const parents: VisitedNode[] = [];
  // Scalars (names, flags, locations) are most of a tree's values: they are skipped before a call.
  const walk = (value: object, field: string | undefined): void => {
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === 'object') walk(item, field);
      return;
    }
    const wrapped = wrappedNode(value as Record<string, unknown>, field);
    if (wrapped) {
      if (visit(wrapped, parents) === false) return;
      parents.push(wrapped);
      for (const key in wrapped.fields) {
        const child = wrapped.fields[key];
        if (child !== null && typeof child === 'object') walk(child, key);
      }
      parents.pop();
      return;
    }
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') walk(child, field === undefined ? key : `${field}.${key}`);
    }
  };
  if (root !== null && typeof root === 'object') walk(root, undefined);
}

/** A wrapped node is an object with a single key that names a type (upper case first, as `A_Expr`). */
function wrappedNode(value: Record<string, unknown>, field: string | undefined): VisitedNode | undefined {
  let type: string | undefined;
  for (const key in value) {
    if (type !== undefined) return undefined;
    type = key;
  }
  if (type === undefined || !isUpperCaseLetter(type.charCodeAt(0))) return undefined;
  const fields = value[type];
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return undefined;
  return { type, fields: fields as Record<string, unknown>, field };
}

function isUpperCaseLetter(code: number): boolean {
  return code >= 65 && code <= 90;
}
