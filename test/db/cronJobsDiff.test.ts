/**
 * pg_cron jobs in the diff (issue 13, section 3): the replay records the jobs migrations schedule,
 * introspection reads `cron.job`, the diff reports jobs on one side only and a changed schedule,
 * command or state, and the alignment SQL, applied to the real server, makes the jobs match. The
 * test server has no pg_cron: its catalog and functions are made by hand
 * (test/support/pgCronCatalog.ts), with pg_cron's signatures and effect on `cron.job`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { renderCatalog } from '../../src/core/catalog/renderCatalog';
import { defaultConfig } from '../../src/core/config';
import { diffCatalogs } from '../../src/core/diff/diffCatalogs';
import { renderAlignmentSql } from '../../src/core/diff/renderAlignmentSql';
import { renderChangesText } from '../../src/core/diff/renderChanges';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { shadowWithPglite } from '../../src/db/shadow';
import { PG_CRON_CATALOG_SQL } from '../support/pgCronCatalog';
import { getTestServer } from '../support/postgresServer';

const config = defaultConfig('supabase');

const MIGRATIONS = [
  {
    path: 'supabase/migrations/20240101000000_sessions.sql',
    text: `create table public.sessions (id uuid primary key, expires_at timestamptz not null);
select cron.schedule('purge-expired-sessions', '0 3 * * *', $$delete from public.sessions where expires_at < now()$$);
select cron.schedule('*/5 * * * *', $$select 1$$);
select cron.schedule(job_name := 'nightly-vacuum', schedule := '0 4 * * *', command := 'vacuum analyze public.sessions');
`,
  },
  {
    path: 'supabase/migrations/20240102000000_cron_changes.sql',
    text: `select cron.alter_job(jobid, schedule := '30 3 * * *') from cron.job where jobname = 'purge-expired-sessions';
select cron.unschedule('nightly-vacuum');
select cron.schedule_in_database('analytics-rollup', '0 * * * *', 'call rollup_hourly()', 'analytics');
select cron.alter_job((select jobid from cron.job where jobname = 'analytics-rollup'), active := false);
`,
  },
];

/** The database as it drifted: purge runs at 3:00, a job no migration schedules, the unnamed one missing, the rollup active. */
const DRIFTED_JOBS = `
select cron.schedule('purge-expired-sessions', '0 3 * * *', $$delete from public.sessions where expires_at < now()$$);
select cron.schedule('refresh-stats', '@hourly', 'analyze');
select cron.schedule_in_database('analytics-rollup', '0 * * * *', 'call rollup_hourly()', 'analytics');`;

describe('pg_cron jobs: replay, introspection, diff and alignment on a real server', function () {
  this.timeout(180_000);

  before(async () => {
    await loadParser();
  });

  it('replays cron.schedule (named, unnamed, named arguments), schedule_in_database, alter_job and unschedule', () => {
    const { catalog } = analyze({ files: MIGRATIONS, config });
    const lines = renderCatalog(catalog).split('\n').filter((line) => line.startsWith('cron_job:'));
    assert.deepEqual(lines, [
      "cron_job:(unnamed) schedule='*/5 * * * *' command='select 1' defined=supabase/migrations/20240101000000_sessions.sql:3",
      "cron_job:analytics-rollup schedule='0 * * * *' database=analytics inactive command='call rollup_hourly()' defined=supabase/migrations/20240102000000_cron_changes.sql:3 changed=supabase/migrations/20240102000000_cron_changes.sql:4",
      "cron_job:purge-expired-sessions schedule='30 3 * * *' command='delete from public.sessions where expires_at < now()' defined=supabase/migrations/20240101000000_sessions.sql:2 changed=supabase/migrations/20240102000000_cron_changes.sql:1",
    ]);
  });

  it('replays the pg_cron calls a DO block PERFORMs', () => {
    const text = `do $$
begin
  perform cron.unschedule('purge-expired-sessions');
exception when others then null;
end $$;
do $$ begin
  perform cron.schedule('purge-expired-sessions', '15 3 * * *', 'delete from public.sessions where expires_at < now()');
