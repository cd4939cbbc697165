/**
 * Which table locks each statement of a migration takes, and whether it reads or rewrites the
 * table while holding them. The modes follow PostgreSQL's own choices, chiefly
 * `AlterTableGetLockLevel` in src/backend/commands/tablecmds.c for ALTER TABLE; every kind is
 * checked against a real server in test/db/lockModes.test.ts (pg_locks inside a transaction, and
 * relfilenode before and after for the rewrite claims).
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint as ConstraintNode, DefElem, Node, RangeVar } from '@pgsql/types';
import type { Table } from '../catalog/model';
import { namesOnlyColumn, typeChangeWork } from './columnTypeChange';
import type { LockMode, TableLock, TableWork } from './locks';
import { isSerialColumn } from './existingTableAlter';
import type { MigrationStatement } from './migrationStatement';
import { volatileCallsIn } from './volatileCalls';

/** The statement kinds `statementLocks` knows a table lock for; every other kind takes none worth showing. */
export const LOCKING_STATEMENT_KINDS: readonly string[] = [
  'AlterTableStmt', 'IndexStmt', 'DropStmt', 'RenameStmt', 'CreateTrigStmt', 'CreatePolicyStmt', 'AlterPolicyStmt', 'CreateStmt',
  'TruncateStmt', 'VacuumStmt', 'ClusterStmt', 'ReindexStmt', 'RefreshMatViewStmt', 'CommentStmt', 'LockStmt', 'AlterObjectSchemaStmt',
  'InsertStmt', 'UpdateStmt', 'DeleteStmt',
];

/**
 * The table locks one statement of a migration takes, one per table (the strongest mode of its
 * parts, and the heaviest work), in the order the statement names the tables. Locks on objects the
 * statement creates are left out: nobody else can be waiting on them. A relation the catalog does
 * not know is named as PostgreSQL would resolve it; the modes do not depend on the catalog, the
 * work sometimes does (a column's old type, a validated CHECK). Never throws; empty for a
 * statement that takes no table lock worth showing (SELECT, GRANT, CREATE FUNCTION, ...).
 */
