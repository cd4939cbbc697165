import type { Table } from './model';

/**
 * The leading plain columns of each index a table can use for lookups: every valid index, up to
 * its first expression key, and every primary key, unique or exclusion constraint (each builds an
 * index, which a catalog may list under the constraint alone).
 */
export function indexKeyColumns(table: Table): string[][] {
  const lists: string[][] = [];
  for (const index of table.indexes.values()) {
    if (!index.valid) continue;
    const columns: string[] = [];
    for (const key of index.keys) {
      if (key.column === undefined) break;
      columns.push(key.column);
    }
    if (columns.length > 0) lists.push(columns);
  }
  for (const constraint of table.constraints.values()) {
    const buildsIndex = constraint.kind === 'primary_key' || constraint.kind === 'unique' || constraint.kind === 'exclude';
    if (buildsIndex && constraint.columns.length > 0) lists.push(constraint.columns);
  }
  return lists;
}