end $$;
`;
    const { catalog, findings } = analyze({ files: [...MIGRATIONS, { path: 'supabase/migrations/20240103000000_reschedule.sql', text }], config });
    assert.deepEqual([...catalog.cronJobs!.values()].map((job) => [job.name ?? job.command, job.schedule, job.origin.definedAt?.file, job.origin.definedAt?.line]), [
      ['select 1', '*/5 * * * *', 'supabase/migrations/20240101000000_sessions.sql', 3],
      ['analytics-rollup', '0 * * * *', 'supabase/migrations/20240102000000_cron_changes.sql', 3],
      ['purge-expired-sessions', '15 3 * * *', 'supabase/migrations/20240103000000_reschedule.sql', 7],
    ]);
    assert.deepEqual(findings.filter((finding) => finding.rule === 'dynamic_sql_not_replayed'), []);
  });

  it('reports a job the replay cannot follow (by id) as not replayed', () => {
    const { findings } = analyze({ files: [{ path: 'supabase/migrations/20240101000000_cron.sql', text: "select cron.schedule('purge', '0 3 * * *', 'select 1');\nselect cron.unschedule(42);\n" }], config });
    const notReplayed = findings.filter((finding) => finding.rule === 'dynamic_sql_not_replayed');
    assert.deepEqual(notReplayed.map((finding) => [finding.span?.line, finding.message]), [
      [2, 'Not replayed: cron.unschedule, because it names the job by its id, which only the database knows. The pg_cron jobs pgreview lists for the migrations may be wrong.'],
    ]);
  });

  it('diffs the jobs of the migrations with cron.job, and the alignment SQL applied to the server makes them match', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_cron_diff');
    await server.runSql(url, `${PG_CRON_CATALOG_SQL}\ncreate table public.sessions (id uuid primary key, expires_at timestamptz not null);\n${DRIFTED_JOBS}`);
    const connection = resolveConnectionOptions({ url });
    const replayed = analyze({ files: MIGRATIONS, config }).catalog;
    const live = await introspectDatabase(connection, { config });
    assert.deepEqual(live.warnings, []);
    assert.deepEqual([...live.catalog.cronJobs!.keys()], ['purge-expired-sessions', 'refresh-stats', 'analytics-rollup']);

    const changes = diffCatalogs(replayed, live.catalog, { profile: config.profile });
    assert.equal(renderChangesText(changes), [
      'supabase/migrations/20240101000000_sessions.sql:3: missing_in_database cron_job (unnamed) select 1',
      'supabase/migrations/20240102000000_cron_changes.sql:3: changed cron_job analytics-rollup active: migrations false, database true',
      'supabase/migrations/20240101000000_sessions.sql:2: changed cron_job purge-expired-sessions schedule: migrations 30 3 * * *, database 0 3 * * *',
      'extra_in_database cron_job refresh-stats',
      '4 differences: 1 missing in the database, 1 extra in the database, 2 changed.',
      '',
    ].join('\n'));

    const commentedDrops = renderAlignmentSql(changes, replayed, live.catalog);
    assert.match(commentedDrops, /-- WARNING: pg_cron job refresh-stats exists only in the database; unscheduling it stops what it runs\. Uncomment to unschedule, or rerun with --allow-drops\.\n-- select cron\.unschedule\(jobid\) from cron\.job where jobname = 'refresh-stats' and username = 'postgres';/);
    const sql = renderAlignmentSql(changes, replayed, live.catalog, { allowDrops: true });
    assert.ok(sql.endsWith([
      'select cron.schedule(\'*/5 * * * *\', $cron$select 1$cron$)\n  where not exists (select from cron.job where jobname is null and command = $cron$select 1$cron$);',
      "select cron.alter_job(jobid, active := false) from cron.job where jobname = 'analytics-rollup' and username = 'postgres';",
      "select cron.alter_job(jobid, schedule := '30 3 * * *') from cron.job where jobname = 'purge-expired-sessions' and username = 'postgres';",
      '',
    ].join('\n')), sql);
    assert.match(sql, /^select cron\.unschedule\(jobid\) from cron\.job where jobname = 'refresh-stats' and username = 'postgres';$/m);

    // Applied to the database, then a second time (a committed alignment migration runs again
    // after `supabase db reset`): the jobs match, and nothing is scheduled twice.
    for (let run = 1; run <= 2; run++) {
      await server.runSql(url, sql);
      const aligned = await introspectDatabase(connection, { config });
      assert.deepEqual(diffCatalogs(replayed, aligned.catalog, { profile: config.profile }), [], `after run ${run}`);
      assert.equal(aligned.catalog.cronJobs!.size, 3);
    }
    // The replay reads the alignment SQL as the server ran it: replayed after the migrations, it changes nothing.
    const withAlignment = analyze({ files: [...MIGRATIONS, { path: 'supabase/migrations/20240103000000_align.sql', text: sql }], config });
    assert.deepEqual(diffCatalogs(withAlignment.catalog, replayed, { profile: config.profile }), []);
    assert.deepEqual(withAlignment.findings.filter((finding) => finding.rule === 'dynamic_sql_not_replayed'), []);

    // On a fresh database where the migrations ran, the same SQL applies and changes nothing.
    const fresh = await server.createDatabase('pgreview_cron_fresh');
    await server.runSql(fresh, `${PG_CRON_CATALOG_SQL}\n${MIGRATIONS.map((file) => file.text).join('\n')}`);
    await server.runSql(fresh, sql.replace(/^-- .*\n/gm, ''));
    const freshCatalog = (await introspectDatabase(resolveConnectionOptions({ url: fresh }), { config })).catalog;
    assert.deepEqual(diffCatalogs(replayed, freshCatalog, { profile: config.profile }), []);
  });

  it('a job the migrations schedule in the database by its name is the job scheduled there; in another database it is a change', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_cron_home');
    await server.runSql(url, `${PG_CRON_CATALOG_SQL}\nselect cron.schedule('purge', '0 3 * * *', 'select 1');`);
    const live = (await introspectDatabase(resolveConnectionOptions({ url }), { config })).catalog;
    const jobChanges = (database: string) => {
      const text = `select cron.schedule_in_database('purge', '0 3 * * *', 'select 1', '${database}');`;
      const replayed = analyze({ files: [{ path: 'supabase/migrations/20240101000000_cron.sql', text }], config }).catalog;
      return diffCatalogs(replayed, live, { profile: config.profile }).filter((change) => change.type === 'cron_job').map((change) => `${change.status} ${change.object} ${change.property ?? ''}`.trim());
    };
    assert.deepEqual(jobChanges('pgreview_cron_home'), []);
    assert.deepEqual(jobChanges('analytics'), ['changed purge database']);
  });

  it('compares a job\'s role only when the migrations state it, and the alignment SQL sets a stated role on the server', async () => {
    // The test server's superuser is postgres, the role the Supabase CLI runs migrations as.
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_cron_role');
    await server.runSql(url, `${PG_CRON_CATALOG_SQL}
