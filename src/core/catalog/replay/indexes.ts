/** CREATE INDEX, and the indexes that primary keys, unique and exclusion constraints create. */
import type { IndexElem, IndexStmt, Node } from '@pgsql/types';
import type { Index, IndexKey, Origin, Table, View } from '../model';
import { chooseName, columnsAddition } from './chooseName';
import { SourceExpression } from './expressions';
import { resolveRelation, splitQualified, stringList } from './names';
import { reportAlreadyExists, reportMissing } from './references';
import { tablesToChange } from '../cloneCatalog';
import { isRelationNameTaken, originHere, registerIndex, relationHoldingName } from './relations';
import type { ReplayState } from './replayState';
import type { StatementTokens } from '../../sql/statementTokens';

/**
 * ChooseIndexName: `<table>_pkey` for a primary key, `<table>_<columns>_key` for a unique
 * constraint, `_excl` for an exclusion constraint and `_idx` for a plain index, made unique in the
 * schema with a number (`bookings_user_id_idx1`).
 */
export function chooseIndexName(state: ReplayState, table: Table | View, columnNames: string[], label: 'pkey' | 'key' | 'excl' | 'idx'): string {
  const addition = label === 'pkey' ? undefined : columnsAddition(uniqueColumnNames(columnNames));
  return chooseName(table.name, addition, label, (name) => isRelationNameTaken(state, table.schema, name) || ('constraints' in table && table.constraints.has(name)));
}

/** The index a primary key or unique constraint creates. */
export function constraintIndex(table: Table, name: string, primary: boolean, keys: IndexKey[], include: string[], origin: Origin): Index {
  return {
    name, table: `${table.schema}.${table.name}`, unique: true, primary, method: 'btree', keys, include, valid: true, constraint: name, origin,
  };
}

/** CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON table [USING method] (keys) [INCLUDE (...)] [WHERE ...]. */
export function createIndex(state: ReplayState, stmt: IndexStmt): void {
  if (!stmt.relation) return;
  const qualified = resolveRelation(state, stmt.relation);
  const owner: Table | View | undefined = state.catalog.tables.get(qualified) ?? state.catalog.views.get(qualified);
  if (!owner) {
    reportMissing(state, 'table', qualified);
    return;
  }
  const schema = splitQualified(qualified)[0];
  const holder = stmt.idxname ? relationHoldingName(state, schema, stmt.idxname) : undefined;
  if (holder) {
    if (!stmt.if_not_exists) reportAlreadyExists(state, 'index', `${schema}.${stmt.idxname}`, `${schema}.${stmt.idxname}`, holder);
    return;
  }
  const keys = (stmt.indexParams ?? []).map((node, position) => indexKey(state, node, position));
  if ('constraints' in owner && !owner.platform) {
    for (const key of keys) if (key.column && !owner.columns.has(key.column)) reportMissing(state, 'column', `${qualified}.${key.column}`);
  }
  const label = stmt.primary ? 'pkey' : stmt.unique && stmt.isconstraint ? 'key' : 'idx';
  // ChooseIndexColumnNames names the index after its INCLUDE columns too.
  const indexColumns = [...(stmt.indexParams ?? []), ...(stmt.indexIncludingParams ?? [])];
  const name = stmt.idxname ?? chooseIndexName(state, owner, indexColumns.map(indexColumnName), label);
  let where: Index['where'];
  if (stmt.whereClause) {
    where = new SourceExpression(state, stmt.whereClause, whereText, undefined);
  }
  const index: Index = {
    name,
    table: qualified,
    unique: Boolean(stmt.unique),
    primary: Boolean(stmt.primary),
    method: stmt.accessMethod ?? 'btree',
    keys,
    include: (stmt.indexIncludingParams ?? []).map((node) => ('IndexElem' in node ? node.IndexElem.name ?? '' : '')),
    where,
    valid: true,
    origin: originHere(state),
  };
  registerIndex(state, owner, index);
  // The tree leaves out false booleans: `inh` is set unless the statement says ON ONLY.
  if ('constraints' in owner && owner.kind === 'partitioned' && stmt.relation.inh) {
    createOnPartitions(state, owner, index, indexColumns.map(indexColumnName), label);
  }
}

/**
 * CREATE INDEX on a partitioned table (without ONLY) builds the index on each partition too, named
 * after the partition, and on their partitions in turn; a partition that already has an equal
 * index gets that one attached instead (DefineIndex).
 */
function createOnPartitions(state: ReplayState, parent: Table, index: Index, columnNames: string[], label: 'pkey' | 'key' | 'idx'): void {
  const parentName = `${parent.schema}.${parent.name}`;
  const signature = indexSignatureForAttach(index);
  const partitions = tablesToChange(state.catalog, (table) => table.partitionOf === parentName && ![...table.indexes.values()].some((existing) => indexSignatureForAttach(existing) === signature));
  for (const partition of partitions) {
    const name = chooseIndexName(state, partition, columnNames, label);
    const copy: Index = { ...index, name, table: `${partition.schema}.${partition.name}`, origin: originHere(state) };
    registerIndex(state, partition, copy);
    if (partition.kind === 'partitioned') createOnPartitions(state, partition, copy, columnNames, label);
  }
}