export function statementLocks(migration: MigrationStatement): TableLock[] {
  const node = migration.statement.node as Record<string, unknown>;
  const locks = new LockList();
  switch (migration.statement.kind) {
    case 'AlterTableStmt':
      alterTableLocks(migration, node.AlterTableStmt as AlterTableStmt, locks);
      break;
    case 'IndexStmt': {
      const stmt = node.IndexStmt as { relation?: RangeVar; concurrent?: boolean };
      // CREATE INDEX lets reads go on and blocks writes; CONCURRENTLY blocks neither (indexcmds.c DefineIndex).
      locks.add(migration.relationName(stmt.relation), stmt.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', 'scan');
      break;
    }
    case 'DropStmt':
      dropLocks(migration, node.DropStmt as { objects?: Node[]; removeType?: string; concurrent?: boolean }, locks);
      break;
    case 'RenameStmt':
      renameLocks(migration, node.RenameStmt as { renameType?: string; relation?: RangeVar; object?: Node }, locks);
      break;
    case 'CreateTrigStmt':
      // CREATE TRIGGER blocks writes but not reads (trigger.c CreateTrigger).
      locks.add(migration.relationName((node.CreateTrigStmt as { relation?: RangeVar }).relation), 'SHARE ROW EXCLUSIVE', 'none');
      break;
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      locks.add(migration.relationName((node[migration.statement.kind] as { table?: RangeVar }).table), 'ACCESS EXCLUSIVE', 'none');
      break;
    case 'CreateStmt':
      createTableLocks(migration, node.CreateStmt as { tableElts?: Node[]; constraints?: Node[]; inhRelations?: Node[]; partbound?: unknown }, locks);
      break;
    case 'TruncateStmt':
      // TRUNCATE swaps in a new, empty file: no row is read or written.
      for (const relation of rangeVars((node.TruncateStmt as { relations?: Node[] }).relations)) locks.add(migration.relationName(relation), 'ACCESS EXCLUSIVE', 'none');
      break;
    case 'VacuumStmt':
      vacuumLocks(migration, node.VacuumStmt as { options?: Node[]; rels?: Node[]; is_vacuumcmd?: boolean }, locks);
      break;
    case 'ClusterStmt': {
      const relation = (node.ClusterStmt as { relation?: RangeVar }).relation;
      // CLUSTER without a table re-clusters every table clustered before: which ones, the migration does not say.
      if (relation) locks.add(migration.relationName(relation), 'ACCESS EXCLUSIVE', 'rewrite');
      break;
    }
    case 'ReindexStmt':
      reindexLocks(migration, node.ReindexStmt as { kind?: string; relation?: RangeVar; params?: Node[] }, locks);
      break;
    case 'RefreshMatViewStmt': {
      const stmt = node.RefreshMatViewStmt as { concurrent?: boolean; relation?: RangeVar };
      // A plain refresh fills a new file and swaps it in, blocking reads; CONCURRENTLY diffs the
      // new result into the old rows under EXCLUSIVE, so reads go on (matview.c ExecRefreshMatView).
      locks.add(migration.relationName(stmt.relation), stmt.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE', stmt.concurrent ? 'scan' : 'rewrite');
      break;
    }
    case 'CommentStmt':
      commentLocks(migration, node.CommentStmt as { objtype?: string; object?: Node }, locks);
      break;
    case 'LockStmt': {
      const stmt = node.LockStmt as { relations?: Node[]; mode?: number };
      const mode = LOCK_TABLE_MODES[stmt.mode ?? 8];
      if (mode) for (const relation of rangeVars(stmt.relations)) locks.add(migration.relationName(relation), mode, 'none');
      break;
    }
    case 'AlterObjectSchemaStmt': {
      const stmt = node.AlterObjectSchemaStmt as { objectType?: string; relation?: RangeVar };
      if (stmt.relation && RELATION_OBJECT_TYPES.has(stmt.objectType ?? '')) locks.add(migration.relationName(stmt.relation), 'ACCESS EXCLUSIVE', 'none');
      break;
    }
    case 'InsertStmt':
      locks.add(migration.relationName((node.InsertStmt as { relation?: RangeVar }).relation), 'ROW EXCLUSIVE', 'none');
      break;
    case 'UpdateStmt':
    case 'DeleteStmt':
      // Data migrations: they block only schema changes, but an unbounded one writes every row.
      locks.add(migration.relationName((node[migration.statement.kind] as { relation?: RangeVar }).relation), 'ROW EXCLUSIVE', 'scan');
      break;
  }
  return locks.list();
}

/** True when `mode` makes writers (INSERT, UPDATE, DELETE) wait: SHARE and every stronger mode. */
export function blocksWrites(mode: LockMode): boolean {
  return LOCK_STRENGTH[mode] >= LOCK_STRENGTH.SHARE;
}

/** The locks of each table, kept at the strongest mode and heaviest work. */
class LockList {
  private readonly byTable = new Map<string, TableLock>();

  add(table: string | undefined, mode: LockMode, work: TableWork): void {
    if (!table) return;
    const held = this.byTable.get(table);
    if (!held) {
      this.byTable.set(table, { table, mode, work });
      return;
    }
    if (LOCK_STRENGTH[mode] > LOCK_STRENGTH[held.mode]) held.mode = mode;
    if (WORK_WEIGHT[work] > WORK_WEIGHT[held.work]) held.work = work;
  }

  list(): TableLock[] {
    return [...this.byTable.values()];
  }
}

const LOCK_STRENGTH: Record<LockMode, number> = {
  'ACCESS SHARE': 1,
  'ROW SHARE': 2,
  'ROW EXCLUSIVE': 3,
  'SHARE UPDATE EXCLUSIVE': 4,
  SHARE: 5,
  'SHARE ROW EXCLUSIVE': 6,
  EXCLUSIVE: 7,
  'ACCESS EXCLUSIVE': 8,
};

const WORK_WEIGHT: Record<TableWork, number> = { none: 0, scan: 1, rewrite: 2 };

/** LOCK TABLE's mode numbers (lockdefs.h) to names. */
const LOCK_TABLE_MODES: Record<number, LockMode | undefined> = Object.fromEntries(
  (Object.entries(LOCK_STRENGTH) as [LockMode, number][]).map(([mode, strength]) => [strength, mode]),
);

const RELATION_OBJECT_TYPES = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);

function alterTableLocks(migration: MigrationStatement, stmt: AlterTableStmt, locks: LockList): void {
  // ALTER INDEX and ALTER SEQUENCE lock the index or sequence, not a table.
  if (!RELATION_OBJECT_TYPES.has(stmt.objtype ?? 'OBJECT_TABLE')) return;
  const target = migration.relationName(stmt.relation);
  const table = migration.catalog.tables.get(target ?? '');
  for (const node of stmt.cmds ?? []) {
    if (!('AlterTableCmd' in node)) continue;
    alterTableCommandLocks(migration, target, table, node.AlterTableCmd, locks);
  }
}

/**
 * One ALTER TABLE subcommand. The modes are `AlterTableGetLockLevel`'s; ALTER TABLE takes the
 * strongest of its subcommands for the whole statement, which `LockList` does.
 */
function alterTableCommandLocks(migration: MigrationStatement, target: string | undefined, table: Table | undefined, cmd: AlterTableCmd, locks: LockList): void {
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      addColumnLocks(migration, target, cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined, locks);
      return;
    case 'AT_AlterColumnType': {
      const def = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined;
      const column = table?.columns.get(cmd.name ?? '');
      // A type pgreview cannot judge is shown as the worst case, a rewrite.
      locks.add(target, 'ACCESS EXCLUSIVE', (column && def && typeChangeWork(migration, column, def)) ?? 'rewrite');
      return;
    }
    case 'AT_SetNotNull': {
      // Since PostgreSQL 12 a validated CHECK (col IS NOT NULL) spares the scan (tablecmds.c NotNullImpliedByRelConstraints).
      const proven = table !== undefined && [...table.constraints.values()].some((constraint) => constraint.kind === 'check' && constraint.validated && isNotNullTest(constraint.check?.ast, cmd.name ?? ''));
      locks.add(target, 'ACCESS EXCLUSIVE', proven ? 'none' : 'scan');
      return;
    }
    case 'AT_AddConstraint':
      if (cmd.def && 'Constraint' in cmd.def) addConstraintLocks(migration, target, table, cmd.def.Constraint, locks);
      return;
    case 'AT_ValidateConstraint': {
      // VALIDATE reads every row but lets reads and writes go on; for a foreign key it also reads
      // the referenced table under ROW SHARE (tablecmds.c ATExecValidateConstraint).
      locks.add(target, 'SHARE UPDATE EXCLUSIVE', 'scan');
      const referenced = table?.constraints.get(cmd.name ?? '')?.references?.table;
      if (referenced && referenced !== target) locks.add(referenced, 'ROW SHARE', 'scan');
      return;
    }
    case 'AT_DropConstraint': {
      // Dropping a foreign key drops its triggers on the referenced table too.
      locks.add(target, 'ACCESS EXCLUSIVE', 'none');
      const referenced = table?.constraints.get(cmd.name ?? '')?.references?.table;
      if (referenced && referenced !== target) locks.add(referenced, 'ACCESS EXCLUSIVE', 'none');
      return;
    }
    case 'AT_EnableTrig': case 'AT_EnableAlwaysTrig': case 'AT_EnableReplicaTrig': case 'AT_EnableTrigAll': case 'AT_EnableTrigUser':
    case 'AT_DisableTrig': case 'AT_DisableTrigAll': case 'AT_DisableTrigUser':
      locks.add(target, 'SHARE ROW EXCLUSIVE', 'none');
      return;
    case 'AT_SetStatistics': case 'AT_SetOptions': case 'AT_ResetOptions': case 'AT_ClusterOn': case 'AT_DropCluster':
      locks.add(target, 'SHARE UPDATE EXCLUSIVE', 'none');
      return;
    case 'AT_SetRelOptions': case 'AT_ResetRelOptions':
      locks.add(target, relOptionsLock(cmd.def), 'none');
      return;
    case 'AT_AttachPartition': {
      // Since PostgreSQL 12 the parent takes only SHARE UPDATE EXCLUSIVE; the table attached is
      // locked fully and read to check the partition bound.
      const partition = cmd.def && 'PartitionCmd' in cmd.def ? cmd.def.PartitionCmd : undefined;
      locks.add(target, 'SHARE UPDATE EXCLUSIVE', 'none');
      locks.add(migration.relationName(partition?.name), 'ACCESS EXCLUSIVE', 'scan');
      return;
    }
    case 'AT_DetachPartition': {
      const partition = cmd.def && 'PartitionCmd' in cmd.def ? cmd.def.PartitionCmd : undefined;
      const mode: LockMode = partition?.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
      locks.add(target, mode, 'none');
      locks.add(migration.relationName(partition?.name), mode, 'none');
      return;
    }
    case 'AT_SetLogged': case 'AT_SetUnLogged': case 'AT_SetTableSpace': case 'AT_SetAccessMethod': case 'AT_SetExpression':
      locks.add(target, 'ACCESS EXCLUSIVE', 'rewrite');
      return;
    default:
      // DROP COLUMN, SET/DROP DEFAULT, DROP NOT NULL, ENABLE/DISABLE/FORCE ROW LEVEL SECURITY,
      // OWNER TO, REPLICA IDENTITY, identity changes, SET STORAGE, rules, inheritance: catalog
      // changes under ACCESS EXCLUSIVE, without touching the rows.
      locks.add(target, 'ACCESS EXCLUSIVE', 'none');
  }
}

