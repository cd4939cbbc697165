import { objectKey } from '../catalog/model';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';
import { findMissingForeignKeys } from './findMissingForeignKeys';

/**
 * Correctness, not performance: what a missing key costs is rows that point at nothing (a booking
 * of a deleted vendor), which no index brings back. Info, because the check reads names: the
 * column may reference another system on purpose.
 */
export default defineRule({
  id: 'missing_foreign_key',
  name: 'Missing Foreign Key',
  level: 'info',
  category: 'correctness',
  needs: 'S',
  quotesDatabaseFacts: true,
  description: 'A column named after a table (`vendor_id` for `vendors`) has the type of that table\'s primary key but no foreign key, so its rows can point at rows that do not exist.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const missing of findMissingForeignKeys(catalog, context)) {
      const table = catalog.tables.get(missing.table)!;
      const target = catalog.tables.get(missing.referencedTable)!;
      const constraintName = `${table.name}_${missing.column}_fkey`.slice(0, 63);
      const orphans = table.statistics?.orphanRows?.get(missing.column);
      const reference = `${missing.referencedTable}(${missing.referencedColumn})`;
      const counted = orphans === undefined
        ? ''
        : orphans === 0
          ? ' The database has no orphan rows: the constraint can be validated right after it is added.'
          : ` The database has ${orphans} ${orphans === 1 ? 'row' : 'rows'} whose ${missing.column} matches no row of ${missing.referencedTable}: delete or repair ${orphans === 1 ? 'it' : 'them'} before VALIDATE CONSTRAINT.`;
      reports.push({
        object: `${missing.table}.${missing.column}`,
        objectKey: objectKey.column(missing.table, missing.column),
        message: `Column ${missing.table}.${missing.column} is named after ${missing.referencedTable} and has the type of its primary key, but no foreign key: rows can point at ${missing.referencedTable} rows that do not exist.${counted}`,
        span: table.columns.get(missing.column)?.clauseAt ?? table.columns.get(missing.column)?.origin.definedAt ?? table.origin.definedAt,
        // A suggestion, not a fix: the name is a guess, and ON DELETE is the team's choice.
        suggestions: [{
          title: `Add a foreign key from ${missing.table}(${missing.column}) to ${reference}, NOT VALID`,
          sql: `alter table ${quoteQualified(table.schema, table.name)} add constraint ${quoteIdent(constraintName)}\n  foreign key (${quoteIdent(missing.column)}) references ${quoteQualified(target.schema, target.name)} (${quoteIdent(missing.referencedColumn)}) not valid;\n`
            + `-- Then, in a later migration, once no ${missing.column} points at a missing row:\n`
            + `-- alter table ${quoteQualified(table.schema, table.name)} validate constraint ${quoteIdent(constraintName)};\n`,
        }],
      });
    }
    return reports;
  },
});
