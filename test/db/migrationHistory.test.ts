/**
 * The runners' history tables on a real PostgreSQL, made by hand as each runner makes them:
 * `pgreview history` reads them (applied, pending, changed, missing), and `check --db` judges only
 * the migrations they do not list, with row estimates scaling the safety findings.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import check from '../../src/cli/commands/check';
import history from '../../src/cli/commands/history';
import { flywayChecksum } from '../../src/core/history/flywayChecksum';
import { getTestServer, TEST_SUPERUSER_PASSWORD, type TestServer } from '../support/postgresServer';
import { FLYWAY_SCHEMA_HISTORY_SQL, makeProjectFolder, SUPABASE_SCHEMA_MIGRATIONS_SQL } from '../support/migrationHistoryTables';
import { runCliCommand, type CliRun } from '../support/runCliCommand';

const BOOKINGS = 'create table public.bookings (id bigint primary key, user_id uuid, status text);\nalter table public.bookings enable row level security;\n';
const VENDORS = 'create table public.vendors (id bigint primary key, name text);\nalter table public.vendors enable row level security;\n';


interface HistoryJson {
  table: string;
  runner: string;
  files: { file: string; status: string; note: string | null }[];
  missing: { version: string | null; name: string | null }[];
}

/** `status file` per file, then `missing version` per entry without a file. */
function statuses(run: CliRun): string[] {
  assert.equal(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout) as HistoryJson;
  return [...json.files.map((file) => `${file.status} ${file.file}`), ...json.missing.map((entry) => `missing ${entry.version ?? entry.name}`)];
}

