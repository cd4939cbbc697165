/**
 * A function's SET clauses (`set search_path = ''`) as the replay reads them from a migration and
 * as introspection reads them back from PostgreSQL (proconfig), where they are stored flattened
 * and re-quoted. Both must spell a value the same way, or every such function would differ
 * between the migrations and the database.
 */
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { analyze } from '../../src/core/analyze';
import { defaultConfig } from '../../src/core/config';
import { loadParser } from '../../src/core/sql/parser';
import { introspectPglite } from '../../src/db/shadow';

const config = defaultConfig('postgres');
const MIGRATION = `
create function public.wallet_balance(p_wallet uuid) returns bigint language sql stable
  set search_path = '' as 'select 0::bigint';
create function public.booking_total(p_booking uuid) returns bigint language sql stable
  set search_path = public, pg_temp as 'select 0::bigint';
create function public.vendor_payouts() returns bigint language sql stable
  set search_path = '$user', public, "Payments" as 'select 0::bigint';
create function public.chat_unread() returns bigint language sql stable
  set statement_timeout = '5s' set work_mem = 4096 set search_path to extensions as 'select 0::bigint';
`;

describe('function settings: migrations and database spell them alike', function () {
  this.timeout(120_000);

  it('reads search_path lists, quoted elements, empty paths and other settings back as the replay wrote them', async () => {
    await loadParser();
    const replayed = analyze({ files: [{ path: '001_functions.sql', text: MIGRATION }], config }).catalog;
    const db = new PGlite();
    try {
      await db.exec('create schema if not exists extensions; create schema "Payments";');
      await db.exec(MIGRATION);
      const introspected = (await introspectPglite(db, { config })).catalog;
      const settings = (catalog: typeof replayed) =>
        [...catalog.functions.values()].filter((fn) => fn.schema === 'public').map((fn) => `${fn.name}: ${[...fn.config].map(([name, value]) => `${name}=${value}`).join(' ')}`).sort();
      assert.deepEqual(settings(replayed), [
        "booking_total: search_path=public, pg_temp",
        "chat_unread: statement_timeout='5s' work_mem=4096 search_path=extensions",
        "vendor_payouts: search_path='$user', public, 'Payments'",
        "wallet_balance: search_path=''",
      ]);
      assert.deepEqual(settings(introspected), settings(replayed));
    } finally {
      await db.close();
    }
  });
});
