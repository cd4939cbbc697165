import { objectKey, type Catalog, type Constraint, type Table } from '../catalog/model';
import { indexKeyColumns } from '../catalog/indexKeyColumns';
import { createIndexFix } from './createIndexFix';
import { defineRule, type RuleReport } from './defineRule';
import { memoizeByObject } from './memoizeByObject';
import type { RuleContext } from './ruleContext';

export default defineRule({
  id: 'unindexed_foreign_keys',
  name: 'Unindexed Foreign Keys',
  level: 'info',
  category: 'performance',
  needs: 'S',
  description: 'A foreign key has no index whose leading columns are its columns in order, so deletes and updates of the referenced rows, and joins on the key, scan the whole table.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) reports.push(...judgeTable(table, `${qualified}\0${parentKeysReported(catalog, table)}`, context));
    return reports;
  },
});

/**
 * The reports on one table, which read the table and the foreign keys its partitioned parent
 * reports (in the key, after the table's name): cached by table while both are unchanged.
 */
const judgeTable = memoizeByObject((table: Table, key: string, context: RuleContext): RuleReport[] => {
  const reports: RuleReport[] = [];
  if (table.platform || context.isManagedSchema(table.schema)) return reports;
  const [qualified, reportedByParent] = key.split('\0');
  const indexed = indexKeyColumns(table);
  for (const constraint of table.constraints.values()) {
    if (constraint.kind !== 'foreign_key' || constraint.columns.length === 0) continue;
    if (indexed.some((columns) => leadsWith(columns, constraint.columns))) continue;
    // A partition's copy of its parent's key is the parent's finding: an index created on the
    // parent is created on every partition.
    if (reportedByParent && reportedByParent.split('\n').includes(foreignKeySignature(constraint))) continue;
    reports.push({
      object: `${qualified}.${constraint.name}`,
      objectKey: objectKey.constraint(qualified, constraint.name),
      message: `Foreign key ${constraint.name} on ${qualified}(${constraint.columns.join(', ')})${constraint.references ? ` (referencing ${constraint.references.table})` : ''} has no covering index.`,
      span: constraint.clauseAt ?? constraint.origin.definedAt ?? table.origin.definedAt,
      fix: createIndexFix(table, constraint.columns),
    });
  }
  return reports;
});

/**
 * The foreign keys the table's parent reports when the table is a partition, one signature a
 * line; empty otherwise. The parent reports a key when no index of its own leads with it.
 */
function parentKeysReported(catalog: Catalog, table: Table): string {
  const parent = table.partitionOf ? catalog.tables.get(table.partitionOf) : undefined;
  if (!parent || parent.kind !== 'partitioned') return '';
  let signatures: string[] | undefined;
  let indexed: string[][] | undefined;
  for (const constraint of parent.constraints.values()) {
    if (constraint.kind !== 'foreign_key' || constraint.columns.length === 0) continue;
    indexed ??= indexKeyColumns(parent);
    if (indexed.some((columns) => leadsWith(columns, constraint.columns))) continue;
    (signatures ??= []).push(foreignKeySignature(constraint));
  }
  return signatures?.join('\n') ?? '';
}

/** The key's columns and what they reference: a partition's copy of a key has the same. */
function foreignKeySignature(constraint: Constraint): string {
  return JSON.stringify([constraint.columns, constraint.references?.table ?? '', constraint.references?.columns ?? []]);
}

/**
 * The index's first columns are the key's columns, in the key's order. splinter asks for an index
 * whose columns are exactly the key's, which reports keys that a wider index (`vendor_id,
 * starts_at`) already serves; PostgreSQL uses any index that leads with the key, so we accept it.
 * An index on the same columns in another order also serves the equality lookups, but we follow
 * RULES.md and the usual advice and ask for the key's order, which also serves sorting and joins.
 */
function leadsWith(indexColumns: string[], keyColumns: string[]): boolean {
  return keyColumns.length <= indexColumns.length && keyColumns.every((column, i) => indexColumns[i] === column);
}

