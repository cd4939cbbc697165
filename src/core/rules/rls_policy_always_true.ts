import { objectKey, type Policy, type Table } from '../catalog/model';
import { isConstantTrue } from '../sql/isConstantTrue';
import { defineRule, type RuleReport } from './defineRule';
import { memoizeByObject } from './memoizeByObject';
import type { RuleContext } from './ruleContext';
import { policyClauseSpan } from './findPolicyClauseSource';

export default defineRule({
  id: 'rls_policy_always_true',
  name: 'RLS Policy Always True',
  level: 'warning',
  category: 'security',
  needs: 'S',
  description: 'A permissive policy for public, anon or authenticated lets every row be updated, deleted or inserted: its USING or WITH CHECK is always true. A SELECT policy with true is left alone, since public read access is usually intended.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const table of catalog.tables.values()) reports.push(...judgeTable(table, context.sourceText ? 'with source text' : 'without', context));
    return reports;
  },
});

/**
 * The reports on one table, which read the table and the source text of its policies' statements:
 * cached by table while it is unchanged (a table shared with the Analyzer's checkpoint comes from
 * files whose text is unchanged), and by whether the context can read source text at all.
 */
const judgeTable = memoizeByObject((table: Table, _sourceTextKey: string, context: RuleContext): RuleReport[] => {
  const reports: RuleReport[] = [];
  if (table.platform || context.isManagedSchema(table.schema) || !table.rlsEnabled) return reports;
  for (const policy of table.policies.values()) {
    if (!policy.permissive || !policy.roles.some((role) => API_FACING_ROLES.has(role))) continue;
    // Not memoized by tree: isConstantTrue reads only the top of a tree (through AND, OR and
    // casts), which costs less than a cache lookup, and a re-check reuses the table's reports.
    const usingTrue = USING_COMMANDS.has(policy.command) && isConstantTrue(policy.using?.ast);
    const checkTrue = CHECK_COMMANDS.has(policy.command) && isConstantTrue(effectiveCheck(policy)?.ast);
    if (!usingTrue && !checkTrue) continue;
    const clause = usingTrue || !policy.withCheck ? 'using' : 'withCheck';
    reports.push({
      object: `${policy.table}.${policy.name}`,
      objectKey: objectKey.policy(policy.table, policy.name),
      message: `Policy "${policy.name}" on ${policy.table} lets ${policy.roles.join(', ')} ${allowedActions(policy, usingTrue, checkTrue)}.`,
      span: policyClauseSpan(policy, clause, context),
    });
  }
  return reports;
});

const API_FACING_ROLES = new Set(['public', 'anon', 'authenticated']);
/** Commands whose USING decides which existing rows may be changed or removed (SELECT is deliberately absent). */
const USING_COMMANDS = new Set<Policy['command']>(['update', 'delete', 'all']);
/** Commands whose WITH CHECK decides which new rows may be written. */
const CHECK_COMMANDS = new Set<Policy['command']>(['insert', 'update', 'all']);

/**
 * The check PostgreSQL applies to new rows: WITH CHECK, or for UPDATE and ALL the USING expression
 * when WITH CHECK is missing. An INSERT policy without WITH CHECK admits no row at all (checked
 * on PostgreSQL 17), so a missing check counts as true only through a true USING.
 */
function effectiveCheck(policy: Policy): Policy['using'] {
  return policy.withCheck ?? (policy.command === 'insert' ? undefined : policy.using);
}

function allowedActions(policy: Policy, usingTrue: boolean, checkTrue: boolean): string {
  const changes = policy.command === 'delete' ? ['delete'] : policy.command === 'all' ? ['update', 'delete'] : ['update'];
  const everyRow = `${changes.join(' and ')} every row`;
  if (usingTrue && checkTrue) return `${everyRow} and write any values: USING and WITH CHECK are always true`;
  if (usingTrue) return `${everyRow}: its USING is always true`;
  return `write rows with any values: its WITH CHECK is always true`;
}
