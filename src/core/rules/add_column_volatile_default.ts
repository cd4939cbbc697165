import type { ColumnDef, Constraint as ConstraintNode } from '@pgsql/types';
import { columnDefaultText, tokensOfStatement } from '../catalog/replay/expressions';
import type { Suggestion } from '../finding';
import { addedColumns, alterOfExistingTable, columnConstraint, columnFindingPlace, columnTypeText, userTypeOf, type ExistingTableAlter } from '../safety/existingTableAlter';
import { describeLock } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { volatileCallsIn } from '../safety/volatileCalls';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { defineRule } from './defineRule';

export default defineRule({
  id: 'add_column_volatile_default',
  name: 'Add Column Volatile Default',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration adds a column whose default calls a VOLATILE function (gen_random_uuid(), random(), clock_timestamp(), nextval()) to a table that already holds rows, so PostgreSQL computes the default for every row and rewrites the whole table while reads and writes wait.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration) {
    const alter = alterOfExistingTable(migration);
    if (!alter) return [];
    return addedColumns(alter).flatMap((def) => {
      const defaultConstraint = columnConstraint(def, 'CONSTR_DEFAULT');
      // Without a default of its own, the column takes its domain's.
      const domainDefault = defaultConstraint ? undefined : userTypeOf(migration, def.typeName)?.default?.ast;
      const volatileCalls = volatileCallsIn(defaultConstraint?.raw_expr ?? domainDefault, migration);
      if (volatileCalls.length === 0) return [];
      const column = def.colname!;
      const lock = describeLock({ table: alter.qualified, mode: 'ACCESS EXCLUSIVE', work: 'rewrite' });
      const suggestion = defaultConstraint ? defaultAfterAdding(migration, alter, def, defaultConstraint) : undefined;
      return [
        {
          ...columnFindingPlace(migration, alter, column, def.location),
          message: `ADD COLUMN ${column} on ${alter.qualified} has a default${domainDefault ? ` (its domain's, ${columnTypeText(migration, def.typeName)})` : ''} that calls ${volatileCalls.map((name) => `${name}()`).join(', ')}, which is VOLATILE: PostgreSQL computes it for every existing row, so the ALTER TABLE ${lock}. A constant or STABLE default (now(), 'eu') would be stored once, without a rewrite. Add the column without this default, set the default for new rows, then backfill the existing rows in batches.`,
          ...(suggestion ? { suggestions: [suggestion] } : {}),
        },
      ];
    });
  },
});

/**
 * The column added without a default, then the default set for new rows (SET DEFAULT touches no
 * existing row), then a backfill of the old rows in batches. Offered only for a column whose
 * definition is its type, the default and NOT NULL: other constraints need their own steps.
 */
function defaultAfterAdding(migration: MigrationStatement, alter: ExistingTableAlter, def: ColumnDef, defaultConstraint: ConstraintNode): Suggestion | undefined {
  const kinds = (def.constraints ?? []).map((node) => ('Constraint' in node ? node.Constraint.contype : undefined));
  if (def.collClause || !kinds.every((kind) => kind === 'CONSTR_DEFAULT' || kind === 'CONSTR_NOTNULL' || kind === 'CONSTR_NULL')) return undefined;
  const defaultText = columnDefaultText(tokensOfStatement(migration.statement, migration.file.lines), defaultConstraint.location);
  if (!defaultText) return undefined;
  const table = quoteQualified(alter.table.schema, alter.table.name);
  const column = quoteIdent(def.colname!);
  const lines = [
    `alter table ${table} add column ${column} ${columnTypeText(migration, def.typeName)};`,
    `alter table ${table} alter column ${column} set default ${defaultText};`,
    `-- Backfill the existing rows in batches: update ${table} set ${column} = ${defaultText} where ${column} is null and ...;`,
  ];
  if (kinds.includes('CONSTR_NOTNULL')) lines.push(`-- Then set ${def.colname} NOT NULL behind a validated CHECK (${def.colname} is not null), in later migrations.`);
  return { title: `Add ${def.colname} without the volatile default, set the default, then backfill`, sql: `${lines.join('\n')}\n` };
}
