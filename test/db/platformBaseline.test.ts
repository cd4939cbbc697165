/**
 * The Supabase platform exists twice: as catalog objects for the offline replay
 * (src/core/catalog/platform.ts) and as SQL for the shadow database and the test server
 * (src/db/supabaseBaselineSql.ts). The offline review and the shadow must start from the same
 * platform, so this test applies the SQL to a real PostgreSQL (PGlite), introspects it, and
 * compares what rules, the policy matrix and the diff read. What differs on purpose is listed in
 * `INTENDED`, with the reason.
 */
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { createBaselineCatalog } from '../../src/core/catalog/platform';
import type { Catalog, Privilege } from '../../src/core/catalog/model';
import { defaultConfig } from '../../src/core/config';
import { introspectPglite } from '../../src/db/shadow';
import { supabaseBaselineSql } from '../../src/db/supabaseBaselineSql';

const config = defaultConfig('supabase');
const API_ROLES = ['anon', 'authenticated', 'service_role'];

/**
 * Left out of the comparison:
 * - owners: the SQL runs as postgres; the offline catalog names the platform's own roles
 *   (supabase_auth_admin, supabase_storage_admin, ...), as on a Supabase project;
 * - extensions: a hosted project has pgcrypto, uuid-ossp, ... installed; PGlite has none of them;
 * - supabase_admin: the superuser of a hosted project, which the SQL need not create;
 * - MAINTAIN: exists from PostgreSQL 17 on (PGlite), and the offline catalog follows 15/16.
 */
const INTENDED = 'owners, extensions, supabase_admin and MAINTAIN';

/** What a side says, as sorted lines, so a difference reads as the line that differs. */
function facets(catalog: Catalog): Record<string, string[]> {
  const privileges = (grants: Map<string, Set<Privilege>>) =>
    [...grants].filter(([grantee]) => API_ROLES.includes(grantee)).map(([grantee, set]) => `${grantee}:${[...set].filter((p) => p !== 'MAINTAIN').sort().join('|')}`).sort().join(' ');
  const platformTables = [...catalog.tables.values()].filter((table) => table.schema !== 'public');
  return {
    tables: platformTables.map((table) => `${table.schema}.${table.name} rls=${table.rlsEnabled}`),
    columns: platformTables.flatMap((table) => [...table.columns.values()].map((column) => `${table.schema}.${table.name}.${column.name} ${column.type}${column.notNull ? ' not null' : ''}`)),
    constraints: platformTables.flatMap((table) => [...table.constraints.values()].map((constraint) => `${table.schema}.${table.name} ${constraint.name} ${constraint.kind} (${constraint.columns.join(', ')})`)),
    tableGrants: platformTables.map((table) => `${table.schema}.${table.name} ${privileges(table.grants)}`),
    functions: [...catalog.functions.values()].map((fn) => `${fn.key} returns ${fn.returns} ${fn.volatility} search_path=${fn.config.get('search_path') ?? 'unset'} ${privileges(fn.grants)}`),
    schemas: [...catalog.schemas.values()].map((schema) => `${schema.name} ${privileges(schema.grants)}`),
    roles: [...catalog.roles.values()].filter((role) => role.name !== 'supabase_admin').map((role) => `${role.name} bypassrls=${role.bypassRls} member of ${[...role.memberOf].sort().join(', ')}`),
    defaultPrivileges: catalog.defaultPrivileges
      .filter((entry) => entry.forRole === 'postgres')
      .map((entry) => `${entry.forRole} ${entry.schema} ${entry.objectType} ${entry.grantee}:${[...entry.privileges].filter((p) => p !== 'MAINTAIN').sort().join('|')}`),
  };
}

describe('the Supabase platform baseline: offline catalog and SQL agree', function () {
  this.timeout(120_000);
  let offline: Record<string, string[]>;
  let applied: Record<string, string[]>;

  before(async () => {
    const db = new PGlite();
    try {
      await db.exec(supabaseBaselineSql);
      applied = facets((await introspectPglite(db, { config })).catalog);
    } finally {
      await db.close();
    }
    offline = facets(createBaselineCatalog(config));
  });

  for (const facet of ['tables', 'columns', 'constraints', 'tableGrants', 'functions', 'schemas', 'roles', 'defaultPrivileges']) {
    it(`${facet} (apart from ${INTENDED})`, () => {
      assert.deepEqual([...offline[facet]].sort(), [...applied[facet]].sort());
      assert.ok(applied[facet].length > 0, `the applied baseline has ${facet}`);
    });
  }
});
