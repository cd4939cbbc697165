/**
 * The column and key safety rules' claims, checked on the real server: each statement runs on a
 * table that holds rows, inside a transaction that is rolled back, and the server tells what it
 * did. The table is rewritten when `pg_class.relfilenode` changes; it is read when its sequential
 * scans in this transaction (`pg_stat_xact_user_tables.seq_scan`, counted at once, not by the
 * statistics collector) go up; `pg_locks` shows the lock the statement holds. A rule fires exactly
 * when the server does the work its message names. The suggested SQL is applied too, and shown to
 * do what it promises.
 */
import assert from 'node:assert/strict';
import { Client } from 'pg';
import type { Finding } from '../../src/core/finding';
import { loadParser } from '../../src/core/sql/parser';
import { getTestServer } from '../support/postgresServer';
import { analyzeMigrations } from '../support/safetyTester';

/** The applied migration of every case, and the rows each case's table holds on the server. */
const EVENTS = `create table public.events (
  id bigint not null,
  name text,
  code varchar(20),
  amount numeric(10,2),
  placed_at timestamp(3),
  quantity int,
  tags varchar(10)[],
  state text
);
create sequence public.event_numbers;
create type public.event_state as enum ('open', 'closed');
create function public.new_code() returns text language sql as $$ select md5(random()::text) $$;
create function public.deploy_region() returns text language sql stable as $$ select coalesce(current_setting('app.region', true), 'eu') $$;`;
const ROWS = `insert into public.events (id, name, code, amount, placed_at, quantity, tags, state)
  select g, 'event ' || g, 'c' || g, g, timestamp '2024-01-01' + g * interval '1 hour', g, array['a'], 'open' from generate_series(1, 50) g;`;
const WITH_CHECK = 'alter table public.events add constraint events_code_check check (length(code) > 1);';

type Work = 'none' | 'scan' | 'rewrite';

/** What the server did with one statement. */
interface ServerEffect {
  work: Work;
  /** Lock modes the transaction holds on the table afterwards (`AccessExclusiveLock`). */
  locks: string[];
  /** SQLSTATE when the statement failed. */
  failed?: string;
}

interface ColumnCase {
  rule: string;
  statement: string;
  /** What the server does: the rule fires exactly when it does more than 'none' (add_column_required_without_default: when it fails). */
  server: Work | 'fails';
  /** SQL run after EVENTS and ROWS, part of the applied migrations. */
  setup?: string;
  /** Session settings for the statement (not part of any migration). */
  session?: string;
}

const REQUIRED = 'add_column_required_without_default';
const VOLATILE = 'add_column_volatile_default';
const GENERATED = 'add_stored_generated_column';
const TYPE_CHANGE = 'column_type_change_rewrite';
const PRIMARY_KEY = 'add_primary_key_without_index';
const UNIQUE = 'add_unique_constraint_without_index';
const addColumn = (definition: string) => `alter table public.events add column ${definition};`;
const alterColumn = (change: string) => `alter table public.events alter column ${change};`;

