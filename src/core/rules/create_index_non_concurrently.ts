import type { IndexStmt } from '@pgsql/types';
import { tokensOfStatement } from '../catalog/replay/expressions';
import type { Fix } from '../finding';
import { describeLock } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { defineRule } from './defineRule';

export default defineRule({
  id: 'create_index_non_concurrently',
  name: 'Create Index Non Concurrently',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration builds an index on a table that already holds rows without CONCURRENTLY, so every INSERT, UPDATE and DELETE on the table waits until the whole table has been read and the index built.',
  statementKinds: ['IndexStmt'],
  checkStatement(migration) {
    const stmt = (migration.statement.node as { IndexStmt: IndexStmt }).IndexStmt;
    if (stmt.concurrent) return [];
    const table = migration.tableOf(stmt.relation);
    if (!table || table.platform || migration.isNewTable(table)) return [];
    const qualified = `${table.schema}.${table.name}`;
    const lock = describeLock({ table: qualified, mode: 'SHARE', work: 'scan' });
    // PostgreSQL cannot build an index on a partitioned table concurrently: the way round is an
    // index per partition, attached to one made ON ONLY the parent, which is a choice to make.
    const partitioned = table.kind === 'partitioned';
    return [
      {
        object: qualified,
        objectKey: `index:${qualified}/${stmt.idxname ?? '(unnamed)'}`,
        message: partitioned
          ? `CREATE INDEX on the partitioned table ${qualified} ${lock}. CONCURRENTLY is not allowed on a partitioned table: create the index concurrently on each partition, then attach them to an index created ON ONLY the parent.`
          : `CREATE INDEX on ${qualified} without CONCURRENTLY ${lock}. Build it with CREATE INDEX CONCURRENTLY.`,
        ...(partitioned ? {} : { fix: concurrentlyFix(migration) }),
      },
    ];
  },
});

/** Writes CONCURRENTLY after the INDEX keyword of the statement, in place. */
function concurrentlyFix(migration: MigrationStatement): Fix | undefined {
  const { statement, file } = migration;
  const { tokens } = tokensOfStatement(statement, file.lines);
  const index = tokens.findIndex((token) => token.keyword === 'index');
  if (index < 0) return undefined;
  const at = statement.span.start + tokens[index].end;
  const sqlText = `${statement.text.slice(0, tokens[index].end)} concurrently${statement.text.slice(tokens[index].end)};\n`;
  return {
    title: 'Build the index with CREATE INDEX CONCURRENTLY',
    sql: sqlText,
    edit: { file: file.path, start: at, end: at, text: ' concurrently' },
    editOnly: true,
  };
}
