import { describeDependent, listDependents, type Dependent, type DependentKind } from '../catalog/dependents';
import type { Column, Table } from '../catalog/model';
import { isExposedSchema } from '../catalog/privileges';
import type { RelatedLocation } from '../finding';
import { describeLock } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { apiRolesUsing, joinRoleNames } from './apiRolesWithPrivilege';
import type { RuleContext } from './ruleContext';

/** What a rename or drop of a table, or of one of its columns, in a pending migration does to the clients that use it. */
export interface ClientBreakingChange {
  /** `public.bookings`. */
  qualified: string;
  /** True when the Data API exposes the table's schema and anon or authenticated use it (or the column) there. */
  exposed: boolean;
  /** Who uses it: `anon and authenticated use it through the Data API`, or who else may. */
  clients: string;
  /** The lock the statement takes, in the words every safety finding uses. */
  lock: string;
}

/**
 * How a rename or drop in a pending migration reaches the clients of a table (or of one of its
 * columns); undefined when there are none to break: a table the platform or a schema it manages
 * owns (its changes are the platform's), or a table a pending migration creates (no deployed
 * client uses it yet). RENAME, DROP TABLE and DROP COLUMN all take ACCESS EXCLUSIVE without
 * touching the rows (test/db/clientBreakingLocks.test.ts).
 */
export function judgeClientBreakingChange(migration: MigrationStatement, context: RuleContext, table: Table, column?: Column): ClientBreakingChange | undefined {
  if (table.platform || context.isManagedSchema(table.schema) || migration.isNewTable(table)) return undefined;
  const qualified = `${table.schema}.${table.name}`;
  const roles = isExposedSchema(migration.catalog, table.schema) ? apiRolesUsing(migration.catalog, table, column) : [];
  const exposed = roles.length > 0;
  return {
    qualified,
    exposed,
    clients: exposed
      ? `${joinRoleNames(roles)} ${roles.length > 1 ? 'use' : 'uses'} ${column ? 'it' : 'the table'} through the Data API (PostgREST)`
      : 'the Data API does not expose it, but application code, reports and other SQL may use it',
    lock: describeLock({ table: qualified, mode: 'ACCESS EXCLUSIVE', work: 'none' }),
  };
}

/**
 * How a drop's finding introduces what depends on the object: PostgreSQL drops some of it along
 * (a table's partitions, a column's indexes) and refuses the drop over the rest unless CASCADE.
 */
export const DEPENDENTS_LEAD = 'What depends on it (dropped with it, or in the way without CASCADE):';

/** Function bodies that name the object: how a finding introduces them. */
export const FUNCTION_BODIES_LEAD = 'These functions name it in their body, which PostgreSQL keeps as text, and fail at their next call:';

/**
 * What depends on the renamed or dropped object, for a finding: for each group, a sentence naming
 * the first few (its `lead` before them; nothing for an empty group), and a related location on
 * each one a migration wrote, so that a reviewer can open every view and policy concerned.
 */
export function describeDependents(object: string, groups: readonly { lead: string; dependents: readonly Dependent[] }[]): { sentence: string; related: RelatedLocation[] } {
  let sentence = '';
  const related: RelatedLocation[] = [];
  for (const { lead, dependents } of groups) {
    if (dependents.length === 0) continue;
    // What clients and reviewers meet first (views, policies, functions) leads; a table's own indexes trail.
    const ordered = [...dependents].sort((a, b) => MENTION_ORDER.indexOf(a.kind) - MENTION_ORDER.indexOf(b.kind));
    sentence += ` ${lead} ${listDependents(ordered.map(describeDependent))}.`;
    for (const dependent of ordered) if (dependent.span) related.push({ message: `${describeDependent(dependent)} depends on ${object}.`, span: dependent.span });
  }
  return { sentence, related };
}

const MENTION_ORDER: DependentKind[] = [
  'view', 'materialized view', 'policy', 'function', 'trigger', 'foreign key', 'generated column', 'column default', 'column',
  'composite type', 'domain', 'constraint', 'index', 'partition', 'inheritance child',
];
