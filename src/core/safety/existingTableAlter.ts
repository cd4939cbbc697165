/**
 * What the column and key safety rules share: the ALTER TABLE of a pending statement on a table
 * that already holds rows, the commands it runs there, and how a finding names a column.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, ConstrType, Constraint as ConstraintNode, TypeName } from '@pgsql/types';
import { objectKey, type Table, type TypeDef } from '../catalog/model';
import { formatTypeName, SERIAL_TYPE_NAMES } from '../sql/formatTypeName';
import type { RuleReport } from '../rules/defineRule';
import type { MigrationStatement } from './migrationStatement';

/** An ALTER TABLE of a pending migration on a table that already holds rows, and its commands. */
export interface ExistingTableAlter {
  table: Table;
  /** Qualified table name, `public.bookings`. */
  qualified: string;
  commands: AlterTableCmd[];
}

/**
 * The statement's ALTER TABLE when it changes an existing table with rows of its own; undefined
 * for a table a pending migration created (empty), a foreign table (no storage to rewrite or
 * scan), a platform table (not the migrations' to judge), a view, or a table the catalog lacks.
 */
export function alterOfExistingTable(migration: MigrationStatement): ExistingTableAlter | undefined {
  const stmt = (migration.statement.node as { AlterTableStmt?: AlterTableStmt }).AlterTableStmt;
  if (!stmt || stmt.objtype !== 'OBJECT_TABLE') return undefined;
  const table = migration.tableOf(stmt.relation);
  if (!table || table.platform || table.kind === 'foreign' || migration.isNewTable(table)) return undefined;
  const commands = (stmt.cmds ?? []).flatMap((node) => ('AlterTableCmd' in node ? [node.AlterTableCmd] : []));
  return { table, qualified: `${table.schema}.${table.name}`, commands };
}

/**
 * The column definitions the ALTER TABLE adds. ADD COLUMN IF NOT EXISTS of a column that is
 * already there does nothing, so it is left out.
 */
export function addedColumns(alter: ExistingTableAlter): ColumnDef[] {
  const added: ColumnDef[] = [];
  for (const command of alter.commands) {
    if (command.subtype !== 'AT_AddColumn' || !command.def || !('ColumnDef' in command.def)) continue;
    const def = command.def.ColumnDef;
    if (!def.colname || alter.table.columns.has(def.colname)) continue;
    added.push(def);
  }
  return added;
}

/** The first constraint of one kind in a column definition (`CONSTR_DEFAULT`, `CONSTR_IDENTITY`, ...). */
export function columnConstraint(def: ColumnDef, kind: ConstrType): ConstraintNode | undefined {
  for (const node of def.constraints ?? []) {
    if ('Constraint' in node && node.Constraint.contype === kind) return node.Constraint;
  }
  return undefined;
}

/**
 * The object, key and place of a finding about one column of the altered table: on the column's
 * clause when the parse tree locates it, otherwise (span undefined) on the statement.
 */
export function columnFindingPlace(migration: MigrationStatement, alter: ExistingTableAlter, column: string, location: number | undefined): Pick<RuleReport, 'object' | 'objectKey' | 'span'> {
  const span = migration.clauseAt(location);
  return { object: `${alter.qualified}.${column}`, objectKey: objectKey.column(alter.qualified, column), ...(span ? { span } : {}) };
}

/** True for a `serial`, `bigserial` or `smallserial` column: an integer with a new sequence as its default. */
export function isSerialColumn(def: ColumnDef): boolean {
  const names = def.typeName?.names ?? [];
  const only = names.length === 1 ? names[0] : undefined;
  return only !== undefined && 'String' in only && SERIAL_TYPE_NAMES.has(only.String.sval ?? '') && !def.typeName?.arrayBounds?.length;
}

/** A type name as `format_type` prints it (`character varying(20)`), user types resolved along the statement's search path. */
export function columnTypeText(migration: MigrationStatement, typeName: TypeName | undefined): string {
  return formatTypeName(typeName, (name) => userTypeSchema(migration, name));
}

/** The catalog's user type (enum, domain, ...) a type name names, if it names one. */
export function userTypeOf(migration: MigrationStatement, typeName: TypeName | undefined): TypeDef | undefined {
  const names = (typeName?.names ?? []).map((node) => ('String' in node ? node.String.sval ?? '' : ''));
  if (names.length === 0 || typeName?.arrayBounds?.length) return undefined;
  const name = names[names.length - 1];
  const schema = names.length > 1 ? names[names.length - 2] : userTypeSchema(migration, name);
  return schema === undefined ? undefined : migration.catalog.types.get(`${schema}.${name}`);
}

function userTypeSchema(migration: MigrationStatement, name: string): string | undefined {
  return migration.searchPath.find((schema) => migration.catalog.types.has(`${schema}.${name}`));
}
