/**
 * What a server shares between its databases and a migration can change: roles and their
 * attributes, role memberships, role and database settings (`pg_db_role_setting`), and the
 * databases, tablespaces and parameter privileges themselves. A server shadow reads it before
 * anything runs, puts back what the migrations changed after the throwaway database is dropped,
 * and reads it again to prove nothing is left.
 */
import type { Client, QueryResult } from 'pg';

interface RoleRow {
  oid: string;
  name: string;
  /** The attributes ALTER ROLE sets, by their `pg_roles` column. */
  attributes: RoleAttributes;
  comment: string | null;
  /** A digest of the stored password (superusers only can read it); never the password itself. */
  passwordDigest?: string;
}

interface RoleAttributes {
  rolsuper: boolean;
  rolinherit: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
  rolcanlogin: boolean;
  rolreplication: boolean;
  rolbypassrls: boolean;
  rolconnlimit: number;
  valid_until: string | null;
}

interface MembershipRow {
  roleid: string;
  member: string;
  grantor: string;
  /** `admin_option`, and on PostgreSQL 16+ `inherit_option` and `set_option`. */
  options: Record<string, boolean>;
}

/** The shared state of a server, keyed by OID (names can change) and compared as JSON. */
export interface ClusterState {
  roles: Map<string, RoleRow>;
  /** Keyed `roleid/member/grantor`. */
  memberships: Map<string, MembershipRow>;
  /** `name=value` entries keyed `database oid/role oid` (0 for "all"). */
  settings: Map<string, string[]>;
  /** Databases, tablespaces and parameter privileges, as JSON per object, keyed by kind and name. */
  sharedObjects: Map<string, string>;
  /** Database names by OID, for the settings' keys. */
  databases: Map<string, string>;
  /** The OID of the role the state was read as: the role that must put it back. */
  sessionRole: string;
}

/** Parameters whose stored value is a list of identifiers, to be written back unquoted. */
const LIST_PARAMETERS = new Set(['search_path', 'temp_tablespaces', 'local_preload_libraries', 'session_preload_libraries']);

const ROLE_ATTRIBUTES_SQL = `
select r.oid::text as oid, r.rolname as name, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb,
       r.rolcanlogin, r.rolreplication, r.rolbypassrls, r.rolconnlimit, r.rolvaliduntil::text as valid_until,
       shobj_description(r.oid, 'pg_authid') as comment
from pg_roles r`;

const MEMBERSHIPS_SQL = "select roleid::text, member::text, grantor::text, to_jsonb(m) - 'oid' - 'roleid' - 'member' - 'grantor' as options from pg_auth_members m";

const SETTINGS_SQL = 'select setdatabase::text, setrole::text, setconfig from pg_db_role_setting where setdatabase not in (select oid from pg_database where datname = {ignored})';

const SHARED_OBJECTS_SQL = `
select 'database ' || datname as key, jsonb_build_object('owner', datdba::regrole::text, 'acl', datacl::text, 'connection_limit', datconnlimit,
       'allow_connections', datallowconn, 'is_template', datistemplate, 'comment', shobj_description(oid, 'pg_database'))::text as value
from pg_database where datname <> {ignored}
union all
select 'tablespace ' || spcname, jsonb_build_object('owner', spcowner::regrole::text, 'acl', spcacl::text, 'options', spcoptions::text,
       'comment', shobj_description(oid, 'pg_tablespace'))::text
from pg_tablespace`;

const PARAMETER_ACL_SQL = "select 'parameter ' || parname as key, paracl::text as value from pg_parameter_acl";

const PASSWORD_DIGESTS_SQL = "select oid::text, md5(coalesce(rolpassword, '')) as digest from pg_authid";

/**
 * What the reading may touch, asked first rather than tried: the state is also read inside a
 * migration's transaction, which a failed query would end. Reading `pg_authid` needs superuser (a
 * migration may even take it away); `pg_parameter_acl` is new in PostgreSQL 15.
 */
const READABLE_SQL = `select has_table_privilege('pg_catalog.pg_authid', 'select') as passwords,
       to_regclass('pg_catalog.pg_parameter_acl') is not null as parameter_acl,
       (select oid::text from pg_roles where rolname = session_user) as session_role`;

