/**
 * CREATE TABLE (columns, constraints, LIKE, INHERITS, PARTITION OF/BY) and CREATE TABLE ... AS.
 * Follows PostgreSQL's transformCreateStmt: column constraints become table constraints with the
 * default names ChooseConstraintName picks, and primary keys and unique constraints get indexes.
 */
import type { ColumnDef, Constraint as ConstraintNode, CreateStmt, CreateTableAsStmt, Node, TableLikeClause } from '@pgsql/types';
import { objectKey, type Column, type Constraint, type Table, type TableKind } from '../model';
import { SERIAL_TYPE_NAMES } from '../../sql/formatTypeName';
import type { SourceSpan } from '../../sql/span';
import { StatementLocator } from '../../sql/statementLocator';
import { tokenize } from '../../sql/statementTokens';
import { chooseName, columnsAddition } from './chooseName';
import { columnDefaultExpression, expressionInParentheses } from './expressions';
import { chooseIndexName, constraintIndex } from './indexes';
import { qualifyForCreate, resolveRelation, splitQualified, stringList, typeText } from './names';
import { recordCreated, reportAlreadyExists, reportIfNotExistsSkipped, reportMissing } from './references';
import {
  createOwnedSequence, isConstraintNameTaken, newTable, nextvalDefault, originHere, registerIndex, registerTable, relationHoldingName,
} from './relations';
import type { ReplayState } from './replayState';

/** CREATE TABLE and CREATE FOREIGN TABLE. */
export function createTable(state: ReplayState, stmt: CreateStmt, kind: TableKind = 'table'): void {
  if (!stmt.relation) return;
  const qualified = qualifyForCreate(state, stmt.relation);
  const [schema, name] = splitQualified(qualified);
  const holder = relationHoldingName(state, schema, name);
  if (holder) {
    // IF NOT EXISTS keeps the existing relation; without it PostgreSQL fails, and the first definition stands.
    const existingTable = state.catalog.tables.get(qualified);
    if (!stmt.if_not_exists) reportAlreadyExists(state, kind === 'foreign' ? 'foreign table' : 'table', qualified, qualified, holder);
    else if (existingTable) reportSkippedColumns(state, stmt, qualified, existingTable);
    return;
  }
  const table = newTable(state, schema, name);
  table.kind = stmt.partspec ? 'partitioned' : kind;
  registerTable(state, table);

  const parents = (stmt.inhRelations ?? []).flatMap((node) => ('RangeVar' in node ? [resolveRelation(state, node.RangeVar)] : []));
  if (parents.length > 0) {
    table.partitionOf = parents[0];
    for (const parentName of parents) {
      const parent = state.catalog.tables.get(parentName);
      if (!parent) {
        reportMissing(state, 'table', parentName);
        continue;
      }
      copyParent(state, table, parent, Boolean(stmt.partbound));
    }
  }

  const tableConstraints: QueuedConstraint[] = [];
  const elements = stmt.tableElts ?? [];
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    const queued = tableConstraints.length;
    // The next element bounds the clause's scan, so a column or constraint costs only its own text.
    const next = i + 1 < elements.length ? elementLocation(elements[i + 1]) : undefined;
    if ('ColumnDef' in element) addColumn(state, table, element.ColumnDef, tableConstraints, next);
    else if ('Constraint' in element) tableConstraints.push({ node: element.Constraint, at: element.Constraint.location });
    else if ('TableLikeClause' in element) copyLike(state, table, element.TableLikeClause);
    for (let j = queued; j < tableConstraints.length; j++) tableConstraints[j].before = next;
  }
  for (const constraint of foldRedundantIndexConstraints(tableConstraints)) addConstraint(state, table, constraint.node, constraint);
}

/** Where a table element starts, to bound the clause before it. */
function elementLocation(element: Node): number | undefined {
  if ('ColumnDef' in element) return element.ColumnDef.location;
  if ('Constraint' in element) return element.Constraint.location;
  if ('TableLikeClause' in element) return element.TableLikeClause.relation?.location;
  return undefined;
}

/**
 * Adds a column and queues its constraints (primary key, unique, check, references) as table
 * constraints, the way transformColumnDefinition does. Serial types become an integer column with
 * an owned sequence and a `nextval` default. `before` is where the next table element starts
 * (unset after the last one, and in ALTER TABLE): the column's clause ends before it.
 */