/**
 * ADD COLUMN: ACCESS EXCLUSIVE. Since PostgreSQL 11 a default that is not volatile is stored once
 * in the catalog; a volatile default, a stored generated column, an identity or serial column
 * write a value into every row, so the table is rewritten. NOT NULL and CHECK make it read every
 * row; an inline REFERENCES locks the referenced table as ADD FOREIGN KEY does.
 */
function addColumnLocks(migration: MigrationStatement, target: string | undefined, def: ColumnDef | undefined, locks: LockList): void {
  if (!def) {
    locks.add(target, 'ACCESS EXCLUSIVE', 'none');
    return;
  }
  const constraints = (def.constraints ?? []).flatMap((node) => ('Constraint' in node ? [node.Constraint] : []));
  const defaultExpression = def.raw_default ?? constraints.find((constraint) => constraint.contype === 'CONSTR_DEFAULT')?.raw_expr;
  const rewrites =
    isSerialColumn(def) ||
    constraints.some((constraint) => constraint.contype === 'CONSTR_IDENTITY' || (constraint.contype === 'CONSTR_GENERATED' && constraint.generated_kind !== 'v')) ||
    volatileCallsIn(defaultExpression, migration).length > 0;
  const notNull = def.is_not_null || constraints.some((constraint) => constraint.contype === 'CONSTR_NOTNULL' || constraint.contype === 'CONSTR_PRIMARY');
  const reads = constraints.some((constraint) => constraint.contype === 'CONSTR_CHECK' || constraint.contype === 'CONSTR_UNIQUE' || constraint.contype === 'CONSTR_PRIMARY') || (notNull && defaultExpression === undefined);
  locks.add(target, 'ACCESS EXCLUSIVE', rewrites ? 'rewrite' : reads ? 'scan' : 'none');
  for (const constraint of constraints) {
    if (constraint.contype === 'CONSTR_FOREIGN') locks.add(migration.relationName(constraint.pktable), 'SHARE ROW EXCLUSIVE', 'none');
  }
}

