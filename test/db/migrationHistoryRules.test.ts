/**
 * The history rules (`needs: 'H'`) on a real PostgreSQL: the runners' history tables made by hand
 * as each runner makes them, read by `check --db`, and the findings placed on the files. Each rule
 * fires on the case it names and stays silent when the history and the files agree.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import check from '../../src/cli/commands/check';
import diff from '../../src/cli/commands/diff';
import { flywayChecksum } from '../../src/core/history/flywayChecksum';
import { getTestServer, type TestServer } from '../support/postgresServer';
import { FLYWAY_SCHEMA_HISTORY_SQL, makeProjectFolder, SUPABASE_SCHEMA_MIGRATIONS_SQL } from '../support/migrationHistoryTables';
import { runCliCommand } from '../support/runCliCommand';

const HISTORY_RULES = ['migration_changed_after_applied', 'applied_migration_missing', 'migration_failed_in_history', 'migration_out_of_order'];

interface JsonFinding {
  rule: string;
  level: string;
  file: string | null;
  line: number | null;
  message: string;
}


describe('migration history rules (real PostgreSQL)', function () {
  this.timeout(180_000);
  let server: TestServer;
  const projects: string[] = [];
  const project = (files: Record<string, string>) => {
    const dir = makeProjectFolder(files);
    projects.push(dir);
    return dir;
  };
  /** The history findings of `check --db`, as `level rule file:line`, and their messages. */
  const historyFindings = async (dir: string, url: string): Promise<{ lines: string[]; findings: JsonFinding[]; stderr: string }> => {
    const run = await runCliCommand(check, dir, ['--db', url, '--format', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings.filter((finding) => HISTORY_RULES.includes(finding.rule));
    return { lines: findings.map((finding) => `${finding.level} ${finding.rule} ${finding.file}:${finding.line}`), findings, stderr: run.stderr };
  };

  before(async () => {
    server = await getTestServer();
  });
  after(() => {
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });

  describe('Supabase', () => {
    const BOOKINGS = 'create table public.bookings (id bigint primary key, user_id uuid, status text);\n';
    const files = {
      'supabase/config.toml': 'project_id = "history_rules"\n',
      'supabase/migrations/20240101000000_bookings.sql': BOOKINGS,
      'supabase/migrations/20240102000000_status_index.sql': 'create index bookings_status_idx on public.bookings (status);\n',
      'supabase/migrations/20240103000000_vendors.sql': '-- Vendors, with their names.\ncreate table public.vendors (id bigint primary key, name text);\n',
      'supabase/migrations/20240201000000_user_index.sql': 'create index bookings_user_id_idx on public.bookings (user_id);\n',
    };
    let url: string;

    before(async () => {
      url = await server.createDatabase('pgreview_history_rules_supabase');
      await server.runSql(url, `${BOOKINGS}create table public.vendors (id bigint primary key);`);
      await server.runSql(
        url,
        `${SUPABASE_SCHEMA_MIGRATIONS_SQL}
         insert into supabase_migrations.schema_migrations values
           ('20231201000000', array['select 1'], 'hotfix'),
           ('20240101000000', array['create table public.bookings (id bigint primary key, user_id uuid, status text)'], 'bookings'),
           ('20240103000000', array['create table public.vendors (id bigint primary key)'], 'vendors'),
           ('20240301000000', null, 'dashboard_change');`,
      );
    });

    it('fires: changed on its first statement, missing on the file it sorts before (or the last), out of order on the pending file', async () => {
      const { lines, findings, stderr } = await historyFindings(project(files), url);
      assert.deepEqual(lines, [
        'warning applied_migration_missing supabase/migrations/20240101000000_bookings.sql:1',
        'warning migration_out_of_order supabase/migrations/20240102000000_status_index.sql:1',
        'warning migration_changed_after_applied supabase/migrations/20240103000000_vendors.sql:2',
        'warning applied_migration_missing supabase/migrations/20240201000000_user_index.sql:1',
      ]);
      assert.match(findings[0].message, /^supabase_migrations\.schema_migrations lists migration 20231201000000 \(hotfix\) as applied, but no migration file has that version \(it would sort before 20240101000000_bookings\.sql\): `supabase db push` refuses to run/);
      assert.match(findings[1].message, /^Migration 20240102000000_status_index\.sql is pending, but 20240103000000_vendors\.sql, which sorts after it, is already applied in supabase_migrations\.schema_migrations: `supabase db push` refuses it .* --include-all/);
      assert.match(findings[2].message, /^Migration 20240103000000_vendors\.sql changed after supabase_migrations\.schema_migrations recorded it as applied \(its statements differ from those the Supabase CLI recorded when it applied the file\)/);
      assert.match(findings[3].message, /20240301000000 \(dashboard_change\) as applied, .*\(it would sort after 20240201000000_user_index\.sql\)/);
      // The findings say it now; stderr keeps only which migrations are pending.
      assert.doesNotMatch(stderr, /changed after/);
      assert.match(stderr, /^pgreview: 2 pending migrations \(not listed in supabase_migrations\.schema_migrations\)\n/m);
    });

    it('is silent when the history and the files agree, and without --db', async () => {
      const agreeing = project({
        'supabase/config.toml': files['supabase/config.toml'],
        'supabase/migrations/20240101000000_bookings.sql': `-- formatting and comments are no change\n${BOOKINGS.replace('(id', '(\n  id')}`,
        'supabase/migrations/20240103000000_vendors.sql': 'create table public.vendors (id bigint primary key);\n',
        'supabase/migrations/20240301000000_dashboard_change.sql': 'select 1;\n',
        'supabase/migrations/20240401000000_user_index.sql': files['supabase/migrations/20240201000000_user_index.sql'],
      });
      const silentUrl = await server.createDatabase('pgreview_history_rules_supabase_silent');
      await server.runSql(silentUrl, `${BOOKINGS}create table public.vendors (id bigint primary key);`);
      await server.runSql(
        silentUrl,
        `${SUPABASE_SCHEMA_MIGRATIONS_SQL}
         insert into supabase_migrations.schema_migrations values
           ('20240101000000', array['create table public.bookings (id bigint primary key, user_id uuid, status text)'], 'bookings'),
           ('20240103000000', array['create table public.vendors (id bigint primary key)'], 'vendors'),
           ('20240301000000', null, 'dashboard_change');`,
      );
      assert.deepEqual((await historyFindings(agreeing, silentUrl)).lines, []);
      // Every file applied but the newest: the diff's section lists only that one.
      const section = (await runCliCommand(diff, agreeing, ['--db', silentUrl])).stdout.split('\nMigration history')[1];
      assert.equal(section, ' (supabase_migrations.schema_migrations): 1 pending, 0 changed after applied, 0 applied but file missing\n  pending  supabase/migrations/20240401000000_user_index.sql\n');
      const offline = await runCliCommand(check, project(files), ['--format', 'json', '--fail-on', 'none', '--no-cache']);
      assert.deepEqual((JSON.parse(offline.stdout) as { findings: JsonFinding[] }).findings.filter((finding) => HISTORY_RULES.includes(finding.rule)), []);
    });

    it('diff: a history section in text, Markdown and JSON, after the changes', async () => {
      const dir = project(files);
      const text = await runCliCommand(diff, dir, ['--db', url]);
      assert.ok(text.code === 0 || text.code === 1, text.stderr);
      const section = text.stdout.slice(text.stdout.indexOf('\nMigration history'));
      assert.equal(
        section,
        [
          '',
          'Migration history (supabase_migrations.schema_migrations): 2 pending, 1 changed after applied, 2 applied but file missing',
          '  pending                supabase/migrations/20240102000000_status_index.sql',
          '  pending                supabase/migrations/20240201000000_user_index.sql',
          '  changed after applied  supabase/migrations/20240103000000_vendors.sql (its statements differ from those the Supabase CLI recorded when it applied the file)',
          '  applied, file missing  20231201000000 (hotfix)',
          '  applied, file missing  20240301000000 (dashboard_change)',
          '',
        ].join('\n'),
      );
      const markdown = await runCliCommand(diff, dir, ['--db', url, '--format', 'markdown']);
      assert.match(markdown.stdout, /\n## Migration history\n\n`supabase_migrations\.schema_migrations`: 2 pending, 1 changed after applied, 2 applied but file missing\.\n\n\| Status \| Migration \|\n\|---\|---\|\n\| pending \| `supabase\/migrations\/20240102000000_status_index\.sql` \|\n/);
      const json = JSON.parse((await runCliCommand(diff, dir, ['--db', url, '--format', 'json'])).stdout) as { history: unknown };
      assert.deepEqual(json.history, {
        table: 'supabase_migrations.schema_migrations',
        runner: 'supabase',
        pending: [
          { file: 'supabase/migrations/20240102000000_status_index.sql', version: '20240102000000', note: null },
          { file: 'supabase/migrations/20240201000000_user_index.sql', version: '20240201000000', note: null },
        ],
        changed: [{ file: 'supabase/migrations/20240103000000_vendors.sql', version: '20240103000000', note: 'its statements differ from those the Supabase CLI recorded when it applied the file' }],
        missing: [
          { version: '20231201000000', name: 'hotfix' },
          { version: '20240301000000', name: 'dashboard_change' },
        ],
      });
    });

    it('a rule set to off in pgreview.json stays silent', async () => {
      const dir = project({ ...files, 'pgreview.json': JSON.stringify({ rules: { migration_out_of_order: 'off', applied_migration_missing: 'info' } }) });
      const { lines } = await historyFindings(dir, url);
      assert.deepEqual(lines, [
        'info applied_migration_missing supabase/migrations/20240101000000_bookings.sql:1',
        'warning migration_changed_after_applied supabase/migrations/20240103000000_vendors.sql:2',
        'info applied_migration_missing supabase/migrations/20240201000000_user_index.sql:1',
      ]);
    });
  });

  it('Flyway: a changed checksum, a missing version and an ignored (out-of-order) one', async () => {
    const init = 'create table vendors (id bigint primary key);\n';
    const dir = project({
      'sql/V1__init.sql': init,
      'sql/V2__bookings.sql': 'create table bookings (id bigint primary key, vendor_id bigint);\n',
      'sql/V3__late_branch.sql': 'create index bookings_vendor_id_idx on bookings (vendor_id);\n',
      'sql/V4__reviews.sql': 'create table reviews (id bigint primary key);\n',
    });
    const url = await server.createDatabase('pgreview_history_rules_flyway', { baseline: false });
    await server.runSql(
      url,
      `${FLYWAY_SCHEMA_HISTORY_SQL}
       insert into public.flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) values
         (1, '1', 'init', 'SQL', 'V1__init.sql', ${flywayChecksum(init)}, 'postgres', 5, true),
         (2, '1.5', 'gone', 'SQL', 'V1_5__gone.sql', 42, 'postgres', 5, true),
         (3, '2', 'bookings', 'SQL', 'V2__bookings.sql', ${flywayChecksum('create table bookings (id bigint primary key);\n')}, 'postgres', 5, true),
         (4, '4', 'reviews', 'SQL', 'V4__reviews.sql', ${flywayChecksum('create table reviews (id bigint primary key);\n')}, 'postgres', 5, true);`,
    );
    const { lines, findings } = await historyFindings(dir, url);
    assert.deepEqual(lines, [
      'warning applied_migration_missing sql/V2__bookings.sql:1',
      'warning migration_changed_after_applied sql/V2__bookings.sql:1',
      'warning migration_out_of_order sql/V3__late_branch.sql:1',
    ]);
    assert.match(findings[0].message, /lists migration 1\.5 \(V1_5__gone\.sql\) as applied.*Detected applied migration not resolved locally/);
    assert.match(findings[1].message, /its checksum -?\d+ differs from -?\d+, recorded when Flyway applied it.*validate fails/);
    assert.match(findings[2].message, /V4__reviews\.sql, which sorts after it, is already applied.*outOfOrder/);
  });

  it('Flyway: a migration whose last run failed blocks migrate until repaired; one that failed and then succeeded does not', async () => {
    const init = 'create table vendors (id bigint primary key);\n';
    const bookings = 'create table bookings (id bigint primary key, vendor_id bigint);\ncreate index concurrently bookings_vendor_id_idx on bookings (vendor_id);\n';
    const reviews = 'create table reviews (id bigint primary key);\n';
    const dir = project({ 'sql/V1__init.sql': init, 'sql/V2__bookings.sql': bookings, 'sql/V3__reviews.sql': reviews });
    const url = await server.createDatabase('pgreview_history_rules_flyway_failed', { baseline: false });
    const row = (rank: number, version: string, script: string, text: string, success: boolean) =>
      `(${rank}, '${version}', '${script.replace(/^V\d+__|\.sql$/g, '')}', 'SQL', '${script}', ${flywayChecksum(text)}, 'postgres', 5, ${success})`;
    // V1 failed once and succeeded after a repair; V2's last run failed; version 4 failed and has no file.
    await server.runSql(
      url,
      `${FLYWAY_SCHEMA_HISTORY_SQL}
       insert into public.flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) values
         ${row(1, '1', 'V1__init.sql', init, false)}, ${row(2, '1', 'V1__init.sql', init, true)}, ${row(3, '2', 'V2__bookings.sql', bookings, false)},
         ${row(4, '4', 'V4__gone.sql', 'select 1;\n', false)};`,
    );
    const { lines, findings } = await historyFindings(dir, url);
    assert.deepEqual(lines, [
      'error migration_failed_in_history sql/V2__bookings.sql:1',
      'error migration_failed_in_history sql/V3__reviews.sql:1',
    ]);
    assert.match(findings[0].message, /^public\.flyway_schema_history records migration 2 \(V2__bookings\.sql\) as failed: `flyway migrate` stops .* until `flyway repair` removes the failed row\./);
    assert.match(findings[1].message, /records migration 4 \(V4__gone\.sql\), which has no file, as failed/);

    // `flyway repair` removes the failed rows; a migrate then records the runs that succeeded.
    await server.runSql(url, `delete from public.flyway_schema_history where success = false;
      insert into public.flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) values ${row(5, '2', 'V2__bookings.sql', bookings, true)}, ${row(6, '3', 'V3__reviews.sql', reviews, true)};`);
    assert.deepEqual((await historyFindings(dir, url)).lines, []);
  });

  it('Flyway: a repeatable migration (R__, no version, sorts last) orders nothing: a new versioned file is not out of order', async () => {
    const init = 'create table vendors (id bigint primary key);\n';
    const views = 'create or replace view vendor_ids as select id from vendors;\n';
    const dir = project({
      'sql/V1__init.sql': init,
      'sql/V2__payments.sql': 'create table payments (id bigint primary key, vendor_id bigint);\n',
      'sql/R__views.sql': views,
    });
    const url = await server.createDatabase('pgreview_history_rules_flyway_repeatable', { baseline: false });
    await server.runSql(
      url,
      `${FLYWAY_SCHEMA_HISTORY_SQL}
       insert into public.flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) values
         (1, '1', 'init', 'SQL', 'V1__init.sql', ${flywayChecksum(init)}, 'postgres', 5, true),
         (2, null, 'views', 'SQL', 'R__views.sql', ${flywayChecksum(views)}, 'postgres', 5, true),
         (3, '9', 'gone', 'SQL', 'V9__gone.sql', 42, 'postgres', 5, true);`,
    );
    const { lines, findings } = await historyFindings(dir, url);
    // V2 is pending and sorts before the applied R__views.sql, which is no reason to call it out of
    // order; the missing version 9 sorts after the newest versioned file, not after the repeatable.
    assert.deepEqual(lines, ['warning applied_migration_missing sql/V2__payments.sql:1']);
    assert.match(findings[0].message, /lists migration 9 \(V9__gone\.sql\) as applied, but no migration file has that version \(it would sort after V2__payments\.sql\)/);
  });

  it('dbmate: an out-of-order pending file is info, since dbmate applies it after the newer one', async () => {
    const dir = project({
      'db/migrations/20240101000000_init.sql': '-- migrate:up\ncreate table vendors (id bigint primary key);\n',
      'db/migrations/20240115000000_branch.sql': '-- migrate:up\ncreate table reviews (id bigint primary key);\n',
      'db/migrations/20240201000000_bookings.sql': '-- migrate:up\ncreate table bookings (id bigint primary key);\n',
    });
    const url = await server.createDatabase('pgreview_history_rules_dbmate', { baseline: false });
    await server.runSql(url, "create table public.schema_migrations (version varchar(128) primary key); insert into public.schema_migrations values ('20240101000000'), ('20240201000000');");
    const { lines, findings } = await historyFindings(dir, url);
    assert.deepEqual(lines, ['info migration_out_of_order db/migrations/20240115000000_branch.sql:2']);
    assert.match(findings[0].message, /dbmate applies it after 20240201000000_bookings\.sql/);
  });
});
