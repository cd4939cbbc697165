import { objectKey } from '../catalog/model';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'fkey_to_auth_unique',
  name: 'Foreign Key to Auth Unique Constraint',
  level: 'error',
  category: 'security',
  needs: 'S',
  description: 'A foreign key references an auth table through a unique constraint that is not its primary key (such as auth.users(phone)); Supabase Auth may change or drop such constraints, which then blocks Auth upgrades.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) {
      if (table.platform || context.isManagedSchema(table.schema)) continue;
      for (const constraint of table.constraints.values()) {
        const target = constraint.references;
        if (constraint.kind !== 'foreign_key' || !target || !target.table.startsWith('auth.')) continue;
        // No column list means the primary key, which is what a reference into auth should use.
        if (target.columns.length === 0) continue;
        const referenced = catalog.tables.get(target.table);
        if (!referenced) continue;
        const sameColumns = (columns: string[]) => columns.length === target.columns.length && columns.every((column) => target.columns.includes(column));
        const backing = [...referenced.indexes.values()].find(
          (index) => index.unique && index.where === undefined && index.keys.every((key) => key.column !== undefined) && sameColumns(index.keys.map((key) => key.column!)),
        );
        if (!backing || backing.primary) continue;
        reports.push({
          object: `${qualified}.${constraint.name}`,
          objectKey: objectKey.constraint(qualified, constraint.name),
          message: `Foreign key ${constraint.name} on ${qualified} references ${target.table}(${target.columns.join(', ')}) through the unique index ${backing.name}, not the primary key.`,
          span: constraint.clauseAt ?? constraint.origin.definedAt ?? table.origin.definedAt,
        });
      }
    }
    return reports;
  },
});
