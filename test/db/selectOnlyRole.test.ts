/**
 * Issue 13: no command writes to a `--db` database, and each works for a role that may only read.
 * The example project's database (profiles, vendors, bookings, payments, RLS and policies, auth
 * and storage) with the Supabase CLI's history table and pg_cron's catalog, made by hand as
 * pg_cron makes it, is read by roles that have CONNECT, USAGE on the schemas and SELECT on the
 * tables, and nothing else:
 *
 * - `pgreview_reader` is NOINHERIT and a member of anon and authenticated, so it may take those
 *   roles in the simulator's rolled-back transaction without holding any of their privileges;
 * - `pgreview_plain_reader` is a member of nothing and may not read the history table.
 *
 * Every command that connects runs as each, in-process as `src/cli/main.ts` runs it, and then the
 * database must be as it was: rows, sequences, shared state and the write counters of every table.
 * What such a role cannot read (rows behind RLS, a table without SELECT) is a warning that says
 * so, and the rest of the output is the superuser's.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Command } from '../../src/cli/command';
import baseline from '../../src/cli/commands/baseline';
import check from '../../src/cli/commands/check';
import diff from '../../src/cli/commands/diff';
import fix from '../../src/cli/commands/fix';
import history from '../../src/cli/commands/history';
import inspect from '../../src/cli/commands/inspect';
import lsp from '../../src/cli/commands/lsp';
import policies from '../../src/cli/commands/policies';
import simulate from '../../src/cli/commands/simulate';
import test from '../../src/cli/commands/test';
import { loadParser } from '../../src/core/sql/parser';
import { defaultConfig } from '../../src/core/config';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { readMigrationHistoryFrom } from '../../src/db/readMigrationHistory';
import { ROWS_WHERE_NEEDS_BYPASS, WRITE_CASE_SKIPPED } from '../../src/db/runPolicyTests';
import { applyProjectToServer } from '../support/applyProjectToServer';
import { CRON_JOB_TABLE_SQL } from '../support/cronCatalog';
import { fingerprintDatabase, readWriteCounters } from '../support/databaseFingerprint';
import { getTestServer, type TestServer } from '../support/postgresServer';
import { runCliCommand, type CliRun } from '../support/runCliCommand';
import { git } from '../support/git';

const PROJECT_DIR = join(__dirname, '..', '..', 'examples', 'trvl-social');
const MIGRATIONS_DIR = join(PROJECT_DIR, 'supabase', 'migrations');
const DATABASE = 'pgreview_select_only';
/** A second database for `diff --from --to`: the same project, and a table added by hand. */
const STAGING = 'pgreview_select_only_staging';
const READER = { user: 'pgreview_reader', password: 'reader-pw' };
const PLAIN_READER = { user: 'pgreview_plain_reader', password: 'plain-reader-pw' };
const BOB = '22222222-2222-4222-8222-222222222222';

/** Every migration but the last, as `supabase db push` records them. */
const APPLIED = readdirSync(MIGRATIONS_DIR).sort().slice(0, -1);

const SETUP = `
create schema supabase_migrations;
create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
insert into supabase_migrations.schema_migrations (version, name) values
  ${APPLIED.map((file) => `('${file.slice(0, 14)}', '${file.slice(15, -4)}')`).join(',\n  ')};

-- pg_cron's catalog as its extension script makes it: readable by all, each role seeing its own jobs.
${CRON_JOB_TABLE_SQL}
grant usage on schema cron to public;
grant select on cron.job to public;
alter table cron.job enable row level security;
create policy cron_job_policy on cron.job using (username = current_user);
insert into cron.job (schedule, command, jobname) values ('0 3 * * *', 'delete from public.notifications where created_at < now() - interval ''90 days''', 'purge-old-notifications');

-- The backup table holds the bookings, whose adventures exist, and one whose adventure is gone.
insert into public.bookings_backup select (jsonb_populate_record(null::public.bookings_backup, to_jsonb(b))).* from public.bookings b;
insert into public.bookings_backup (id, user_id, adventure_id, status, participants, starts_at, total_amount)
  values ('cccccccc-0000-4000-8000-0000000000ff', '${BOB}', 'bbbbbbbb-0000-4000-8000-0000000000ff', 'cancelled', 1, '2024-01-01 05:00:00+00', 100);
analyze;
`;

