/**
 * The RLS policy matrix: for every table the API exposes, what each role may do with each command.
 * It follows PostgreSQL's row security rules (src/backend/rewrite/rowsecurity.c): the privilege
 * check comes first, then BYPASSRLS and ownership, then the policies that apply to the role and the
 * command, permissive ones OR-ed together and restrictive ones AND-ed onto the result.
 */
import type { Catalog, Policy, Privilege, Table, View } from '../catalog/model';
import { objectKey } from '../catalog/model';
import { hasAnyColumnPrivilege, rolesWithPrivilegesOf } from '../catalog/privileges';
import { isConstantTrue } from '../sql/isConstantTrue';
import { updateCheckLetsRowsMove } from './updateCheckLetsRowsMove';

/** The commands the matrix has a column for. */
export const MATRIX_COMMANDS = ['select', 'insert', 'update', 'delete'] as const;
export type MatrixCommand = (typeof MATRIX_COMMANDS)[number];

/** The roles every Supabase matrix shows first, when the catalog has them. */
export const MATRIX_API_ROLES = ['anon', 'authenticated', 'service_role'] as const;

/**
 * What a role gets for one table and command:
 * - `no grant`: the role lacks the table privilege, so PostgreSQL refuses before RLS is consulted;
 * - `bypass`: the role has BYPASSRLS (or is a superuser), or owns the table and RLS is not forced;
 * - `open`: RLS is off, or the combined predicate is always true;
 * - `filtered`: rows are limited by the combined predicate;
 * - `blocked`: RLS is on and no permissive policy applies, so no row passes.
 */
export type PolicyAccess = 'no grant' | 'bypass' | 'open' | 'filtered' | 'blocked';

/** Ids of the cells that are usually mistakes. */
export type PolicyMatrixFlagId = 'anon_can_write' | 'update_without_with_check' | 'anon_open_owner_column';

/** A cell that is usually a mistake, with a sentence that says why. */
export interface PolicyMatrixFlag {
  id: PolicyMatrixFlagId;
  message: string;
}

/** One policy that takes part in a cell, so front ends can link to it. */
export interface PolicyReference {
  name: string;
  /** `policy:public.bookings/Owner reads`. */
  key: string;
  command: Policy['command'];
  permissive: boolean;
}

/** One cell of the matrix: a table, a role and a command. */
export interface PolicyMatrixCell {
  /** Qualified table name. */
  table: string;
  role: string;
  command: MatrixCommand;
  access: PolicyAccess;
  /**
   * The combined row filter as readable SQL, for `filtered` cells of select, update and delete:
   * which existing rows the role can see or change.
   */
  using?: string;
  /** The combined check on new rows as readable SQL, for `filtered` cells of insert and update. */
  withCheck?: string;
  /** The policies that produce the cell (empty for `no grant`, `bypass` and RLS off). */
  policies: PolicyReference[];
  /** Why the cell has its access, in one sentence. */
  reason: string;
  flags: PolicyMatrixFlag[];
}

/** One row of the matrix: a table (or materialized view) and its cells, role by role, command by command. */
export interface PolicyMatrixRow {
  /** Qualified table name. */
  table: string;
  /** `table:public.bookings`, or `view:public.vendor_stats` for a materialized view. */
  key: string;
  /** A materialized view has no row level security: a role that may SELECT it reads every row. */
  kind: 'table' | 'materialized_view';
  rlsEnabled: boolean;
  rlsForced: boolean;
  owner?: string;
  cells: PolicyMatrixCell[];
}

/** The whole matrix, tables sorted by name. */
export interface PolicyMatrix {
  roles: string[];
  commands: readonly MatrixCommand[];
  rows: PolicyMatrixRow[];
}

export interface PolicyMatrixOptions {
  /** The roles to show; by default anon, authenticated, service_role and the roles migrations create. */
  roles?: string[];
  /** The schemas whose tables to show; by default the schemas the API exposes. */
  schemas?: string[];
}

/** Column names that say "this row belongs to someone": a table with one is rarely meant to be open to anon. */
export const OWNER_COLUMN_NAMES: ReadonlySet<string> = new Set(['user_id', 'owner_id', 'profile_id', 'author_id']);