/**
 * Reads the shared state, in two round trips (a server shadow reads it before each migration
 * commits). `ignoredDatabase` is the throwaway database, whose own entries are not part of what
 * must come back unchanged.
 */
export async function readClusterState(client: Client, ignoredDatabase: string): Promise<ClusterState> {
  const readable = (await client.query<{ passwords: boolean; parameter_acl: boolean; session_role: string | null }>(READABLE_SQL)).rows[0];
  const ignored = client.escapeLiteral(ignoredDatabase);
  const nothing = 'select null::text as key, null::text as value, null::text as oid, null::text as digest where false';
  const queries = [
    ROLE_ATTRIBUTES_SQL,
    readable.passwords ? PASSWORD_DIGESTS_SQL : nothing,
    MEMBERSHIPS_SQL,
    SETTINGS_SQL.replace('{ignored}', ignored),
    SHARED_OBJECTS_SQL.replace('{ignored}', ignored),
    readable.parameter_acl ? PARAMETER_ACL_SQL : nothing,
    'select oid::text, datname from pg_database',
  ];
  // Several statements in one simple query: pg answers with one result per statement.
  const results = (await client.query(queries.join(';\n'))) as unknown as QueryResult[];
  const [roleRows, digestRows, membershipRows, settingRows, sharedRows, parameterRows, databaseRows] = results.map((result) => result.rows);

  const roles = new Map<string, RoleRow>();
  for (const { oid, name, comment, ...attributes } of roleRows as (RoleAttributes & { oid: string; name: string; comment: string | null })[]) roles.set(oid, { oid, name, comment, attributes });
  for (const { oid, digest } of digestRows as { oid: string; digest: string }[]) {
    const role = roles.get(oid);
    if (role) role.passwordDigest = digest;
  }
  const memberships = new Map<string, MembershipRow>();
  for (const row of membershipRows as MembershipRow[]) memberships.set(`${row.roleid}/${row.member}/${row.grantor}`, row);
  const settings = new Map<string, string[]>();
  for (const row of settingRows as { setdatabase: string; setrole: string; setconfig: string[] | null }[]) settings.set(`${row.setdatabase}/${row.setrole}`, [...(row.setconfig ?? [])].sort());
  const sharedObjects = new Map<string, string>();
  for (const row of [...sharedRows, ...parameterRows] as { key: string; value: string }[]) sharedObjects.set(row.key, row.value);
  const databases = new Map((databaseRows as { oid: string; datname: string }[]).map((row) => [row.oid, row.datname]));
  return { roles, memberships, settings, sharedObjects, databases, sessionRole: readable.session_role ?? '' };
}

/**
 * Puts back what changed since `before`: renames roles back, revokes added memberships, drops
 * the roles created since, restores attributes, re-grants removed memberships, and resets or
 * restores settings and role comments. Each statement runs on its own, so one failure does not
 * stop the rest; returns the failures' messages.
 */