/** Gives a role CONNECT, USAGE on every schema and SELECT on every table of the database, and takes the defaults PUBLIC has beyond that. */
function grantReadOnly(database: string, role: string): string {
  return `revoke temporary on database ${database} from public;
grant connect on database ${database} to ${role};
do $$ declare s text; begin
  for s in select nspname from pg_namespace where nspname !~ '^pg_' and nspname <> 'information_schema' loop
    execute format('grant usage on schema %I to ${role}', s);
    execute format('grant select on all tables in schema %I to ${role}', s);
  end loop;
end $$;`;
}

describe('every database command as a role with only USAGE and SELECT (issue 13)', function () {
  this.timeout(900_000);
  let server: TestServer;
  let url: string;
  let stagingUrl: string;
  let unchanged: Record<string, string>;
  let unwritten: string[];
  const as = (who: { user: string; password: string }, databaseUrl = url): string => {
    const roleUrl = new URL(databaseUrl);
    roleUrl.username = who.user;
    roleUrl.password = who.password;
    return roleUrl.toString();
  };
  const run = (command: Command, args: string[], cwd = PROJECT_DIR): Promise<CliRun> => runCliCommand(command, cwd, args);

  before(async () => {
    await loadParser();
    server = await getTestServer();
    url = await applyProjectToServer(PROJECT_DIR, DATABASE);
    stagingUrl = await applyProjectToServer(PROJECT_DIR, STAGING);
    await server.runSql(url, SETUP);
    await server.runSql(stagingUrl, 'create table public.promo_codes (code text primary key, discount numeric not null); alter table public.promo_codes enable row level security; analyze;');
    // Roles belong to the cluster, so each run starts them afresh (the databases above are new).
    await server.runSql(server.adminUrl, `drop role if exists ${READER.user};
      drop role if exists ${PLAIN_READER.user};
      create role ${READER.user} login noinherit password '${READER.password}';
      grant anon, authenticated to ${READER.user};
      create role ${PLAIN_READER.user} login password '${PLAIN_READER.password}';`);
    for (const database of [url, stagingUrl]) {
      const name = new URL(database).pathname.slice(1);
      await server.runSql(database, `${grantReadOnly(name, READER.user)}\n${grantReadOnly(name, PLAIN_READER.user)}`);
    }
    await server.runSql(url, `revoke select on supabase_migrations.schema_migrations from ${PLAIN_READER.user};`);
    unchanged = await fingerprintDatabase(server, url);
    unwritten = await readWriteCounters(url);
  });

  it('the roles hold no privilege beyond USAGE and SELECT', async () => {
    // Guards the test itself: NOINHERIT keeps anon's and authenticated's writes from the reader.
    for (const who of [READER, PLAIN_READER]) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ held: string }>(`
          select format('%s %s', c.oid::regclass, p.privilege) as held
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            cross join unnest(array['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) as p(privilege)
           where c.relkind in ('r', 'p', 'v', 'm', 'f') and n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
             and has_table_privilege($1, c.oid, p.privilege)
          union all
          select format('schema %s CREATE', nspname) from pg_namespace where has_schema_privilege($1, oid, 'CREATE')
          union all
          select 'database TEMPORARY' where has_database_privilege($1, current_database(), 'TEMPORARY')`, [who.user]);
        assert.deepEqual(rows.map((row) => row.held), [], who.user);
      } finally {
        await client.end();
      }
    }
  });

  /** Each command that connects, as the reader and as the superuser, run once (the before hook). */
  const runs = new Map<string, { reader: CliRun; superuser: CliRun }>();
  const COMMANDS: Record<string, { command: Command; args: (db: string, staging: string) => string[] }> = {
    'check --db': { command: check, args: (db) => ['.', '--db', db, '--format', 'json', '--fail-on', 'none'] },
    'diff --db': { command: diff, args: (db) => ['.', '--db', db] },
    'diff --db --format sql': { command: diff, args: (db) => ['.', '--db', db, '--format', 'sql'] },
    'diff --from --to': { command: diff, args: (db, staging) => ['--from', db, '--to', staging] },
    'inspect --db': { command: inspect, args: (db) => ['.', '--db', db] },
    'history --db': { command: history, args: (db) => ['.', '--db', db] },
    'test --db': { command: test, args: (db) => ['.', '--db', db, '--no-shadow', '--format', 'json'] },
    'simulate --db': { command: simulate, args: (db) => ['.', '--db', db, '--as', 'authenticated', '--claims', JSON.stringify({ sub: BOB }), '--sql', 'select id, status from public.bookings order by id'] },
    'policies --db': { command: policies, args: (db) => ['.', '--db', db] },
  };
  const reader = (name: string): CliRun => runs.get(name)!.reader;
  const superuser = (name: string): CliRun => runs.get(name)!.superuser;
  /** Output with the connecting role's name replaced, to compare the reader's with the superuser's. */
  const anyRole = (text: string): string =>
    text.replaceAll(`${READER.user}@`, 'ROLE@').replaceAll(`${server.user}@`, 'ROLE@').replace(/ in \d+ ms\./g, ' in N ms.').replace(/ {2,}/g, '  ');

  describe('pgreview_reader: NOINHERIT, a member of anon and authenticated', () => {
    before(async () => {
      for (const [name, { command, args }] of Object.entries(COMMANDS)) {
        runs.set(name, {
          reader: await run(command, args(as(READER), as(READER, stagingUrl))),
          superuser: await run(command, args(url, stagingUrl)),
        });
      }
    });

    it('covers every command that takes a database', () => {
      const all: Record<string, Command> = { baseline, check, diff, fix, history, inspect, lsp, policies, simulate, test };
      // A command module exports its command as the default; the folder also holds their helpers.
      const commandsDir = join(__dirname, '..', '..', 'src', 'cli', 'commands');
      const commandFiles = readdirSync(commandsDir).filter((file) => /^export default /m.test(readFileSync(join(commandsDir, file), 'utf8')));
      assert.deepEqual(Object.keys(all), commandFiles.map((file) => file.replace(/\.ts$/, '')).sort());
      const connecting = Object.keys(all).filter((name) => /--db URL|--from URL/.test(all[name].help));
      assert.deepEqual(connecting, [...new Set(Object.keys(COMMANDS).map((name) => name.split(' ')[0]))].sort());
    });

    it('every command exits as for the superuser, with no error', () => {
      for (const name of runs.keys()) {
        assert.equal(reader(name).code, superuser(name).code, `${name}: ${reader(name).stderr}`);
        assert.ok(reader(name).code === 0 || (name.startsWith('diff') && reader(name).code === 1), `${name} exited ${reader(name).code}: ${reader(name).stderr}`);
        assert.doesNotMatch(reader(name).stderr, /error|exit 2/i, name);
        assert.ok(!`${reader(name).stdout}${reader(name).stderr}`.includes(READER.password), name);
      }
    });

    it('diff, history and policies print what the superuser sees', () => {
      for (const name of ['diff --from --to', 'history --db', 'policies --db']) {
        assert.equal(anyRole(reader(name).stdout), anyRole(superuser(name).stdout), name);
      }
      // The pg_cron jobs sit behind RLS: the superuser's diff has the job the migrations never
      // scheduled, the reader's leaves jobs out (with the warning inspect's test checks).
      const withoutCronJob = (output: string) => anyRole(output).split('\n').filter((line) => line !== '' && !line.includes('purge-old-notifications')).join('\n');
      assert.equal(withoutCronJob(reader('diff --db --format sql').stdout), withoutCronJob(superuser('diff --db --format sql').stdout));
      assert.match(superuser('diff --db').stdout, /^extra_in_database cron_job purge-old-notifications\n2 differences: 0 missing in the database, 2 extra in the database, 0 changed\.$/m);
      assert.match(reader('history --db').stdout, /^10 applied, 0 changed after applied, 1 pending, 0 applied but file missing$/m);
      // The hand-made pg_cron catalog is no extension's, so its policy is the database's own.
      assert.equal(
        reader('diff --db').stdout,
        'extra_in_database policy cron.job.cron_job_policy\n1 difference: 0 missing in the database, 1 extra in the database, 0 changed.\n\n' +
          `Migration history (supabase_migrations.schema_migrations): 1 pending, 0 changed after applied, 0 applied but file missing\n  pending  supabase/migrations/${readdirSync(MIGRATIONS_DIR).sort().at(-1)}\n`,
      );
      assert.match(reader('diff --from --to').stdout, /^extra in pgreview_select_only_staging table public\.promo_codes$/m);
      assert.match(reader('diff --from --to').stdout, /^ {2}public\.bookings_backup +3 +0 +← more rows than public\.bookings/m);
      assert.match(reader('policies --db').stdout, /^public\.bookings {2}\(RLS on\)$/m);
    });

    it('inspect prints the superuser\'s catalog; the pg_cron jobs, behind RLS, are left out with a warning', () => {
      const catalogLines = (output: string) => anyRole(output).split('\n').filter((line) => !line.startsWith('cron_job:'));
      assert.deepEqual(catalogLines(reader('inspect --db').stdout), catalogLines(superuser('inspect --db').stdout));
      assert.match(reader('inspect --db').stdout, /^table:public\.bookings .*estimated_rows=2/m);
      assert.match(superuser('inspect --db').stdout, /^cron_job:purge-old-notifications /m);
      assert.doesNotMatch(reader('inspect --db').stdout, /^cron_job:/m);
      assert.match(reader('inspect --db').stderr, /^pgreview: warning: Cannot read the pg_cron jobs \(Permission denied on pgreview_reader@[^:]+:\d+\/pgreview_select_only: query would be affected by row-level security policy for table "job"; pgreview reads all of a table's rows or none, and RLS shows this role only some: connect as the table's owner or a role with BYPASSRLS\); they are left out\.$/m);
    });

    it('check --db finds what the superuser finds, except what only rows behind RLS show, and says so', () => {
      interface JsonFinding { rule: string; object: string; message: string }
      const findings = (runOutput: CliRun): JsonFinding[] => (JSON.parse(runOutput.stdout) as { findings: JsonFinding[] }).findings;
      const keys = (runOutput: CliRun) => findings(runOutput).map((finding) => `${finding.rule} ${finding.object}`);
      const bucket = 'public_bucket_allows_listing storage.objects.Avatar images are publicly accessible';
      assert.ok(keys(superuser('check --db')).includes(bucket), keys(superuser('check --db')).join('\n'));
      assert.deepEqual(keys(reader('check --db')), keys(superuser('check --db')).filter((key) => key !== bucket));
      const orphans = (runOutput: CliRun) => findings(runOutput).find((finding) => finding.rule === 'missing_foreign_key' && finding.object === 'public.bookings_backup.adventure_id')!.message;
      assert.match(orphans(superuser('check --db')), /The database has 1 row whose adventure_id matches no row of public\.adventures/);
      // Under RLS the reader would see no adventure at all, and count all three rows as orphans.
      assert.doesNotMatch(orphans(reader('check --db')), /The database has/);
      const rls = (table: string) => `Permission denied on pgreview_reader@[^:]+:\\d+/pgreview_select_only: query would be affected by row-level security policy for table "${table}"; pgreview reads all of a table's rows or none, and RLS shows this role only some: connect as the table's owner or a role with BYPASSRLS`;
      assert.equal(reader('check --db').stderr.split('\n').filter(Boolean).length, 4, reader('check --db').stderr);
      assert.match(reader('check --db').stderr, /^pgreview: warning: Cannot read the pg_cron jobs \(Permission denied .*\); they are left out\.$/m);
      assert.match(reader('check --db').stderr, /^pgreview: 1 pending migration \(not listed in supabase_migrations\.schema_migrations\)$/m);
      assert.match(reader('check --db').stderr, new RegExp(`^pgreview: warning: Cannot read storage buckets \\(${rls('buckets')}\\); public_bucket_allows_listing cannot run\\.$`, 'm'));
      assert.match(reader('check --db').stderr, new RegExp(`^pgreview: warning: Cannot count the orphan rows of 1 column without a foreign key \\(${rls('adventures')}\\); missing_foreign_key reports them without counts\\.$`, 'm'));
    });

    it('test --db and simulate --db act as anon and authenticated; rows_where, which reads past RLS, is not run', () => {
      interface JsonOutcome { name: string; passed: boolean; skipped?: string }
      const outcomes = (runOutput: CliRun) => (JSON.parse(runOutput.stdout) as { tests: JsonOutcome[] }).tests;
      const superuserOutcomes = outcomes(superuser('test --db'));
      const readerOutcomes = outcomes(reader('test --db'));
      assert.equal(readerOutcomes.length, superuserOutcomes.length);
      // Each case the reader runs ends as for the superuser; the others are skipped for a reason.
      for (const [index, outcome] of readerOutcomes.entries()) {
        if (outcome.skipped === undefined) assert.deepEqual(outcome, superuserOutcomes[index]);
        else assert.ok(outcome.skipped === WRITE_CASE_SKIPPED || outcome.skipped === ROWS_WHERE_NEEDS_BYPASS, `${outcome.name}: ${outcome.skipped}`);
      }
      assert.deepEqual(readerOutcomes.map((outcome) => outcome.passed ? 'pass' : outcome.skipped === ROWS_WHERE_NEEDS_BYPASS ? 'rows_where' : outcome.skipped === WRITE_CASE_SKIPPED ? 'write' : 'FAIL'), [
        'rows_where', 'pass', 'pass', 'write', 'write', 'write', 'write', 'write', 'pass', 'write', 'write', 'rows_where', 'rows_where',
      ]);
      assert.equal(anyRole(reader('simulate --db').stdout), anyRole(superuser('simulate --db').stdout));
      assert.match(reader('simulate --db').stdout, /\(1 row\)/);
    });
  });

  describe('pgreview_plain_reader: a member of nothing, without SELECT on the history table', () => {
    it('check --db reads the rest and says why every migration counts as pending; --since takes the pending ones from git', async () => {
      const plain = as(PLAIN_READER);
      const withoutHistory = await run(check, ['.', '--db', plain, '--format', 'json', '--fail-on', 'none']);
      assert.equal(withoutHistory.code, 0, withoutHistory.stderr);
      assert.match(withoutHistory.stderr, /^pgreview: warning: cannot read supabase_migrations\.schema_migrations \(Permission denied on pgreview_plain_reader@[^:]+:\d+\/pgreview_select_only: permission denied for table schema_migrations\): every migration counts as pending, and only tables created in the same file count as new \(--since REF decides them from git instead\)$/m);
      assert.ok((JSON.parse(withoutHistory.stdout) as { findings: unknown[] }).findings.length > 20);

      // The project in a repository whose last commit holds every migration but the newest.
      const repo = mkdtempSync(join(tmpdir(), 'pgreview-select-only-'));
      try {
        cpSync(PROJECT_DIR, repo, { recursive: true });
        git(repo, 'init', '-q');
        git(repo, 'add', '.');
        git(repo, 'reset', '-q', '--', `supabase/migrations/${readdirSync(MIGRATIONS_DIR).sort().at(-1)}`);
        git(repo, 'commit', '-q', '-m', 'applied migrations');
        const fromGit = await run(check, ['.', '--db', plain, '--since', 'HEAD', '--format', 'json', '--fail-on', 'none'], repo);
        assert.equal(fromGit.code, 0, fromGit.stderr);
        assert.match(fromGit.stderr, /^pgreview: 1 pending migration \(added or changed since HEAD\)$/m);
        // git decides what is pending; the history is still read for its own rules, which say they cannot run.
        assert.match(fromGit.stderr, /^pgreview: warning: cannot read supabase_migrations\.schema_migrations \(Permission denied on [^)]*\): the migration history rules cannot run$/m);
        assert.doesNotMatch(fromGit.stderr, /every migration counts as pending/);
        assert.deepEqual(
          (JSON.parse(fromGit.stdout) as { findings: { rule: string }[] }).findings.map((finding) => finding.rule).sort(),
          (JSON.parse(reader('check --db').stdout) as { findings: { rule: string }[] }).findings.map((finding) => finding.rule).sort(),
        );
      } finally {
        rmSync(repo, { recursive: true, force: true });
      }
    });

    it('history --db says which grant it needs', async () => {
      const refused = await run(history, ['.', '--db', as(PLAIN_READER)]);
      assert.equal(refused.code, 2);
      assert.equal(refused.stdout, '');
      assert.match(refused.stderr, /^pgreview: cannot read supabase_migrations\.schema_migrations \(Permission denied on pgreview_plain_reader@[^:]+:\d+\/pgreview_select_only: permission denied for table schema_migrations\): grant SELECT on it to pgreview_plain_reader to compare it with the files\n$/);
    });

    it('test --db lists the cases it may not act for, with the grant that would let it; simulate --db says the same', async () => {
      const tests = await run(test, ['.', '--db', as(PLAIN_READER), '--no-shadow']);
      assert.equal(tests.code, 0, tests.stderr);
      assert.match(tests.stdout, /^ {6}not run: the connecting role pgreview_plain_reader may not SET ROLE anon: grant anon to pgreview_plain_reader \(made NOINHERIT, or granted WITH INHERIT FALSE on PostgreSQL 16 and later, it gains none of anon's privileges outside the simulation\), or connect as a role that may$/m);
      assert.match(tests.stdout, /^0 passed, 0 failed, 13 not run\.$/m);

      const simulation = await run(simulate, ['.', '--db', as(PLAIN_READER), '--as', 'authenticated', '--sql', 'select count(*) from public.bookings']);
      assert.equal(simulation.code, 2);
      assert.match(simulation.stderr, /^pgreview: cannot act as role "authenticated" on pgreview_plain_reader@[^:]+:\d+\/pgreview_select_only: the connecting role pgreview_plain_reader may not SET ROLE authenticated: grant authenticated to pgreview_plain_reader /m);
    });

    it('the editor connects with the same reads: the catalog, and the history or why there is none', async () => {
      // DatabaseConnection.connect (src/extension/databaseConnection.ts) calls exactly these two.
      const options = resolveConnectionOptions({ url: as(PLAIN_READER), env: {} });
      const { catalog, warnings } = await introspectDatabase(options, { config: defaultConfig('supabase') });
      assert.ok(catalog.tables.has('public.bookings'));
      assert.deepEqual(warnings.map((warning) => warning.family), ['pg_cron jobs', 'storage buckets']);
      const reading = await readMigrationHistoryFrom(options, 'supabase');
      assert.equal(reading.history, undefined);
      assert.match(reading.history ? '' : reading.reason, /^cannot read supabase_migrations\.schema_migrations \(Permission denied/);
      const readerReading = await readMigrationHistoryFrom(resolveConnectionOptions({ url: as(READER), env: {} }), 'supabase');
      assert.equal(readerReading.history?.entries.length, APPLIED.length);
    });
  });

  describe('afterwards', () => {
    it('the database is as it was: rows, sequences, shared state, and no row written even in a rolled-back transaction', async () => {
      assert.equal(runs.size, Object.keys(COMMANDS).length, 'every command ran');
      assert.deepEqual(await fingerprintDatabase(server, url), unchanged);
      assert.deepEqual(await readWriteCounters(url), unwritten);
    });
  });
});
