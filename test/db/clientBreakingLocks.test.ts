/**
 * The locks behind rename_column_breaks_clients, rename_table_breaks_clients,
 * drop_column_breaks_clients and drop_table_breaks_clients, read from a real server: each statement
 * runs in a transaction that is rolled back, and pg_locks shows the mode it holds on the table.
 * `pg_class.relfilenode` shows that none of them rewrites the table (`work: 'none'`).
 */
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { getTestServer } from '../support/postgresServer';

describe('locks of renames and drops on PostgreSQL', function () {
  this.timeout(120_000);

  it('take ACCESS EXCLUSIVE and rewrite nothing', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_client_breaking_locks', { baseline: false });
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('create table public.bookings (id bigint primary key, user_id uuid, note text); insert into public.bookings values (1, null, null);');
      const statements = [
        'alter table public.bookings rename column user_id to owner_id',
        'alter table public.bookings rename to reservations',
        'alter table public.bookings drop column note',
        'drop table public.bookings',
      ];
      const seen: string[] = [];
      for (const statement of statements) {
        const before = await client.query<{ oid: number; relfilenode: number }>("select oid::int, relfilenode::int from pg_class where oid = 'public.bookings'::regclass");
        const { oid, relfilenode } = before.rows[0];
        await client.query('begin');
        await client.query(statement);
        const locks = await client.query<{ mode: string }>('select mode from pg_locks where locktype = $1 and relation = $2 and pid = pg_backend_pid() order by mode', ['relation', oid]);
        const after = await client.query<{ relfilenode: number }>('select relfilenode::int from pg_class where oid = $1', [oid]);
        await client.query('rollback');
        const strongest = locks.rows.map((row) => row.mode).includes('AccessExclusiveLock') ? 'AccessExclusiveLock' : locks.rows.map((row) => row.mode).join(',');
        // A dropped table has no pg_class row left inside the transaction: nothing was rewritten either.
        const rewritten = after.rows.length > 0 && after.rows[0].relfilenode !== relfilenode;
        seen.push(`${statement}: ${strongest}${rewritten ? ', rewritten' : ''}`);
      }
      assert.deepEqual(seen, statements.map((statement) => `${statement}: AccessExclusiveLock`));
    } finally {
      await client.end();
    }
  });
});
