/**
 * What a write to a database could change, read as the superuser, so that a test can show a
 * command left it as it was.
 */
import { Client } from 'pg';
import type { TestServer } from './postgresServer';
import { readSharedState } from './sharedServerState';

/**
 * Each table's rows, the sequences, what the server shares between databases (readSharedState),
 * advisory locks and large objects.
 */
export async function fingerprintDatabase(server: TestServer, url: string): Promise<Record<string, string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, string> = {};
    const tables = await client.query<{ name: string }>(`
      select format('%I.%I', n.nspname, c.relname) as name
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'm') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
       order by 1`);
    for (const { name } of tables.rows) {
      const rows = await client.query<{ sum: string; count: string }>(`select md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as sum, count(*) as count from ${name} x`);
      result[name] = `${rows.rows[0].count} rows ${rows.rows[0].sum}`;
    }
    const global = async (key: string, sql: string): Promise<void> => {
      result[key] = JSON.stringify((await client.query(sql)).rows);
    };
    await global('sequences', 'select schemaname, sequencename, last_value from pg_sequences order by 1, 2');
    result['shared by the server'] = JSON.stringify(await readSharedState(server));
    await global('advisory locks', "select count(*) from pg_locks where locktype = 'advisory'");
    await global('large objects', 'select count(*) from pg_largeobject_metadata');
    return result;
  } finally {
    await client.end();
  }
}

/**
 * The rows inserted, updated and deleted in each table of the database, catalogs included (a
 * temporary table or any DDL inserts into pg_class), as pg_stat_all_tables counts them: a write
 * counts even when its transaction was rolled back, which the rows themselves would not show.
 * Waits until no other session is connected, so it cannot be used beside a session kept open.
 */
export async function readWriteCounters(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await waitForOtherSessionsToEnd(client);
    const { rows } = await client.query<{ line: string }>(`select format('%s.%s ins=%s upd=%s del=%s', schemaname, relname, n_tup_ins, n_tup_upd, n_tup_del) as line
      from pg_stat_all_tables where n_tup_ins + n_tup_upd + n_tup_del > 0 and schemaname not like 'pg_toast%' order by schemaname, relname`);
    return rows.map((row) => row.line);
  } finally {
    await client.end();
  }
}

/**
 * A backend sends its table counters to the statistics when its session ends, before it leaves
 * pg_stat_activity; so once no other session is connected to the database, the counters hold
 * every write made through it. Waits on that condition (a closed connection's backend takes a
 * moment to exit), not on a fixed time.
 */
async function waitForOtherSessionsToEnd(client: Client): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { rows } = await client.query<{ others: number }>(`select count(*)::int as others from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`);
    if (rows[0].others === 0) break;
    if (Date.now() > deadline) throw new Error(`${rows[0].others} other sessions still connected to the database after 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The counters are read in a snapshot taken at the first access in a transaction; take a fresh one.
  await client.query('select pg_stat_clear_snapshot()');
}