/**
 * ADD CONSTRAINT: a foreign key adds triggers to both tables, so both take SHARE ROW EXCLUSIVE
 * (writes wait, reads go on); every other kind takes ACCESS EXCLUSIVE. Checking the rows (a scan,
 * or the index build of PRIMARY KEY and UNIQUE) is skipped by NOT VALID and by USING INDEX.
 */
function addConstraintLocks(migration: MigrationStatement, target: string | undefined, table: Table | undefined, constraint: ConstraintNode, locks: LockList): void {
  const validates = !constraint.skip_validation;
  switch (constraint.contype) {
    case 'CONSTR_FOREIGN':
      // Validation joins both tables, reading each in full.
      locks.add(target, 'SHARE ROW EXCLUSIVE', validates ? 'scan' : 'none');
      locks.add(migration.relationName(constraint.pktable), 'SHARE ROW EXCLUSIVE', validates ? 'scan' : 'none');
      return;
    case 'CONSTR_CHECK':
      locks.add(target, 'ACCESS EXCLUSIVE', validates ? 'scan' : 'none');
      return;
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE': {
      if (!constraint.indexname) {
        locks.add(target, 'ACCESS EXCLUSIVE', 'scan');
        return;
      }
      // USING INDEX adopts a built index; a primary key still sets NOT NULL, which reads the rows
      // unless every key column already is NOT NULL.
      const keys = stringValues(constraint.keys);
      const index = table?.indexes.get(constraint.indexname);
      const columns = keys.length > 0 ? keys : (index?.keys ?? []).flatMap((key) => (key.column ? [key.column] : []));
      const nullable = constraint.contype === 'CONSTR_PRIMARY' && (table === undefined || columns.length === 0 || columns.some((name) => !table.columns.get(name)?.notNull));
      locks.add(target, 'ACCESS EXCLUSIVE', nullable ? 'scan' : 'none');
      return;
    }
    default:
      locks.add(target, 'ACCESS EXCLUSIVE', 'scan');
  }
}

