/**
 * Partitioned tables on PostgreSQL 15: a foreign key without an index, or a duplicate index pair,
 * is one finding, on the partitioned table, from the migrations and from the live database alike;
 * the fixes run on the server (an index on a partitioned table cannot be built or dropped
 * CONCURRENTLY) and reach every partition, as the replay says.
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

const schema = `create table public.wallets (id uuid primary key, user_id uuid not null);
create table public.wallet_transactions (
  id uuid not null,
  wallet_id uuid not null references public.wallets,
  amount_cents bigint not null,
  created_at timestamptz not null,
  primary key (id, created_at)
) partition by range (created_at);
create table public.wallet_transactions_2024 partition of public.wallet_transactions for values from ('2024-01-01') to ('2025-01-01');
create table public.wallet_transactions_2025 partition of public.wallet_transactions for values from ('2025-01-01') to ('2026-01-01')
  partition by hash (id);
create table public.wallet_transactions_2025_a partition of public.wallet_transactions_2025 for values with (modulus 2, remainder 0);
create table public.wallet_transactions_2025_b partition of public.wallet_transactions_2025 for values with (modulus 2, remainder 1);
`;

function unindexedForeignKeys(catalog: Catalog): string[] {
  return runRules(catalog, config).filter((finding) => finding.rule === 'unindexed_foreign_keys').map((finding) => finding.object);
}

function walletTransactionIndexes(catalog: Catalog): string[] {
  const lines: string[] = [];
  for (const [qualified, table] of catalog.tables) {
    if (!qualified.startsWith('public.wallet_transactions')) continue;
    for (const index of table.indexes.values()) lines.push(`${qualified}/${index.name} (${index.keys.map((key) => key.column).join(', ')})`);
  }
  return lines.sort();
}

describe('partitioned tables on PostgreSQL', function () {
  this.timeout(120_000);

  it('is one unindexed_foreign_keys finding, whose fix indexes every partition', async () => {
    await loadParser();
    const files = [{ path: 'supabase/migrations/20240101000000_wallets.sql', text: schema }];
    const replayed = analyze({ files, config });
    const findings = replayed.findings.filter((finding) => finding.rule === 'unindexed_foreign_keys');
    assert.deepEqual(findings.map((finding) => finding.object), ['public.wallet_transactions.wallet_transactions_wallet_id_fkey']);
    const fixSql = findings[0].fix?.sql;
    assert.ok(fixSql);

    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_partitioned_foreign_keys');
    await server.runSql(url, schema);
    const options = resolveConnectionOptions({ url, env: {} });
    assert.deepEqual(unindexedForeignKeys((await introspectDatabase(options, { config })).catalog), ['public.wallet_transactions.wallet_transactions_wallet_id_fkey']);

    await server.runSql(url, fixSql);
    const database = (await introspectDatabase(options, { config })).catalog;
    assert.deepEqual(unindexedForeignKeys(database), []);
    const fixed = analyze({ files: [...files, { path: 'supabase/migrations/20240102000000_index_wallet_id.sql', text: fixSql }], config });
    assert.deepEqual(fixed.findings.filter((finding) => finding.rule === 'unindexed_foreign_keys'), []);
    assert.deepEqual(walletTransactionIndexes(fixed.catalog), walletTransactionIndexes(database));
  });

  it('reports a duplicate index pair once, and its fix drops it from every partition', async () => {
    await loadParser();
    const duplicated = `${schema}create index wallet_transactions_wallet_idx on public.wallet_transactions (wallet_id);
create index idx_wallet_transactions_wallet on public.wallet_transactions (wallet_id);
`;
    const files = [{ path: 'supabase/migrations/20240101000000_wallets.sql', text: duplicated }];
    const replayed = analyze({ files, config });
    const findings = replayed.findings.filter((finding) => finding.rule === 'duplicate_index');
    assert.deepEqual(findings.map((finding) => finding.object), ['public.idx_wallet_transactions_wallet']);
    const fixSql = findings[0].fix?.sql;
    assert.equal(fixSql, 'drop index if exists public.idx_wallet_transactions_wallet;\n');

    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_partitioned_duplicate_index');
    await server.runSql(url, duplicated);
    const options = resolveConnectionOptions({ url, env: {} });
    const duplicates = (catalog: Catalog) => runRules(catalog, config).filter((finding) => finding.rule === 'duplicate_index').map((finding) => finding.object);
    assert.deepEqual(duplicates((await introspectDatabase(options, { config })).catalog), ['public.wallet_transactions_wallet_idx']);
    await server.runSql(url, fixSql);
    const database = (await introspectDatabase(options, { config })).catalog;
    assert.deepEqual(duplicates(database), []);
    // One index on wallet_id is left on the partitioned table and on each of its four partitions.
    assert.equal(walletTransactionIndexes(database).filter((line) => line.endsWith('(wallet_id)')).length, 5);
  });
});
