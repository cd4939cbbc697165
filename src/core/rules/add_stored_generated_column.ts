import type { ColumnDef } from '@pgsql/types';
import { addedColumns, alterOfExistingTable, columnConstraint, columnFindingPlace, isSerialColumn } from '../safety/existingTableAlter';
import { describeLock } from '../safety/locks';
import { defineRule } from './defineRule';

export default defineRule({
  id: 'add_stored_generated_column',
  name: 'Add Stored Generated Column',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration adds a STORED generated column, a serial column or an identity column to a table that already holds rows, so PostgreSQL computes a value for every row and rewrites the whole table while reads and writes wait.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration) {
    const alter = alterOfExistingTable(migration);
    if (!alter) return [];
    return addedColumns(alter).flatMap((def) => {
      const kind = rewritingKind(def);
      if (!kind) return [];
      const column = def.colname!;
      const lock = describeLock({ table: alter.qualified, mode: 'ACCESS EXCLUSIVE', work: 'rewrite' });
      return [
        {
          ...columnFindingPlace(migration, alter, column, def.location),
          message: `ADD COLUMN ${column} on ${alter.qualified} adds ${KIND_WORDS[kind]}: every existing row needs its value, so the ALTER TABLE ${lock}. ${KIND_ADVICE[kind]}`,
        },
      ];
    });
  },
});

type RewritingKind = 'generated' | 'serial' | 'identity';

const KIND_WORDS: Record<RewritingKind, string> = {
  generated: 'a STORED generated column',
  serial: 'a serial column (a new sequence as its default)',
  identity: 'an identity column',
};

const KIND_ADVICE: Record<RewritingKind, string> = {
  generated: 'Add a plain nullable column, fill it for new rows with a trigger, backfill the old rows in batches; or, on PostgreSQL 18, make it VIRTUAL.',
  serial: 'Add a plain nullable integer column, create the sequence and set the column\'s default to its nextval, then backfill the old rows in batches.',
  identity: 'Add a plain nullable integer column, set its default to a sequence\'s nextval, backfill the old rows in batches, then set NOT NULL behind a validated CHECK.',
};

/** What makes PostgreSQL compute the new column for every row, if anything (ATExecAddColumn in tablecmds.c). */
function rewritingKind(def: ColumnDef): RewritingKind | undefined {
  const generated = columnConstraint(def, 'CONSTR_GENERATED');
  // PostgreSQL 18's VIRTUAL columns are computed when read, and store nothing.
  if (generated && generated.generated_kind !== 'v') return 'generated';
  if (columnConstraint(def, 'CONSTR_IDENTITY')) return 'identity';
  return isSerialColumn(def) ? 'serial' : undefined;
}