describe('migration history tables (real PostgreSQL)', function () {
  this.timeout(180_000);
  let server: TestServer;
  const projects: string[] = [];
  const project = (files: Record<string, string>) => {
    const dir = makeProjectFolder(files);
    projects.push(dir);
    return dir;
  };

  before(async () => {
    server = await getTestServer();
  });
  after(() => {
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });

  describe('Supabase', () => {
    const files = {
      'supabase/config.toml': 'project_id = "history"\n',
      'supabase/migrations/20240101000000_bookings.sql': BOOKINGS,
      'supabase/migrations/20240102000000_status_index.sql': 'create index bookings_status_idx on public.bookings (status);\n',
      'supabase/migrations/20240103000000_vendors.sql': VENDORS,
      'supabase/migrations/20240201000000_user_index.sql': 'create index bookings_user_id_idx on public.bookings (user_id);\n',
    };
    let dir: string;
    let url: string;

    before(async () => {
      dir = project(files);
      url = await server.createDatabase('pgreview_history_supabase');
      // The applied migrations, as `supabase db push` ran and recorded them.
      await server.runSql(url, BOOKINGS + files['supabase/migrations/20240102000000_status_index.sql'] + VENDORS);
      await server.runSql(
        url,
        `${SUPABASE_SCHEMA_MIGRATIONS_SQL}
         insert into supabase_migrations.schema_migrations values
           ('20240101000000', array['create table public.bookings (id bigint primary key, user_id uuid, status text)', 'alter table public.bookings enable row level security'], 'bookings'),
           ('20240102000000', array['create index bookings_status_idx on public.bookings (status)'], 'status_index'),
           ('20240103000000', array['create table public.vendors (id bigint primary key)', 'alter table public.vendors enable row level security'], 'vendors'),
           ('20231201000000', array['select 1'], 'hotfix');
         -- GoTrue keeps its own history of the same name in auth: never the project's.
         create table auth.schema_migrations (version varchar(255) primary key);
         insert into auth.schema_migrations values ('20171026211738');`,
      );
      // Rows for the row estimates: bookings is large, vendors small.
      await server.runSql(url, `insert into public.bookings select g, null, 'new' from generate_series(1, 20000) g; insert into public.vendors select g, 'v' from generate_series(1, 40) g; analyze public.bookings; analyze public.vendors;`);
    });

    it('history: applied, changed after applied (statements differ), pending, and a missing file', async () => {
      const run = await runCliCommand(history, dir, ['--db', url, '--format', 'json']);
      assert.deepEqual(statuses(run), [
        'applied supabase/migrations/20240101000000_bookings.sql',
        'applied supabase/migrations/20240102000000_status_index.sql',
        'changed supabase/migrations/20240103000000_vendors.sql',
        'pending supabase/migrations/20240201000000_user_index.sql',
        'missing 20231201000000',
      ]);
      assert.equal((JSON.parse(run.stdout) as HistoryJson).table, 'supabase_migrations.schema_migrations');
      assert.equal(run.stderr, '');
    });

    it('history: a text table, with no password in it', async () => {
      const run = await runCliCommand(history, dir, ['--db', url]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(
        run.stdout,
        [
          'supabase_migrations.schema_migrations (supabase), 4 migration files',
          '',
          'status                 version         file',
          'applied                20240101000000  supabase/migrations/20240101000000_bookings.sql',
          'applied                20240102000000  supabase/migrations/20240102000000_status_index.sql',
          'changed after applied  20240103000000  supabase/migrations/20240103000000_vendors.sql (its statements differ from those the Supabase CLI recorded when it applied the file)',
          'pending                20240201000000  supabase/migrations/20240201000000_user_index.sql',
          'applied, file missing  20231201000000  hotfix',
          '',
          '2 applied, 1 changed after applied, 1 pending, 1 applied but file missing',
          '',
        ].join('\n'),
      );
      assert.ok(!run.stdout.includes(TEST_SUPERUSER_PASSWORD));
    });

    it('check --db: only the pending migration is judged, scaled by the table it locks', async () => {
      const run = await runCliCommand(check, dir, ['--db', url, '--format', 'json', '--fail-on', 'none']);
      assert.equal(run.code, 0, run.stderr);
      const findings = (JSON.parse(run.stdout) as { findings: { rule: string; level: string; category: string; file: string; message: string }[] }).findings;
      const safety = findings.filter((finding) => finding.category === 'safety' && finding.rule !== 'lock_timeout_missing');
      assert.deepEqual(
        safety.map((finding) => `${finding.level} ${finding.rule} ${finding.file}`),
        ['warning create_index_non_concurrently supabase/migrations/20240201000000_user_index.sql'],
      );
      assert.match(safety[0].message, / public\.bookings holds ~20 k rows in the database\.$/);
      // The changed file is a finding (migration_changed_after_applied), no longer a stderr warning.
      assert.deepEqual(findings.filter((finding) => finding.rule === 'migration_changed_after_applied').map((finding) => finding.file), ['supabase/migrations/20240103000000_vendors.sql']);
      assert.doesNotMatch(run.stderr, /warning/);
      assert.match(run.stderr, /^pgreview: 1 pending migration \(not listed in supabase_migrations\.schema_migrations\)\n/m);
      assert.doesNotMatch(run.stderr, /note: no --since/);
    });

    it('check --db: a lock on a small table is info, and says so', async () => {
      const small = project({ ...files, 'supabase/migrations/20240201000000_user_index.sql': 'create index vendors_name_idx on public.vendors (name);\n' });
      const run = await runCliCommand(check, small, ['--db', url, '--format', 'json', '--fail-on', 'none']);
      assert.equal(run.code, 0, run.stderr);
      const safety = (JSON.parse(run.stdout) as { findings: { rule: string; level: string; category: string; message: string }[] }).findings.filter((finding) => finding.category === 'safety' && finding.rule !== 'lock_timeout_missing');
      assert.deepEqual(safety.map((finding) => finding.level), ['info']);
      assert.match(safety[0].message, / public\.vendors holds ~40 rows in the database, under 10,000: reported as info, not warning\.$/);
    });
  });

  it('check --db without a history table: one warning, every migration pending', async () => {
    const dir = project({
      'supabase/config.toml': 'project_id = "history"\n',
      'supabase/migrations/20240101000000_bookings.sql': BOOKINGS,
      'supabase/migrations/20240102000000_status_index.sql': 'create index bookings_status_idx on public.bookings (status);\n',
    });
    const url = await server.createDatabase('pgreview_history_none');
    const run = await runCliCommand(check, dir, ['--db', url, '--format', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    const safety = (JSON.parse(run.stdout) as { findings: { rule: string; category: string; file: string }[] }).findings.filter((finding) => finding.category === 'safety' && finding.rule !== 'lock_timeout_missing');
    assert.deepEqual(safety.map((finding) => `${finding.rule} ${finding.file}`), ['create_index_non_concurrently supabase/migrations/20240102000000_status_index.sql']);
    assert.match(run.stderr, /^pgreview: warning: the database has no migration history table \(looked for supabase_migrations\.schema_migrations, flyway_schema_history, .*\): every migration counts as pending, and only tables created in the same file count as new \(--since REF decides them from git instead\)\n/m);
    const historyRun = await runCliCommand(history, dir, ['--db', url]);
    assert.equal(historyRun.code, 2);
    assert.match(historyRun.stderr, /^pgreview: the database has no migration history table .* in postgres@127\.0\.0\.1:\d+\/pgreview_history_none\n$/);
  });

  it('Flyway: checksums, failed runs and the baseline; preferred over a dbmate table the project does not use', async () => {
    const init = 'create table vendors (id bigint primary key);\n';
    const dir = project({
      'sql/V1__before_baseline.sql': 'select 1;\n',
      'sql/V2__init.sql': init,
      'sql/V2_1__bookings.sql': 'create table bookings (id bigint primary key, vendor_id bigint);\n',
      'sql/V3__failed.sql': 'select 3;\n',
      'sql/V4__new.sql': 'select 4;\n',
    });
    const url = await server.createDatabase('pgreview_history_flyway', { baseline: false });
    await server.runSql(
      url,
      `${FLYWAY_SCHEMA_HISTORY_SQL}
       insert into public.flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) values
         (1, '1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', null, 'postgres', 0, true),
         (2, '2', 'init', 'SQL', 'V2__init.sql', ${flywayChecksum(init.replace(/\n/g, '\r\n'))}, 'postgres', 5, true),
         (3, '2.1', 'bookings', 'SQL', 'V2_1__bookings.sql', ${flywayChecksum('create table bookings (id bigint primary key);\n')}, 'postgres', 5, true),
         (4, '3', 'failed', 'SQL', 'V3__failed.sql', ${flywayChecksum('select 3;\n')}, 'postgres', 5, false),
         (5, '1.5', 'gone', 'SQL', 'V1_5__gone.sql', 42, 'postgres', 5, true);
       create table public.schema_migrations (version varchar(128) primary key);`,
    );
    const run = await runCliCommand(history, dir, ['--db', url, '--format', 'json']);
    assert.deepEqual(statuses(run), ['applied sql/V1__before_baseline.sql', 'applied sql/V2__init.sql', 'changed sql/V2_1__bookings.sql', 'pending sql/V3__failed.sql', 'pending sql/V4__new.sql', 'missing 1.5']);
    assert.equal((JSON.parse(run.stdout) as HistoryJson).table, 'public.flyway_schema_history');
    assert.match(run.stderr, /note: public\.schema_migrations exists too; read public\.flyway_schema_history/);
  });

  it('golang-migrate: one version row, with dirty', async () => {
    const dir = project({
      'migrations/000001_init.up.sql': 'select 1;\n',
      'migrations/000001_init.down.sql': 'select 1;\n',
      'migrations/000002_bookings.up.sql': 'select 2;\n',
      'migrations/000003_index.up.sql': 'select 3;\n',
    });
    const url = await server.createDatabase('pgreview_history_golang', { baseline: false });
    await server.runSql(url, 'create table public.schema_migrations (version bigint not null primary key, dirty boolean not null); insert into public.schema_migrations values (2, true);');
    const run = await runCliCommand(history, dir, ['--db', url, '--format', 'json']);
    assert.deepEqual(statuses(run), ['applied migrations/000001_init.up.sql', 'applied migrations/000002_bookings.up.sql', 'pending migrations/000003_index.up.sql']);
    assert.match((JSON.parse(run.stdout) as HistoryJson).files[1].note ?? '', /^dirty/);
  });

  it('dbmate and diesel: version rows', async () => {
    const dbmate = project({ 'db/migrations/20240101000000_init.sql': '-- migrate:up\nselect 1;\n', 'db/migrations/20240201000000_bookings.sql': '-- migrate:up\nselect 2;\n' });
    const dbmateUrl = await server.createDatabase('pgreview_history_dbmate', { baseline: false });
    await server.runSql(dbmateUrl, "create table public.schema_migrations (version varchar(128) primary key); insert into public.schema_migrations values ('20240101000000'), ('20231201000000');");
    assert.deepEqual(statuses(await runCliCommand(history, dbmate, ['--db', dbmateUrl, '--format', 'json'])), [
      'applied db/migrations/20240101000000_init.sql',
      'pending db/migrations/20240201000000_bookings.sql',
      'missing 20231201000000',
    ]);

    const diesel = project({ 'migrations/2024-01-01-000000_init/up.sql': 'select 1;\n', 'migrations/2024-01-01-000000_init/down.sql': 'select 1;\n', 'migrations/2024-02-01-000000_bookings/up.sql': 'select 2;\n' });
    const dieselUrl = await server.createDatabase('pgreview_history_diesel', { baseline: false });
    await server.runSql(dieselUrl, "create table __diesel_schema_migrations (version varchar(50) primary key not null, run_on timestamp not null default current_timestamp); insert into __diesel_schema_migrations (version) values ('20240101000000');");
    assert.deepEqual(statuses(await runCliCommand(history, diesel, ['--db', dieselUrl, '--format', 'json'])), [
      'applied migrations/2024-01-01-000000_init/up.sql',
      'pending migrations/2024-02-01-000000_bookings/up.sql',
    ]);
  });
});
