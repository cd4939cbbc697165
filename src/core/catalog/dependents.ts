/**
 * What depends on an object, the way PostgreSQL's pg_depend records it: the one walk behind a
 * refused DROP (object_dropped_but_referenced), DROP ... CASCADE, and the safety rules that name
 * what a RENAME or DROP touches. Each dependent is structured (kind, object key, name, where a
 * migration wrote it) so that each user words or acts on it in its own way.
 *
 * The walk is direct: a view over a view over a table is a dependent of the first view only, as
 * CASCADE reaches it by dropping that view. Partitions are the exception PostgreSQL makes: they go
 * with their partitioned table even without CASCADE, so their own dependents count as the table's.
 * `functionsNaming` is apart on purpose: function bodies name objects as text, which pg_depend does
 * not record, so a DROP never waits on them, yet a rename or drop breaks them.
 */
import type { ColumnRef, Node, RangeVar } from '@pgsql/types';
import type { SourceSpan } from '../sql/span';
import { functionBodyStatements } from '../sql/functionBodyStatements';
import { walkNodes } from '../sql/walkNodes';
import { peekTable, peekTables } from './cloneCatalog';
import { objectKey, type Expression, type Policy, type Table, type TypeDef } from './model';
import { resolveRelationName } from './replay/names';
import type { NameScope } from './replay/replayState';
import { isTypeOrArrayOf, namesType, typeNameText } from './replay/typeReferences';
import { relationsRead } from './replay/views';

/** What kind of object depends on another. */
export type DependentKind =
  | 'view'
  | 'materialized view'
  | 'policy'
  | 'function'
  | 'trigger'
  | 'foreign key'
  | 'constraint'
  | 'index'
  | 'partition'
  | 'inheritance child'
  | 'column'
  | 'column default'
  | 'generated column'
  | 'composite type'
  | 'domain';

/** One object that depends on another. */
export interface Dependent {
  kind: DependentKind;
  /** Its object key: `view:public.booking_totals`, `constraint:public.payments/payments_booking_id_fkey`. */
  key: string;
  /**
   * Its qualified name (`public.booking_totals`, `public.bookings.status`, `public.f(uuid)`), or
   * for what lives on a table (policy, trigger, constraint, index) its own name; see `table`.
   */
  name: string;
  /** The table a policy, trigger, constraint, index or column lives on, or a partition's parent. */
  table?: string;
  /** For a composite type: its attributes that use the object. */
  attributes?: string[];
  /** The statement that wrote it, when a migration did. */
  span?: SourceSpan;
  /**
   * True when PostgreSQL drops it with the object even without CASCADE (a partition of a
   * partitioned table); otherwise a DROP without CASCADE is refused while it exists.
   */
  goesWithIt?: boolean;
}

/**
 * What depends on a table, view or materialized view: its partitions (which go with it) or
 * inheritance children, the views that read it, the foreign keys and policies of other tables that
 * name it, and what uses its row type (`typeDependents`). The dependents of its partitions follow
 * their partition entry, unless `ofPartitions` is false (a rename of the table leaves them be).
 */
export function relationDependents(scope: NameScope, qualified: string, ofPartitions = true): Dependent[] {
  const catalog = scope.catalog;
  const relation = peekTable(catalog, qualified) ?? catalog.views.get(qualified);
  if (!relation) return [];
  const dependents: Dependent[] = [];
  const [schema, name] = [relation.schema, relation.name];
  for (const [childName, child] of peekTables(catalog)) {
    if (child.partitionOf !== qualified) continue;
    const partition = relation.kind === 'partitioned';
    dependents.push({ kind: partition ? 'partition' : 'inheritance child', key: objectKey.table(childName), name: childName, table: qualified, span: child.origin.definedAt, ...(partition ? { goesWithIt: true } : {}) });
    if (partition && ofPartitions) dependents.push(...relationDependents(scope, childName));
  }
  for (const [viewName, view] of catalog.views) {
    if (!view.dependsOn.includes(qualified)) continue;
    dependents.push({ kind: view.kind === 'view' ? 'view' : 'materialized view', key: objectKey.view(viewName), name: viewName, span: view.origin.definedAt });
  }
  for (const [tableName, table] of peekTables(catalog)) {
    if (tableName === qualified) continue;
    for (const constraint of table.constraints.values()) {
      if (constraint.references?.table !== qualified) continue;
      dependents.push({ kind: 'foreign key', key: objectKey.constraint(tableName, constraint.name), name: constraint.name, table: tableName, span: constraint.clauseAt ?? constraint.origin.definedAt });
    }
    for (const policy of table.policies.values()) if (policyReads(scope, policy, qualified)) dependents.push(policyDependent(policy));
  }
  dependents.push(...typeDependents(scope, { schema, name }));
  return dependents;
}