/** CREATE TABLE locks nothing existing but the tables its foreign keys reference, and a partition's parent. */
function createTableLocks(migration: MigrationStatement, stmt: { tableElts?: Node[]; constraints?: Node[]; inhRelations?: Node[]; partbound?: unknown }, locks: LockList): void {
  // Plain loops, no intermediate lists: every CREATE TABLE of a pending migration comes here.
  const lockReferenced = (node: Node): void => {
    if ('Constraint' in node && node.Constraint.contype === 'CONSTR_FOREIGN') locks.add(migration.relationName(node.Constraint.pktable), 'SHARE ROW EXCLUSIVE', 'none');
  };
  for (const node of stmt.constraints ?? []) lockReferenced(node);
  for (const element of stmt.tableElts ?? []) {
    if ('Constraint' in element) lockReferenced(element);
    else if ('ColumnDef' in element) for (const node of element.ColumnDef.constraints ?? []) lockReferenced(node);
  }
  // CREATE TABLE ... PARTITION OF locks the parent fully; INHERITS only against schema changes.
  for (const parent of rangeVars(stmt.inhRelations)) locks.add(migration.relationName(parent), stmt.partbound ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE', 'none');
}

function dropLocks(migration: MigrationStatement, stmt: { objects?: Node[]; removeType?: string; concurrent?: boolean }, locks: LockList): void {
  const objects = stmt.objects ?? [];
  switch (stmt.removeType) {
    case 'OBJECT_INDEX':
      // DROP INDEX locks the index's table as fully as the index; CONCURRENTLY lets both be used meanwhile (index.c index_drop).
      for (const names of objects.map(nameList)) {
        locks.add(migration.indexOwner(names.length > 1 ? names[names.length - 2] : undefined, names[names.length - 1] ?? ''), stmt.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', 'none');
      }
      return;
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE':
      for (const names of objects.map(nameList)) {
        const qualified = migration.relationName(rangeVarOf(names));
        locks.add(qualified, 'ACCESS EXCLUSIVE', 'none');
        // Its foreign keys' triggers on the referenced tables go with it.
        for (const constraint of migration.catalog.tables.get(qualified ?? '')?.constraints.values() ?? []) {
          if (constraint.references && constraint.references.table !== qualified) locks.add(constraint.references.table, 'ACCESS EXCLUSIVE', 'none');
        }
      }
      return;
    case 'OBJECT_POLICY':
    case 'OBJECT_TRIGGER':
    case 'OBJECT_RULE':
      // The last name is the policy or trigger; the ones before it name its table.
      for (const names of objects.map(nameList)) locks.add(migration.relationName(rangeVarOf(names.slice(0, -1))), 'ACCESS EXCLUSIVE', 'none');
      return;
  }
}

function renameLocks(migration: MigrationStatement, stmt: { renameType?: string; relation?: RangeVar; object?: Node }, locks: LockList): void {
  switch (stmt.renameType) {
    case 'OBJECT_TABLE': case 'OBJECT_VIEW': case 'OBJECT_MATVIEW': case 'OBJECT_FOREIGN_TABLE':
    case 'OBJECT_COLUMN': case 'OBJECT_TABCONSTRAINT': case 'OBJECT_POLICY': case 'OBJECT_TRIGGER': case 'OBJECT_RULE':
      locks.add(migration.relationName(stmt.relation), 'ACCESS EXCLUSIVE', 'none');
      return;
    // Renaming an index locks the index alone (SHARE UPDATE EXCLUSIVE since PostgreSQL 12), not its table.
  }
}

function vacuumLocks(migration: MigrationStatement, stmt: { options?: Node[]; rels?: Node[]; is_vacuumcmd?: boolean }, locks: LockList): void {
  const full = (stmt.options ?? []).some((option) => 'DefElem' in option && option.DefElem.defname === 'full' && defElemIsTrue(option.DefElem));
  const relations = (stmt.rels ?? []).flatMap((node) => ('VacuumRelation' in node && node.VacuumRelation.relation ? [node.VacuumRelation.relation] : []));
  for (const relation of relations) {
    if (stmt.is_vacuumcmd && full) locks.add(migration.relationName(relation), 'ACCESS EXCLUSIVE', 'rewrite');
    else locks.add(migration.relationName(relation), 'SHARE UPDATE EXCLUSIVE', stmt.is_vacuumcmd ? 'scan' : 'none');
  }
}

function reindexLocks(migration: MigrationStatement, stmt: { kind?: string; relation?: RangeVar; params?: Node[] }, locks: LockList): void {
  const concurrently = (stmt.params ?? []).some((param) => 'DefElem' in param && param.DefElem.defname === 'concurrently' && defElemIsTrue(param.DefElem));
  // REINDEX blocks writes to the table (and every use of the index); CONCURRENTLY blocks neither (indexcmds.c ReindexIndex, ReindexTable).
  const mode: LockMode = concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
  if (stmt.kind === 'REINDEX_OBJECT_TABLE') locks.add(migration.relationName(stmt.relation), mode, 'scan');
  else if (stmt.kind === 'REINDEX_OBJECT_INDEX' && stmt.relation) locks.add(migration.indexOwner(stmt.relation.schemaname, stmt.relation.relname ?? ''), mode, 'scan');
}

function commentLocks(migration: MigrationStatement, stmt: { objtype?: string; object?: Node }, locks: LockList): void {
  // COMMENT ON takes SHARE UPDATE EXCLUSIVE on the relation (comment.c CommentObject).
  const names = nameList(stmt.object);
  switch (stmt.objtype) {
    case 'OBJECT_TABLE': case 'OBJECT_VIEW': case 'OBJECT_MATVIEW': case 'OBJECT_FOREIGN_TABLE':
      locks.add(migration.relationName(rangeVarOf(names)), 'SHARE UPDATE EXCLUSIVE', 'none');
      return;
    case 'OBJECT_COLUMN':
      locks.add(migration.relationName(rangeVarOf(names.slice(0, -1))), 'SHARE UPDATE EXCLUSIVE', 'none');
      return;
  }
}

/**
 * Relation options PostgreSQL lets change under SHARE UPDATE EXCLUSIVE (reloptions.c, each
 * option's lockmode): the storage and vacuum tuning ones. Anything else (`user_catalog_table`,
 * a view's `security_invoker` or `check_option`) takes ACCESS EXCLUSIVE.
 */
const LIGHT_RELATION_OPTIONS = new Set([
  'fillfactor', 'toast_tuple_target', 'parallel_workers', 'vacuum_index_cleanup', 'vacuum_truncate', 'log_autovacuum_min_duration',
  'autovacuum_enabled', 'autovacuum_vacuum_threshold', 'autovacuum_vacuum_insert_threshold', 'autovacuum_vacuum_scale_factor',
  'autovacuum_vacuum_insert_scale_factor', 'autovacuum_analyze_threshold', 'autovacuum_analyze_scale_factor', 'autovacuum_vacuum_cost_delay',
  'autovacuum_vacuum_cost_limit', 'autovacuum_freeze_min_age', 'autovacuum_freeze_max_age', 'autovacuum_freeze_table_age',
  'autovacuum_multixact_freeze_min_age', 'autovacuum_multixact_freeze_max_age', 'autovacuum_multixact_freeze_table_age',
]);

function relOptionsLock(def: Node | undefined): LockMode {
  const options = def && 'List' in def ? def.List.items ?? [] : [];
  const light = options.every((option) => 'DefElem' in option && LIGHT_RELATION_OPTIONS.has(option.DefElem.defname ?? ''));
  return options.length > 0 && light ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
}

function isNotNullTest(ast: Node | undefined, columnName: string): boolean {
  if (!ast || !('NullTest' in ast) || ast.NullTest.nulltesttype !== 'IS_NOT_NULL' || !ast.NullTest.arg) return false;
  return namesOnlyColumn(ast.NullTest.arg as Node, columnName);
}

function defElemIsTrue(element: DefElem): boolean {
  const arg = element.arg;
  if (!arg) return true;
  if ('Boolean' in arg) return arg.Boolean.boolval === true;
  if ('String' in arg) return !['false', 'off', '0', 'no'].includes((arg.String.sval ?? '').toLowerCase());
  if ('Integer' in arg) return arg.Integer.ival !== 0;
  return true;
}

function rangeVars(nodes: Node[] | undefined): RangeVar[] {
  return (nodes ?? []).flatMap((node) => ('RangeVar' in node ? [node.RangeVar] : []));
}

/** The names of a `List` of `String`s (DROP's objects, COMMENT's object), or of a lone String. */
function nameList(node: Node | undefined): string[] {
  if (!node) return [];
  if ('List' in node) return stringValues(node.List.items);
  if ('String' in node) return [node.String.sval ?? ''];
  return [];
}

function stringValues(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) => ('String' in node ? [node.String.sval ?? ''] : []));
}

function rangeVarOf(names: string[]): RangeVar | undefined {
  if (names.length === 0) return undefined;
  return names.length > 1 ? { schemaname: names[names.length - 2], relname: names[names.length - 1] } : { relname: names[0] };
}