export function addColumn(state: ReplayState, table: Table, def: ColumnDef, constraints: QueuedConstraint[], before?: number): Column | undefined {
  const name = def.colname;
  if (!name) return undefined;
  const typeNames = stringList(def.typeName?.names);
  const isSerial = typeNames.length === 1 && SERIAL_TYPE_NAMES.has(typeNames[0]) && !def.typeName?.arrayBounds;
  const column: Column = { name, type: typeText(state, def.typeName), notNull: Boolean(def.is_not_null), origin: originHere(state) };
  const clauseAt = clauseSpan(state, def.location, before);
  if (clauseAt) column.clauseAt = clauseAt;
  table.columns.set(name, column);
  recordCreated(state, objectKey.column(`${table.schema}.${table.name}`, name));
  if (isSerial) {
    column.notNull = true;
    const sequence = createOwnedSequence(state, table, name);
    column.default = { text: nextvalDefault(sequence), ast: undefined };
  }
  let last: QueuedConstraint | undefined;
  for (const node of def.constraints ?? []) {
    if (!('Constraint' in node)) continue;
    const constraint = node.Constraint;
    switch (constraint.contype) {
      case 'CONSTR_NOTNULL':
        column.notNull = true;
        break;
      case 'CONSTR_NULL':
        column.notNull = false;
        break;
      case 'CONSTR_DEFAULT':
        column.default = columnDefaultExpression(state, constraint.raw_expr, constraint.location);
        break;
      case 'CONSTR_IDENTITY':
        column.identity = constraint.generated_when === 'a' ? 'always' : 'by default';
        column.notNull = true;
        createOwnedSequence(state, table, name, constraint.options);
        break;
      case 'CONSTR_GENERATED':
        column.generated = expressionInParentheses(state, constraint.raw_expr, constraint.location, ['as']);
        break;
      case 'CONSTR_PRIMARY':
      case 'CONSTR_UNIQUE':
      case 'CONSTR_CHECK':
      case 'CONSTR_FOREIGN':
      case 'CONSTR_EXCLUSION':
        // A column constraint's clause is the column definition: the span just found.
        last = { node: constraint, column: name, at: def.location, clauseAt };
        constraints.push(last);
        break;
      case 'CONSTR_ATTR_DEFERRABLE':
        if (last) last.deferrable = true;
        break;
      default:
        break;
    }
  }
  return column;
}

/** A constraint waiting to be added; a column constraint knows its column (`id uuid primary key`). */
export interface QueuedConstraint {
  node: ConstraintNode;
  column?: string;
  /** A DEFERRABLE attribute that followed the constraint in the column definition. */
  deferrable?: boolean;
  /** Where its clause starts (the column definition's location for a column constraint); the node's location when unset. */
  at?: number;
  /** Where the next table element starts: its clause ends before. Unset, the statement's end. */
  before?: number;
  /** The clause's span when it is already known (a column constraint's is its column's); else found from `at` and `before`. */
  clauseAt?: SourceSpan;
  /** The name of a constraint folded into this unnamed one (see foldRedundantIndexConstraints). */
  adoptedName?: string;
}

/**
 * The constraints of one CREATE TABLE, or of one column an ALTER TABLE adds, without the primary
 * keys and unique constraints PostgreSQL folds into another: transformIndexConstraints makes one
 * index for identical keys (same columns, INCLUDE, DEFERRABLE, INITIALLY DEFERRED and NULLS NOT
 * DISTINCT), keeps the primary key's, and gives an unnamed kept constraint the name of a folded
 * named one. So `id uuid unique not null, primary key (id)` makes only `<table>_pkey`. Separate
 * ALTER TABLE commands are transformed one by one (ATParseTransformCmd), so two ADD CONSTRAINT
 * ... UNIQUE (id) make two indexes, and so does a UNIQUE added by a later statement.
 * https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/parser/parse_utilcmd.c (transformIndexConstraints)
 */
