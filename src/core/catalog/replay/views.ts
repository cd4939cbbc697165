/** CREATE [OR REPLACE] VIEW and CREATE MATERIALIZED VIEW. */
import type { CreateTableAsStmt, Node, ViewStmt } from '@pgsql/types';
import { objectKey, type View } from '../model';
import { initialGrants } from '../privileges';
import { SourceExpression } from './expressions';
import { qualifyForCreate, resolveRelationName, splitQualified, stringList } from './names';
import { recordCreated, reportAlreadyExists } from './references';
import { originHere, relationHoldingName } from './relations';
import type { NameScope, ReplayState } from './replayState';
import type { StatementTokens } from '../../sql/statementTokens';

/**
 * CREATE [OR REPLACE] VIEW; a replaced view keeps its grants, column grants and owner, as in
 * PostgreSQL (a replacement may only add columns, so the existing ones keep their names).
 */
export function createView(state: ReplayState, stmt: ViewStmt): void {
  if (!stmt.view) return;
  const qualified = qualifyForCreate(state, stmt.view);
  const existing = state.catalog.views.get(qualified);
  const holder = relationHoldingName(state, ...splitQualified(qualified));
  if (holder && !(existing && stmt.replace)) {
    // OR REPLACE replaces a view; it never replaces a table, sequence or index of the same name.
    return reportAlreadyExists(state, 'view', qualified, qualified, holder);
  }
  const view = buildView(state, qualified, 'view', stmt.query, stringList(stmt.aliases));
  applyViewOptions(view, stmt.options ?? [], false);
  if (existing) {
    view.grants = existing.grants;
    if (existing.columnGrants) view.columnGrants = existing.columnGrants;
    view.owner = existing.owner;
    view.comment = existing.comment;
    view.origin = { definedAt: existing.origin.definedAt, changedAt: state.statement.span };
  }
  state.catalog.views.set(qualified, view);
  recordCreated(state, objectKey.table(qualified));
}

/** CREATE MATERIALIZED VIEW ... AS. */
export function createMaterializedView(state: ReplayState, stmt: CreateTableAsStmt): void {
  const relation = stmt.into?.rel;
  if (!relation) return;
  const qualified = qualifyForCreate(state, relation);
  const holder = relationHoldingName(state, ...splitQualified(qualified));
  if (holder) {
    if (!stmt.if_not_exists) reportAlreadyExists(state, 'materialized view', qualified, qualified, holder);
    return;
  }
  const view = buildView(state, qualified, 'materialized_view', stmt.query, stringList(stmt.into?.colNames));
  state.catalog.views.set(qualified, view);
  recordCreated(state, objectKey.table(qualified));
}

/** Applies `WITH (security_invoker = ...)` or `ALTER VIEW ... SET/RESET (...)`. */
export function applyViewOptions(view: View, options: Node[], reset: boolean): void {
  for (const node of options) {
    if (!('DefElem' in node) || node.DefElem.defname !== 'security_invoker') continue;
    view.securityInvoker = reset ? false : isTrue(node.DefElem.arg);
  }
}

function buildView(state: ReplayState, qualified: string, kind: View['kind'], query: Node | undefined, aliases: string[]): View {
  const [schema, name] = splitQualified(qualified);
  const owner = state.currentRole;
  return {
    schema,
    name,
    kind,
    owner,
    definition: new SourceExpression(state, query, viewDefinitionText, undefined),
    securityInvoker: false,
    dependsOn: relationsRead(state, query),
    columns: aliases.length > 0 ? aliases : outputColumns(state, query),
    grants: initialGrants(state.catalog, 'tables', schema, owner),
    indexes: new Map(),
    platform: false,
    origin: originHere(state),
  };
}

/** The query after `AS`, without a trailing `WITH CHECK OPTION` or `WITH [NO] DATA`. */
function viewDefinitionText(tokens: StatementTokens): string {
  const as = tokens.findKeywords(0, ['as']);
  const text = as >= 0 ? tokens.textOfTokens(as + 1, tokens.tokens.length - 1) : '';
  return text.replace(/\s+with\s+(cascaded\s+|local\s+)?check\s+option\s*$/i, '').replace(/\s+with\s+(no\s+)?data\s*$/i, '');
}

/** Qualified names of the relations a query reads (CTE names excluded), resolved along the search path. */
export function relationsRead(state: NameScope, query: Node | undefined): string[] {
  const cteNames = new Set<string>();
  const rangeVars: { schemaname?: string; relname?: string }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if ('CommonTableExpr' in record) cteNames.add((record.CommonTableExpr as { ctename?: string }).ctename ?? '');
    if ('RangeVar' in record) {
      rangeVars.push(record.RangeVar as { schemaname?: string; relname?: string });
      return;
    }
    for (const key in record) visit(record[key]);
  };
  visit(query);
  // An unqualified name that matches a CTE reads the CTE, not a table.
  const relations: string[] = [];
  for (const range of rangeVars) {
    if (!range.relname || (!range.schemaname && cteNames.has(range.relname))) continue;
    const qualified = resolveRelationName(state, range.schemaname, range.relname);
    if (!relations.includes(qualified)) relations.push(qualified);
  }
  return relations;
}

/** Output column names of a simple SELECT: aliases, column names, function names; `*` expands known tables. */
function outputColumns(state: ReplayState, query: Node | undefined): string[] {
  const select = query && 'SelectStmt' in query ? query.SelectStmt : undefined;
  const columns: string[] = [];
  for (const target of select?.targetList ?? []) {
    if (!('ResTarget' in target)) continue;
    const value = target.ResTarget.val;
    if (target.ResTarget.name) columns.push(target.ResTarget.name);
    else if (value && 'ColumnRef' in value) {
      const fields = value.ColumnRef.fields ?? [];
      if (fields.some((field) => 'A_Star' in field)) {
        for (const source of relationsRead(state, { SelectStmt: { fromClause: select?.fromClause } } as Node)) {
          const table = state.catalog.tables.get(source);
          if (table) columns.push(...table.columns.keys());
        }
      } else {
        const name = stringList(fields).pop();
        if (name) columns.push(name);
      }
    } else if (value && 'FuncCall' in value) {
      const name = stringList(value.FuncCall.funcname).pop();
      if (name) columns.push(name);
    }
  }
  return columns;
}

function isTrue(arg: Node | undefined): boolean {
  if (!arg) return true;
  if ('Boolean' in arg) return Boolean(arg.Boolean.boolval);
  if ('String' in arg) return ['true', 'on', 'yes', '1'].includes((arg.String.sval ?? '').toLowerCase());
  if ('Integer' in arg) return (arg.Integer.ival ?? 0) !== 0;
  if ('TypeName' in arg) return ['true', 'on', 'yes'].includes(stringList(arg.TypeName.names).pop() ?? '');
  return false;
}
