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
  const permissive: PermissivePolicy[] = [];
  for (const policy of table.policies.values()) {
    if (!policy.permissive) continue;
    // Role names cannot contain a NUL character, so the key is unambiguous.
    const key = `${policy.command}\0${policy.roles.join('\0')}`;
    const combinations = byRolesAndCommand.get(key) ?? roleCommandCombinations(policy, publicRoles);
    byRolesAndCommand.set(key, combinations);
    permissive.push({ policy, combinations });
  }
  if (permissive.length < 2) return reports;
  // The policies for each role and command, then one report per group of policies linked by a
  // shared role and command: three SELECT policies for one role are one finding, not two.
  const policiesByCombination = new Map<string, number[]>();
  permissive.forEach((entry, index) => {
    for (const combination of entry.combinations) {
      const policies = policiesByCombination.get(combination);
      if (policies) policies.push(index);
      else policiesByCombination.set(combination, [index]);
    }
  });
  const groups = new OverlapGroups(permissive.length);
  for (const policies of policiesByCombination.values()) for (const index of policies.slice(1)) groups.join(policies[0], index);
  const overlapsByGroup = new Map<number, Overlap[]>();
  for (const [combination, policies] of policiesByCombination) {
    if (policies.length < 2) continue;
    const group = groups.find(policies[0]);
    const overlaps = overlapsByGroup.get(group);
    if (overlaps) overlaps.push({ combination, policies });
    else overlapsByGroup.set(group, [{ combination, policies }]);
  }
  for (const overlaps of overlapsByGroup.values()) reports.push(overlapReport(permissive, overlaps));
  return reports;
});

interface PermissivePolicy {
  policy: Policy;
  /** `role|command` for every role and command it applies to. */
  combinations: Set<string>;
}

/** A role and command (`authenticated|select`) and the indexes of the permissive policies for it, two or more. */
interface Overlap {
  combination: string;
  policies: number[];
}

/** Policies linked by a shared role and command, as disjoint sets of policy indexes. */
class OverlapGroups {
  private readonly parents: number[];

  constructor(size: number) {
    this.parents = Array.from({ length: size }, (_, index) => index);
  }

  find(index: number): number {
    let root = index;
    while (this.parents[root] !== root) root = this.parents[root];
    this.parents[index] = root;
    return root;
  }

  join(first: number, second: number): void {
    const [a, b] = [this.find(first), this.find(second)];
    if (a !== b) this.parents[Math.max(a, b)] = Math.min(a, b);
  }
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

/**
 * One report for a group of overlapping policies, on the policy defined last (the one that
 * completes the overlap), naming for each set of policies the roles and commands they share.
 */
function overlapReport(permissive: PermissivePolicy[], overlaps: Overlap[]): RuleReport {
  // Roles with the same policies on the same commands are named together.
  const commandsByRoleAndPolicies = new Map<string, { policies: number[]; role: string; commands: Set<string> }>();
  for (const { combination, policies } of overlaps) {
    const [role, command] = combination.split('|');
    const key = `${policies.join(',')}|${role}`;
    const entry = commandsByRoleAndPolicies.get(key);
    if (entry) entry.commands.add(command);
    else commandsByRoleAndPolicies.set(key, { policies, role, commands: new Set([command]) });
  }
  const clauses = new Map<string, { policies: number[]; roles: string[]; commands: string[] }>();
  for (const { policies, role, commands } of commandsByRoleAndPolicies.values()) {
    const orderedCommands = ALL_COMMANDS.filter((command) => commands.has(command));
    const key = `${policies.join(',')}|${orderedCommands.join(',')}`;
    const clause = clauses.get(key);
    if (clause) clause.roles.push(role);
    else clauses.set(key, { policies, roles: [role], commands: orderedCommands });
  }
  const quotedNames = (policies: number[]) => policies.map((index) => `"${permissive[index].policy.name}"`).join(', ');
  const describe = (clause: { policies: number[]; roles: string[]; commands: string[] }) =>
    `for ${joinRoleNames(clause.roles)} on ${clause.commands.map((command) => command.toUpperCase()).join(', ')}`;
  const involved = [...new Set(overlaps.flatMap((overlap) => overlap.policies))].sort((a, b) => a - b);
  const { policy } = permissive[involved[involved.length - 1]];
  const ordered = [...clauses.values()].sort((a, b) => b.policies.length - a.policies.length);
  const what = ordered.length === 1
    ? `${involved.length} permissive policies ${describe(ordered[0])}: ${quotedNames(ordered[0].policies)}`
    : `${involved.length} permissive policies that overlap: ${ordered.map((clause) => `${quotedNames(clause.policies)} ${describe(clause)}`).join('; ')}`;
  const related: RelatedLocation[] = [];
  for (const index of involved) {
    const other = permissive[index].policy;
    if (other !== policy && other.origin.definedAt) {
      related.push({ message: `Policy "${other.name}" applies to the same role and command.`, span: other.origin.definedAt });
    }
  }
  return {
    object: `${policy.table}.${policy.name}`,
    objectKey: objectKey.policy(policy.table, policy.name),
    message: `Table ${policy.table} has ${what}. PostgreSQL evaluates each of them for every row; merge them into one policy.`,
    span: policy.origin.definedAt,
    related,
    // A database lists policies by name, so it may report the group on another of its policies.
    sameProblemAs: involved.map((index) => permissive[index].policy).filter((other) => other !== policy).map((other) => objectKey.policy(other.table, other.name)),
  };
}