/**
 * Computes the policy matrix of a catalog (from migrations, a shadow or a live database). Pure and
 * linear in tables × roles × policies, so 1,500 tables take milliseconds.
 */
export function computePolicyMatrix(catalog: Catalog, options: PolicyMatrixOptions = {}): PolicyMatrix {
  const roles = options.roles ?? listMatrixRoles(catalog);
  const schemas = new Set(options.schemas ?? catalog.exposedSchemas);
  const tables = [...catalog.tables.values()]
    .filter((table) => schemas.has(table.schema))
    .sort((a, b) => compareText(`${a.schema}.${a.name}`, `${b.schema}.${b.name}`));
  const rows: PolicyMatrixRow[] = tables.map((table): PolicyMatrixRow => {
    const qualified = `${table.schema}.${table.name}`;
    const cells: PolicyMatrixCell[] = [];
    for (const role of roles) {
      for (const command of MATRIX_COMMANDS) cells.push(computePolicyCell(catalog, table, role, command));
    }
    return { table: qualified, key: objectKey.table(qualified), kind: 'table', rlsEnabled: table.rlsEnabled, rlsForced: table.rlsForced, owner: table.owner, cells };
  });
  for (const view of catalog.views.values()) {
    if (view.kind !== 'materialized_view' || !schemas.has(view.schema)) continue;
    const qualified = `${view.schema}.${view.name}`;
    const cells = roles.flatMap((role) => MATRIX_COMMANDS.map((command) => computeMaterializedViewCell(catalog, view, role, command)));
    rows.push({ table: qualified, key: objectKey.view(qualified), kind: 'materialized_view', rlsEnabled: false, rlsForced: false, owner: view.owner, cells });
  }
  return { roles, commands: MATRIX_COMMANDS, rows: rows.sort((a, b) => compareText(a.table, b.table)) };
}

/**
 * One cell of a materialized view: PostgreSQL applies no row level security to it (RLS is for
 * tables), so a role with SELECT reads every row, whatever the policies of the tables it was built
 * from; and it cannot be written.
 */
function computeMaterializedViewCell(catalog: Catalog, view: View, role: string, command: MatrixCommand): PolicyMatrixCell {
  const qualified = `${view.schema}.${view.name}`;
  const info = catalog.roles.get(role);
  const cell = (access: PolicyAccess, reason: string): PolicyMatrixCell => ({ table: qualified, role, command, access, policies: [], reason, flags: [] });
  if (command !== 'select') return cell('no grant', `${qualified} is a materialized view: PostgreSQL refuses ${command.toUpperCase()} on it.`);
  if (info?.superuser) return cell('bypass', `${role} is a superuser.`);
  const isOwner = view.owner !== undefined && view.owner === role;
  if (!isOwner && !hasAnyColumnPrivilege(catalog, view, role, 'SELECT')) return cell('no grant', `${role} has no SELECT privilege on ${qualified}.`);
  return cell('open', `${qualified} is a materialized view: row level security does not apply, so ${role} reads every row, whatever the policies of the tables it was built from.`);
}

/**
 * The roles a matrix shows by default: the API roles the catalog has, then the roles the
 * migrations (or the database's owner) created, except superusers, which bypass everything.
 */
export function listMatrixRoles(catalog: Catalog): string[] {
  const roles: string[] = MATRIX_API_ROLES.filter((role) => catalog.roles.has(role));
  const created = [...catalog.roles.values()]
    .filter((role) => !role.platform && !role.superuser && !roles.includes(role.name))
    .map((role) => role.name)
    .sort(compareText);
  return [...roles, ...created];
}

