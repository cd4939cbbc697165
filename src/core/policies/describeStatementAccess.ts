/**
 * What one SQL statement does to which tables, read from its parse tree: the simulator uses it to
 * refuse anything but a plain SELECT on a live database, and to list the policies that applied.
 */
import type { Catalog, Table } from '../catalog/model';
import { getParser } from '../sql/parser';
import { walkNodes } from '../sql/walkNodes';
import { computePolicyCell, type MatrixCommand, type PolicyMatrixCell } from './computePolicyMatrix';

/** A table a statement touches and the command it is touched with. */
export interface TableAccess {
  /** As written: `bookings` or `public.bookings`. */
  name: string;
  schema?: string;
  command: MatrixCommand;
}

/** A statement, described for the simulator. */
export interface StatementAccess {
  /** `select`, `insert`, `update`, `delete`, or the statement's node type in lower case (`createstmt`). */
  kind: MatrixCommand | string;
  /**
   * Why the statement is not a plain SELECT (one statement, a SelectStmt, no FOR UPDATE/SHARE, no
   * INTO, no data-modifying WITH); undefined when it is one.
   */
  notPlainSelect?: string;
  /** Every table the statement names, each command once, in the order they appear. */
  tables: TableAccess[];
  /**
   * Every function the statement calls by name and every operator it uses, each once: a live
   * database looks them up to refuse what could act outside the rolled-back transaction.
   */
  routines: CalledRoutine[];
}

/** A function or operator a statement names, as written: `dblink_exec`, `pg_catalog.set_config`, `+`. */
export interface CalledRoutine {
  kind: 'function' | 'operator';
  schema?: string;
  name: string;
}

/**
 * Parses one statement and describes it. Throws a SyntaxError-like Error with PostgreSQL's parser
 * message when the text does not parse, and an Error when it holds no statement or more than one
 * (the simulator runs exactly one). The parser must be loaded.
 */
export function describeStatementAccess(sql: string): StatementAccess {
  const parsed = getParser().parseSync(sql) as { stmts?: { stmt?: Record<string, unknown> }[] };
  const statements = (parsed.stmts ?? []).filter((entry) => entry.stmt !== undefined);
  if (statements.length !== 1) {
    throw new Error(statements.length === 0 ? 'The SQL holds no statement.' : `The SQL holds ${statements.length} statements; run one at a time.`);
  }
  const root = statements[0].stmt!;
  const type = Object.keys(root)[0];
  const fields = root[type] as Record<string, unknown>;
  const kind = STATEMENT_KINDS[type] ?? type.toLowerCase();

  const tables: TableAccess[] = [];
  const add = (relation: unknown, command: MatrixCommand): void => {
    const range = relation as { relname?: string; schemaname?: string } | undefined;
    if (!range?.relname) return;
    const name = range.schemaname ? `${range.schemaname}.${range.relname}` : range.relname;
    if (!tables.some((table) => table.name === name && table.command === command)) tables.push({ name, schema: range.schemaname, command });
  };
  const cteNames = new Set<string>();
  const routines: CalledRoutine[] = [];
  const addRoutine = (kind: CalledRoutine['kind'], nameParts: unknown): void => {
    const parts = stringParts(nameParts);
    if (parts.length === 0) return;
    const routine: CalledRoutine = { kind, name: parts[parts.length - 1] };
    if (parts.length > 1) routine.schema = parts[parts.length - 2];
    if (!routines.some((known) => known.kind === kind && known.name === routine.name && known.schema === routine.schema)) routines.push(routine);
  };
  let modifies = false;
  walkNodes(root, (node) => {
    if (node.type === 'FuncCall') addRoutine('function', node.fields.funcname);
    // Every operator form names its operator in `name`: `a + b`, `a = any(...)`, `OPERATOR(s.+)`.
    if (node.type === 'A_Expr') addRoutine('operator', node.fields.name);
    // ORDER BY x USING <op> names an operator outside any A_Expr.
    if (node.type === 'SortBy') addRoutine('operator', node.fields.useOp);
    if (node.type === 'CommonTableExpr' && typeof node.fields.ctename === 'string') cteNames.add(node.fields.ctename);
    if (node.type === 'InsertStmt' || node.type === 'UpdateStmt' || node.type === 'DeleteStmt' || node.type === 'MergeStmt') {
      if (node.fields !== fields) modifies = true;
      const command: MatrixCommand = node.type === 'InsertStmt' ? 'insert' : node.type === 'UpdateStmt' ? 'update' : node.type === 'DeleteStmt' ? 'delete' : 'update';
      add(node.fields.relation, command);
      // PostgreSQL adds the SELECT policies when an UPDATE or DELETE reads the table's rows
      // (a WHERE clause or RETURNING), so the simulator lists them too.
      if ((command === 'update' || command === 'delete') && (node.fields.whereClause || node.fields.returningClause)) add(node.fields.relation, 'select');
    }
  });
  walkNodes(root, (node) => {
    if (node.type !== 'RangeVar') return;
    const range = node.fields as { relname?: string; schemaname?: string };
    if (!range.schemaname && range.relname && cteNames.has(range.relname)) return;
    add(range, 'select');
  });

  let notPlainSelect: string | undefined;
  if (type !== 'SelectStmt') notPlainSelect = `it is ${describeKind(kind)}, not a SELECT`;
  else if (fields.intoClause) notPlainSelect = 'SELECT ... INTO creates a table';
  else if (modifies) notPlainSelect = 'its WITH clause modifies data';
  else if (hasLockingClause(root)) notPlainSelect = 'FOR UPDATE/SHARE locks rows';
  return { kind, notPlainSelect, tables, routines };
}