/**
 * What uses a type (or a table's row type): the columns of it or of an array of it, the composite
 * types with an attribute of it, the domains over it and the functions that take or return it.
 */
export function typeDependents(scope: NameScope, type: Pick<TypeDef, 'schema' | 'name'>): Dependent[] {
  const qualifiedType = `${type.schema}.${type.name}`;
  const text = typeNameText(qualifiedType);
  const isIt = (candidate: string | undefined) => isTypeOrArrayOf(candidate, text);
  const catalog = scope.catalog;
  const dependents: Dependent[] = [];
  for (const [qualified, table] of peekTables(catalog)) {
    for (const column of table.columns.values()) {
      if (isIt(column.type)) dependents.push({ kind: 'column', key: objectKey.column(qualified, column.name), name: `${qualified}.${column.name}`, table: qualified, span: column.clauseAt ?? column.origin.definedAt });
    }
  }
  for (const [key, func] of catalog.functions) if (namesType(func, text)) dependents.push({ kind: 'function', key: objectKey.function(key), name: key, span: func.origin.definedAt });
  for (const [qualified, other] of catalog.types) {
    if (qualified === qualifiedType) continue;
    const span = other.origin.definedAt;
    const attributes = (other.attributes ?? []).filter((attribute) => isIt(attribute.type)).map((attribute) => attribute.name);
    if (attributes.length > 0) dependents.push({ kind: 'composite type', key: objectKey.type(qualified), name: qualified, attributes, span });
    if (other.kind === 'domain' && isIt(other.baseType)) dependents.push({ kind: 'domain', key: objectKey.type(qualified), name: qualified, span });
  }
  return dependents;
}

/** What depends on a function: the triggers that execute it. */
export function functionDependents(scope: NameScope, key: string): Dependent[] {
  const dependents: Dependent[] = [];
  for (const [qualified, table] of peekTables(scope.catalog)) {
    for (const trigger of table.triggers.values()) {
      if (trigger.function === key) dependents.push({ kind: 'trigger', key: objectKey.trigger(qualified, trigger.name), name: trigger.name, table: qualified, span: trigger.origin.definedAt });
    }
  }
  return dependents;
}

/**
 * What depends on one column of a table: the constraints and indexes of the table that use it,
 * the other columns whose default or generation expression reads it, the triggers whose WHEN
 * reads it, the policies that name it (on the table, or on another table whose clause reads this
 * one), the views that read the table and name it (or `*`), and the foreign keys of other tables
 * that reference it. A name in an expression counts when it is the column's, unqualified or
 * qualified by the table's name or an alias: the tree is judged, not the text, and a view or
 * policy that reads two tables with the same column name is listed rather than left out.
 */