select cron.schedule_in_database('purge', '0 3 * * *', 'select 1', current_database(), 'deployer');
select cron.schedule('refresh', '@hourly', 'analyze');`);
    const connection = resolveConnectionOptions({ url });
    const live = (await introspectDatabase(connection, { config })).catalog;
    const changesFor = (text: string) => {
      const replayed = analyze({ files: [{ path: 'supabase/migrations/20240101000000_cron.sql', text }], config }).catalog;
      return { replayed, changes: diffCatalogs(replayed, live, { profile: config.profile }) };
    };

    // Migrations run by deployer schedule its job: the files do not say who runs them, so no change.
    const unstated = changesFor("select cron.schedule('purge', '0 3 * * *', 'select 1');\nselect cron.schedule('refresh', '@hourly', 'analyze');\n");
    assert.deepEqual(unstated.changes, []);
    assert.equal(unstated.replayed.cronJobs!.get('purge')!.username, undefined);

    // A role the migrations state is compared, and the alignment SQL gives the jobs that role.
    const stated = changesFor("set role deployer;\nselect cron.schedule('purge', '0 3 * * *', 'select 1');\nselect cron.schedule('refresh', '@hourly', 'analyze');\nreset role;\nselect cron.schedule_in_database('report', '@daily', 'select 2', 'pgreview_cron_role', 'reporter');\n");
    assert.deepEqual(stated.changes.map((change) => `${change.status} ${change.object} ${change.property ?? ''} ${change.migrations ?? ''} ${change.database ?? ''}`.trim()), [
      'changed refresh username deployer postgres',
      'missing_in_database report',
    ]);
    const sql = renderAlignmentSql(stated.changes, stated.replayed, live);
    assert.match(sql, /^select cron\.alter_job\(jobid, username := 'deployer'\) from cron\.job where jobname = 'refresh' and username = 'postgres';$/m);
    assert.match(sql, /^select cron\.alter_job\(jobid, database := 'pgreview_cron_role', username := 'reporter'\) from cron\.job where jobname = 'report' and username = current_user;$/m);
    await server.runSql(url, sql);
    const aligned = (await introspectDatabase(connection, { config })).catalog;
    assert.deepEqual([...aligned.cronJobs!.values()].map((job) => `${job.name} ${job.username}`), ['purge deployer', 'refresh deployer', 'report reporter']);
    assert.deepEqual(diffCatalogs(stated.replayed, aligned, { profile: config.profile }), []);
  });

  it('tells apart jobs of the same name that two roles have, and aligns them on the server', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_cron_two_roles');
    await server.runSql(url, `${PG_CRON_CATALOG_SQL}
