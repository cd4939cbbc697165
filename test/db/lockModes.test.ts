/**
 * The lock modes and the rewrite claims of `statementLocks`, checked against the real server
 * (PostgreSQL 15) instead of written from memory. Each case gets its own schema holding the same
 * tables, with rows. A statement that may run in a transaction runs in one, and the relation locks
 * its backend then holds are read from pg_locks; a CONCURRENTLY statement (or VACUUM) cannot, so a
 * second connection holds a SHARE UPDATE EXCLUSIVE lock on the table and the statement's waiting
 * (granted = false) request shows its mode. Either way the strongest mode on each table must be
 * the one `statementLocks` gives for the same SQL replayed offline, and the table's relfilenode
 * must change exactly when it claims a rewrite, and the transaction's statistics must count a
 * sequential scan of it exactly when it claims a scan or a rewrite.
 */
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { analyze } from '../../src/core/analyze';
import { defaultConfig } from '../../src/core/config';
import type { LockMode } from '../../src/core/safety/locks';
import { loadParser } from '../../src/core/sql/parser';
import { getTestServer } from '../support/postgresServer';

const BASE = `create table vendors (id bigint primary key, name text not null);
create table bookings (id bigint primary key, vendor_id bigint, status varchar(20), note text, amount numeric(10,2), created_at timestamptz);
create index bookings_status_idx on bookings (status);
create table events (id bigint not null, at date not null) partition by range (at);
create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
create table events_2025 (id bigint not null, at date not null);
create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
insert into vendors select g, 'vendor ' || g from generate_series(1, 100) g;
insert into bookings select g, g % 100 + 1, 'confirmed', 'note ' || g, 10.5, now() from generate_series(1, 1000) g;
insert into events_2025 select g, date '2025-03-01' from generate_series(1, 100) g;
create table adventures (id bigint primary key, category text not null);
insert into adventures select g, 'category ' || g % 10 from generate_series(1, 100) g;
create materialized view adventure_counts as select category, count(*) as n from adventures group by category;
create unique index adventure_counts_category_idx on adventure_counts (category);
`;

const FK = 'alter table bookings add constraint bookings_vendor_fk foreign key (vendor_id) references vendors (id);';

interface LockCase {
  sql: string;
  /** Committed before the statement, in the case's schema. */
  setup?: string;
  /** TRUNCATE swaps in a new, empty file without writing a row: a new relfilenode, and no rewrite. */
  swapsFile?: boolean;
}