const CASES: ColumnCase[] = [
  { rule: REQUIRED, statement: addColumn('region text not null'), server: 'fails' },
  { rule: REQUIRED, statement: addColumn('region text not null default null'), server: 'fails' },
  { rule: REQUIRED, statement: addColumn("region text not null default 'eu'"), server: 'none' },
  { rule: REQUIRED, statement: addColumn('number bigint not null generated always as identity'), server: 'rewrite' },

  { rule: VOLATILE, statement: addColumn('token uuid default gen_random_uuid()'), server: 'rewrite' },
  { rule: VOLATILE, statement: addColumn('token uuid default extensions.uuid_generate_v4()'), server: 'rewrite' },
  { rule: VOLATILE, statement: addColumn('luck float8 default random()'), server: 'rewrite' },
  { rule: VOLATILE, statement: addColumn('seen_at timestamptz default clock_timestamp()'), server: 'rewrite' },
  { rule: VOLATILE, statement: addColumn("number bigint default nextval('public.event_numbers')"), server: 'rewrite' },
  { rule: VOLATILE, statement: addColumn('ticket text default public.new_code()'), server: 'rewrite' },
  { rule: VOLATILE, statement: addColumn('token public.token'), server: 'rewrite', setup: 'create domain public.token as uuid default gen_random_uuid();' },
  { rule: VOLATILE, statement: addColumn('at public.moment'), server: 'none', setup: 'create domain public.moment as timestamptz default now();' },
  { rule: VOLATILE, statement: addColumn('created_at timestamptz not null default now()'), server: 'none' },
  { rule: VOLATILE, statement: addColumn('created_at timestamptz default current_timestamp'), server: 'none' },
  { rule: VOLATILE, statement: addColumn("expires_at timestamptz default now() + interval '1 day'"), server: 'none' },
  { rule: VOLATILE, statement: addColumn("region text not null default 'eu'"), server: 'none' },
  { rule: VOLATILE, statement: addColumn('seats int default 0'), server: 'none' },
  { rule: VOLATILE, statement: addColumn("meta jsonb not null default '{}'::jsonb"), server: 'none' },
  { rule: VOLATILE, statement: addColumn('region text default public.deploy_region()'), server: 'none' },

  { rule: GENERATED, statement: addColumn('total numeric generated always as (amount * quantity) stored'), server: 'rewrite' },
  { rule: GENERATED, statement: addColumn('number bigserial'), server: 'rewrite' },
  { rule: GENERATED, statement: addColumn('number bigint generated by default as identity'), server: 'rewrite' },
  { rule: GENERATED, statement: addColumn('total numeric'), server: 'none' },

  { rule: TYPE_CHANGE, statement: alterColumn('code type varchar(50)'), server: 'none' },
  { rule: TYPE_CHANGE, statement: alterColumn('code type varchar'), server: 'none' },
  { rule: TYPE_CHANGE, statement: alterColumn('code type text'), server: 'none' },
  { rule: TYPE_CHANGE, statement: alterColumn('name type varchar'), server: 'none' },
  { rule: TYPE_CHANGE, statement: alterColumn('amount type numeric(12,2)'), server: 'none' },
  { rule: TYPE_CHANGE, statement: alterColumn('amount type numeric'), server: 'none' },
  { rule: TYPE_CHANGE, statement: alterColumn('quantity type int4'), server: 'none' },
  { rule: TYPE_CHANGE, statement: alterColumn('placed_at type timestamp(6)'), server: 'none' },
  { rule: TYPE_CHANGE, statement: alterColumn('code type varchar(30) using code::varchar(30)'), server: 'none' },
  { rule: TYPE_CHANGE, statement: alterColumn('code type varchar(10)'), server: 'rewrite' },
  { rule: TYPE_CHANGE, statement: alterColumn('name type varchar(100)'), server: 'rewrite' },
  { rule: TYPE_CHANGE, statement: alterColumn('amount type numeric(12,3)'), server: 'rewrite' },
  { rule: TYPE_CHANGE, statement: alterColumn('quantity type bigint'), server: 'rewrite' },
  { rule: TYPE_CHANGE, statement: alterColumn('tags type text[]'), server: 'rewrite' },
  { rule: TYPE_CHANGE, statement: alterColumn('name type text using lower(name)'), server: 'rewrite' },
  { rule: TYPE_CHANGE, statement: alterColumn('state type public.event_state using state::public.event_state'), server: 'rewrite' },
  { rule: TYPE_CHANGE, statement: alterColumn('placed_at type timestamptz'), server: 'rewrite', session: "set timezone = 'Europe/Paris'" },
  { rule: TYPE_CHANGE, statement: alterColumn('code type varchar(50)'), server: 'scan', setup: WITH_CHECK },
  { rule: TYPE_CHANGE, statement: alterColumn('code type text'), server: 'scan', setup: 'create index events_code_lower on public.events (lower(code));' },
  { rule: TYPE_CHANGE, statement: alterColumn('code type text'), server: 'scan', setup: 'create index events_coded on public.events (id) where code is not null;' },
  { rule: TYPE_CHANGE, statement: alterColumn('code type text'), server: 'none', setup: 'create index events_code on public.events (code) include (name);' },

  { rule: PRIMARY_KEY, statement: 'alter table public.events add primary key (id);', server: 'scan' },
  { rule: PRIMARY_KEY, statement: 'alter table public.events add constraint events_pkey primary key using index events_id_key;', server: 'none', setup: 'create unique index events_id_key on public.events (id);' },
  { rule: UNIQUE, statement: 'alter table public.events add unique (code);', server: 'scan' },
  { rule: UNIQUE, statement: 'alter table public.events add constraint events_code_key unique using index events_code_idx;', server: 'none', setup: 'create unique index events_code_idx on public.events (code);' },
];

