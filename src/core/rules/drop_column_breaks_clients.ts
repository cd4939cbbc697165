import type { AlterTableStmt } from '@pgsql/types';
import { columnDependents, functionsNaming } from '../catalog/dependents';
import { objectKey } from '../catalog/model';
import { defineRule, type RuleReport } from './defineRule';
import { DEPENDENTS_LEAD, describeDependents, FUNCTION_BODIES_LEAD, judgeClientBreakingChange } from './judgeClientBreakingChange';

export default defineRule({
  id: 'drop_column_breaks_clients',
  name: 'Drop Column Breaks Clients',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration drops a column of a table that already exists and that the Data API exposes, so every deployed client that still selects or writes the column fails from the moment the migration runs.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration, context) {
    const stmt = (migration.statement.node as { AlterTableStmt: AlterTableStmt }).AlterTableStmt;
    if (stmt.objtype !== 'OBJECT_TABLE') return [];
    const dropped = (stmt.cmds ?? []).flatMap((node) => ('AlterTableCmd' in node && node.AlterTableCmd.subtype === 'AT_DropColumn' && node.AlterTableCmd.name ? [node.AlterTableCmd.name] : []));
    // Most ALTER TABLEs drop nothing: the table is looked up only for those that do.
    const table = dropped.length > 0 ? migration.tableOf(stmt.relation) : undefined;
    if (!table) return [];
    const reports: RuleReport[] = [];
    for (const name of dropped) {
      const column = table.columns.get(name);
      if (!column) continue;
      const change = judgeClientBreakingChange(migration, context, table, column);
      if (!change?.exposed) continue;
      const { qualified, clients, lock } = change;
      const object = `${qualified}.${column.name}`;
      const { sentence, related } = describeDependents(object, [
        { lead: DEPENDENTS_LEAD, dependents: columnDependents(migration, qualified, column.name) },
        { lead: FUNCTION_BODIES_LEAD, dependents: functionsNaming(migration, qualified, column.name) },
      ]);
      reports.push({
        object,
        objectKey: objectKey.column(qualified, column.name),
        message:
          `Dropping column ${column.name} of ${qualified} breaks the clients that still use it: ${clients}.${sentence}` +
          ` The statement ${lock}. Expand and contract instead: deploy clients that no longer use the column first, then drop it in a later migration.`,
        ...(related.length > 0 ? { related } : {}),
      });
    }
    return reports;
  },
});
