/**
 * Where CREATE EXTENSION puts an extension, on PostgreSQL 15: in the schema its control file names
 * (adminpack: pg_catalog, as pg_cron's does on Supabase) whatever the search path says, otherwise
 * in the schema WITH SCHEMA names or the first one of the search path. The replay agrees with the
 * extensions introspected from the server, and extension_in_public reports only the one in public.
 */
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import type { Catalog } from '../../src/core/catalog/model';
import { defaultConfig } from '../../src/core/config';
import { runRules } from '../../src/core/rules/runRules';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { getTestServer } from '../support/postgresServer';

const config = defaultConfig('supabase');

const MIGRATION = `create extension adminpack;
create extension citext;
create extension pg_trgm with schema extensions;
create table public.profiles (id uuid primary key, username citext not null);
`;

function extensionSchemas(catalog: Catalog): string[] {
  return ['adminpack', 'citext', 'pg_trgm'].map((name) => `${name} ${catalog.extensions.get(name)?.schema ?? 'missing'}`);
}

function extensionsInPublic(catalog: Catalog): string[] {
  return runRules(catalog, config).filter((finding) => finding.rule === 'extension_in_public').map((finding) => finding.object);
}

describe('extension schemas on PostgreSQL', function () {
  this.timeout(120_000);

  it('puts each extension where PostgreSQL puts it', async () => {
    await loadParser();
    const replayed = analyze({ files: [{ path: 'supabase/migrations/20240101000000_extensions.sql', text: MIGRATION }], config });
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_extension_schemas');
    await server.runSql(url, MIGRATION);
    const { catalog } = await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config });
    assert.deepEqual(extensionSchemas(catalog), ['adminpack pg_catalog', 'citext public', 'pg_trgm extensions']);
    assert.deepEqual(extensionSchemas(replayed.catalog), extensionSchemas(catalog));
    assert.deepEqual(replayed.findings.filter((finding) => finding.rule === 'extension_in_public').map((finding) => finding.object), ['citext']);
    assert.deepEqual(extensionsInPublic(catalog), ['citext']);
  });
});
