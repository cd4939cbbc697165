import type { AlterTableCmd, ColumnDef, ConstrType, Constraint as ConstraintNode } from '@pgsql/types';
import type { Table } from '../catalog/model';
import { constraintName } from '../catalog/replay/tables';
import type { SourceSpan } from '../sql/span';
import type { MigrationStatement } from './migrationStatement';

/** A constraint an ALTER TABLE adds, as a safety finding needs it. */
export interface AddedConstraint {
  node: ConstraintNode;
  /** The column definition of a constraint written on an added column (`add column x int check (x > 0)`). */
  column?: ColumnDef;
  /** Its name, or the one PostgreSQL will give it. */
  name: string;
  /** Its clause (the column definition for a column constraint), where findings go; undefined without a location. */
  clause?: SourceSpan;
}

/**
 * The constraints of one kind that an ALTER TABLE's commands add to `table`: ADD CONSTRAINT, and
 * the constraints written on an ADD COLUMN.
 */
export function addedConstraints(migration: MigrationStatement, table: Table, commands: readonly AlterTableCmd[], kind: ConstrType): AddedConstraint[] {
  const added: AddedConstraint[] = [];
  const add = (node: ConstraintNode, column: ColumnDef | undefined): void => {
    const clause = migration.clauseAt(column ? column.location : node.location);
    added.push({ node, ...(column ? { column } : {}), name: constraintName(table, node, column?.colname), ...(clause ? { clause } : {}) });
  };
  for (const { subtype, def } of commands) {
    if (subtype === 'AT_AddConstraint' && def && 'Constraint' in def && def.Constraint.contype === kind) add(def.Constraint, undefined);
    if (subtype !== 'AT_AddColumn' || !def || !('ColumnDef' in def)) continue;
    for (const node of def.ColumnDef.constraints ?? []) {
      if ('Constraint' in node && node.Constraint.contype === kind) add(node.Constraint, def.ColumnDef);
    }
  }
  return added;
}