/** Computes one cell: what `role` may do with `command` on `table`. */
export function computePolicyCell(catalog: Catalog, table: Table, role: string, command: MatrixCommand): PolicyMatrixCell {
  const qualified = `${table.schema}.${table.name}`;
  const info = catalog.roles.get(role);
  const isOwner = table.owner !== undefined && table.owner === role;
  const cell = (access: PolicyAccess, reason: string, extra: Partial<PolicyMatrixCell> = {}): PolicyMatrixCell => {
    const result: PolicyMatrixCell = { table: qualified, role, command, access, policies: [], reason, flags: [], ...extra };
    result.flags = flagCell(table, result);
    return result;
  };

  const privilege = COMMAND_PRIVILEGE[command];
  // A column privilege (`grant select (id, username)`) lets the role run the command on those columns.
  if (!isOwner && !info?.superuser && !hasAnyColumnPrivilege(catalog, table, role, privilege)) {
    return cell('no grant', `${role} has no ${privilege} privilege on ${qualified}.`);
  }
  if (info?.superuser) return cell('bypass', `${role} is a superuser, which bypasses row level security.`);
  if (info?.bypassRls) return cell('bypass', `${role} has BYPASSRLS.`);
  if (isOwner && !table.rlsForced) return cell('bypass', `${role} owns ${qualified} and RLS is not forced.`);
  if (!table.rlsEnabled) return cell('open', `Row level security is off on ${qualified}.`);

  // Sorted by name, as PostgreSQL sorts them when it combines them (sort_policies_by_name in
  // rowsecurity.c), so a matrix from migrations and one from a database list them alike.
  const applicable = [...table.policies.values()]
    .filter((policy) => policyAppliesToCommand(policy, command) && policyAppliesToRole(catalog, policy, role))
    .sort((a, b) => compareText(a.name, b.name));
  const permissive = applicable.filter((policy) => policy.permissive);
  const restrictive = applicable.filter((policy) => !policy.permissive);
  const policies = [...permissive, ...restrictive].map(toPolicyReference);
  const usingPart = command === 'insert' ? undefined : combinePredicates(permissive, restrictive, (policy) => policy.using);
  // Without WITH CHECK, PostgreSQL checks new rows with the policy's USING (QUAL_FOR_WCO in rowsecurity.c).
  const checkPart = command === 'insert' || command === 'update'
    ? combinePredicates(permissive, restrictive, (policy) => policy.withCheck ?? policy.using)
    : undefined;
  const parts = [usingPart, checkPart].filter((part): part is CombinedPredicate => part !== undefined);

  if (permissive.length === 0) {
    const reason = restrictive.length > 0
      ? `Only restrictive policies apply to ${role} for ${command.toUpperCase()}; with no permissive policy no row passes.`
      : `Row level security is on and no policy applies to ${role} for ${command.toUpperCase()}.`;
    return cell('blocked', reason, { policies });
  }
  if (parts.some((part) => part.kind === 'false')) {
    return cell('blocked', `The policies that apply to ${role} for ${command.toUpperCase()} have no expression to pass rows with.`, { policies });
  }
  if (parts.every((part) => part.kind === 'true')) {
    return cell('open', `A permissive policy allows every row (true) and no restrictive policy limits it.`, { policies });
  }
  return cell('filtered', `Rows are limited by ${applicable.length === 1 ? 'one policy' : `${applicable.length} policies`}.`, {
    policies,
    using: usingPart?.sql,
    withCheck: checkPart?.sql,
  });
}

/**
 * True when a policy takes part in a command: ALL applies to every command. PostgreSQL also adds
 * SELECT policies to an UPDATE or DELETE that reads the table's columns; the matrix leaves that
 * out, because it depends on the statement and not on the schema.
 */
export function policyAppliesToCommand(policy: Policy, command: MatrixCommand): boolean {
  return policy.command === 'all' || policy.command === command;
}

/**
 * True when a policy applies to a role: `public` applies to every role, and a policy for a role
 * applies to its members that inherit its privileges (has_privs_of_role in PostgreSQL).
 */
export function policyAppliesToRole(catalog: Catalog, policy: Policy, role: string): boolean {
  if (policy.roles.length === 0 || policy.roles.includes('public')) return true;
  for (const holder of rolesWithPrivilegesOf(catalog, role)) if (policy.roles.includes(holder)) return true;
  return false;
}

const COMMAND_PRIVILEGE: Record<MatrixCommand, Privilege> = { select: 'SELECT', insert: 'INSERT', update: 'UPDATE', delete: 'DELETE' };