/** Statements that run in a transaction: their locks are read from pg_locks while it is open. */
const IN_TRANSACTION: LockCase[] = [
  { sql: 'create index bookings_note_idx on bookings (note);' },
  { sql: 'drop index bookings_status_idx;' },
  { sql: 'alter table bookings add column paid boolean;' },
  { sql: "alter table bookings add column region text default 'eu';" },
  { sql: 'alter table bookings add column checked_at timestamptz default now();' },
  { sql: 'alter table bookings add column token uuid default gen_random_uuid();' },
  { sql: 'alter table bookings add column position bigserial;' },
  { sql: "alter table bookings add column code text not null default 'x';" },
  { sql: 'alter table bookings add column double_amount numeric generated always as (amount * 2) stored;' },
  { sql: 'alter table bookings add column number bigint generated always as identity;' },
  { sql: 'alter table bookings add column other_vendor_id bigint references vendors (id);' },
  { sql: 'alter table bookings drop column note;' },
  { sql: 'alter table bookings alter column status type varchar(50);' },
  { sql: 'alter table bookings alter column status type text;' },
  { sql: 'alter table bookings alter column amount type numeric(12,2);' },
  { sql: 'alter table bookings alter column amount type numeric(8,2);' },
  { sql: 'alter table bookings alter column note type varchar(100);' },
  { sql: 'alter table bookings alter column vendor_id type integer;' },
  { sql: 'alter table bookings alter column status set not null;' },
  { sql: 'alter table bookings alter column status set not null;', setup: 'alter table bookings add constraint bookings_status_not_null check (status is not null);' },
  { sql: 'alter table bookings alter column status drop not null;', setup: 'alter table bookings alter column status set not null;' },
  { sql: "alter table bookings alter column status set default 'pending';" },
  { sql: 'alter table bookings alter column status drop default;' },
  { sql: 'alter table bookings add constraint bookings_amount_positive check (amount > 0);' },
  { sql: 'alter table bookings add constraint bookings_amount_positive check (amount > 0) not valid;' },
  { sql: FK },
  { sql: FK.replace(';', ' not valid;') },
  { sql: 'alter table bookings add constraint bookings_id_status_key unique (id, status);' },
  { sql: 'alter table bookings add constraint bookings_id_key unique using index bookings_id_key;', setup: 'create unique index bookings_id_key on bookings (id);' },
  { sql: 'alter table events_2025 add primary key (id);' },
  { sql: 'alter table events_2025 add constraint events_2025_pkey primary key using index events_2025_id_key;', setup: 'create unique index events_2025_id_key on events_2025 (id);' },
  { sql: 'alter table bookings validate constraint bookings_amount_positive;', setup: 'alter table bookings add constraint bookings_amount_positive check (amount > 0) not valid;' },
  { sql: 'alter table bookings validate constraint bookings_vendor_fk;', setup: FK.replace(';', ' not valid;') },
  { sql: 'alter table bookings drop constraint bookings_vendor_fk;', setup: FK },
  { sql: 'alter table bookings enable row level security;' },
  { sql: 'alter table bookings disable row level security;', setup: 'alter table bookings enable row level security;' },
  { sql: 'alter table bookings force row level security;' },
  { sql: 'alter table bookings disable trigger user;' },
  { sql: 'alter table bookings enable trigger all;' },
  { sql: 'alter table bookings set (fillfactor = 70);' },
  { sql: 'alter table bookings set (autovacuum_enabled = false);' },
  { sql: 'alter table bookings alter column status set statistics 500;' },
  { sql: 'alter table bookings alter column note set storage external;' },
  { sql: 'alter table bookings replica identity full;' },
  { sql: 'alter table bookings set unlogged;' },
  { sql: "alter table events attach partition events_2025 for values from ('2025-01-01') to ('2026-01-01');" },
  { sql: 'alter table events detach partition events_2024;' },
  { sql: 'alter table bookings add column paid boolean, alter column status type text, add constraint bookings_amount_positive check (amount > 0) not valid;' },
  { sql: 'create trigger bookings_touch before update on bookings for each row execute function touch();' },
  { sql: 'create policy bookings_read on bookings for select using (true);' },
  { sql: 'alter policy bookings_read on bookings using (false);', setup: 'create policy bookings_read on bookings for select using (true);' },
  { sql: 'drop policy bookings_read on bookings;', setup: 'create policy bookings_read on bookings for select using (true);' },
  { sql: 'drop trigger bookings_touch on bookings;', setup: 'create trigger bookings_touch before update on bookings for each row execute function touch();' },
  { sql: 'alter table bookings rename column note to notes;' },
  { sql: 'alter table bookings rename to reservations;' },
  { sql: 'alter table bookings rename constraint bookings_vendor_fk to bookings_vendor_id_fkey;', setup: FK },
  { sql: 'alter index bookings_status_idx rename to bookings_by_status;' },
  { sql: 'drop table bookings;', setup: FK },
  { sql: 'truncate bookings;', swapsFile: true },
  { sql: 'cluster bookings using bookings_pkey;' },
  { sql: 'refresh materialized view adventure_counts;' },
  // REFRESH ... CONCURRENTLY may run in a transaction, unlike the other CONCURRENTLY forms.
  { sql: 'refresh materialized view concurrently adventure_counts;' },
  { sql: "comment on table bookings is 'Reservations of an adventure';" },
  { sql: "comment on column bookings.note is 'Free text from the guest';" },
  { sql: 'grant select on bookings to public;' },
  { sql: 'reindex table bookings;' },
  { sql: 'reindex index bookings_status_idx;' },
  { sql: 'lock table bookings in share mode;' },
  { sql: "update bookings set note = 'changed';" },
  { sql: 'create table reviews (id bigint primary key, booking_id bigint references bookings (id));' },
  { sql: "create table events_2026 partition of events for values from ('2026-01-01') to ('2027-01-01');" },
  { sql: 'alter table bookings set schema archive;', setup: 'create schema archive;' },
];

