import type { DropStmt, Node } from '@pgsql/types';
import { describeLock } from '../safety/locks';
import { concurrentlyFix } from './concurrentlyFix';
import { defineRule } from './defineRule';

export default defineRule({
  id: 'drop_index_non_concurrently',
  name: 'Drop Index Non Concurrently',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration drops an index of a table that already holds rows without CONCURRENTLY, so every read and write of the table waits for the lock, and queues behind any long transaction that uses the table.',
  statementKinds: ['DropStmt'],
  checkStatement(migration) {
    const stmt = (migration.statement.node as { DropStmt: DropStmt }).DropStmt;
    if (stmt.removeType !== 'OBJECT_INDEX' || stmt.concurrent) return [];
    const objects = stmt.objects ?? [];
    return objects.flatMap((object) => {
      const names = stringValues(object);
      const name = names[names.length - 1];
      if (!name) return [];
      const owner = migration.indexOwner(names.length > 1 ? names[names.length - 2] : undefined, name);
      const table = owner === undefined ? undefined : migration.catalog.tables.get(owner);
      if (!owner || !table || table.platform || migration.isNewTable(table)) return [];
      const lock = describeLock({ table: owner, mode: 'ACCESS EXCLUSIVE', work: 'none' });
      // PostgreSQL allows CONCURRENTLY for one index at a time, without CASCADE, and not for an
      // index of a partitioned table (index.c index_drop, tablecmds.c RemoveRelations).
      const blocker =
        table.kind === 'partitioned'
          ? `${owner} is partitioned, and an index of a partitioned table cannot be dropped concurrently: drop it when the table is quiet, with a lock_timeout.`
          : objects.length > 1
            ? 'DROP INDEX CONCURRENTLY takes one index: drop each in its own statement with CONCURRENTLY.'
            : stmt.behavior === 'DROP_CASCADE'
              ? 'DROP INDEX CONCURRENTLY does not allow CASCADE: drop what depends on the index first, then the index with CONCURRENTLY.'
              : undefined;
      return [
        {
          object: owner,
          objectKey: `index:${owner}/${name}`,
          message: `DROP INDEX ${name} ${lock}, and waits behind every transaction using the table. ${blocker ?? 'Drop it with DROP INDEX CONCURRENTLY.'}`,
          ...(blocker ? {} : { fix: concurrentlyFix(migration, 'Drop the index with DROP INDEX CONCURRENTLY') }),
        },
      ];
    });
  },
});


function stringValues(node: Node): string[] {
  const items = 'List' in node ? node.List.items ?? [] : [node];
  return items.flatMap((item) => ('String' in item ? [item.String.sval ?? ''] : []));
}
