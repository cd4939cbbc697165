/**
 * What a migration-safety rule sees: one statement of a pending migration, with the catalog as it
 * stands just before the statement runs (what the applied migrations and the earlier statements
 * built), so that a rule knows whether a table is new, what a column's type was, or whether a
 * CHECK was validated three files ago.
 */
import type { RangeVar } from '@pgsql/types';
import type { Catalog, Table, View } from '../catalog/model';
import type { ParsedFile, ParsedStatement } from '../sql/parseSqlFile';
import type { SourceSpan } from '../sql/span';
import type { TableLock } from './locks';
import type { PendingMigrations } from './pendingMigrations';
import type { RunnerTransaction } from './runnerTransactions';

/** One statement of a pending migration, and what a rule may ask about it. */
export interface MigrationStatement {
  /** The catalog just before this statement runs. Read it; never change or keep it. */
  catalog: Catalog;
  file: ParsedFile;
  statement: ParsedStatement;
  /** The search path in force for this statement (a file's `SET search_path` changes it). */
  searchPath: readonly string[];
  /** The pending migrations, or undefined when every file counts as pending. */
  pending: PendingMigrations | undefined;
  /** How the project's runner applies this file (one transaction, statements split out, ...). */
  transaction: RunnerTransaction;
  /**
   * True when the table (or materialized view) is new, so empty: created by a pending migration,
   * or, when there is no list of pending migrations, earlier in this same file. A table the
   * platform provides or that no migration created is never new.
   */
  isNewTable(table: Table | View): boolean;
  /** The table a statement names, resolved along the search path as PostgreSQL would; undefined when it does not exist. */
  tableOf(relation: RangeVar | undefined): Table | undefined;
  /**
   * `schema.name` of the relation a statement names, resolved along the search path as PostgreSQL
   * would (the first schema of the path when no schema has it); undefined without a relation.
   */
  relationName(relation: RangeVar | undefined): string | undefined;
  /** `schema.name` of the table or materialized view that owns an index, resolved along the search path; undefined when no relation has it. */
  indexOwner(schema: string | undefined, name: string): string | undefined;
  /**
   * The span in the file of the clause that starts at a parse-tree `location` of this statement
   * (a ColumnDef, a Constraint): up to the next comma or unmatched parenthesis at its depth, or up
   * to `before` (the location of the next clause) when given. Undefined when the tree gives no
   * location; then report on `statement.span`.
   */
  clauseAt(location: number | undefined, before?: number): SourceSpan | undefined;
  /** The table locks this statement takes (`statementLocks`), computed once and shared by the rules. */
  locks(): readonly TableLock[];
  /**
   * Memory a rule keeps across the statements of one file (a `SET lock_timeout` seen, a NOT VALID
   * constraint added), keyed by rule id; new for each file.
   */
  fileMemory: Map<string, unknown>;
}
