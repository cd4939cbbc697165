/**
 * `pgreview diff` on a function whose body changed in the database (issue 13, section 3): one line
 * that says how many lines differ, and with `--full` the whole body difference as a unified diff,
 * in the text and the Markdown. The same project schedules a pg_cron job, which the CLI compares
 * through the PGlite shadow (the jobs come from the replay) and aligns with its SQL.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import diff from '../../src/cli/commands/diff';
import { PG_CRON_CATALOG_SQL } from '../support/pgCronCatalog';
import { getTestServer } from '../support/postgresServer';
import { runCliCommand } from '../support/runCliCommand';

const MIGRATION = `create table public.bookings (
  id bigint primary key,
  vendor_id bigint not null,
  status text not null default 'pending'
);
create function public.booking_count(p_vendor bigint) returns bigint
  language plpgsql stable set search_path = ''
as $$
begin
  return (select count(*) from public.bookings
    where vendor_id = p_vendor and status <> 'cancelled');
end;
$$;
select cron.schedule('purge-cancelled-bookings', '0 3 * * *', $$delete from public.bookings where status = 'cancelled'$$);
`;

/** The function as someone changed it in the database: cancelled bookings count again. */
const DRIFTED_FUNCTION = `create or replace function public.booking_count(p_vendor bigint) returns bigint
  language plpgsql stable set search_path = ''
as $$
begin
  return (select count(*) from public.bookings where vendor_id = p_vendor);
end;
$$;`;

const UNIFIED = [
  '    --- database',
  '    +++ migrations',
  '    @@ -1,3 +1,4 @@',
  '     begin',
  '    -  return (select count(*) from public.bookings where vendor_id = p_vendor);',
  '    +  return (select count(*) from public.bookings',
  "    +    where vendor_id = p_vendor and status <> 'cancelled');",
  '     end;',
];

describe('pgreview diff: a changed function body, and pg_cron jobs through the shadow', function () {
  this.timeout(300_000);
  const previousCache = process.env.XDG_CACHE_HOME;

  after(() => {
    if (previousCache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previousCache;
  });

  it('summarises the body in one line, shows it as a unified diff with --full, and aligns body and job with --format sql', async () => {
    const server = await getTestServer();
    const project = mkdtempSync(join(tmpdir(), 'pgreview-diff-body-'));
    process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'pgreview-diff-body-cache-'));
    mkdirSync(join(project, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(join(project, 'supabase', 'config.toml'), 'project_id = "diff-body"\n');
    writeFileSync(join(project, 'supabase', 'migrations', '20240101000000_bookings.sql'), MIGRATION);
    const live = await server.createDatabase('pgreview_diff_function_body');
    await server.runSql(live, `${PG_CRON_CATALOG_SQL}\n${MIGRATION}\n${DRIFTED_FUNCTION}\nselect cron.unschedule('purge-cancelled-bookings');`);

    const summary = await runCliCommand(diff, project, ['.', '--db', live]);
    assert.equal(summary.code, 1, summary.stderr);
    assert.equal(summary.stdout, [
      'supabase/migrations/20240101000000_bookings.sql:6: changed function public.booking_count(bigint) body: 2 lines only in migrations, 1 only in database',
      'supabase/migrations/20240101000000_bookings.sql:14: missing_in_database cron_job purge-cancelled-bookings',
      '2 differences: 1 missing in the database, 0 extra in the database, 1 changed.',
      'Rerun with --full to see each changed function body as a unified diff.',
      '',
    ].join('\n'));
    // PGlite has no pg_cron: the shadow says the schedule failed, and the job still comes from the replay.
    assert.match(summary.stderr, /20240101000000_bookings\.sql:14: error migration_apply_error: .*cron/);

    const full = await runCliCommand(diff, project, ['.', '--db', live, '--full']);
    assert.equal(full.code, 1);
    const lines = full.stdout.split('\n');
    const head = lines.findIndex((line) => line.endsWith('body: 2 lines only in migrations, 1 only in database'));
    assert.deepEqual(lines.slice(head + 1, head + 1 + UNIFIED.length), UNIFIED, full.stdout);
    assert.ok(!full.stdout.includes('Rerun with --full'));

    const markdown = await runCliCommand(diff, project, ['.', '--db', live, '--format', 'markdown', '--full']);
    assert.match(markdown.stdout, /\| changed \| function \| `public\.booking_count\(bigint\)` \| `body` \| 2 lines only in migrations, 1 only in database \| {2}\|/);
    assert.ok(markdown.stdout.includes(['<details><summary><code>public.booking_count(bigint)</code> body</summary>', '', '```diff', ...UNIFIED.map((line) => line.slice(4)), '```', '', '</details>'].join('\n')), markdown.stdout);

    const sql = await runCliCommand(diff, project, ['.', '--db', live, '--format', 'sql']);
    assert.match(sql.stdout, /create or replace function public\.booking_count\(p_vendor bigint\)/);
    assert.match(sql.stdout, /select cron\.schedule\('purge-cancelled-bookings', '0 3 \* \* \*', \$cron\$delete from public\.bookings where status = 'cancelled'\$cron\$\);/);
    await server.runSql(live, sql.stdout);
    const aligned = await runCliCommand(diff, project, ['.', '--db', live]);
    assert.equal(aligned.stdout, 'No differences: the database matches the migrations.\n');
    assert.equal(aligned.code, 0);
  });
});