/** Statements that cannot run in a transaction block: their mode is read from the lock they wait for. */
const OUTSIDE_TRANSACTION: (LockCase & { table: string })[] = [
  { sql: 'create index concurrently bookings_note_idx on bookings (note);', table: 'bookings' },
  { sql: 'drop index concurrently bookings_status_idx;', table: 'bookings' },
  { sql: 'reindex table concurrently bookings;', table: 'bookings' },
  { sql: 'alter table events detach partition events_2024 concurrently;', table: 'events' },
  { sql: 'vacuum full bookings;', table: 'bookings' },
  { sql: 'vacuum bookings;', table: 'bookings' },
];

describe('lock modes on PostgreSQL', function () {
  this.timeout(300_000);
  let url: string;
  let admin: Client;

  before(async () => {
    await loadParser();
    const server = await getTestServer();
    url = await server.createDatabase('pgreview_lock_modes', { baseline: false });
    admin = new Client({ connectionString: url });
    await admin.connect();
  });

  after(async () => {
    await admin?.end();
  });

  IN_TRANSACTION.forEach((testCase, index) => {
    it(`in a transaction: ${testCase.setup ? `(after ${testCase.setup}) ` : ''}${testCase.sql}`, async () => {
      const schema = await createCaseSchema(admin, `in_transaction_${index}`, testCase.setup);
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const before = await relationFiles(client, schema);
        await client.query('begin');
        await client.query(`set local search_path = ${schema}`);
        await client.query(testCase.sql);
        // By oid, and named as before the statement: it may rename the table or move it to another schema.
        const names = new Map([...before].map(([name, relation]) => [relation.oid, name]));
        const held = await client.query<{ oid: number; mode: string }>(
          'select l.relation::int as oid, l.mode from pg_locks l where l.pid = pg_backend_pid() and l.granted and l.relation = any($1::oid[])',
          [[...names.keys()]],
        );
        const after = await relationFiles(client, schema, [...before.values()].map((relation) => relation.oid));
        const scanned = await client.query<{ oid: number }>(
          'select relid::int as oid from pg_stat_xact_all_tables where relid = any($1::oid[]) and seq_scan > 0',
          [[...names.keys()]],
        );
        await client.query('rollback');

        const claimed = claimedLocks(testCase);
        const heldByName = held.rows.map((row) => ({ relname: names.get(row.oid) ?? String(row.oid), mode: row.mode }));
        assert.deepEqual(strongestHeld(heldByName, claimed), claimedModes(claimed), 'lock modes');
        assert.deepEqual(rewritten(before, after), rewriteClaims(claimed, testCase.swapsFile), 'rewritten tables (relfilenode changed)');
        // The tables a query only reads (a materialized view's) are not the statement's locks.
        const read = scanned.rows.map((row) => names.get(row.oid) ?? '').filter((table) => claimed.has(table));
        // FIXME: after TRUNCATE the transaction's statistics count a sequential scan of the table,
        // though no row is read; the check is left out for it.
        if (!testCase.swapsFile) assert.deepEqual(read.sort(), readClaims(claimed), 'tables read in full (seq_scan in pg_stat_xact_all_tables)');
      } finally {
        await client.end();
      }
    });
  });

  OUTSIDE_TRANSACTION.forEach((testCase, index) => {
    it(`outside a transaction: ${testCase.sql}`, async () => {
      const schema = await createCaseSchema(admin, `outside_${index}`, testCase.setup);
      const before = await relationFiles(admin, schema);
      const blocker = new Client({ connectionString: url });
      const runner = new Client({ connectionString: url });
      await Promise.all([blocker.connect(), runner.connect()]);
      try {
        // Nothing here may hang: the statement gives up after a minute at worst.
        await runner.query(`set search_path = ${schema}; set statement_timeout = '60s'`);
        // SHARE UPDATE EXCLUSIVE conflicts with every mode these statements may take, but not with
        // the ACCESS SHARE lock VACUUM takes for a moment to look the table up.
        await blocker.query(`begin; lock table ${schema}.${testCase.table} in share update exclusive mode`);
        const runnerPid = (await runner.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
        const running = runner.query(testCase.sql).then(
          () => undefined,
          (error: unknown) => error,
        );
        const waitingMode = await waitForLockRequest(admin, runnerPid);
        await blocker.query('rollback');
        const failure = await running;
        assert.equal(failure, undefined, `the statement failed: ${String(failure)}`);
        const after = await relationFiles(admin, schema, [...before.values()].map((relation) => relation.oid));

        const claimed = claimedLocks(testCase);
        assert.equal(waitingMode.relname, testCase.table);
        assert.equal(waitingMode.mode, claimedModes(claimed)[testCase.table], 'the mode the statement waits for');
        assert.deepEqual(rewritten(before, after), rewriteClaims(claimed, false), 'rewritten tables (relfilenode changed)');
      } finally {
        await blocker.end();
        await runner.end();
      }
    });
  });

  describe('which CONCURRENTLY forms need to be outside a transaction block', () => {
    for (const sql of ['create index concurrently bookings_note_idx on bookings (note)', 'drop index concurrently bookings_status_idx', 'reindex table concurrently bookings', 'alter table events detach partition events_2024 concurrently']) {
      it(`${sql}: refused in BEGIN ... COMMIT and in a query string of several statements`, async () => {
        const schema = await createCaseSchema(admin, `refused_${sql.split(' ').slice(0, 2).join('_')}`);
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`set search_path = ${schema}`);
          await client.query('begin');
          await assert.rejects(client.query(sql), (error: { code?: string }) => error.code === '25001');
          await client.query('rollback');
          // One simple-protocol query with several statements runs as one implicit transaction:
          // what golang-migrate, diesel and dbmate send when a file has more than one statement.
          await assert.rejects(client.query(`select 1; ${sql}`), (error: { code?: string }) => error.code === '25001');
          // Alone, it runs.
          await client.query(sql);
        } finally {
          await client.end();
        }
      });
    }
  });
});

