/**
 * ADD PRIMARY KEY and ADD UNIQUE without USING INDEX on a table that already holds rows: the
 * constraint's unique index is built inside the ALTER TABLE, under its ACCESS EXCLUSIVE lock. The
 * two rules (add_primary_key_without_index, add_unique_constraint_without_index) differ only in
 * the constraint kind, so they share this check.
 */
import type { ColumnDef, Constraint as ConstraintNode } from '@pgsql/types';
import { objectKey } from '../catalog/model';
import { chooseName, columnsAddition } from '../catalog/replay/chooseName';
import { stringList } from '../catalog/replay/names';
import { isRelationNameTakenIn } from '../catalog/replay/relations';
import type { Suggestion } from '../finding';
import type { RuleReport } from '../rules/defineRule';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { alterOfExistingTable, columnConstraint, columnFindingPlace, type ExistingTableAlter } from './existingTableAlter';
import { describeLock } from './locks';
import type { MigrationStatement } from './migrationStatement';

/** Which key constraint a rule judges. */
export type KeyConstraintKind = 'CONSTR_PRIMARY' | 'CONSTR_UNIQUE';

/**
 * The findings on the key constraints of `kind` a statement adds to an existing table without
 * USING INDEX: table constraints (ADD [CONSTRAINT name] PRIMARY KEY (...)) with a suggestion to
 * build the index concurrently first, and column constraints of an added column.
 */
export function keyConstraintsWithoutIndex(migration: MigrationStatement, kind: KeyConstraintKind): RuleReport[] {
  const alter = alterOfExistingTable(migration);
  if (!alter) return [];
  const reports: RuleReport[] = [];
  for (const command of alter.commands) {
    if (command.subtype === 'AT_AddConstraint' && command.def && 'Constraint' in command.def) {
      const constraint = command.def.Constraint;
      if (constraint.contype === kind && !constraint.indexname) reports.push(tableConstraintReport(migration, alter, constraint));
    } else if (command.subtype === 'AT_AddColumn' && command.def && 'ColumnDef' in command.def) {
      const def = command.def.ColumnDef;
      if (def.colname && !alter.table.columns.has(def.colname) && columnConstraint(def, kind)) reports.push(columnConstraintReport(migration, alter, def, kind));
    }
  }
  return reports;
}

const KIND_WORDS: Record<KeyConstraintKind, string> = { CONSTR_PRIMARY: 'PRIMARY KEY', CONSTR_UNIQUE: 'UNIQUE' };

function tableConstraintReport(migration: MigrationStatement, alter: ExistingTableAlter, constraint: ConstraintNode): RuleReport {
  const kind = constraint.contype as KeyConstraintKind;
  const columns = stringList(constraint.keys);
  const name = constraint.conname ?? indexName(migration, alter, kind, [...columns, ...stringList(constraint.including)]);
  const nullable = kind === 'CONSTR_PRIMARY' ? columns.filter((column) => alter.table.columns.get(column)?.notNull === false) : [];
  const notNullWords = nullable.length > 0 ? ` It also sets ${nullable.join(', ')} NOT NULL, which reads every row again.` : '';
  const partitioned = alter.table.kind === 'partitioned';
  const span = migration.clauseAt(constraint.location);
  const suggestion = partitioned ? undefined : indexFirst(alter, constraint, name, columns, nullable);
  return {
    object: `${alter.qualified}.${name}`,
    objectKey: objectKey.constraint(alter.qualified, name),
    message: `ADD ${KIND_WORDS[kind]} (${columns.join(', ')}) on ${alter.qualified} builds its unique index inside the ALTER TABLE, which ${describeLock({ table: alter.qualified, mode: 'ACCESS EXCLUSIVE', work: 'scan' })}.${notNullWords} ${
      partitioned
        ? 'A partitioned table takes no USING INDEX: build a unique index concurrently on each partition, then add the constraint, whose index then attaches them.'
        : 'Build the unique index with CREATE UNIQUE INDEX CONCURRENTLY first, then add the constraint USING INDEX, which takes the lock only for a moment.'
    }`,
    ...(span ? { span } : {}),
    ...(suggestion ? { suggestions: [suggestion] } : {}),
  };
}

function columnConstraintReport(migration: MigrationStatement, alter: ExistingTableAlter, def: ColumnDef, kind: KeyConstraintKind): RuleReport {
  const column = def.colname!;
  return {
    ...columnFindingPlace(migration, alter, column, def.location),
    message: `ADD COLUMN ${column} ${KIND_WORDS[kind]} on ${alter.qualified} builds a unique index inside the ALTER TABLE, which ${describeLock({ table: alter.qualified, mode: 'ACCESS EXCLUSIVE', work: 'scan' })}. Add the column first, build the unique index with CREATE UNIQUE INDEX CONCURRENTLY, then add the constraint USING INDEX.`,
  };
}

/** The name PostgreSQL gives the constraint and its index: `<table>_pkey`, `<table>_<columns>_key` (ChooseIndexName). */
function indexName(migration: MigrationStatement, alter: ExistingTableAlter, kind: KeyConstraintKind, columns: string[]): string {
  const { table } = alter;
  const addition = kind === 'CONSTR_PRIMARY' ? undefined : columnsAddition(columns);
  return chooseName(table.name, addition, kind === 'CONSTR_PRIMARY' ? 'pkey' : 'key', (name) => isRelationNameTakenIn(migration.catalog, table.schema, name) || table.constraints.has(name));
}

/**
 * CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX, as two migrations (a
 * runner that wraps a file in a transaction cannot run CONCURRENTLY in it). Offered when the
 * constraint has no options an index cannot carry over (WITH, USING INDEX TABLESPACE).
 */
function indexFirst(alter: ExistingTableAlter, constraint: ConstraintNode, name: string, columns: string[], nullable: string[]): Suggestion | undefined {
  if (columns.length === 0 || constraint.options?.length || constraint.indexspace || constraint.without_overlaps) return undefined;
  const kind = constraint.contype as KeyConstraintKind;
  const table = quoteQualified(alter.table.schema, alter.table.name);
  const index = quoteIdent(name);
  const including = stringList(constraint.including);
  const include = including.length > 0 ? ` include (${including.map(quoteIdent).join(', ')})` : '';
  const nullsNotDistinct = constraint.nulls_not_distinct ? ' nulls not distinct' : '';
  const deferrable = `${constraint.deferrable ? ' deferrable' : ''}${constraint.initdeferred ? ' initially deferred' : ''}`;
  const lines = [`create unique index concurrently ${index} on ${table} (${columns.map(quoteIdent).join(', ')})${include}${nullsNotDistinct};`];
  lines.push('-- In a later migration:');
  if (nullable.length > 0) {
    lines.push(`-- ${nullable.join(', ')} ${nullable.length === 1 ? 'is' : 'are'} nullable: set ${nullable.length === 1 ? 'it' : 'them'} NOT NULL behind a validated CHECK first, or the next statement reads every row under its lock.`);
  }
  lines.push(`alter table ${table} add constraint ${index} ${kind === 'CONSTR_PRIMARY' ? 'primary key' : 'unique'} using index ${index}${deferrable};`);
  return { title: `Build ${name} concurrently, then add the ${KIND_WORDS[kind]} using it`, sql: `${lines.join('\n')}\n` };
}