export function columnDependents(scope: NameScope, qualified: string, column: string): Dependent[] {
  const catalog = scope.catalog;
  const table = peekTable(catalog, qualified);
  if (!table) return [];
  const dependents: Dependent[] = [];
  for (const constraint of table.constraints.values()) {
    if (!constraint.columns.includes(column) && !namesColumn(constraint.check?.ast, table, column)) continue;
    dependents.push({ kind: constraint.kind === 'foreign_key' ? 'foreign key' : 'constraint', key: objectKey.constraint(qualified, constraint.name), name: constraint.name, table: qualified, span: constraint.clauseAt ?? constraint.origin.definedAt });
  }
  for (const index of table.indexes.values()) {
    if (index.constraint !== undefined) continue;
    const uses = index.keys.some((key) => key.column === column || namesColumn(key.expression?.ast, table, column)) || index.include.includes(column) || namesColumn(index.where?.ast, table, column);
    if (uses) dependents.push({ kind: 'index', key: objectKey.index(table.schema, index.name), name: index.name, table: qualified, span: index.origin.definedAt });
  }
  for (const other of table.columns.values()) {
    if (other.name === column) continue;
    const span = other.clauseAt ?? other.origin.definedAt;
    const key = objectKey.column(qualified, other.name);
    if (namesColumn(other.generated?.ast, table, column)) dependents.push({ kind: 'generated column', key, name: `${qualified}.${other.name}`, table: qualified, span });
    else if (namesColumn(other.default?.ast, table, column)) dependents.push({ kind: 'column default', key, name: `${qualified}.${other.name}`, table: qualified, span });
  }
  for (const trigger of table.triggers.values()) {
    if (namesColumn(trigger.when?.ast, table, column, { rowNames: TRIGGER_ROW_NAMES })) dependents.push({ kind: 'trigger', key: objectKey.trigger(qualified, trigger.name), name: trigger.name, table: qualified, span: trigger.origin.definedAt });
  }
  for (const [tableName, other] of peekTables(catalog)) {
    for (const policy of other.policies.values()) {
      const reads = tableName === qualified || policyReads(scope, policy, qualified);
      if (reads && [policy.using, policy.withCheck].some((expression) => namesColumn(expression?.ast, table, column))) dependents.push(policyDependent(policy));
    }
    if (tableName === qualified) continue;
    for (const constraint of other.constraints.values()) {
      if (constraint.references?.table !== qualified || !constraint.references.columns.includes(column)) continue;
      dependents.push({ kind: 'foreign key', key: objectKey.constraint(tableName, constraint.name), name: constraint.name, table: tableName, span: constraint.clauseAt ?? constraint.origin.definedAt });
    }
  }
  for (const [viewName, view] of catalog.views) {
    if (!view.dependsOn.includes(qualified) || !namesColumn(view.definition.ast, table, column, { star: true })) continue;
    dependents.push({ kind: view.kind === 'view' ? 'view' : 'materialized view', key: objectKey.view(viewName), name: viewName, span: view.origin.definedAt });
  }
  return dependents;
}

/**
 * The functions whose body names the relation, or with `column` that column of it, in a statement
 * it runs (`functionBodyStatements`). PostgreSQL keeps a body as text and records no dependency on
 * what it names, so a rename or drop goes through and the function fails at its next call: these
 * are not what a DROP waits on, and the replay's DROP paths leave them out. Names resolve along
 * the search path in force, as a policy's do.
 */
export function functionsNaming(scope: NameScope, qualified: string, column?: string): Dependent[] {
  const relation = peekTable(scope.catalog, qualified) ?? scope.catalog.views.get(qualified);
  if (!relation) return [];
  const dependents: Dependent[] = [];
  for (const [key, func] of scope.catalog.functions) {
    if (func.platform || func.extension !== undefined) continue;
    const statements = functionBodyStatements(func).filter((statement) => writtenRelation(scope, statement) === qualified || relationsRead(scope, statement).includes(qualified));
    const names = column === undefined ? statements.length > 0 : statements.some((statement) => namesColumn(statement, relation, column) || setsColumn(scope, statement, qualified, column));
    if (names) dependents.push({ kind: 'function', key: objectKey.function(key), name: key, span: func.origin.definedAt });
  }
  return dependents;
}

/**
 * A dependent as PostgreSQL's messages name it: `view public.booking_totals`,
 * `constraint payments_booking_id_fkey on public.payments`, `policy "Guests read" on public.payments`.
 */