interface RelationFile {
  oid: number;
  relfilenode: number;
}

/** Creates the case's schema with the base tables and rows, then its setup, all committed. */
async function createCaseSchema(admin: Client, name: string, setup?: string): Promise<string> {
  const schema = name.replace(/\W/g, '_').toLowerCase();
  await admin.query(`drop schema if exists ${schema} cascade; create schema ${schema}; set search_path = ${schema}`);
  await admin.query(BASE + (setup ?? ''));
  await admin.query('reset search_path');
  return schema;
}

/** relfilenode of each table, partitioned table and materialized view of the schema, by name (only `oids` when given). */
async function relationFiles(client: Client, schema: string, oids?: number[]): Promise<Map<string, RelationFile>> {
  const result = await client.query<{ relname: string; oid: number; relfilenode: number }>(
    oids
      ? 'select relname, oid::int as oid, relfilenode::int as relfilenode from pg_class where oid = any($1::oid[])'
      : "select relname, oid::int as oid, relfilenode::int as relfilenode from pg_class where relnamespace = $1::regnamespace and relkind in ('r', 'p', 'm')",
    [oids ?? schema],
  );
  return new Map(result.rows.map((row) => [row.relname, { oid: row.oid, relfilenode: row.relfilenode }]));
}

/** Polls pg_locks until the backend waits for a relation lock; bounded, so a statement that never waits fails the test instead of hanging it. */
async function waitForLockRequest(admin: Client, pid: number): Promise<{ relname: string; mode: string }> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const result = await admin.query<{ relname: string; mode: string }>(
      `select c.relname, l.mode from pg_locks l join pg_class c on c.oid = l.relation where l.pid = $1 and not l.granted`,
      [pid],
    );
    if (result.rows.length > 0) return { relname: result.rows[0].relname, mode: toLockMode(result.rows[0].mode) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`backend ${pid} never waited for a relation lock`);
}

