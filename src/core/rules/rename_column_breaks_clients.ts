import type { RenameStmt } from '@pgsql/types';
import { columnDependents, functionsNaming } from '../catalog/dependents';
import { objectKey } from '../catalog/model';
import { defineRule } from './defineRule';
import { describeDependents, FUNCTION_BODIES_LEAD, judgeClientBreakingChange } from './judgeClientBreakingChange';

export default defineRule({
  id: 'rename_column_breaks_clients',
  name: 'Rename Column Breaks Clients',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration renames a column of a table that already exists and that the Data API exposes, so every deployed client that still selects, filters or writes the old name fails from the moment the migration runs.',
  statementKinds: ['RenameStmt'],
  checkStatement(migration, context) {
    const stmt = (migration.statement.node as { RenameStmt: RenameStmt }).RenameStmt;
    if (stmt.renameType !== 'OBJECT_COLUMN' || stmt.relationType !== 'OBJECT_TABLE' || !stmt.subname || !stmt.newname) return [];
    const table = migration.tableOf(stmt.relation);
    const column = table?.columns.get(stmt.subname);
    if (!table || !column) return [];
    const change = judgeClientBreakingChange(migration, context, table, column);
    if (!change) return [];
    const { qualified, exposed, clients, lock } = change;
    const object = `${qualified}.${column.name}`;
    const { sentence, related } = describeDependents(object, [
      { lead: 'PostgreSQL renames it in', dependents: columnDependents(migration, qualified, column.name) },
      { lead: FUNCTION_BODIES_LEAD, dependents: functionsNaming(migration, qualified, column.name) },
    ]);
    return [
      {
        object,
        objectKey: objectKey.column(qualified, column.name),
        message:
          `Renaming column ${column.name} of ${qualified} to ${stmt.newname} breaks the clients that use the old name: ${clients}.${sentence}` +
          ` The statement ${lock}. Expand and contract instead: add ${stmt.newname}, keep both columns in step until every client uses it, then drop ${column.name} in a later migration.`,
        ...(related.length > 0 ? { related } : {}),
        ...(exposed ? {} : { level: 'info' as const }),
      },
    ];
  },
});