export function describeDependent(dependent: Dependent): string {
  switch (dependent.kind) {
    case 'policy':
      return `policy "${dependent.name}" on ${dependent.table}`;
    case 'trigger':
    case 'index':
    case 'constraint':
      return `${dependent.kind} ${dependent.name} on ${dependent.table}`;
    case 'foreign key':
      return `constraint ${dependent.name} on ${dependent.table}`;
    case 'composite type':
      return `type ${dependent.name}`;
    case 'column default':
      return `the default of column ${dependent.name}`;
    case 'inheritance child':
      return `table ${dependent.name}`;
    default:
      return `${dependent.kind} ${dependent.name}`;
  }
}

/**
 * Dependents named for a sentence, the first three and a count of the rest:
 * `view public.a, view public.b, policy "p" on public.c and 2 more`.
 */
export function listDependents(names: readonly string[]): string {
  if (names.length > 3) return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The relation an INSERT, UPDATE or DELETE writes, resolved along the search path; its tree keeps it outside the FROM. */
function writtenRelation(scope: NameScope, statement: Node): string | undefined {
  const relation = 'InsertStmt' in statement ? statement.InsertStmt.relation : 'UpdateStmt' in statement ? statement.UpdateStmt.relation : 'DeleteStmt' in statement ? statement.DeleteStmt.relation : undefined;
  return relation?.relname ? resolveRelationName(scope, relation.schemaname, relation.relname) : undefined;
}

/** True when an INSERT or UPDATE of the relation names the column among those it writes. */
function setsColumn(scope: NameScope, statement: Node, qualified: string, column: string): boolean {
  if (writtenRelation(scope, statement) !== qualified) return false;
  const targets = 'InsertStmt' in statement ? statement.InsertStmt.cols : 'UpdateStmt' in statement ? statement.UpdateStmt.targetList : undefined;
  return (targets ?? []).some((target) => 'ResTarget' in target && target.ResTarget.name === column);
}

const TRIGGER_ROW_NAMES = ['old', 'new'];

function policyDependent(policy: Policy): Dependent {
  return { kind: 'policy', key: objectKey.policy(policy.table, policy.name), name: policy.name, table: policy.table, span: policy.origin.definedAt };
}

/**
 * True when the policy's USING or WITH CHECK reads the relation (`exists (select 1 from
 * public.bookings ...)`): PostgreSQL records that dependency. Unqualified names resolve along the
 * search path in force, which is the policy's own in the usual single-search-path migrations.
 */
function policyReads(scope: NameScope, policy: Policy, qualified: string): boolean {
  return [policy.using, policy.withCheck].some((expression: Expression | undefined) => expression?.ast !== undefined && relationsRead(scope, expression.ast).includes(qualified));
}

/**
 * True when an expression names the column of the table: an unqualified name (which may be the
 * column, unless a subquery's table has one of that name too: then it is listed rather than left
 * out), or one qualified by the table's name, by an alias a FROM of the expression gives it or by
 * one of `rowNames` (a trigger's `old` and `new`); with `star`, a `*` or `alias.*` counts too.
 */
function namesColumn(ast: Node | undefined, table: Pick<Table, 'schema' | 'name'>, column: string, { star = false, rowNames = [] as readonly string[] } = {}): boolean {
  if (!ast) return false;
  const names = new Set([table.name, ...rowNames]);
  const references: ColumnRef[] = [];
  walkNodes(ast, (node) => {
    if (node.type === 'ColumnRef') references.push(node.fields as ColumnRef);
    else if (node.type === 'RangeVar') {
      const range = node.fields as RangeVar;
      if (range.relname === table.name && (range.schemaname === undefined || range.schemaname === table.schema) && range.alias?.aliasname) names.add(range.alias.aliasname);
    }
  });
  return references.some((reference) => {
    const fields = reference.fields ?? [];
    const last = fields[fields.length - 1];
    const isIt = last !== undefined && (('String' in last && last.String.sval === column) || (star && 'A_Star' in last));
    if (!isIt || fields.length === 1) return isIt;
    const qualifier = fields[fields.length - 2];
    return 'String' in qualifier && names.has(qualifier.String.sval ?? '');
  });
}
