import type { DropStmt } from '@pgsql/types';
import { functionsNaming, relationDependents } from '../catalog/dependents';
import { stringList } from '../catalog/replay/names';
import { objectKey } from '../catalog/model';
import { defineRule, type RuleReport } from './defineRule';
import { DEPENDENTS_LEAD, describeDependents, FUNCTION_BODIES_LEAD, judgeClientBreakingChange } from './judgeClientBreakingChange';

export default defineRule({
  id: 'drop_table_breaks_clients',
  name: 'Drop Table Breaks Clients',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration drops a table that already exists and that the Data API exposes, so every deployed client that still requests it fails from the moment the migration runs, and its rows are gone.',
  statementKinds: ['DropStmt'],
  checkStatement(migration, context) {
    const stmt = (migration.statement.node as { DropStmt: DropStmt }).DropStmt;
    if (stmt.removeType !== 'OBJECT_TABLE') return [];
    const reports: RuleReport[] = [];
    for (const object of stmt.objects ?? []) {
      const names = 'List' in object ? stringList(object.List.items) : [];
      const table = names.length > 0 ? migration.tableOf({ schemaname: names.length > 1 ? names[names.length - 2] : undefined, relname: names[names.length - 1] }) : undefined;
      const change = table ? judgeClientBreakingChange(migration, context, table) : undefined;
      if (!change?.exposed) continue;
      const { qualified, clients, lock } = change;
      const { sentence, related } = describeDependents(qualified, [
        { lead: DEPENDENTS_LEAD, dependents: relationDependents(migration, qualified) },
        { lead: FUNCTION_BODIES_LEAD, dependents: functionsNaming(migration, qualified) },
      ]);
      reports.push({
        object: qualified,
        objectKey: objectKey.table(qualified),
        message:
          `Dropping ${qualified} breaks the clients that still use it: ${clients}.${sentence}` +
          ` The statement ${lock}. Expand and contract instead: deploy clients that no longer use the table first (or keep a view in its place), then drop it in a later migration.`,
        ...(related.length > 0 ? { related } : {}),
      });
    }
    return reports;
  },
});