/** The policy situation of one table a simulated statement touched. */
export interface AppliedPolicies {
  /** Qualified name, `public.bookings`. */
  table: string;
  command: MatrixCommand;
  /** The matrix cell for the role: access, combined predicate and the policies that produce it. */
  cell: PolicyMatrixCell;
}

/**
 * The policies that apply when `role` runs a statement with these accesses: for each table the
 * catalog knows (unqualified names are looked up in `searchPath`), the matrix cell of that role and
 * command. Views and unknown names are left out.
 */
export function listAppliedPolicies(catalog: Catalog, access: StatementAccess, role: string, searchPath: readonly string[] = ['public']): AppliedPolicies[] {
  const applied: AppliedPolicies[] = [];
  for (const entry of access.tables) {
    const table = findTable(catalog, entry, searchPath);
    if (!table) continue;
    const qualified = `${table.schema}.${table.name}`;
    applied.push({ table: qualified, command: entry.command, cell: computePolicyCell(catalog, table, role, entry.command) });
  }
  return applied;
}

const STATEMENT_KINDS: Record<string, MatrixCommand> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
};

const KIND_DESCRIPTIONS: Record<string, string> = { insert: 'an INSERT', update: 'an UPDATE', delete: 'a DELETE' };

function describeKind(kind: string): string {
  return KIND_DESCRIPTIONS[kind] ?? `a ${kind.replace(/stmt$/, '').toUpperCase()} statement`;
}

/** The `String` parts of a qualified name list (`funcname`, an operator's `name`). */
function stringParts(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const parts: string[] = [];
  for (const part of list as { String?: { sval?: string } }[]) if (part.String?.sval !== undefined) parts.push(part.String.sval);
  return parts;
}

function hasLockingClause(root: unknown): boolean {
  let found = false;
  walkNodes(root, (node) => {
    if (node.type === 'LockingClause') found = true;
  });
  return found;
}

function findTable(catalog: Catalog, entry: TableAccess, searchPath: readonly string[]): Table | undefined {
  if (entry.schema) return catalog.tables.get(entry.name);
  for (const schema of searchPath) {
    const table = catalog.tables.get(`${schema}.${entry.name}`);
    if (table) return table;
  }
  return undefined;
}
