/**
 * `inspect` lists the pg_cron jobs of a database (issue 13, section 3). The test server has no
 * pg_cron, so the test makes its catalog by hand (test/support/cronCatalog.ts).
 */
import assert from 'node:assert/strict';
import inspect from '../../src/cli/commands/inspect';
import { defaultConfig } from '../../src/core/config';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { CRON_JOB_TABLE_SQL } from '../support/cronCatalog';
import { getTestServer } from '../support/postgresServer';
import { runCliCommand } from '../support/runCliCommand';

const CRON_CATALOG = `${CRON_JOB_TABLE_SQL}
insert into cron.job (schedule, command, jobname) values
  ('0 3 * * *', 'delete from public.sessions where expires_at < now()', 'purge-expired-sessions'),
  ('*/5 * * * *', $$select net.http_post('https://example.com/hook')$$, null);
insert into cron.job (schedule, command, jobname, active) values ('@daily', E'refresh materialized view\\n  public.vendor_stats', 'refresh-vendor-stats', false);`;

describe('pgreview inspect: pg_cron jobs', function () {
  this.timeout(60_000);

  it('lists each job of cron.job with its schedule, database, role and command', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_inspect_cron');
    const without = await runCliCommand(inspect, '/tmp', ['--db', url]);
    assert.equal(without.code, 0, without.stderr);
    assert.doesNotMatch(without.stdout, /^cron_job:/m, 'no pg_cron, no jobs');
    assert.equal(JSON.parse((await runCliCommand(inspect, '/tmp', ['--db', url, '--format', 'json'])).stdout).cronJobs, undefined);

    await server.runSql(url, CRON_CATALOG);
    const run = await runCliCommand(inspect, '/tmp', ['--db', url]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.split('\n').filter((line) => line.startsWith('cron_job:')), [
      // Sorted by key, as every line of the catalog.
      "cron_job:#2 schedule='*/5 * * * *' database=pgreview_inspect_cron user=postgres command='select net.http_post(''https://example.com/hook'')'",
      "cron_job:purge-expired-sessions schedule='0 3 * * *' database=pgreview_inspect_cron user=postgres command='delete from public.sessions where expires_at < now()'",
      "cron_job:refresh-vendor-stats schedule='@daily' database=pgreview_inspect_cron user=postgres inactive command='refresh materialized view\\n public.vendor_stats'",
    ]);
    const json = JSON.parse((await runCliCommand(inspect, '/tmp', ['--db', url, '--format', 'json'])).stdout);
    assert.deepEqual(json.cronJobs[0], { jobId: 1, name: 'purge-expired-sessions', schedule: '0 3 * * *', command: 'delete from public.sessions where expires_at < now()', database: 'pgreview_inspect_cron', username: 'postgres', active: true });
  });

  it('warns, and lists the rest, when the role may not read cron.job', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_inspect_cron_denied');
    await server.runSql(url, `${CRON_CATALOG}
do $$ begin
  if not exists (select from pg_roles where rolname = 'pgreview_cron_outsider') then create role pgreview_cron_outsider login password 'outsider-pw'; end if;
end $$;
revoke all on cron.job from public;
grant usage on schema cron to pgreview_cron_outsider;`);
    const outsider = new URL(url);
    outsider.username = 'pgreview_cron_outsider';
    outsider.password = 'outsider-pw';
    const run = await runCliCommand(inspect, '/tmp', ['--db', outsider.toString()]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^pgreview: warning: Cannot read the pg_cron jobs \(Permission denied on pgreview_cron_outsider@[^)]*: permission denied for table job\); they are left out\.$/m);
    assert.doesNotMatch(run.stdout, /^cron_job:/m);
  });

  it('reads the server and the rest, with a warning for the jobs, when the role may not even use the cron schema', async () => {
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_inspect_cron_no_schema');
    await server.runSql(url, `${CRON_CATALOG}
do $$ begin
  if not exists (select from pg_roles where rolname = 'pgreview_cron_stranger') then create role pgreview_cron_stranger login password 'stranger-pw'; end if;
end $$;
revoke all on schema cron from public;`);
    const stranger = new URL(url);
    stranger.username = 'pgreview_cron_stranger';
    stranger.password = 'stranger-pw';
    const run = await runCliCommand(inspect, '/tmp', ['--db', stranger.toString(), '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    // to_regclass('cron.job') would throw here ("permission denied for schema cron") and take the
    // server's version and the database's name down with it.
    assert.doesNotMatch(run.stderr, /server version/i);
    assert.match(run.stderr, /^pgreview: warning: Cannot read the pg_cron jobs \(Permission denied on pgreview_cron_stranger@[^)]*: permission denied for schema cron\); they are left out\.$/m);
    assert.equal((JSON.parse(run.stdout) as { cronJobs?: unknown }).cronJobs, undefined);
    const { catalog, warnings } = await introspectDatabase(resolveConnectionOptions({ url: stranger.toString(), env: {} }), { config: defaultConfig('supabase') });
    assert.ok((catalog.server?.num ?? 0) >= 150000, JSON.stringify(catalog.server));
    assert.equal(catalog.databaseName, 'pgreview_inspect_cron_no_schema');
    assert.ok(warnings.some((warning) => warning.family === 'pg_cron jobs'));
    assert.ok(!warnings.some((warning) => /server/i.test(`${warning.family} ${warning.message}`)), JSON.stringify(warnings));
  });
});
