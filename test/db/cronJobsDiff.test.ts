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
import { grantCronTo, PG_CRON_CATALOG_SQL } from '../support/pgCronCatalog';
import { getTestServer } from '../support/postgresServer';

const config = defaultConfig('supabase');
const ROLE_PASSWORD = 'pgreview-cron-role-pw';
/** Login roles that are not superusers and may use pg_cron, in the database the SQL runs in. */
const cronRoles = (...roles: string[]) => roles.map((role) => grantCronTo(role, ROLE_PASSWORD)).join('\n');
/** The database's URL for a role of `cronRoles`. */
const asRole = (url: string, role: string) => {
  const roleUrl = new URL(url);
  roleUrl.username = role;
  roleUrl.password = ROLE_PASSWORD;
  return roleUrl.toString();
};

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
${cronRoles('deployer', 'reporter')}
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
    // Only a superuser may name a job's role (pg_cron): a job is scheduled as its role instead.
    assert.doesNotMatch(sql, /username :=/);
    assert.ok(sql.includes("select cron.unschedule(jobid) from cron.job where jobname = 'refresh' and username = 'postgres';\n\nselect set_config('pgreview.role_before', current_user, false);\nset role deployer;\nselect cron.schedule('refresh', '@hourly', $cron$analyze$cron$);\nselect set_config('role', current_setting('pgreview.role_before'), false);"), sql);
    assert.ok(sql.includes("select set_config('pgreview.role_before', current_user, false);\nset role reporter;\nselect cron.schedule('report', '@daily', $cron$select 2$cron$);\nselect cron.alter_job(jobid, database := 'pgreview_cron_role') from cron.job where jobname = 'report' and username = current_user;\nselect set_config('role', current_setting('pgreview.role_before'), false);"), sql);
    await server.runSql(url, sql);
    const aligned = (await introspectDatabase(connection, { config })).catalog;
    assert.deepEqual([...aligned.cronJobs!.values()].map((job) => `${job.name} ${job.username}`), ['purge deployer', 'refresh deployer', 'report reporter']);
    assert.deepEqual(diffCatalogs(stated.replayed, aligned, { profile: config.profile }), []);
  });

  it('tells apart jobs of the same name that two roles have, and aligns them on the server', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_cron_two_roles');
    await server.runSql(url, `${PG_CRON_CATALOG_SQL}
${cronRoles('app', 'reporter')}
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
    assert.ok(sql.includes([
      "  if exists (select from pg_catalog.pg_roles where rolname = 'reporter') then",
      '    set role reporter;',
      "    perform cron.unschedule(jobid) from cron.job where jobname = 'cleanup' and username = 'reporter';",
      "    perform set_config('role', role_before, false);",
      '  end if;',
    ].join('\n')), sql);
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

  it('alignment SQL applies, twice, as a role that owns the jobs and is not a superuser, as Supabase\'s postgres is', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_cron_owner');
    // pgreview_cron_owner plays Supabase's postgres; it is a member of pgreview_cron_reporter, as
    // postgres is of anon, authenticated and service_role.
    await server.runSql(url, `${PG_CRON_CATALOG_SQL}
${cronRoles('pgreview_cron_owner', 'pgreview_cron_reporter')}
grant pgreview_cron_reporter to pgreview_cron_owner;
set role pgreview_cron_owner;
select cron.schedule('refresh', '@hourly', 'analyze');
select cron.schedule('rollup', '@daily', 'select 3');
reset role;`);
    const owner = asRole(url, 'pgreview_cron_owner');
    // As in pg_cron, only a superuser names a job's role, even the caller's own.
    await assert.rejects(server.runSql(owner, "select cron.alter_job(jobid, username := 'pgreview_cron_owner') from cron.job where jobname = 'refresh'"), /must be superuser to alter username/);
    await assert.rejects(server.runSql(owner, "select cron.schedule_in_database('purge', '@daily', 'select 1', current_database(), 'pgreview_cron_owner')"), /must be superuser to create a job for another role/);

    const migration = {
      path: 'supabase/migrations/20240101000000_cron.sql',
      text: `set role pgreview_cron_owner;
select cron.schedule('purge', '0 3 * * *', 'select 1');
select cron.alter_job(jobid, active := false) from cron.job where jobname = 'purge';
select cron.schedule('rollup', '0 1 * * *', 'select 3');
reset role;
set role pgreview_cron_reporter;
select cron.schedule('refresh', '@hourly', 'analyze');
reset role;
`,
    };
    const replayed = analyze({ files: [migration], config }).catalog;
    const connection = resolveConnectionOptions({ url });
    const live = (await introspectDatabase(connection, { config })).catalog;
    const changes = diffCatalogs(replayed, live, { profile: config.profile });
    assert.deepEqual(changes.map((change) => `${change.status} ${change.object} ${change.property ?? ''} ${change.migrations ?? ''} ${change.database ?? ''}`.trim()), [
      'missing_in_database purge',
      'changed refresh username pgreview_cron_reporter pgreview_cron_owner',
      'changed rollup schedule 0 1 * * * @daily',
    ]);
    const sql = renderAlignmentSql(changes, replayed, live);
    for (let run = 1; run <= 2; run++) {
      await server.runSql(owner, sql);
      const aligned = (await introspectDatabase(connection, { config })).catalog;
      assert.deepEqual([...aligned.cronJobs!.values()].map((job) => `${job.name} ${job.username} ${job.schedule} ${job.active}`).sort(), [
        'purge pgreview_cron_owner 0 3 * * * false',
        'refresh pgreview_cron_reporter @hourly true',
        'rollup pgreview_cron_owner 0 1 * * * true',
      ], `after run ${run}`);
      assert.deepEqual(diffCatalogs(replayed, aligned, { profile: config.profile }), [], `after run ${run}`);
    }
    // A new job is scheduled as its role, and a job of another role is unscheduled as its role and scheduled as the new one.
    assert.doesNotMatch(sql, /username :=/);
    assert.ok(sql.includes([
      '    set role pgreview_cron_owner;',
      "    perform cron.unschedule(jobid) from cron.job where jobname = 'refresh' and username = 'pgreview_cron_owner';",
    ].join('\n')), sql);
    assert.ok(sql.includes([
      "select set_config('pgreview.role_before', current_user, false);",
      'set role pgreview_cron_owner;',
      "select cron.schedule('purge', '0 3 * * *', $cron$select 1$cron$);",
      "select cron.alter_job(jobid, active := false) from cron.job where jobname = 'purge' and username = current_user;",
      "select set_config('role', current_setting('pgreview.role_before'), false);",
    ].join('\n')), sql);
    assert.ok(sql.includes("set role pgreview_cron_reporter;\nselect cron.schedule('refresh', '@hourly', $cron$analyze$cron$);\nselect set_config('role', current_setting('pgreview.role_before'), false);"), sql);
    assert.ok(sql.includes("    set role pgreview_cron_owner;\n    perform cron.alter_job(jobid, schedule := '0 1 * * *') from cron.job where jobname = 'rollup' and username = 'pgreview_cron_owner';"), sql);
    assert.doesNotMatch(sql, /reset role/);

    // The replay reads the alignment SQL as the server ran it: after the migrations, it changes nothing.
    const withAlignment = analyze({ files: [migration, { path: 'supabase/migrations/20240102000000_align.sql', text: sql }], config }).catalog;
    assert.deepEqual(diffCatalogs(withAlignment, replayed, { profile: config.profile }), []);

    // On a fresh database where the owner ran the migrations, the same SQL applies as the owner and changes nothing.
    const fresh = await server.createDatabase('pgreview_cron_owner_fresh');
    await server.runSql(fresh, `${PG_CRON_CATALOG_SQL}\n${cronRoles('pgreview_cron_owner', 'pgreview_cron_reporter')}`);
    await server.runSql(asRole(fresh, 'pgreview_cron_owner'), migration.text);
    await server.runSql(asRole(fresh, 'pgreview_cron_owner'), sql);
    const freshCatalog = (await introspectDatabase(resolveConnectionOptions({ url: fresh }), { config })).catalog;
    assert.deepEqual(diffCatalogs(replayed, freshCatalog, { profile: config.profile }), []);

    // As the Supabase CLI applies it: logged in as a NOINHERIT role of its own that sets the
    // session's role to the owner (cli_login_postgres and postgres). After the SQL the owner is
    // still the current role; RESET ROLE would have gone back to the login role.
    const viaLogin = await server.createDatabase('pgreview_cron_owner_via_login');
    await server.runSql(viaLogin, `${PG_CRON_CATALOG_SQL}\n${cronRoles('pgreview_cron_owner', 'pgreview_cron_reporter')}
do $$ begin
  if not exists (select from pg_roles where rolname = 'pgreview_cli_login') then
    create role pgreview_cli_login login noinherit password '${ROLE_PASSWORD}';
  end if;
end $$;
grant pgreview_cron_owner to pgreview_cli_login;`);
    await server.runSql(asRole(viaLogin, 'pgreview_cron_owner'), migration.text);
    await server.runSql(asRole(viaLogin, 'pgreview_cli_login'), `set session role pgreview_cron_owner;
${sql}
do $$ begin
  if current_user <> 'pgreview_cron_owner' then raise exception 'after the alignment SQL the role is %', current_user; end if;
end $$;`);
    const viaLoginCatalog = (await introspectDatabase(resolveConnectionOptions({ url: viaLogin }), { config })).catalog;
    assert.deepEqual(diffCatalogs(replayed, viaLoginCatalog, { profile: config.profile }), []);
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
