/**
 * Statements a server shadow refuses before anything runs: they change the server outside the
 * throwaway database (databases, tablespaces, the configuration file, the identity of a role that
 * existed before the run) in a way pgreview could not undo exactly. What it can undo (roles the
 * migrations create, role attributes, memberships, role and database settings) is allowed and
 * undone by `clusterState.ts`.
 */
import type { ParsedFile, ParsedStatement } from '../core/sql/parseSqlFile';
import type { SourceSpan } from '../core/sql/span';

/** A statement refused on a server shadow, and why. */
export interface RefusedStatement {
  span: SourceSpan;
  reason: string;
}

interface RoleSpec {
  roletype?: string;
  rolename?: string;
}

interface DefElem {
  defname?: string;
}

/** Object types that live outside any one database. */
const SHARED_OBJECT_TYPES: Record<string, string> = {
  OBJECT_DATABASE: 'a database',
  OBJECT_TABLESPACE: 'a tablespace',
  OBJECT_PARAMETER_ACL: 'a server parameter',
};

/**
 * The statements of `files` a server shadow must not run. `existingRoles` are the roles on the
 * server before the run: a migration may drop or rename the roles it creates, not those.
 */
export function findClusterWideStatements(files: readonly ParsedFile[], existingRoles: ReadonlySet<string>): RefusedStatement[] {
  const refused: RefusedStatement[] = [];
  for (const file of files) {
    for (const statement of file.statements) {
      const reason = refusalReason(statement, existingRoles);
      if (reason) refused.push({ span: statement.span, reason });
    }
  }
  return refused;
}

function refusalReason(statement: ParsedStatement, existingRoles: ReadonlySet<string>): string | undefined {
  const node = (statement.node as unknown as Record<string, Record<string, unknown> | undefined>)[statement.kind] ?? {};
  const existing = (spec: unknown): string | undefined => existingRoleName(spec as RoleSpec | undefined, existingRoles);
  switch (statement.kind) {
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM changes the configuration of the whole server';
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'AlterDatabaseStmt':
    case 'AlterDatabaseRefreshCollStmt':
      return `${statementName(statement.kind)} changes a database other than the throwaway one`;
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'AlterTableSpaceOptionsStmt':
      return `${statementName(statement.kind)} changes the server's tablespaces`;
    case 'RenameStmt':
    case 'AlterOwnerStmt':
    case 'CommentStmt':
    case 'SecLabelStmt':
    case 'GrantStmt': {
      const type = String(node.renameType ?? node.objectType ?? node.objtype ?? '');
      if (type in SHARED_OBJECT_TYPES) return `it changes ${SHARED_OBJECT_TYPES[type]}, which the whole server shares`;
      if (type !== 'OBJECT_ROLE') return undefined;
      const role = statement.kind === 'RenameStmt' ? node.subname : (node.object as { String?: { sval?: string } } | undefined)?.String?.sval;
      return typeof role === 'string' && existingRoles.has(role) ? `it changes role "${role}", which exists on the server` : undefined;
    }
    case 'DropRoleStmt': {
      const roles = ((node.roles as { RoleSpec?: RoleSpec }[] | undefined) ?? []).map((item) => existing(item.RoleSpec)).filter((name) => name !== undefined);
      return roles.length > 0 ? `it drops ${quotedList(roles)}, which exists on the server` : undefined;
    }
    case 'AlterRoleStmt': {
      const role = existing(node.role);
      const credentials = ((node.options as { DefElem?: DefElem }[] | undefined) ?? []).some((option) => option.DefElem?.defname === 'password' || option.DefElem?.defname === 'validUntil');
      // A password cannot be put back without pgreview reading the stored one.
      return role && credentials ? `it changes the password or expiry of role "${role}", which exists on the server` : undefined;
    }
    case 'ReassignOwnedStmt':
    case 'DropOwnedStmt': {
      // Both reach the databases and tablespaces the role owns or may use, not only the throwaway database.
      const roles = ((node.roles as { RoleSpec?: RoleSpec }[] | undefined) ?? []).map((item) => existing(item.RoleSpec)).filter((name) => name !== undefined);
      return roles.length > 0 ? `${statementName(statement.kind)} of ${quotedList(roles)}, which exists on the server, reaches other databases` : undefined;
    }
    default:
      return undefined;
  }
}

/** The role a RoleSpec names when it existed before the run; CURRENT_USER and its kin always did. */
function existingRoleName(spec: RoleSpec | undefined, existingRoles: ReadonlySet<string>): string | undefined {
  if (!spec) return undefined;
  if (spec.roletype === 'ROLESPEC_CSTRING') return spec.rolename !== undefined && existingRoles.has(spec.rolename) ? spec.rolename : undefined;
  return spec.roletype === 'ROLESPEC_PUBLIC' ? undefined : spec.roletype?.replace('ROLESPEC_', '').toLowerCase();
}

function quotedList(names: readonly string[]): string {
  return `${names.length === 1 ? 'role' : 'roles'} ${names.map((name) => `"${name}"`).join(', ')}`;
}

/** `CreatedbStmt` → `CREATE DATABASE`, for messages. */
function statementName(kind: string): string {
  const names: Record<string, string> = {
    CreatedbStmt: 'CREATE DATABASE',
    DropdbStmt: 'DROP DATABASE',
    AlterDatabaseStmt: 'ALTER DATABASE',
    AlterDatabaseRefreshCollStmt: 'ALTER DATABASE REFRESH COLLATION VERSION',
    CreateTableSpaceStmt: 'CREATE TABLESPACE',
    DropTableSpaceStmt: 'DROP TABLESPACE',
    AlterTableSpaceOptionsStmt: 'ALTER TABLESPACE',
    ReassignOwnedStmt: 'REASSIGN OWNED',
    DropOwnedStmt: 'DROP OWNED',
  };
  return names[kind] ?? kind;
}
