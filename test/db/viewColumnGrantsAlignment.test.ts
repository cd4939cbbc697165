/**
 * Alignment SQL for column grants on views, run on PostgreSQL (PGlite): a materialized view that the
 * migrations define with other columns is dropped and created again, and the database's grants on
 * its old columns must not be revoked after that (the column no longer exists: the REVOKE would fail).
 */
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { defaultConfig } from '../../src/core/config';
import { diffCatalogs } from '../../src/core/diff/diffCatalogs';
import { renderAlignmentSql } from '../../src/core/diff/renderAlignmentSql';
import { introspectPglite } from '../../src/db/shadow';

const config = defaultConfig('postgres');
const TABLES = `create role authenticated nologin;
create table public.wallets (id bigint primary key, owner_email text, balance_cents bigint not null default 0);`;

/** What the migrations make. */
const MIGRATIONS = `${TABLES}
create materialized view public.wallet_totals as select id, balance_cents from public.wallets;
grant select (id, balance_cents) on public.wallet_totals to authenticated;`;

/** What the database has: an older view, with a grant on a column the migrations' view lacks. */
const DATABASE = `${TABLES}
create materialized view public.wallet_totals as select id, owner_email from public.wallets;
grant select (id, owner_email) on public.wallet_totals to authenticated;`;

describe('alignment SQL: column grants on a rebuilt materialized view', function () {
  this.timeout(120_000);

  it('creates the view again with the migrations\' column grants and revokes nothing on its old columns', async () => {
    const shadow = new PGlite();
    const database = new PGlite();
    try {
      await shadow.exec(MIGRATIONS);
      await database.exec(DATABASE);
      const wanted = (await introspectPglite(shadow, { config })).catalog;
      const options = { profile: 'postgres' as const, withPrivileges: true };
      const changes = diffCatalogs(wanted, (await introspectPglite(database, { config })).catalog, options);
      const sql = renderAlignmentSql(changes, wanted, (await introspectPglite(database, { config })).catalog, { allowDrops: true });
      assert.doesNotMatch(sql, /revoke select \(owner_email\)/);
      await database.exec(sql);
      const aligned = diffCatalogs(wanted, (await introspectPglite(database, { config })).catalog, options);
      assert.deepEqual(aligned.map((change) => `${change.status} ${change.key}`), []);
      // information_schema leaves materialized views out: read the columns' ACLs.
      const grants = await database.query<{ attname: string }>(
        "select attname from pg_attribute where attrelid = 'public.wallet_totals'::regclass and has_column_privilege('authenticated', attrelid, attnum, 'SELECT') order by attname",
      );
      assert.deepEqual(grants.rows.map((row) => row.attname), ['balance_cents', 'id']);
    } finally {
      await shadow.close();
      await database.close();
    }
  });
});
