/**
 * Issue 10: a configured database is only read, whoever connects (here a superuser, as many local
 * setups are) and whatever statement a user hands `simulate --db`. Every live command runs against
 * the example project's database, with its seed, and then the database must be the same as before:
 * a checksum of every table, the sequences, the roles, their settings and memberships. Other
 * sessions must still be alive.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Command } from '../../src/cli/command';
import check from '../../src/cli/commands/check';
import diff from '../../src/cli/commands/diff';
import inspect from '../../src/cli/commands/inspect';
import policies from '../../src/cli/commands/policies';
import simulate from '../../src/cli/commands/simulate';
import { InputError } from '../../src/core/errors';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { simulateOnDatabase } from '../../src/db/simulate';
import { applyProjectToServer } from '../support/applyProjectToServer';
import { fingerprintDatabase } from '../support/databaseFingerprint';
import { getTestServer, type TestServer } from '../support/postgresServer';
import { runCliCommand, type CliRun } from '../support/runCliCommand';

const PROJECT_DIR = join(__dirname, '..', '..', 'examples', 'trvl-social');
const DATABASE = 'pgreview_only_read';
/** The issue's reproducer: with standard_conforming_strings off, the server ends the literal at \' . */
const BACKSLASH_QUOTE_TRICK = "select '\\''; commit; delete from public.guestbook; --'";

/** Runs a command in-process on the example project. */
function runCommand(command: Command, args: string[]): Promise<CliRun> {
  return runCliCommand(command, PROJECT_DIR, args);
}