export async function restoreClusterState(client: Client, before: ClusterState, ignoredDatabase: string): Promise<string[]> {
  const now = await readClusterState(client, ignoredDatabase);
  const failures: string[] = [];
  const run = async (sql: string): Promise<void> => {
    try {
      await client.query(sql);
    } catch (error) {
      failures.push(`${sql.split(' ').slice(0, 3).join(' ')} ...: ${(error as Error).message}`);
    }
  };
  const role = (oid: string): string => client.escapeIdentifier(before.roles.get(oid)?.name ?? now.roles.get(oid)?.name ?? oid);

  for (const [oid, current] of now.roles) {
    const original = before.roles.get(oid);
    if (original && original.name !== current.name) await run(`alter role ${client.escapeIdentifier(current.name)} rename to ${client.escapeIdentifier(original.name)}`);
  }
  for (const [key, membership] of now.memberships) {
    const original = before.memberships.get(key);
    if (!original || !sameJson(original.options, membership.options)) await run(`revoke ${role(membership.roleid)} from ${role(membership.member)} granted by ${role(membership.grantor)}`);
  }
  for (const [oid] of now.roles) if (!before.roles.has(oid)) await run(`drop role if exists ${role(oid)}`);
  for (const [oid, original] of before.roles) {
    const current = now.roles.get(oid);
    const options = current ? roleAttributeOptions(original.attributes, current.attributes, client) : '';
    if (options) await run(`alter role ${role(oid)} with ${options}`);
    if (current && current.comment !== original.comment) await run(`comment on role ${role(oid)} is ${original.comment === null ? 'null' : client.escapeLiteral(original.comment)}`);
  }
  for (const [key, membership] of before.memberships) {
    const current = now.memberships.get(key);
    if (current && sameJson(current.options, membership.options)) continue;
    if (!now.roles.has(membership.roleid) || !now.roles.has(membership.member)) continue;
    await run(`grant ${role(membership.roleid)} to ${role(membership.member)}${membershipOptions(membership.options)} granted by ${role(membership.grantor)}`);
  }
  const { databases } = now;
  for (const key of new Set([...before.settings.keys(), ...now.settings.keys()])) {
    const [databaseOid, roleOid] = key.split('/');
    if ((roleOid !== '0' && !now.roles.has(roleOid)) || (databaseOid !== '0' && !databases.has(databaseOid))) continue;
    const target = settingTarget(roleOid === '0' ? undefined : role(roleOid), databaseOid === '0' ? undefined : client.escapeIdentifier(databases.get(databaseOid)!));
    const original = parseSettings(before.settings.get(key));
    const current = parseSettings(now.settings.get(key));
    for (const [name, value] of current) {
      if (!original.has(name)) await run(`${target} reset ${client.escapeIdentifier(name)}`);
      else if (original.get(name) !== value) await run(`${target} set ${client.escapeIdentifier(name)} = ${settingValue(name, original.get(name)!, client)}`);
    }
    for (const [name, value] of original) if (!current.has(name)) await run(`${target} set ${client.escapeIdentifier(name)} = ${settingValue(name, value, client)}`);
  }
  return failures;
}

/** What differs between two states, one line per object, naming roles and settings but no secret. */
export function describeClusterChanges(before: ClusterState, after: ClusterState): string[] {
  const changes: string[] = [];
  const name = (oid: string): string => `"${after.roles.get(oid)?.name ?? before.roles.get(oid)?.name ?? oid}"`;
  for (const [oid, role] of after.roles) if (!before.roles.has(oid)) changes.push(`role "${role.name}" was created`);
  changes.push(...describeIrreversibleChanges(before, after));
  for (const [oid, role] of before.roles) {
    const current = after.roles.get(oid);
    if (!current) continue;
    const attributes = Object.keys(role.attributes).filter((key) => key !== 'valid_until' && role.attributes[key as keyof RoleAttributes] !== current.attributes[key as keyof RoleAttributes]);
    if (attributes.length > 0) changes.push(`role "${role.name}" changed ${attributes.join(', ')}`);
    if (current.comment !== role.comment) changes.push(`the comment on role "${role.name}" changed`);
  }
  for (const key of new Set([...before.memberships.keys(), ...after.memberships.keys()])) {
    const original = before.memberships.get(key);
    const current = after.memberships.get(key);
    if (original && current && sameJson(original.options, current.options)) continue;
    const { roleid, member } = (current ?? original)!;
    changes.push(`membership of ${name(member)} in ${name(roleid)} was ${!original ? 'granted' : !current ? 'revoked' : 'changed'}`);
  }
  for (const key of new Set([...before.settings.keys(), ...after.settings.keys()])) {
    if (sameJson(before.settings.get(key) ?? [], after.settings.get(key) ?? [])) continue;
    const [databaseOid, roleOid] = key.split('/');
    const database = after.databases.get(databaseOid) ?? before.databases.get(databaseOid) ?? databaseOid;
    changes.push(`settings ${roleOid === '0' ? 'for all roles' : `of role ${name(roleOid)}`}${databaseOid === '0' ? '' : ` in database "${database}"`} changed`);
  }
  return changes;
}

