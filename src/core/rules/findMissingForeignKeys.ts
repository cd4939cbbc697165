import type { Catalog, Column, Table } from '../catalog/model';
import { memoizeByObject } from './memoizeByObject';
import type { RuleContext } from './ruleContext';

/** A column that looks like a reference to a table's primary key but has no foreign key. */
export interface MissingForeignKey {
  /** The qualified name of the table that holds the column. */
  table: string;
  column: string;
  /** The qualified name of the table the column's name points at. */
  referencedTable: string;
  /** That table's single primary key column. */
  referencedColumn: string;
}

/**
 * The columns named `<table>_id` or `<singular of table>_id` (`vendor_id` for `vendors`,
 * `category_id` for `categories`) whose type is exactly the type of that table's single-column
 * primary key, and that no foreign key covers. It leans toward silence: a name that fits more
 * than one table (public.users and auth.users), a platform or managed table (`user_id` and
 * auth.users, which many projects leave unreferenced on purpose), a polymorphic pair
 * (`item_id` beside `item_type`), an id from another system (`stripe_customer_id`), a copy made
 * with CREATE TABLE ... AS (legacy_table's) and a partition (its parent's) give nothing.
 */
export function findMissingForeignKeys(catalog: Catalog, context: RuleContext): MissingForeignKey[] {
  // Both halves are cached by table: on a re-check the tables the edit did not touch are the same
  // objects, so only the edited ones are read again, and the join below is over a few columns.
  const targets = new Map<string, ReferenceTarget[]>();
  for (const [qualified, table] of catalog.tables) {
    const target = referenceTargetOf(table, qualified, context);
    if (!target) continue;
    for (const name of target.names) {
      const list = targets.get(name);
      if (list) list.push(target);
      else targets.set(name, [target]);
    }
  }
  const found: MissingForeignKey[] = [];
  for (const [qualified, table] of catalog.tables) {
    for (const column of referenceLikeColumnsOf(table, qualified, context)) {
      const candidates = (targets.get(column.prefix) ?? []).filter((target) => target.qualified !== qualified && target.keyType === column.type);
      // Two tables could be meant (public.users and auth.users for user_id): stay silent.
      if (candidates.length !== 1) continue;
      const [target] = candidates;
      if (target.table.platform || context.isManagedSchema(target.table.schema)) continue;
      found.push({ table: qualified, column: column.name, referencedTable: target.qualified, referencedColumn: target.keyColumn.name });
    }
  }
  return found;
}

interface ReferenceTarget {
  qualified: string;
  table: Table;
  keyColumn: Column;
  keyType: string;
  /** The names a `<name>_id` column may use for the table: its name and its singular. */
  names: string[];
}

/** The table as a target of references, when it has a single-column primary key. */
const referenceTargetOf = memoizeByObject((table: Table, qualified: string): ReferenceTarget | undefined => {
  if (table.partitionOf || table.createdFrom) return undefined;
  const primaryKey = [...table.constraints.values()].find((constraint) => constraint.kind === 'primary_key');
  const keyColumn = primaryKey?.columns.length === 1 ? table.columns.get(primaryKey.columns[0]) : undefined;
  if (!keyColumn) return undefined;
  return { qualified, table, keyColumn, keyType: keyColumn.type, names: [...new Set([table.name, singularOf(table.name)])] };
});

/**
 * The columns of a table named `<prefix>_id` that no foreign key covers and that are neither one
 * half of a polymorphic pair nor another system's id: what may reference a table named `prefix`.
 */
const referenceLikeColumnsOf = memoizeByObject((table: Table, _qualified: string, context: RuleContext): { name: string; prefix: string; type: string }[] => {
  if (table.platform || context.isManagedSchema(table.schema) || table.partitionOf || table.createdFrom) return [];
  const covered = new Set([...table.constraints.values()].filter((constraint) => constraint.kind === 'foreign_key').flatMap((constraint) => constraint.columns));
  const columns: { name: string; prefix: string; type: string }[] = [];
  for (const column of table.columns.values()) {
    const prefix = /^(.+)_id$/.exec(column.name)?.[1];
    if (!prefix || covered.has(column.name) || isPolymorphic(table, prefix) || isForeignSystemId(prefix)) continue;
    columns.push({ name: column.name, prefix, type: column.type });
  }
  return columns;
});

/** English plurals as table names use them: `categories` → `category`, `addresses` → `address`, `vendors` → `vendor`. */
function singularOf(name: string): string {
  if (/ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(name)) return name.slice(0, -2);
  if (/[^s]s$/.test(name)) return name.slice(0, -1);
  return name;
}

/** `item_id` beside `item_type` (or `_kind`, `_table`, `_class`): a reference to one of several tables. */
function isPolymorphic(table: Table, prefix: string): boolean {
  return ['type', 'kind', 'table', 'class', 'model'].some((suffix) => table.columns.has(`${prefix}_${suffix}`));
}

/**
 * The first word names another system (`stripe_customer_id`, `github_user_id`,
 * `external_order_id`): the id lives there, even when a local table mirrors it.
 */
function isForeignSystemId(prefix: string): boolean {
  const first = prefix.split('_')[0];
  return prefix.includes('_') && FOREIGN_SYSTEM_WORDS.has(first);
}

const FOREIGN_SYSTEM_WORDS = new Set([
  'stripe', 'paypal', 'braintree', 'adyen', 'square', 'shopify', 'github', 'gitlab', 'google', 'apple', 'facebook', 'meta', 'twitter', 'slack',
  'discord', 'hubspot', 'salesforce', 'intercom', 'mailchimp', 'twilio', 'auth0', 'clerk', 'firebase', 'revenuecat', 'onesignal', 'external', 'remote',
  'provider', 'legacy', 'old', 'v1',
]);
