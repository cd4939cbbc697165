/**
 * PRIMARY KEY and UNIQUE constraints on the same key, as PostgreSQL 15 indexes them: the replay
 * fixture test/fixtures/replay/redundant_index_constraints runs on the real server, and the
 * indexes and constraints introspected from it are the replayed ones (transformIndexConstraints
 * folds identical keys of one statement into one index; a later statement's UNIQUE is a real
 * duplicate).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { Catalog } from '../../src/core/catalog/model';
import { defaultConfig } from '../../src/core/config';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { getTestServer } from '../support/postgresServer';

const config = defaultConfig('supabase');
const fixture = join(__dirname, '..', 'fixtures', 'replay', 'redundant_index_constraints');
const files = readdirSync(fixture)
  .filter((name) => name.endsWith('.sql'))
  .sort()
  .map((name) => ({ path: `supabase/migrations/${name}`, text: readFileSync(join(fixture, name), 'utf8') }));

/** One line per index and per primary key or unique constraint of the public tables. */
function indexesAndKeys(catalog: Catalog): string[] {
  const lines: string[] = [];
  for (const [qualified, table] of catalog.tables) {
    if (table.schema !== 'public') continue;
    for (const index of table.indexes.values()) {
      const keys = index.keys.map((key) => key.column ?? '?').join(', ');
      lines.push(`index ${qualified}/${index.name} (${keys}) include (${index.include.join(', ')})${index.primary ? ' primary' : ''}${index.unique ? ' unique' : ''} constraint=${index.constraint ?? ''}`);
    }
    for (const constraint of table.constraints.values()) {
      if (constraint.kind === 'primary_key' || constraint.kind === 'unique') lines.push(`constraint ${qualified}/${constraint.name} ${constraint.kind} (${constraint.columns.join(', ')})`);
    }
  }
  return lines.sort();
}

describe('primary keys and unique constraints on the same key, on PostgreSQL', function () {
  this.timeout(120_000);

  it('makes the indexes PostgreSQL makes', async () => {
    await loadParser();
    const replayed = analyze({ files, config });
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_redundant_index_constraints');
    for (const file of files) await server.runSql(url, file.text);
    const { catalog } = await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config });
    const database = indexesAndKeys(catalog);
    assert.deepEqual(indexesAndKeys(replayed.catalog), database);
    // What PostgreSQL made of it: one index where a statement repeats a key, the primary key's,
    // under the name of the UNIQUE it folded in; two where separate commands or statements do.
    const indexNames = (table: string) => database.filter((line) => line.startsWith(`index public.${table}/`)).map((line) => line.split(/[/ ]/)[2]);
    assert.deepEqual(indexNames('profiles'), ['profiles_pkey']);
    assert.deepEqual(indexNames('wallets'), ['wallets_id_unique', 'wallets_owner_id_currency_key']);
    assert.ok(database.includes('constraint public.wallets/wallets_id_unique primary_key (id)'));
    assert.deepEqual(indexNames('payments'), ['payments_pkey']);
    assert.deepEqual(indexNames('bookings'), ['bookings_id_key', 'bookings_pkey', 'bookings_reference_key', 'bookings_reference_unique']);
    assert.deepEqual(indexNames('chat_rooms'), ['chat_rooms_id_key', 'chat_rooms_pkey']);
    assert.ok(database.includes('index public.vendors/vendors_slug_owner_id_key1 (slug) include (owner_id) unique constraint=vendors_slug_owner_id_key1'));
    assert.ok(database.includes('index public.vendors/vendors_owner_id_slug_idx (owner_id) include (slug) constraint='));
  });
});