/** What `statementLocks` says for the statement, replayed offline after the base and the setup. */
function claimedLocks(testCase: LockCase): Map<string, { mode: LockMode; work: string }> {
  const files = [BASE, testCase.setup ?? '', testCase.sql].map((text, index) => ({ path: `migrations/${index}_m.sql`, text }));
  const analysis = analyze({ files, config: defaultConfig('postgres'), pending: { paths: new Set([files[2].path]), source: 'test' } });
  const problems = analysis.findings.filter((finding) => ['syntax_error', 'object_dropped_but_referenced'].includes(finding.rule));
  assert.deepEqual(problems.map((finding) => finding.message), [], 'the offline replay understands the case');
  const claimed = new Map<string, { mode: LockMode; work: string }>();
  for (const statement of analysis.statementLocks.get(files[2].path) ?? []) {
    for (const lock of statement.locks) claimed.set(lock.table.slice(lock.table.indexOf('.') + 1), { mode: lock.mode, work: lock.work });
  }
  return claimed;
}

function claimedModes(claimed: Map<string, { mode: LockMode }>): Record<string, LockMode> {
  return Object.fromEntries([...claimed].map(([table, lock]) => [table, lock.mode]).sort());
}

/**
 * The strongest mode the backend holds on each table. A plain read (ACCESS SHARE) of a table
 * the statement does not change, such as the query of a materialized view, blocks nothing but
 * ACCESS EXCLUSIVE and is left out when `statementLocks` does not name the table.
 */
function strongestHeld(rows: { relname: string; mode: string }[], claimed: Map<string, unknown>): Record<string, LockMode> {
  const strongest = new Map<string, LockMode>();
  for (const row of rows) {
    const mode = toLockMode(row.mode);
    const held = strongest.get(row.relname);
    if (!held || LOCK_ORDER.indexOf(mode) < LOCK_ORDER.indexOf(held)) strongest.set(row.relname, mode);
  }
  return Object.fromEntries([...strongest].filter(([table, mode]) => claimed.has(table) || mode !== 'ACCESS SHARE').sort());
}

function rewritten(before: Map<string, RelationFile>, after: Map<string, RelationFile>): string[] {
  return [...before].filter(([, file]) => [...after.values()].some((now) => now.oid === file.oid && now.relfilenode !== file.relfilenode)).map(([name]) => name).sort();
}

function rewriteClaims(claimed: Map<string, { work: string }>, swapsFile: boolean | undefined): string[] {
  return [...claimed].filter(([, lock]) => lock.work === 'rewrite' || (swapsFile && lock.work === 'none')).map(([table]) => table).sort();
}

function readClaims(claimed: Map<string, { work: string }>): string[] {
  return [...claimed].filter(([, lock]) => lock.work !== 'none').map(([table]) => table).sort();
}

const LOCK_ORDER: LockMode[] = ['ACCESS EXCLUSIVE', 'EXCLUSIVE', 'SHARE ROW EXCLUSIVE', 'SHARE', 'SHARE UPDATE EXCLUSIVE', 'ROW EXCLUSIVE', 'ROW SHARE', 'ACCESS SHARE'];

/** pg_locks spells modes `ShareRowExclusiveLock`. */
function toLockMode(name: string): LockMode {
  const words = name.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  const mode = LOCK_ORDER.find((candidate) => candidate === words);
  if (!mode) throw new Error(`unknown lock mode ${name}`);
  return mode;
}