export function foldRedundantIndexConstraints(constraints: QueuedConstraint[]): QueuedConstraint[] {
  const indexKeyOf = (constraint: QueuedConstraint): string | undefined => {
    const { node } = constraint;
    if ((node.contype !== 'CONSTR_PRIMARY' && node.contype !== 'CONSTR_UNIQUE') || node.indexname) return undefined;
    const columns = constraint.column ? [constraint.column] : stringList(node.keys);
    const deferrable = Boolean(node.deferrable || constraint.deferrable);
    return JSON.stringify([columns, stringList(node.including), deferrable, Boolean(node.initdeferred), Boolean(node.nulls_not_distinct)]);
  };
  const keys = constraints.map(indexKeyOf);
  if (keys.filter((key) => key !== undefined).length < 2) return constraints;
  // The primary key is kept first, then each constraint whose key no kept one has.
  const keptByKey = new Map<string, QueuedConstraint>();
  const primary = constraints.findIndex((constraint, index) => keys[index] !== undefined && constraint.node.contype === 'CONSTR_PRIMARY');
  if (primary >= 0) keptByKey.set(keys[primary]!, { ...constraints[primary] });
  const folded = new Set<number>();
  constraints.forEach((constraint, index) => {
    const key = keys[index];
    if (key === undefined || index === primary) return;
    const kept = keptByKey.get(key);
    if (!kept) {
      keptByKey.set(key, { ...constraint });
      return;
    }
    folded.add(index);
    if (!kept.node.conname && !kept.adoptedName && constraint.node.conname) kept.adoptedName = constraint.node.conname;
  });
  if (folded.size === 0) return constraints;
  return constraints.flatMap((constraint, index) => (folded.has(index) ? [] : [keys[index] === undefined ? constraint : keptByKey.get(keys[index]!)!]));
}

/**
 * Adds a table constraint, naming it as PostgreSQL would when it has no name. `queued.column` is
 * set for a column constraint: its key columns are that column, and a CHECK is named after it.
 */
