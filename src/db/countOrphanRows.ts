/**
 * Counts the orphan rows behind `missing_foreign_key`: for each column that looks like a reference
 * but has no foreign key, the rows of the live database whose id matches no row of the table its
 * name points at, which would make `validate constraint` fail. Read-only, in one query.
 */
import type { CancellationToken } from '../core/cancellation';
import type { Catalog } from '../core/catalog/model';
import { isManagedSchema } from '../core/catalog/platform';
import type { ResolvedConfig } from '../core/config';
import { TimeoutError } from '../core/errors';
import { findMissingForeignKeys } from '../core/rules/findMissingForeignKeys';
import { quoteIdent, quoteQualified } from '../core/sql/quoteIdent';
import type { ConnectionOptions } from './connection';
import type { IntrospectionWarning } from './introspect';
import { withReadOnlySession } from './readOnlySession';

/**
 * Counts the orphan rows of each candidate column of a live database's catalog and stores them in
 * the table's `statistics.orphanRows`, which the rule quotes. One query for all of them, in a READ
 * ONLY transaction under the connection's statement timeout: a count that runs longer, or a table
 * the role may not read, leaves the counts out with a warning, and the review goes on.
 */
export async function countOrphanRows(connection: ConnectionOptions, catalog: Catalog, config: ResolvedConfig, token?: CancellationToken): Promise<IntrospectionWarning[]> {
  const candidates = findMissingForeignKeys(catalog, { profile: config.profile, isManagedSchema: (schema) => isManagedSchema(config.profile, schema) });
  if (candidates.length === 0) return [];
  const counts = candidates.map((candidate, index) => {
    const table = catalog.tables.get(candidate.table)!;
    const target = catalog.tables.get(candidate.referencedTable)!;
    const column = quoteIdent(candidate.column);
    return `select ${index} as candidate, count(*) as orphans from ${quoteQualified(table.schema, table.name)} child
  where child.${column} is not null
    and not exists (select from ${quoteQualified(target.schema, target.name)} parent where parent.${quoteIdent(candidate.referencedColumn)} = child.${column})`;
  });
  const family = 'orphan rows (missing_foreign_key)';
  try {
    const result = await withReadOnlySession(connection, (session) => session.queryGuarded<{ candidate: number; orphans: string }>(counts.join('\nunion all\n'), token), token);
    if (result.error) return [{ family, message: `Cannot count the orphan rows of ${candidates.length} ${candidates.length === 1 ? 'column' : 'columns'} without a foreign key (${result.error.message.split('\n')[0]}); missing_foreign_key reports them without counts.` }];
    for (const row of result.rows) {
      const candidate = candidates[row.candidate];
      const table = catalog.tables.get(candidate.table)!;
      table.statistics ??= {};
      table.statistics.orphanRows ??= new Map();
      table.statistics.orphanRows.set(candidate.column, Number(row.orphans));
    }
    return [];
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    return [{ family, message: `${error.message} It counted the orphan rows of ${candidates.length} ${candidates.length === 1 ? 'column' : 'columns'} without a foreign key; missing_foreign_key reports them without counts.` }];
  }
}