describe('column and key safety rules on PostgreSQL', function () {
  this.timeout(120_000);
  let client: Client;

  before(async () => {
    await loadParser();
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_column_safety', { baseline: false });
    client = new Client({ connectionString: url });
    await client.connect();
    await client.query('create schema extensions; create extension "uuid-ossp" schema extensions;');
  });

  after(() => client?.end());

  for (const testCase of CASES) {
    it(`${testCase.rule}: ${testCase.statement}${testCase.setup ? ` after ${testCase.setup}` : ''}${testCase.session ? ` (${testCase.session})` : ''}`, async () => {
      await resetEvents(client, testCase.setup);
      const effect = await effectOf(client, testCase.statement, testCase.session);
      assert.equal(effect.failed ?? effect.work, testCase.server === 'fails' ? '23502' : testCase.server, 'what the server did');
      const found = findingsOf(testCase.rule, testCase.statement, testCase.setup);
      const fires = testCase.rule === REQUIRED ? testCase.server === 'fails' : testCase.server !== 'none';
      assert.equal(found.length, fires ? 1 : 0, found.map((finding) => finding.message).join('\n'));
      if (!fires || effect.failed) return;
      assert.ok(effect.locks.includes('AccessExclusiveLock'), `locks held: ${effect.locks.join(', ')}`);
      assert.match(found[0].message, /takes an ACCESS EXCLUSIVE lock on public\.events: blocks reads and writes/);
      assert.match(found[0].message, testCase.server === 'rewrite' ? /it rewrites the whole table/ : /it reads every row while holding it/);
    });
  }

  it('timestamp to timestamptz in a UTC session keeps the rows but rebuilds the index: the rule still calls it a rewrite, since a file does not tell its time zone', async () => {
    await resetEvents(client, 'create index events_placed_at_idx on public.events (placed_at);');
    const index = await relfilenode(client, 'public.events_placed_at_idx');
    const effect = await effectOf(client, alterColumn('placed_at type timestamptz'), "set timezone = 'UTC'", async () => assert.notEqual(await relfilenode(client, 'public.events_placed_at_idx'), index));
    assert.equal(effect.work, 'scan');
    assert.match(findingsOf(TYPE_CHANGE, alterColumn('placed_at type timestamptz'))[0].message, /session time zone is UTC/);
  });

  describe('the suggested SQL works on a table with rows', () => {
    it(`${REQUIRED}: nullable column, backfill, NOT VALID CHECK, VALIDATE, SET NOT NULL, with no rewrite and no scan under ACCESS EXCLUSIVE`, async () => {
      await resetEvents(client);
      const suggestion = onlySuggestion(REQUIRED, addColumn('region text not null'));
      const table = await relfilenode(client, 'public.events');
      for (const statement of statementsOf(suggestion, "update public.events set region = 'eu' where region is null;")) {
        const effect = await effectOf(client, statement, undefined, undefined, true);
        assert.equal(effect.failed, undefined, statement);
        // SET NOT NULL with the validated CHECK in place reads nothing; VALIDATE reads the rows under SHARE UPDATE EXCLUSIVE only.
        if (/set not null|add column|add constraint/.test(statement)) assert.equal(effect.work, 'none', statement);
        if (/validate constraint/.test(statement)) assert.ok(!effect.locks.includes('AccessExclusiveLock'), statement);
      }
      assert.equal(await relfilenode(client, 'public.events'), table);
      const column = await client.query<{ attnotnull: boolean }>("select attnotnull from pg_attribute where attrelid = 'public.events'::regclass and attname = 'region'");
      assert.equal(column.rows[0].attnotnull, true);
    });

    it(`${VOLATILE}: column without the default, SET DEFAULT, backfill: no rewrite, and new rows get the default`, async () => {
      await resetEvents(client);
      const suggestion = onlySuggestion(VOLATILE, addColumn('token uuid default gen_random_uuid()'));
      const table = await relfilenode(client, 'public.events');
      for (const statement of statementsOf(suggestion, 'update public.events set token = gen_random_uuid() where token is null;')) {
        const effect = await effectOf(client, statement, undefined, undefined, true);
        assert.equal(effect.failed, undefined, statement);
        if (statement.startsWith('alter table')) assert.equal(effect.work, 'none', statement);
      }
      assert.equal(await relfilenode(client, 'public.events'), table);
      await client.query("insert into public.events (id, name) values (1000, 'new')");
      const tokens = await client.query<{ missing: string }>('select count(*) filter (where token is null) as missing from public.events');
      assert.equal(tokens.rows[0].missing, '0');
    });

    for (const [rule, statement, contype] of [
      [PRIMARY_KEY, 'alter table public.events add primary key (id);', 'p'],
      [UNIQUE, 'alter table public.events add constraint events_code_key unique nulls not distinct (code) include (name) deferrable;', 'u'],
    ] as const) {
      it(`${rule}: CREATE UNIQUE INDEX CONCURRENTLY (outside a transaction), then ADD CONSTRAINT ... USING INDEX without a scan`, async () => {
        await resetEvents(client);
        const [createIndex, addConstraint] = statementsOf(onlySuggestion(rule, statement), '');
        assert.match(createIndex, /^create unique index concurrently /);
        await client.query(createIndex);
        const effect = await effectOf(client, addConstraint, undefined, undefined, true);
        assert.equal(effect.failed, undefined, addConstraint);
        assert.equal(effect.work, 'none', addConstraint);
        const constraints = await client.query<{ contype: string }>("select contype from pg_constraint where conrelid = 'public.events'::regclass and contype in ('p', 'u')");
        assert.deepEqual(constraints.rows.map((row) => row.contype), [contype]);
      });
    }

    it(`${PRIMARY_KEY}: on a nullable column, ADD PRIMARY KEY USING INDEX reads every row (the suggestion's warning)`, async () => {
      await resetEvents(client, 'alter table public.events alter column id drop not null; create unique index events_id_key on public.events (id);');
      const suggestion = onlySuggestion(PRIMARY_KEY, 'alter table public.events add primary key (id);', 'alter table public.events alter column id drop not null;');
      assert.match(suggestion, /-- id is nullable/);
      const effect = await effectOf(client, 'alter table public.events add constraint events_pkey primary key using index events_id_key;');
      assert.equal(effect.work, 'scan');
    });
  });
});