/**
 * The changes `restoreClusterState` cannot put back exactly: a role that existed before dropped or
 * renamed (a rename clears an MD5 password), its password or expiry changed, an attribute of the
 * role pgreview connects as changed (without SUPERUSER it could not undo the rest), and any change
 * to a database, tablespace or parameter privilege. A server shadow checks for them before each commit.
 */
export function describeIrreversibleChanges(before: ClusterState, after: ClusterState): string[] {
  const changes: string[] = [];
  for (const [oid, role] of before.roles) {
    const current = after.roles.get(oid);
    if (!current) {
      changes.push(`role "${role.name}" was dropped`);
      continue;
    }
    if (current.name !== role.name) changes.push(`role "${role.name}" was renamed to "${current.name}"`);
    // Digests are compared only when both were readable: a migration may take the right away.
    const passwordChanged = current.passwordDigest !== undefined && role.passwordDigest !== undefined && current.passwordDigest !== role.passwordDigest;
    if (passwordChanged || current.attributes.valid_until !== role.attributes.valid_until) changes.push(`the password or expiry of role "${role.name}" changed`);
    if (oid === before.sessionRole && !sameJson(current.attributes, role.attributes)) changes.push(`the attributes of role "${role.name}", which pgreview connects as, changed`);
  }
  for (const key of new Set([...before.sharedObjects.keys(), ...after.sharedObjects.keys()])) {
    if (before.sharedObjects.get(key) !== after.sharedObjects.get(key)) changes.push(`${key} ${!before.sharedObjects.has(key) ? 'was created' : !after.sharedObjects.has(key) ? 'was dropped' : 'changed'}`);
  }
  return changes;
}

/** The ALTER ROLE options that put back the attributes that changed, only those: a CREATEROLE role may not even name SUPERUSER. */
function roleAttributeOptions(original: RoleAttributes, current: RoleAttributes, client: Client): string {
  const options: string[] = [];
  const flags: [keyof RoleAttributes, string][] = [
    ['rolsuper', 'superuser'],
    ['rolinherit', 'inherit'],
    ['rolcreaterole', 'createrole'],
    ['rolcreatedb', 'createdb'],
    ['rolcanlogin', 'login'],
    ['rolreplication', 'replication'],
    ['rolbypassrls', 'bypassrls'],
  ];
  for (const [column, word] of flags) if (original[column] !== current[column]) options.push(original[column] ? word : `no${word}`);
  if (original.rolconnlimit !== current.rolconnlimit) options.push(`connection limit ${original.rolconnlimit}`);
  // A cleared expiry cannot be written back (statements that set one are refused up front); an earlier one can.
  if (original.valid_until !== current.valid_until && original.valid_until !== null) options.push(`valid until ${client.escapeLiteral(original.valid_until)}`);
  return options.join(' ');
}

function membershipOptions(options: Record<string, boolean>): string {
  const clauses = [
    options.admin_option ? 'admin true' : undefined,
    options.inherit_option === undefined ? undefined : `inherit ${options.inherit_option}`,
    options.set_option === undefined ? undefined : `set ${options.set_option}`,
  ].filter((clause) => clause !== undefined);
  if (clauses.length === 0) return '';
  // PostgreSQL before 16 knows only WITH ADMIN OPTION.
  return options.inherit_option === undefined ? ' with admin option' : ` with ${clauses.join(', ')}`;
}

/** The statement that sets a `pg_db_role_setting` row; `alter role all in database` and `alter database` share one. */
function settingTarget(role: string | undefined, database: string | undefined): string {
  if (role === undefined) return database === undefined ? 'alter role all' : `alter database ${database}`;
  return `alter role ${role}${database === undefined ? '' : ` in database ${database}`}`;
}

function settingValue(name: string, value: string, client: Client): string {
  // A list parameter is stored as its list of quoted identifiers; a quoted literal would become one element.
  return LIST_PARAMETERS.has(name) ? value : client.escapeLiteral(value);
}

function parseSettings(entries: readonly string[] | undefined): Map<string, string> {
  return new Map((entries ?? []).map((entry) => {
    const equals = entry.indexOf('=');
    return [entry.slice(0, equals), entry.slice(equals + 1)];
  }));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
