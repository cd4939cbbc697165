/**
 * Platform profiles: what exists before the first migration. See shared/reference/SUPABASE-PLATFORM.md
 * for the Supabase facts modelled here.
 */
import type { ResolvedConfig } from '../config';
import { createCatalog, type Catalog, type Func, type Privilege, type Role, type Table } from './model';

/** Schemas the platform manages. Rules skip their objects; the diff compares only what migrations add to them. */
export const SUPABASE_MANAGED_SCHEMAS = new Set([
  'auth', 'storage', 'realtime', 'extensions', 'graphql', 'graphql_public', 'vault', 'pgsodium', 'pgsodium_masks',
  'supabase_functions', 'supabase_migrations', 'cron', 'net', 'pgmq', 'pgbouncer', '_realtime', '_analytics',
  'information_schema', 'pg_catalog', 'pg_toast',
]);

/** PostgreSQL's own schemas, managed under every profile. */
export const POSTGRES_MANAGED_SCHEMAS = new Set(['information_schema', 'pg_catalog', 'pg_toast']);

/** True when rules must skip objects of this schema under the given profile. */
export function isManagedSchema(profile: ResolvedConfig['profile'], schema: string): boolean {
  return (profile === 'supabase' ? SUPABASE_MANAGED_SCHEMAS : POSTGRES_MANAGED_SCHEMAS).has(schema) || schema.startsWith('pg_temp');
}

const ALL_TABLE_PRIVILEGES: Privilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
const API_ROLES = ['anon', 'authenticated', 'service_role'];

/** The catalog as it stands before the first migration. */
export function createBaselineCatalog(config: ResolvedConfig): Catalog {
  const catalog = createCatalog('migrations');
  catalog.exposedSchemas = [...config.exposedSchemas];
  addSchema(catalog, 'public', false);
  addRole(catalog, { name: 'postgres', login: true, bypassRls: config.profile === 'supabase', superuser: config.profile !== 'supabase' });
  if (config.profile === 'supabase') addSupabaseBaseline(catalog);
  return catalog;
}

function addSupabaseBaseline(catalog: Catalog): void {
  addRole(catalog, { name: 'anon' });
  addRole(catalog, { name: 'authenticated' });
  addRole(catalog, { name: 'service_role', bypassRls: true });
  addRole(catalog, { name: 'authenticator', login: true, memberOf: [] });
  catalog.roles.get('authenticator')!.memberOf.push(...API_ROLES);
  catalog.roles.get('postgres')!.memberOf.push(...API_ROLES);
  addRole(catalog, { name: 'supabase_admin', superuser: true, login: true, bypassRls: true });
  addRole(catalog, { name: 'supabase_auth_admin', login: true });
  addRole(catalog, { name: 'supabase_storage_admin', login: true });
  addRole(catalog, { name: 'supabase_realtime_admin' });

  for (const schema of ['auth', 'storage', 'extensions', 'graphql_public', 'realtime']) addSchema(catalog, schema, true);
  for (const schema of ['public', 'extensions', 'graphql_public', 'auth', 'storage']) {
    const grants = catalog.schemas.get(schema)!.grants;
    for (const role of API_ROLES) grants.set(role, new Set(['USAGE']));
  }

  // Objects `postgres` creates in public are reachable by the API roles; this is why a new table
  // without RLS is readable and writable by anon.
  for (const grantee of API_ROLES) {
    for (const forRole of ['postgres', 'supabase_admin']) {
      catalog.defaultPrivileges.push(
        { forRole, schema: 'public', objectType: 'tables', grantee, privileges: new Set(ALL_TABLE_PRIVILEGES) },
        { forRole, schema: 'public', objectType: 'sequences', grantee, privileges: new Set<Privilege>(['USAGE', 'SELECT', 'UPDATE']) },
        { forRole, schema: 'public', objectType: 'functions', grantee, privileges: new Set<Privilege>(['EXECUTE']) },
      );
    }
  }

  const users = platformTable('auth', 'users', 'supabase_auth_admin', [
    ['instance_id', 'uuid'], ['id', 'uuid', true], ['aud', 'character varying(255)'], ['role', 'character varying(255)'],
    ['email', 'character varying(255)'], ['encrypted_password', 'character varying(255)'], ['email_confirmed_at', 'timestamp with time zone'],
    ['phone', 'text'], ['raw_app_meta_data', 'jsonb'], ['raw_user_meta_data', 'jsonb'], ['is_super_admin', 'boolean'],
    ['created_at', 'timestamp with time zone'], ['updated_at', 'timestamp with time zone'], ['last_sign_in_at', 'timestamp with time zone'],
    ['is_anonymous', 'boolean', true],
  ]);
  users.rlsEnabled = true;
  addKey(users, 'users_pkey', 'primary_key', 'id');
  addKey(users, 'users_phone_key', 'unique', 'phone');
  catalog.tables.set('auth.users', users);

  const buckets = platformTable('storage', 'buckets', 'supabase_storage_admin', [
    ['id', 'text', true], ['name', 'text', true], ['owner', 'uuid'], ['public', 'boolean'], ['file_size_limit', 'bigint'],
    ['allowed_mime_types', 'text[]'], ['created_at', 'timestamp with time zone'], ['updated_at', 'timestamp with time zone'],
  ]);
  buckets.rlsEnabled = true;
  addKey(buckets, 'buckets_pkey', 'primary_key', 'id');
  catalog.tables.set('storage.buckets', buckets);
  const objects = platformTable('storage', 'objects', 'supabase_storage_admin', [
    ['id', 'uuid', true], ['bucket_id', 'text'], ['name', 'text'], ['owner', 'uuid'], ['owner_id', 'text'], ['metadata', 'jsonb'],
    ['path_tokens', 'text[]'], ['created_at', 'timestamp with time zone'], ['updated_at', 'timestamp with time zone'],
  ]);
  objects.rlsEnabled = true;
  addKey(objects, 'objects_pkey', 'primary_key', 'id');
  objects.constraints.set('objects_bucket_id_fkey', {
    name: 'objects_bucket_id_fkey', kind: 'foreign_key', columns: ['bucket_id'], references: { table: 'storage.buckets', columns: ['id'] }, validated: true, origin: {},
  });
  catalog.tables.set('storage.objects', objects);
  // The Storage API works as the signed-in user: RLS policies on storage.objects decide, not grants.
  for (const table of [buckets, objects]) {
    for (const role of API_ROLES) table.grants.set(role, new Set(ALL_TABLE_PRIVILEGES));
  }
  const messages = platformTable('realtime', 'messages', 'supabase_realtime_admin', [
    ['id', 'uuid', true], ['topic', 'text', true], ['extension', 'text', true], ['payload', 'jsonb'], ['event', 'text'],
    ['private', 'boolean'], ['inserted_at', 'timestamp without time zone', true],
  ]);
  messages.rlsEnabled = true;
  catalog.tables.set('realtime.messages', messages);

  for (const [name, returns] of [['uid', 'uuid'], ['role', 'text'], ['email', 'text'], ['jwt', 'jsonb']] as const) {
    const fn = addPlatformFunction(catalog, 'auth', name, [], returns, 'stable', 'supabase_auth_admin');
    fn.config.set('search_path', "''");
    for (const role of API_ROLES) fn.grants.set(role, new Set<Privilege>(['EXECUTE']));
  }
  for (const name of ['foldername', 'filename', 'extension']) {
    addPlatformFunction(catalog, 'storage', name, ['text'], name === 'foldername' ? 'text[]' : 'text', 'immutable', 'supabase_storage_admin');
  }
  addPlatformFunction(catalog, 'realtime', 'topic', [], 'text', 'stable', 'supabase_realtime_admin');

  for (const name of ['uuid-ossp', 'pgcrypto', 'pg_stat_statements', 'pgjwt']) {
    catalog.extensions.set(name, { name, schema: 'extensions', platform: true, origin: {} });
  }
  catalog.extensions.set('plpgsql', { name: 'plpgsql', schema: 'pg_catalog', platform: true, origin: {} });
}