/** Recreates the events table with its rows (and the case's setup), outside any transaction. */
async function resetEvents(client: Client, setup?: string): Promise<void> {
  await client.query('drop table if exists public.events; drop sequence if exists public.event_numbers; drop type if exists public.event_state; drop domain if exists public.token, public.moment; drop function if exists public.new_code(), public.deploy_region();');
  await client.query(`${EVENTS}\n${ROWS}\n${setup ?? ''}`);
}

/**
 * Runs a statement in a transaction and reports what it did to public.events; the transaction is
 * rolled back unless `commit`. `during` runs inside it, after the statement.
 */
async function effectOf(client: Client, statement: string, session?: string, during?: () => Promise<void>, commit = false): Promise<ServerEffect> {
  if (session) await client.query(session);
  await client.query('begin');
  let committed = false;
  try {
    const before = await tableState(client);
    try {
      await client.query(statement);
    } catch (error) {
      return { work: 'none', locks: [], failed: (error as { code?: string }).code ?? 'unknown' };
    }
    const after = await tableState(client);
    const locks = await client.query<{ mode: string }>("select mode from pg_locks where locktype = 'relation' and relation = 'public.events'::regclass and pid = pg_backend_pid() and granted");
    await during?.();
    const work: Work = after.relfilenode !== before.relfilenode ? 'rewrite' : after.scans > before.scans ? 'scan' : 'none';
    if (commit) {
      await client.query('commit');
      committed = true;
    }
    return { work, locks: locks.rows.map((row) => row.mode) };
  } finally {
    if (!committed) await client.query('rollback');
    if (session) await client.query('reset all');
  }
}

async function tableState(client: Client): Promise<{ relfilenode: string; scans: number }> {
  const result = await client.query<{ relfilenode: string; scans: string }>(
    "select c.relfilenode::text, coalesce(s.seq_scan, 0)::text as scans from pg_class c left join pg_stat_xact_user_tables s on s.relid = c.oid where c.oid = 'public.events'::regclass",
  );
  return { relfilenode: result.rows[0].relfilenode, scans: Number(result.rows[0].scans) };
}

async function relfilenode(client: Client, relation: string): Promise<string> {
  return (await client.query<{ relfilenode: string }>('select relfilenode::text from pg_class where oid = $1::regclass', [relation])).rows[0].relfilenode;
}

/** The rule's findings when `statement` is pending after EVENTS (and the case's setup) were applied. */
function findingsOf(rule: string, statement: string, setup?: string): Finding[] {
  return analyzeMigrations({ applied: [EVENTS, ...(setup ? [setup] : [])], pending: [statement] }).findings.filter((finding) => finding.rule === rule);
}

function onlySuggestion(rule: string, statement: string, setup?: string): string {
  const found = findingsOf(rule, statement, setup);
  assert.equal(found.length, 1);
  assert.equal(found[0].suggestions?.length, 1);
  return found[0].suggestions![0].sql;
}

/** The statements of a suggestion, one a line, with its backfill comment replaced by `backfill`. */
function statementsOf(suggestion: string, backfill: string): string[] {
  return suggestion
    .split('\n')
    .map((line) => (line.startsWith('-- Backfill') ? backfill : line))
    .filter((line) => line.trim() !== '' && !line.startsWith('--'));
}