describe('A live database is only read (issue 10)', function () {
  this.timeout(600_000);
  let server: TestServer;
  let url: string;
  let unchanged: Record<string, string>;
  /** Another session: a hostile statement must not be able to end it. */
  let bystander: Client;
  let bystanderPid: number;
  let dblinkInstalled = false;
  const cacheHome = mkdtempSync(join(tmpdir(), 'pgreview-only-read-cache-'));
  const previousCache = process.env.XDG_CACHE_HOME;

  before(async () => {
    process.env.XDG_CACHE_HOME = cacheHome;
    await loadParser();
    server = await getTestServer();
    url = await applyProjectToServer(PROJECT_DIR, DATABASE);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`
        create table public.guestbook (id bigint generated always as identity primary key, note text not null);
        insert into public.guestbook (note) values ('first'), ('second'), ('third');
        grant select on public.guestbook to anon, authenticated;
        create function public.sign_guestbook() returns bigint language sql as $$ insert into public.guestbook (note) values ('signed') returning id $$;
        grant execute on function public.sign_guestbook() to anon, authenticated;
        create function public.noisy_equals(int, int) returns boolean language plpgsql volatile as $$ begin perform pg_notify('x', 'y'); return $1 = $2; end $$;
        create operator public.=== (leftarg = int, rightarg = int, function = public.noisy_equals);
        create sequence public.ticket_numbers;`);
      try {
        await admin.query('create extension if not exists dblink with schema extensions');
        dblinkInstalled = true;
      } catch {
        // Without contrib's dblink the dblink cases are not run; the volatility rule covers them anyway.
      }
    } finally {
      await admin.end();
    }
    bystander = new Client({ connectionString: url });
    await bystander.connect();
    bystanderPid = (await bystander.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    unchanged = await fingerprintDatabase(server, url);
    assert.equal(unchanged['public.guestbook'].startsWith('3 rows'), true);
  });

  after(async () => {
    await bystander?.end().catch(() => undefined);
    if (previousCache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previousCache;
  });

  describe('simulate --db with standard_conforming_strings off', () => {
    /** Checks that a fresh session at this level really has the setting off, so the case is exercised. */
    async function assertStringsOff(connectionString: string): Promise<void> {
      const client = new Client({ connectionString });
      await client.connect();
      try {
        assert.equal((await client.query<{ standard_conforming_strings: string }>('show standard_conforming_strings')).rows[0].standard_conforming_strings, 'off');
      } finally {
        await client.end();
      }
    }

    async function resetStringSettings(): Promise<void> {
      await server.runSql(url, `alter database ${DATABASE} reset standard_conforming_strings`);
      await server.runSql(url, `alter role postgres in database ${DATABASE} reset standard_conforming_strings`);
      delete process.env.PGOPTIONS;
    }

    for (const level of ['database', 'role', 'session'] as const) {
      it(`runs the backslash-quote trick as one literal, and deletes nothing, when the setting is off for the ${level}`, async () => {
        let run: CliRun;
        try {
          if (level === 'database') await server.runSql(url, `alter database ${DATABASE} set standard_conforming_strings = off`);
          if (level === 'role') await server.runSql(url, `alter role postgres in database ${DATABASE} set standard_conforming_strings = off`);
          // pg reads PGOPTIONS as libpq does: `-c` settings for the session only.
          if (level === 'session') process.env.PGOPTIONS = '-c standard_conforming_strings=off';
          await assertStringsOff(url);
          run = await runCommand(simulate, ['.', '--db', url, '--as', 'anon', '--sql', BACKSLASH_QUOTE_TRICK, '--format', 'json']);
        } finally {
          await resetStringSettings();
        }
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout) as { rows: Record<string, string>[]; error?: unknown };
        assert.equal(result.error, undefined);
        // The server read what the parser read: one literal, holding the would-be commands as text.
        assert.deepEqual(Object.values(result.rows[0]), ["\\'; commit; delete from public.guestbook; --"]);
        assert.deepEqual(await fingerprintDatabase(server, url), unchanged);
      });
    }
  });

  describe('hostile statements through simulate --db', () => {
    interface HostileCase {
      sql: string;
      /** The refusal's message, or 'runs' for a statement that may run because it changes nothing. */
      expect: RegExp | 'runs';
      role?: string;
    }
    const functionRefused = (name: string): RegExp => new RegExp(`calls ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b.*VOLATILE`);
    const cases = (): HostileCase[] => [
      // Several statements, hidden from the parser or not.
      { sql: BACKSLASH_QUOTE_TRICK, expect: 'runs' },
      { sql: "select '\\'; delete from public.guestbook; --'", expect: /2 statements/ },
      { sql: "select E'\\''; delete from public.guestbook; --'", expect: /2 statements/ },
      { sql: 'select 1; delete from public.guestbook', expect: /2 statements/ },
      { sql: 'select $$x$$; delete from public.guestbook', expect: /2 statements/ },
      { sql: "select U&'\\0027'; delete from public.guestbook", expect: /2 statements/ },
      { sql: "with x as (select 1) select '\\''; rollback; delete from public.guestbook; --'", expect: 'runs' },
      { sql: "select 'a' /* '; delete from public.guestbook; -- */", expect: 'runs' },
      // Leaving the transaction or the role.
      { sql: 'commit', expect: /transaction control, SET, RESET and DISCARD/ },
      { sql: 'rollback', expect: /transaction control/ },
      { sql: 'release savepoint pgreview_statement', expect: /transaction control/ },
      { sql: 'set role postgres', expect: /transaction control, SET/ },
      { sql: 'set session authorization postgres', expect: /transaction control, SET/ },
      { sql: 'set transaction read write', expect: /transaction control, SET/ },
      { sql: 'reset role', expect: /RESET/ },
      { sql: "select set_config('role', 'postgres', true)", expect: functionRefused('set_config') },
      { sql: "select pg_catalog.set_config('transaction_read_only', 'off', true)", expect: functionRefused('pg_catalog.set_config') },
      { sql: "select current_setting('role'), set_config('session_authorization', 'postgres', false)", expect: functionRefused('set_config') },
      // Functions that act beside the transaction.
      { sql: `select pg_terminate_backend(${bystanderPid})`, expect: /pg_terminate_backend.*ends or cancels other sessions/ },
      { sql: `select pg_cancel_backend(${bystanderPid})`, expect: functionRefused('pg_cancel_backend') },
      { sql: 'select pg_reload_conf()', expect: /pg_reload_conf.*acts on the whole server/ },
      { sql: 'select pg_catalog.pg_rotate_logfile()', expect: functionRefused('pg_catalog.pg_rotate_logfile') },
      { sql: 'select pg_advisory_lock(42)', expect: /pg_advisory_lock.*outlive/ },
      { sql: "select lo_import('/etc/hostname')", expect: functionRefused('lo_import') },
      { sql: "select pg_notify('channel', 'payload')", expect: functionRefused('pg_notify') },
      { sql: 'select setseed(0.5)', expect: functionRefused('setseed') },
      { sql: "select nextval('public.ticket_numbers')", expect: functionRefused('nextval') },
      { sql: 'select public.sign_guestbook()', expect: functionRefused('public.sign_guestbook') },
      { sql: 'select * from public.guestbook where id = public.sign_guestbook()', expect: functionRefused('public.sign_guestbook') },
      { sql: 'select 1 operator(public.===) 1', expect: /operator public\.===, which calls the VOLATILE function public\.noisy_equals/ },
      { sql: 'select * from public.guestbook where id === 1', expect: /operator ===/ },
      { sql: 'select id from public.guestbook order by id using ===', expect: /operator ===/ },
      ...(dblinkInstalled
        ? [
            { sql: `select extensions.dblink_exec('dbname=${DATABASE} user=postgres password=${server.password} host=127.0.0.1 port=${server.port}', 'delete from public.guestbook')`, expect: /dblink_exec.*own connection/ },
            { sql: `select * from extensions.dblink('dbname=${DATABASE} user=postgres host=127.0.0.1 port=${server.port}', 'delete from public.guestbook returning 1') as gone(n int)`, expect: /dblink.*own connection/ },
          ]
        : []),
      // Statements that are not a plain SELECT.
      { sql: 'delete from public.guestbook', expect: /only a plain SELECT.*a DELETE/ },
      { sql: 'with gone as (delete from public.guestbook returning *) select * from gone', expect: /its WITH clause modifies data/ },
      { sql: 'select * into public.guestbook_copy from public.guestbook', expect: /INTO creates a table/ },
      { sql: 'select * from public.guestbook for update', expect: /FOR UPDATE\/SHARE/ },
      { sql: "copy public.guestbook to program 'true'", expect: /only a plain SELECT/ },
      { sql: 'explain analyze delete from public.guestbook', expect: /only a plain SELECT/ },
      { sql: 'do $$ begin delete from public.guestbook; end $$', expect: /only a plain SELECT/ },
      { sql: 'prepare wipe as delete from public.guestbook', expect: /only a plain SELECT/ },
      { sql: 'call public.sign_guestbook()', expect: /only a plain SELECT/ },
      // Harmless statements still run, as the simulated role.
      { sql: 'select count(*) as notes from public.guestbook', expect: 'runs' },
      { sql: 'select random() < 2 as r, gen_random_uuid() is not null as u, pg_sleep(0)', expect: 'runs' },
      { sql: 'select current_user as who', expect: 'runs', role: 'authenticated' },
    ];

    for (const strings of ['on', 'off'] as const) {
      it(`refuses or safely runs every case with standard_conforming_strings ${strings}, and the database is unchanged`, async () => {
        if (strings === 'off') await server.runSql(url, `alter database ${DATABASE} set standard_conforming_strings = off`);
        try {
          const options = resolveConnectionOptions({ url, env: {} });
          const all = cases();
          assert.ok(all.length >= 30, `${all.length} cases`);
          for (const hostile of all) {
            const request = { role: hostile.role ?? 'anon', sql: hostile.sql };
            if (hostile.expect === 'runs') {
              const result = await simulateOnDatabase(options, request);
              assert.equal(result.error, undefined, `${hostile.sql}: ${result.error?.message}`);
              if (hostile.role) assert.deepEqual(result.rows, [{ who: hostile.role }]);
            } else {
              await assert.rejects(simulateOnDatabase(options, request), (error: Error) => {
                assert.ok(error instanceof InputError, `${hostile.sql}: ${error.constructor.name} ${error.message}`);
                assert.match(error.message, hostile.expect as RegExp, hostile.sql);
                return true;
              }, hostile.sql);
            }
          }
        } finally {
          await server.runSql(url, `alter database ${DATABASE} reset standard_conforming_strings`);
        }
        assert.deepEqual(await fingerprintDatabase(server, url), unchanged);
        assert.deepEqual((await bystander.query('select 1 as alive')).rows, [{ alive: 1 }]);
      });
    }
  });

  it('runs every live command as a superuser and leaves the database as it was', async () => {
    const runs: [string, CliRun][] = [
      ['check --db', await runCommand(check, ['.', '--db', url, '--format', 'json', '--fail-on', 'none'])],
      ['diff --db', await runCommand(diff, ['.', '--db', url, '--format', 'json'])],
      ['diff --format sql', await runCommand(diff, ['.', '--db', url, '--format', 'sql'])],
      ['inspect', await runCommand(inspect, ['.', '--db', url, '--all'])],
      ['policies --db', await runCommand(policies, ['.', '--db', url])],
      ['simulate --db', await runCommand(simulate, ['.', '--db', url, '--as', 'authenticated', '--sql', 'select count(*) from public.bookings'])],
    ];
    for (const [name, run] of runs) assert.ok(run.code === 0 || run.code === 1, `${name} exited ${run.code}: ${run.stderr}`);
    assert.deepEqual(await fingerprintDatabase(server, url), unchanged);
    assert.deepEqual((await bystander.query('select 1 as alive')).rows, [{ alive: 1 }]);
  });
});
