import type { Table } from '../catalog/model';
import type { Fix } from '../finding';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';

/** PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes. */
const MAX_IDENTIFIER_LENGTH = 63;

/**
 * The fix that adds a btree index on columns of a table, shared by the rules that find a missing
 * index (unindexed foreign keys, policy columns). The name follows PostgreSQL's own choice for an
 * unnamed index (`bookings_user_id_idx`), so two rules asking for the same index write the same
 * statement, and `if not exists` makes the second one a no-op.
 */
export function createIndexFix(table: Table, columns: string[]): Fix {
  const qualified = quoteQualified(table.schema, table.name);
  const list = columns.map(quoteIdent).join(', ');
  const stem = `${table.name}_${columns.join('_')}`.slice(0, MAX_IDENTIFIER_LENGTH - '_idx'.length);
  return {
    title: `Create an index on ${table.schema}.${table.name}(${columns.join(', ')})`,
    // PostgreSQL cannot build an index on a partitioned table concurrently; built on the parent,
    // it is built on every partition.
    sql: `create index ${table.kind === 'partitioned' ? '' : 'concurrently '}if not exists ${quoteIdent(`${stem}_idx`)} on ${qualified} using btree (${list});\n`,
  };
}