export function addConstraint(state: ReplayState, table: Table, node: ConstraintNode, queued?: Omit<QueuedConstraint, 'node'>): Constraint | undefined {
  const qualified = `${table.schema}.${table.name}`;
  const column = queued?.column;
  const origin = originHere(state);
  const validated = !node.skip_validation;
  const deferrable = node.deferrable || queued?.deferrable || undefined;
  const clauseAt = queued?.clauseAt ?? clauseSpan(state, queued?.at ?? node.location, queued?.before);
  switch (node.contype) {
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE': {
      const primary = node.contype === 'CONSTR_PRIMARY';
      const columns = column ? [column] : stringList(node.keys);
      for (const name of columns) {
        if (!table.columns.has(name) && !table.platform) reportMissing(state, 'column', `${qualified}.${name}`);
      }
      if (primary) for (const name of columns) { const found = table.columns.get(name); if (found) found.notNull = true; }
      if (node.indexname) return adoptIndex(state, table, node, primary, columns, clauseAt);
      const including = stringList(node.including);
      // ChooseIndexColumnNames names the index after its INCLUDE columns too.
      const name = node.conname ?? queued?.adoptedName ?? chooseIndexName(state, table, [...columns, ...including], primary ? 'pkey' : 'key');
      const constraint: Constraint = { name, kind: primary ? 'primary_key' : 'unique', columns, validated: true, deferrable, origin, clauseAt };
      table.constraints.set(name, constraint);
      registerIndex(state, table, constraintIndex(table, name, primary, columns.map((column) => ({ column })), including, origin));
      return constraint;
    }
    case 'CONSTR_FOREIGN': {
      const columns = column ? [column] : stringList(node.fk_attrs);
      const target = node.pktable ? resolveRelation(state, node.pktable) : '';
      const targetTable = state.catalog.tables.get(target);
      if (!targetTable) reportMissing(state, 'table', target);
      let targetColumns = stringList(node.pk_attrs);
      if (targetColumns.length === 0 && targetTable) {
        targetColumns = [...targetTable.constraints.values()].find((constraint) => constraint.kind === 'primary_key')?.columns ?? [];
      } else if (targetTable && !targetTable.platform) {
        for (const name of targetColumns) if (!targetTable.columns.has(name)) reportMissing(state, 'column', `${target}.${name}`);
      }
      const name = constraintName(table, node, column);
      const constraint: Constraint = {
        name,
        kind: 'foreign_key',
        columns,
        references: { table: target, columns: targetColumns, onDelete: foreignKeyAction(node.fk_del_action), onUpdate: foreignKeyAction(node.fk_upd_action) },
        validated,
        deferrable,
        origin,
        clauseAt,
      };
      table.constraints.set(name, constraint);
      return constraint;
    }
    case 'CONSTR_CHECK': {
      const referenced = referencedColumns(node.raw_expr);
      const name = constraintName(table, node, column);
      const constraint: Constraint = {
        name,
        kind: 'check',
        columns: column ? [column] : referenced,
        check: expressionInParentheses(state, node.raw_expr, node.location, ['check']),
        validated,
        origin,
        clauseAt,
      };
      table.constraints.set(name, constraint);
      return constraint;
    }
    case 'CONSTR_EXCLUSION': {
      const elements = (node.exclusions ?? []).map((pair) => ('List' in pair ? pair.List.items?.[0] : undefined)).filter((item): item is Node => item !== undefined);
      const keys = elements.map((element) => ('IndexElem' in element && element.IndexElem.name ? { column: element.IndexElem.name } : { expression: { text: '', ast: element } }));
      const columns = keys.map((key) => key.column ?? 'expr');
      const name = node.conname ?? chooseIndexName(state, table, [...columns, ...stringList(node.including)], 'excl');
      const constraint: Constraint = { name, kind: 'exclude', columns, validated: true, origin, clauseAt };
      table.constraints.set(name, constraint);
      const index = constraintIndex(table, name, false, keys, stringList(node.including), origin);
      index.method = node.access_method ?? 'gist';
      registerIndex(state, table, index);
      return constraint;
    }
    case 'CONSTR_NOTNULL': {
      for (const name of stringList(node.keys)) { const found = table.columns.get(name); if (found) found.notNull = true; }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The name a FOREIGN KEY or CHECK constraint gets when added to `table` as it stands: its own, or
 * the one ChooseConstraintName picks (`bookings_user_id_fkey`, `bookings_status_check`). `column`
 * is set for a column constraint. A migration-safety rule asks before the statement runs, so that
 * its VALIDATE CONSTRAINT names the constraint the replay (and PostgreSQL) will create.
 */
export function constraintName(table: Table, node: ConstraintNode, column?: string): string {
  if (node.conname) return node.conname;
  const isTaken = (candidate: string) => isConstraintNameTaken(table, candidate);
  if (node.contype === 'CONSTR_FOREIGN') return chooseName(table.name, columnsAddition(column ? [column] : stringList(node.fk_attrs)), 'fkey', isTaken);
  // A column CHECK is named after its column even when the expression reads other columns.
  const referenced = column ? [column] : referencedColumns(node.raw_expr);
  return chooseName(table.name, referenced.length === 1 ? referenced[0] : undefined, 'check', isTaken);
}

/** `ADD CONSTRAINT name PRIMARY KEY USING INDEX index`: the index is renamed to the constraint. */
function adoptIndex(state: ReplayState, table: Table, node: ConstraintNode, primary: boolean, columns: string[], clauseAt: SourceSpan | undefined): Constraint | undefined {
  const index = table.indexes.get(node.indexname!);
  if (!index) return undefined;
  const name = node.conname ?? index.name;
  table.indexes.delete(index.name);
  index.name = name;
  index.primary = primary;
  index.unique = true;
  index.constraint = name;
  registerIndex(state, table, index);
  const keyColumns = columns.length > 0 ? columns : index.keys.flatMap((key) => (key.column ? [key.column] : []));
  const constraint: Constraint = { name, kind: primary ? 'primary_key' : 'unique', columns: keyColumns, validated: true, origin: originHere(state), clauseAt };
  table.constraints.set(name, constraint);
  return constraint;
}

/**
 * CREATE TABLE ... AS and SELECT ... INTO (materialized views are views, see views.ts). Columns
 * are taken from the target list when their names are plain; a column copied from a single source
 * table keeps its type.
 */
export function createTableAs(state: ReplayState, stmt: CreateTableAsStmt): void {
  const relation = stmt.into?.rel;
  if (!relation) return;
  const qualified = qualifyForCreate(state, relation);
  const [schema, name] = splitQualified(qualified);
  const holder = relationHoldingName(state, schema, name);
  if (holder) {
    if (!stmt.if_not_exists) reportAlreadyExists(state, 'table', qualified, qualified, holder);
    return;
  }
  const table = newTable(state, schema, name);
  const select = stmt.query && 'SelectStmt' in stmt.query ? stmt.query.SelectStmt : undefined;
  const sources = (select?.fromClause ?? []).flatMap((node) => ('RangeVar' in node ? [resolveRelation(state, node.RangeVar)] : []));
  table.createdFrom = { kind: 'as_select', source: sources[0] };
  const explicitNames = stringList(stmt.into?.colNames);
  const sourceTables = sources.map((source) => state.catalog.tables.get(source)).filter((source): source is Table => source !== undefined);
  (select?.targetList ?? []).forEach((target, position) => {
    if (!('ResTarget' in target)) return;
    const value = target.ResTarget.val;
    if (value && 'ColumnRef' in value && (value.ColumnRef.fields ?? []).some((field) => 'A_Star' in field)) {
      for (const source of sourceTables) for (const column of source.columns.values()) {
        table.columns.set(column.name, { name: column.name, type: column.type, notNull: false, origin: originHere(state) });
      }
      return;
    }
    const sourceColumn = value && 'ColumnRef' in value ? stringList(value.ColumnRef.fields).pop() : undefined;
    const columnName = explicitNames[position] ?? target.ResTarget.name ?? sourceColumn ?? targetName(value);
    if (!columnName) return;
    const isCount = value && 'FuncCall' in value && stringList(value.FuncCall.funcname).pop() === 'count';
    const type = isCount ? 'bigint' : value && 'TypeCast' in value
      ? typeText(state, value.TypeCast.typeName)
      : sourceColumn ? sourceTables.map((source) => source.columns.get(sourceColumn)?.type).find((found) => found) ?? '' : '';
    table.columns.set(columnName, { name: columnName, type, notNull: false, origin: originHere(state) });
  });
  registerTable(state, table);
}

/** `LIKE source [INCLUDING ...]`: columns always, defaults, checks and indexes when included. */
function copyLike(state: ReplayState, table: Table, clause: TableLikeClause): void {
  if (!clause.relation) return;
  const sourceName = resolveRelation(state, clause.relation);
  const source = state.catalog.tables.get(sourceName);
  table.createdFrom = { kind: 'like', source: sourceName };
  if (!source) {
    reportMissing(state, 'table', sourceName);
    return;
  }
  // CREATE_TABLE_LIKE_* bits from parsenodes.h; INCLUDING ALL sets them all.
  const options = clause.options ?? 0;
  const includes = (bit: number) => (options & bit) !== 0;
  const defaults = includes(1 << 3);
  const constraints = includes(1 << 2);
  const indexes = includes(1 << 6);
  const identity = includes(1 << 5);
  for (const column of source.columns.values()) {
    table.columns.set(column.name, {
      name: column.name,
      type: column.type,
      notNull: column.notNull,
      default: defaults ? column.default : undefined,
      identity: identity ? column.identity : undefined,
      generated: includes(1 << 4) ? column.generated : undefined,
      origin: originHere(state),
    });
  }
  if (constraints) {
    for (const constraint of source.constraints.values()) {
      if (constraint.kind === 'check') table.constraints.set(constraint.name, copiedConstraint(state, constraint, constraint.name));
    }
  }
  if (indexes) copyIndexes(state, table, source);
}

/**
 * Columns, checks and, for partitions, the indexes and foreign keys a child gets from its parent
 * (PostgreSQL clones a partitioned table's indexes and foreign keys onto each partition).
 */
function copyParent(state: ReplayState, table: Table, parent: Table, isPartition: boolean): void {
  for (const column of parent.columns.values()) {
    if (table.columns.has(column.name)) continue;
    const copy: Column = { ...column, comment: undefined, origin: originHere(state) };
    // The column's clause is in the parent's statement, not this one; and a child's or partition's
    // columns start without column privileges, whatever the parent's hold.
    delete copy.clauseAt;
    delete copy.grants;
    table.columns.set(column.name, copy);
  }
  for (const constraint of parent.constraints.values()) {
    if (constraint.kind === 'check' || (isPartition && constraint.kind === 'foreign_key')) {
      table.constraints.set(constraint.name, copiedConstraint(state, constraint, constraint.name));
    }
  }
  if (isPartition) copyIndexes(state, table, parent);
}

function copyIndexes(state: ReplayState, table: Table, source: Table): void {
  for (const index of source.indexes.values()) {
    const columns = index.keys.map((key) => key.column ?? 'expr');
    const label = index.primary ? 'pkey' : index.constraint ? 'key' : 'idx';
    const name = chooseIndexName(state, table, columns, label);
    if (index.constraint) {
      const constraint = source.constraints.get(index.constraint);
      if (constraint) table.constraints.set(name, copiedConstraint(state, constraint, name));
    }
    registerIndex(state, table, { ...index, name, table: `${table.schema}.${table.name}`, constraint: index.constraint ? name : undefined, origin: originHere(state) });
  }
}

/**
 * A copy of another table's constraint (LIKE, a partition's parent), made by the current
 * statement. Its clause is in the source's statement, not this one, so the copy has none.
 */
function copiedConstraint(state: ReplayState, constraint: Constraint, name: string): Constraint {
  const copy: Constraint = { ...constraint, name, origin: originHere(state) };
  delete copy.clauseAt;
  return copy;
}

/**
 * The span of a column's or constraint's clause: from the parse-tree location `at` over balanced
 * parentheses to the comma or unmatched closing parenthesis that ends it, scanned no further than
 * the location `before` (the next table element). Between a clause and the next element there is
 * only a comma, whitespace and comments, so when the stretch has no comment the clause ends at
 * the comma found from its end, without tokens. Otherwise (a comment, or the last element,
 * followed by the statement's tail) only the stretch is tokenized, never the whole statement:
 * tokenizing every CREATE TABLE of the bench took 14 ms, the constraint spans take about 2 ms and
 * the 10,500 column spans about 5 ms.
 */
export function clauseSpan(state: ReplayState, at: number | undefined, before: number | undefined): SourceSpan | undefined {
  if (at === undefined || at < 0) return undefined;
  const text = state.statement.text;
  const locator = StatementLocator.inFile(state.statement, state.file.lines);
  const start = locator.offsetAt(at);
  const bounded = before !== undefined && before > at;
  const limit = bounded ? Math.min(locator.offsetAt(before), text.length) : text.length;
  if (start < 0 || start >= limit) return undefined;
  const end = bounded ? endBeforeComma(text, start, limit) : -1;
  const length = end >= 0 ? end - start : clauseLength(text.slice(start, limit));
  return length > 0 ? locator.spanOf(start, start + length) : undefined;
}

/**
 * The end of the clause in `text[from, to)` when the stretch is a clause, a comma and whitespace
 * with no comment in it; -1 when it holds a comment (a comma in it could then be commented out).
 */
function endBeforeComma(text: string, from: number, to: number): number {
  // indexOf, not a loop over the characters: it is several times faster on the bench.
  const dashes = text.indexOf('--', from);
  if (dashes >= 0 && dashes < to) return -1;
  const slashStar = text.indexOf('/*', from);
  if (slashStar >= 0 && slashStar < to) return -1;
  let end = to;
  while (end > from && isSpace(text.charCodeAt(end - 1))) end--;
  if (text.charCodeAt(end - 1) !== 44 /* , */) return -1;
  end--;
  while (end > from && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** The length of the clause at the start of `text`: up to a comma or an unmatched closing parenthesis at its depth. */
function clauseLength(text: string): number {
  let depth = 0;
  let end = 0;
  for (const token of tokenize(text)) {
    if (token.text === '(' || token.text === '[') depth++;
    else if (token.text === ')' || token.text === ']') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && token.text === ',') break;
    end = token.end;
  }
  return end;
}

/** Distinct column names a CHECK expression reads, in order of first use. */
function referencedColumns(node: Node | undefined): string[] {
  const names: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if ('ColumnRef' in record) {
      const fields = stringList((record.ColumnRef as { fields?: Node[] }).fields).filter((field) => field !== '');
      const column = fields[fields.length - 1];
      if (column && !names.includes(column)) names.push(column);
      return;
    }
    for (const key in record) visit(record[key]);
  };
  visit(node);
  return names;
}

/** FigureColname for the few shapes a CREATE TABLE AS target list usually has. */
function targetName(value: Node | undefined): string | undefined {
  if (!value) return undefined;
  if ('FuncCall' in value) return stringList(value.FuncCall.funcname).pop();
  if ('TypeCast' in value) return targetName(value.TypeCast.arg) ?? stringList(value.TypeCast.typeName?.names).pop();
  if ('CoalesceExpr' in value) return 'coalesce';
  return undefined;
}

function foreignKeyAction(action: string | undefined): string | undefined {
  switch (action) {
    case 'c': return 'cascade';
    case 'n': return 'set null';
    case 'd': return 'set default';
    case 'r': return 'restrict';
    default: return undefined;
  }
}


/** CREATE TABLE IF NOT EXISTS over a table that lacks some of the statement's columns: those are never added. */
function reportSkippedColumns(state: ReplayState, stmt: CreateStmt, qualified: string, existing: Table): void {
  const missing: string[] = [];
  for (const element of stmt.tableElts ?? []) {
    if ('ColumnDef' in element && element.ColumnDef.colname && !existing.columns.has(element.ColumnDef.colname)) missing.push(element.ColumnDef.colname);
  }
  if (missing.length === 0) return;
  const list = missing.length === 1 ? `column ${missing[0]} is` : `columns ${missing.join(', ')} are`;
  reportIfNotExistsSkipped(state, `table ${qualified}`, qualified, existing, `${list} not added`);
}