select cron.schedule('purge', '0 3 * * *', 'select 1');
select cron.schedule_in_database('purge', '0 5 * * *', 'select 1', current_database(), 'app');
select cron.schedule_in_database('cleanup', '@daily', 'select 3', current_database(), 'app');
select cron.schedule_in_database('cleanup', '@daily', 'select 3', current_database(), 'reporter');`);
    const connection = resolveConnectionOptions({ url });
    const live = (await introspectDatabase(connection, { config })).catalog;
    assert.deepEqual([...live.cronJobs!.keys()], ['purge (username postgres)', 'purge (username app)', 'cleanup (username app)', 'cleanup (username reporter)']);

    // The migrations run as postgres (unstated) and as app (stated): each job pairs with its role's.
    const text = `select cron.schedule('purge', '30 3 * * *', 'select 1');
set role app;
select cron.schedule('purge', '0 5 * * *', 'select 1');
select cron.schedule('cleanup', '@daily', 'select 3');
`;
    const replayed = analyze({ files: [{ path: 'supabase/migrations/20240101000000_cron.sql', text }], config }).catalog;
    assert.deepEqual([...replayed.cronJobs!.keys()], ['purge', 'purge (username app)', 'cleanup (username app)']);
    const changes = diffCatalogs(replayed, live, { profile: config.profile });
    assert.deepEqual(changes.map((change) => `${change.status} ${change.object} ${change.property ?? ''}`.trim()), [
      'extra_in_database cleanup (username reporter)',
      'changed purge (username postgres) schedule',
    ]);
    const sql = renderAlignmentSql(changes, replayed, live, { allowDrops: true });
    assert.match(sql, /^select cron\.unschedule\(jobid\) from cron\.job where jobname = 'cleanup' and username = 'reporter';$/m);
    assert.match(sql, /^select cron\.alter_job\(jobid, schedule := '30 3 \* \* \*'\) from cron\.job where jobname = 'purge' and username = 'postgres';$/m);
    await server.runSql(url, sql);
    const aligned = (await introspectDatabase(connection, { config })).catalog;
    assert.deepEqual([...aligned.cronJobs!.values()].map((job) => `${job.name} ${job.username} ${job.schedule}`).sort(), ['cleanup app @daily', 'purge app 0 5 * * *', 'purge postgres 30 3 * * *']);
    assert.deepEqual(diffCatalogs(replayed, aligned, { profile: config.profile }), []);

    // Without a stated role, a job of a name two roles have pairs with the migration role's.
    const unstated = analyze({ files: [{ path: 'supabase/migrations/20240101000000_cron.sql', text: "select cron.schedule('purge', '30 3 * * *', 'select 1');\n" }], config }).catalog;
    assert.deepEqual(diffCatalogs(unstated, aligned, { profile: config.profile }).map((change) => `${change.status} ${change.object}`), [
      'extra_in_database cleanup', 'extra_in_database purge (username app)',
    ]);
  });

  it('alignment SQL survives a command ending in its dollar-quote tag and a carriage return in a commented-out unschedule', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_cron_quoting');
    await server.runSql(url, `${PG_CRON_CATALOG_SQL}\nselect cron.schedule(E'stray\\rselect cron.unschedule(jobid) from cron.job', '@hourly', 'select 2');`);
    const connection = resolveConnectionOptions({ url });
    const replayed = analyze({ files: [{ path: 'supabase/migrations/20240101000000_cron.sql', text: "select cron.schedule('tagged', '@daily', 'select 1 -- $cron');\n" }], config }).catalog;
    const live = (await introspectDatabase(connection, { config })).catalog;
    const sql = renderAlignmentSql(diffCatalogs(replayed, live, { profile: config.profile }), replayed, live);
    await server.runSql(url, sql);
    const aligned = (await introspectDatabase(connection, { config })).catalog;
    assert.equal(aligned.cronJobs?.get('tagged')?.command, 'select 1 -- $cron');
    assert.equal(aligned.cronJobs?.size, 2, 'the commented-out unschedule ran nothing');
  });

  it('compares the jobs only when both sides know them: a PGlite shadow takes them from the replay, a database without pg_cron is not compared', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_cron_shadow');
    await server.runSql(url, `${PG_CRON_CATALOG_SQL}\ncreate table public.sessions (id uuid primary key, expires_at timestamptz not null);\n${DRIFTED_JOBS}`);
    const analysis = analyze({ files: MIGRATIONS, config });
    const shadow = await shadowWithPglite(analysis.files, { config, cacheDirectory: mkdtempSync(join(tmpdir(), 'pgreview-cron-')) });
    assert.equal(shadow.catalog.cronJobs, undefined, 'PGlite has no pg_cron: the shadow cannot know the jobs');
    assert.ok(shadow.findings.length > 0, 'the cron calls fail on the shadow');
    const live = (await introspectDatabase(resolveConnectionOptions({ url }), { config })).catalog;

    const viaShadow = diffCatalogs(shadow.catalog, live, { profile: config.profile, origins: analysis.catalog });
    assert.deepEqual(viaShadow.map((change) => `${change.status} ${change.type} ${change.object} ${change.property ?? ''}`.trim()), [
      'missing_in_database cron_job (unnamed) select 1',
      'changed cron_job analytics-rollup active',
      'changed cron_job purge-expired-sessions schedule',
      'extra_in_database cron_job refresh-stats',
    ]);
    assert.match(renderAlignmentSql(viaShadow, shadow.catalog, live, { origins: analysis.catalog }), /select cron\.schedule\('\*\/5 \* \* \* \*', \$cron\$select 1\$cron\$\)/);
    assert.deepEqual(diffCatalogs(shadow.catalog, live, { profile: config.profile }).filter((change) => change.type === 'cron_job'), [], 'without the replay, the shadow side does not know its jobs');

    const withoutCron = await server.createDatabase('pgreview_cron_absent');
    await server.runSql(withoutCron, 'create table public.sessions (id uuid primary key, expires_at timestamptz not null);');
    const absent = (await introspectDatabase(resolveConnectionOptions({ url: withoutCron }), { config })).catalog;
    assert.equal(absent.cronJobs, undefined);
    assert.deepEqual(diffCatalogs(analysis.catalog, absent, { profile: config.profile }), []);
  });
});
