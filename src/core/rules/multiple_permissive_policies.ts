import { objectKey, type Catalog, type Policy, type PolicyCommand, type Table } from '../catalog/model';
import { API_ROLES } from '../catalog/privileges';
import type { RelatedLocation } from '../finding';
import { joinRoleNames } from './apiRolesWithPrivilege';
import { defineRule, type RuleReport } from './defineRule';
import { memoizeByObject } from './memoizeByObject';
import type { RuleContext } from './ruleContext';

export default defineRule({
  id: 'multiple_permissive_policies',
  name: 'Multiple Permissive Policies',
  level: 'warning',
  category: 'performance',
  needs: 'S',
  description: 'A table has more than one permissive policy for the same role and command, so PostgreSQL evaluates all of them for every row; one policy with the conditions joined by OR is faster and easier to review.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    const publicRoles = rolesCoveredByPublic(catalog);
    const publicRolesKey = JSON.stringify(publicRoles);
    if (combinationsCache.publicRolesKey !== publicRolesKey) combinationsCache = { publicRolesKey, publicRoles, byRolesAndCommand: new Map() };
    for (const table of catalog.tables.values()) reports.push(...judgeTable(table, publicRolesKey, context));
    return reports;
  },
});

/**
 * Policies repeat a few role lists and commands, so their combinations are built once for the
 * roles PUBLIC covers (which depend on the catalog's roles, hence the key).
 */
let combinationsCache: { publicRolesKey: string; publicRoles: string[]; byRolesAndCommand: Map<string, Set<string>> } = {
  publicRolesKey: '',
  publicRoles: [],
  byRolesAndCommand: new Map(),
};

/**
 * The reports on one table, which read the table and the roles PUBLIC covers (the key, which
 * `check` has put in `combinationsCache`): cached by table while both are unchanged.
 */
const judgeTable = memoizeByObject((table: Table, publicRolesKey: string, context: RuleContext): RuleReport[] => {
  const reports: RuleReport[] = [];
  if (table.platform || context.isManagedSchema(table.schema) || !table.rlsEnabled) return reports;
  const { publicRoles, byRolesAndCommand } = combinationsCache;
  const earlier: { policy: Policy; combinations: Set<string> }[] = [];
  for (const policy of table.policies.values()) {
    if (!policy.permissive) continue;
    // Role names cannot contain a NUL character, so the key is unambiguous.
    const key = `${policy.command}\0${policy.roles.join('\0')}`;
    const combinations = byRolesAndCommand.get(key) ?? roleCommandCombinations(policy, publicRoles);
    byRolesAndCommand.set(key, combinations);
    // Report on the policy that adds the overlap, pointing at the policies it overlaps.
    const overlapping = earlier.filter((other) => overlaps(combinations, other.combinations));
    if (overlapping.length > 0) reports.push(overlapReport(policy, combinations, overlapping));
    earlier.push({ policy, combinations });
  }
  return reports;
});

function overlaps(combinations: Set<string>, others: Set<string>): boolean {
  for (const combination of combinations) if (others.has(combination)) return true;
  return false;
}

const ALL_COMMANDS: Exclude<PolicyCommand, 'all'>[] = ['select', 'insert', 'update', 'delete'];

/**
 * The roles a policy `to public` applies to, as splinter counts them: the API roles and PostgREST's
 * `authenticator` where the platform has them, and the roles the migrations create that do not
 * bypass RLS anyway. Without any of those (plain PostgreSQL, no roles created), PUBLIC stands for
 * itself, so that two policies for PUBLIC still overlap.
 */
function rolesCoveredByPublic(catalog: Catalog): string[] {
  const roles = new Set<string>([...API_ROLES, 'authenticator'].filter((role) => catalog.roles.has(role)));
  for (const role of catalog.roles.values()) {
    if (!role.platform && !role.bypassRls && !role.superuser) roles.add(role.name);
  }
  return roles.size > 0 ? [...roles] : ['public'];
}

/** `role|command` for every role and command a policy applies to: ALL is every command, PUBLIC every role. */
function roleCommandCombinations(policy: Policy, publicRoles: string[]): Set<string> {
  const commands = policy.command === 'all' ? ALL_COMMANDS : [policy.command];
  const roles = new Set(policy.roles.flatMap((role) => (role === 'public' ? publicRoles : [role])));
  const combinations = new Set<string>();
  for (const role of roles) for (const command of commands) combinations.add(`${role}|${command}`);
  return combinations;
}

function overlapReport(policy: Policy, combinations: Set<string>, overlapping: { policy: Policy; combinations: Set<string> }[]): RuleReport {
  const shared = [...combinations].filter((combination) => overlapping.some((other) => other.combinations.has(combination)));
  const roles = [...new Set(shared.map((combination) => combination.split('|')[0]))];
  const commands = ALL_COMMANDS.filter((command) => shared.some((combination) => combination.endsWith(`|${command}`)));
  const names = [...overlapping.map((other) => other.policy.name), policy.name].map((name) => `"${name}"`);
  const related: RelatedLocation[] = [];
  for (const other of overlapping) {
    if (other.policy.origin.definedAt) {
      related.push({ message: `Policy "${other.policy.name}" applies to the same role and command.`, span: other.policy.origin.definedAt });
    }
  }
  return {
    object: `${policy.table}.${policy.name}`,
    objectKey: objectKey.policy(policy.table, policy.name),
    message: `Table ${policy.table} has ${names.length} permissive policies for ${joinRoleNames(roles)} on ${commands.map((command) => command.toUpperCase()).join(', ')}: ${names.join(', ')}. PostgreSQL evaluates each of them for every row; merge them into one policy.`,
    span: policy.origin.definedAt,
    related,
  };
}