function addSchema(catalog: Catalog, name: string, platform: boolean): void {
  catalog.schemas.set(name, { name, owner: platform ? 'supabase_admin' : 'postgres', grants: new Map(), platform, origin: {} });
}

function addRole(catalog: Catalog, role: Partial<Role> & { name: string }): void {
  catalog.roles.set(role.name, {
    login: false, bypassRls: false, superuser: false, inherit: false, memberOf: [], platform: true, origin: {}, ...role,
  });
}

function platformTable(schema: string, name: string, owner: string, columns: [string, string, boolean?][]): Table {
  return {
    schema, name, kind: 'table', owner,
    columns: new Map(columns.map(([column, type, notNull]) => [column, { name: column, type, notNull: notNull ?? false, origin: {} }])),
    constraints: new Map(), indexes: new Map(), policies: new Map(), triggers: new Map(),
    rlsEnabled: false, rlsForced: false, grants: new Map(), platform: true, origin: {},
  };
}

/** A primary key or unique constraint with the index that enforces it, named as PostgreSQL names them. */
function addKey(table: Table, name: string, kind: 'primary_key' | 'unique', column: string): void {
  table.constraints.set(name, { name, kind, columns: [column], validated: true, origin: {} });
  table.indexes.set(name, {
    name, table: `${table.schema}.${table.name}`, unique: true, primary: kind === 'primary_key', method: 'btree',
    keys: [{ column }], include: [], valid: true, constraint: name, origin: {},
  });
}

function addPlatformFunction(
  catalog: Catalog, schema: string, name: string, argumentTypes: string[], returns: string, volatility: Func['volatility'], owner: string,
): Func {
  const key = `${schema}.${name}(${argumentTypes.join(', ')})`;
  const fn: Func = {
    schema, name, key, kind: 'function',
    arguments: argumentTypes.map((type) => ({ type, mode: 'in' })),
    returns, language: 'sql', volatility, securityDefiner: false,
    config: new Map(), owner,
    grants: new Map([['PUBLIC', new Set<Privilege>(['EXECUTE'])]]), platform: true, origin: {},
  };
  catalog.functions.set(key, fn);
  return fn;
}