/** What must match for PostgreSQL to attach a partition's index to the parent's; names and sources aside. */
function indexSignatureForAttach(index: Index): string {
  return JSON.stringify([index.method, index.unique, index.keys.map((key) => [key.column ?? key.expression?.text ?? '', key.options ?? '']), index.include, index.where?.text ?? '']);
}

const NO_STOP_KEYWORDS: ReadonlySet<string> = new Set();

/** The text after the statement's WHERE, to its end. */
function whereText(tokens: StatementTokens): string {
  const at = tokens.findKeywords(0, ['where']);
  return at >= 0 ? tokens.expressionFrom(at + 1, NO_STOP_KEYWORDS).text : '';
}

/** The source text of each element of the key list that follows the table name. */
function indexElementTexts(tokens: StatementTokens, relationLocation: number | undefined): string[] {
  let open = tokens.indexAtLocation(relationLocation);
  while (open < tokens.tokens.length && tokens.tokens[open].text !== '(') open++;
  const close = tokens.matchingParenthesis(open);
  if (close < 0) return [];
  const texts: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i <= close; i++) {
    const text = tokens.tokens[i].text;
    if (text === '(' || text === '[') depth++;
    else if ((text === ')' || text === ']') && i !== close) depth--;
    if ((text === ',' && depth === 0) || i === close) {
      texts.push(tokens.textOfTokens(start, i - 1));
      start = i + 1;
    }
  }
  return texts;
}

function indexKey(state: ReplayState, node: Node, position: number): IndexKey {
  const element: IndexElem = 'IndexElem' in node ? node.IndexElem : {};
  const options = indexKeyOptions(element);
  if (element.name) return options ? { column: element.name, options } : { column: element.name };
  const key: IndexKey = { expression: new SourceExpression(state, element.expr, keyText, position) };
  if (options) key.options = options;
  return key;
}

/** The text of the key at `position` (an IndexStmt's relation has the location the key list follows). */
function keyText(tokens: StatementTokens, position: number | undefined): string {
  const statement = tokens.statement.node;
  const location = 'IndexStmt' in statement ? statement.IndexStmt.relation?.location : undefined;
  return expressionText(indexElementTexts(tokens, location)[position ?? 0] ?? '');
}

/** An expression key is `(expr)` or a function call; the opclass and ordering after it are not part of it. */
function expressionText(elementText: string): string {
  let depth = 0;
  for (let i = 0; i < elementText.length; i++) {
    const char = elementText[i];
    if (char === "'" ) {
      const end = elementText.indexOf("'", i + 1);
      i = end < 0 ? elementText.length : end;
    } else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) {
      const text = elementText.slice(0, i + 1);
      return text.startsWith('(') ? text.slice(1, -1).trim() : text;
    }
  }
  return elementText;
}

function indexKeyOptions(element: IndexElem): string | undefined {
  const parts: string[] = [];
  if (element.collation && element.collation.length > 0) parts.push(`COLLATE "${stringList(element.collation).join('.')}"`);
  if (element.opclass && element.opclass.length > 0) parts.push(stringList(element.opclass).join('.'));
  if (element.ordering === 'SORTBY_DESC') parts.push('DESC');
  else if (element.ordering === 'SORTBY_ASC') parts.push('ASC');
  if (element.nulls_ordering === 'SORTBY_NULLS_FIRST') parts.push('NULLS FIRST');
  else if (element.nulls_ordering === 'SORTBY_NULLS_LAST') parts.push('NULLS LAST');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** FigureIndexColname: a column's name, a function call's name, or `expr`. */
function indexColumnName(node: Node): string {
  const element: IndexElem = 'IndexElem' in node ? node.IndexElem : {};
  if (element.name) return element.name;
  if (element.indexcolname) return element.indexcolname;
  return figureName(element.expr) ?? 'expr';
}

function figureName(expression: Node | undefined): string | undefined {
  if (!expression) return undefined;
  if ('ColumnRef' in expression) return stringList(expression.ColumnRef.fields).pop();
  if ('FuncCall' in expression) return stringList(expression.FuncCall.funcname).pop();
  if ('TypeCast' in expression) return figureName(expression.TypeCast.arg) ?? stringList(expression.TypeCast.typeName?.names).pop();
  if ('CoalesceExpr' in expression) return 'coalesce';
  if ('CaseExpr' in expression) return 'case';
  return undefined;
}

/** ChooseIndexColumnNames: a repeated name gets a number (`expr`, `expr1`). */
function uniqueColumnNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let suffix = 1; used.has(candidate); suffix++) candidate = `${name}${suffix}`;
    used.add(candidate);
    return candidate;
  });
}
