import type { RenameStmt } from '@pgsql/types';
import { functionsNaming, relationDependents } from '../catalog/dependents';
import { objectKey } from '../catalog/model';
import { defineRule } from './defineRule';
import { describeDependents, FUNCTION_BODIES_LEAD, judgeClientBreakingChange } from './judgeClientBreakingChange';

export default defineRule({
  id: 'rename_table_breaks_clients',
  name: 'Rename Table Breaks Clients',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration renames a table that already exists and that the Data API exposes, so every deployed client that still requests the old name fails from the moment the migration runs.',
  statementKinds: ['RenameStmt'],
  checkStatement(migration, context) {
    const stmt = (migration.statement.node as { RenameStmt: RenameStmt }).RenameStmt;
    if (stmt.renameType !== 'OBJECT_TABLE' || !stmt.newname) return [];
    const table = migration.tableOf(stmt.relation);
    if (!table) return [];
    const change = judgeClientBreakingChange(migration, context, table);
    if (!change) return [];
    const { qualified, exposed, clients, lock } = change;
    const dependents = relationDependents(migration, qualified, false).filter((dependent) => dependent.kind !== 'partition' && dependent.kind !== 'inheritance child');
    const { sentence, related } = describeDependents(qualified, [
      { lead: 'PostgreSQL follows the rename in', dependents },
      { lead: FUNCTION_BODIES_LEAD, dependents: functionsNaming(migration, qualified) },
    ]);
    return [
      {
        object: qualified,
        objectKey: objectKey.table(qualified),
        message:
          `Renaming ${qualified} to ${stmt.newname} breaks the clients that use the old name: ${clients}.${sentence}` +
          ` The statement ${lock}. Expand and contract instead: rename it and create a view named ${table.name} over it (security_invoker, so RLS still applies), deploy the clients that use ${stmt.newname}, then drop the view in a later migration.`,
        ...(related.length > 0 ? { related } : {}),
        ...(exposed ? {} : { level: 'info' as const }),
      },
    ];
  },
});