/** A combined predicate: always true, never true (no expression to OR), or SQL. */
type CombinedPredicate = { kind: 'true'; sql: 'true' } | { kind: 'false'; sql: 'false' } | { kind: 'sql'; sql: string };

/**
 * Combines the policies' expressions the way PostgreSQL does: permissive ones OR-ed, restrictive
 * ones AND-ed onto that. A policy without the expression adds nothing (rowsecurity.c skips NULL
 * quals), and one permissive `true` makes the whole OR true.
 */
function combinePredicates(
  permissive: readonly Policy[],
  restrictive: readonly Policy[],
  expressionOf: (policy: Policy) => Policy['using'],
): CombinedPredicate {
  const permissiveExpressions = permissive.map(expressionOf).filter((expression) => expression !== undefined);
  if (permissiveExpressions.length === 0) return { kind: 'false', sql: 'false' };
  const restrictiveTexts = restrictive
    .map(expressionOf)
    .filter((expression) => expression !== undefined && !isConstantTrue(expression.ast))
    .map((expression) => expression!.text.trim());
  const permissiveAlwaysTrue = permissiveExpressions.some((expression) => isConstantTrue(expression.ast));
  const permissiveTexts = permissiveAlwaysTrue ? [] : uniqueTexts(permissiveExpressions.map((expression) => expression.text.trim()));
  if (permissiveTexts.length === 0 && restrictiveTexts.length === 0) return { kind: 'true', sql: 'true' };
  const orPart = permissiveTexts.length === 0
    ? undefined
    : permissiveTexts.length === 1 ? permissiveTexts[0] : permissiveTexts.map(parenthesize).join(' OR ');
  const andParts = [...(orPart === undefined ? [] : [orPart]), ...uniqueTexts(restrictiveTexts)];
  const sql = andParts.length === 1 ? andParts[0] : andParts.map(parenthesize).join(' AND ');
  return { kind: 'sql', sql };
}

function flagCell(table: Table, cell: PolicyMatrixCell): PolicyMatrixFlag[] {
  const flags: PolicyMatrixFlag[] = [];
  const reaches = cell.access === 'open' || cell.access === 'filtered' || cell.access === 'bypass';
  if (cell.role === 'anon' && cell.command !== 'select' && reaches) {
    flags.push({ id: 'anon_can_write', message: `anon (anyone with the public API key) can ${cell.command.toUpperCase()} ${cell.table}.` });
  }
  if (cell.role === 'authenticated' && cell.command === 'update' && cell.access === 'filtered') {
    // The same test as the rule update_policy_without_with_check: without WITH CHECK, USING also
    // checks the new row, which is a problem only when USING is an OR or always true.
    const movable = cell.policies.filter((reference) => {
      const policy = table.policies.get(reference.name);
      return policy !== undefined && updateCheckLetsRowsMove(policy) !== undefined;
    });
    if (movable.length > 0) {
      flags.push({
        id: 'update_without_with_check',
        message: `authenticated can UPDATE ${cell.table} through ${movable.map((reference) => `"${reference.name}"`).join(', ')} without WITH CHECK, and its USING is an OR or always true: PostgreSQL checks the new row against USING, so an update can move a row to where another branch admits it.`,
      });
    }
  }
  // Only the SELECT cell carries this flag: reading everyone's rows is the leak, and open writes
  // already carry anon_can_write.
  const ownerColumns = [...table.columns.keys()].filter((name) => OWNER_COLUMN_NAMES.has(name));
  if (cell.role === 'anon' && cell.command === 'select' && cell.access === 'open' && ownerColumns.length > 0) {
    flags.push({
      id: 'anon_open_owner_column',
      message: `${cell.table} has an owner column (${ownerColumns.join(', ')}) but anon can read every row.`,
    });
  }
  return flags;
}

function toPolicyReference(policy: Policy): PolicyReference {
  return { name: policy.name, key: objectKey.policy(policy.table, policy.name), command: policy.command, permissive: policy.permissive };
}

function parenthesize(text: string): string {
  return `(${text})`;
}

function uniqueTexts(texts: string[]): string[] {
  return [...new Set(texts)];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
