/**
 * `diff --from A --to B` (issue 13): it names the two databases, never "migrations" (section 4),
 * and ends its text output with the estimated rows of the tables both have, side by side, calling
 * out a leftover copy that holds more rows than its live twin (section 3). The rows come from
 * pg_class.reltuples: ANALYZE makes them exact here.
 */
import assert from 'node:assert/strict';
import diff from '../../src/cli/commands/diff';
import { loadParser } from '../../src/core/sql/parser';
import { getTestServer } from '../support/postgresServer';
import { runCliCommand } from '../support/runCliCommand';

const SCHEMA = `create table public.bookings (id bigint primary key, status text not null);
create table public.bookings_backup (id bigint primary key, status text not null);
create table public.vendors (id bigint primary key, name text not null);
`;

describe('pgreview diff --from --to', function () {
  this.timeout(120_000);

  before(() => loadParser());

  it('shows the rows of both databases side by side and calls out a backup larger than its live table', async () => {
    const server = await getTestServer();
    const staging = await server.createDatabase('pgreview_rows_staging');
    const production = await server.createDatabase('pgreview_rows_production');
    await server.runSql(staging, `${SCHEMA}
insert into public.bookings select g, 'confirmed' from generate_series(1, 20) g;
insert into public.bookings_backup select g, 'confirmed' from generate_series(1, 5) g;
analyze public.bookings, public.bookings_backup;`);
    // Production lost bookings that its backup still holds; its vendors were never analysed.
    await server.runSql(production, `${SCHEMA}
insert into public.bookings select g, 'confirmed' from generate_series(1, 120) g;
insert into public.bookings_backup select g, 'confirmed' from generate_series(1, 300) g;
analyze public.bookings, public.bookings_backup;`);
    const run = await runCliCommand(diff, '/tmp', ['--from', staging, '--to', production]);
    assert.equal(run.code, 0, run.stderr);
    const section = run.stdout.slice(run.stdout.indexOf('Estimated rows'));
    const [fromLabel, toLabel] = ['postgres@127.0.0.1', 'postgres@127.0.0.1'].map((host, index) => `${host}:${new URL(staging).port}/${index === 0 ? 'pgreview_rows_staging' : 'pgreview_rows_production'}`);
    assert.equal(section, [
      'Estimated rows of the tables both databases have (unknown: never analysed):',
      `  table                   ${fromLabel.padStart(Math.max(fromLabel.length, 3))}  ${toLabel}`,
      `  public.bookings         ${'20'.padStart(fromLabel.length)}  ${'120'.padStart(toLabel.length)}`,
      `  public.bookings_backup  ${'5'.padStart(fromLabel.length)}  ${'300'.padStart(toLabel.length)}  ← more rows than public.bookings in ${toLabel} (300 against 120)`,
      `  public.vendors          ${'unknown'.padStart(fromLabel.length)}  ${'unknown'.padStart(toLabel.length)}`,
      '',
    ].join('\n'));
    // What was compared, with the versions, is said on stderr (issue 13, section 4).
    assert.match(run.stderr, new RegExp(`^pgreview: compared ${fromLabel.replace(/\./g, '\\.')} \\(PostgreSQL \\d+(\\.\\d+)?\\) \\(--from, "pgreview_rows_staging"\\) with ${toLabel.replace(/\./g, '\\.')} \\(PostgreSQL \\d+(\\.\\d+)?\\) \\(--to, "pgreview_rows_production"\\)\n$`));
    assert.doesNotMatch(run.stdout, /pgreview-secret-pw/);
  });

  it('speaks of the two databases by name, in the changes, the summary and the exit line', async () => {
    const server = await getTestServer();
    const staging = await server.createDatabase('pgreview_names_staging');
    const production = await server.createDatabase('pgreview_names_production');
    await server.runSql(staging, `${SCHEMA}alter table public.vendors alter column name set default 'unnamed';\ncreate table public.payouts (id bigint primary key);`);
    await server.runSql(production, SCHEMA);
    const run = await runCliCommand(diff, '/tmp', ['--from', staging, '--to', production]);
    assert.equal(run.code, 1, run.stderr);
    // The part of their URLs that differs names them: here the database names.
    const [from, to] = ['pgreview_names_staging', 'pgreview_names_production'];
    const changes = run.stdout.slice(0, run.stdout.indexOf('\nEstimated rows'));
    assert.equal(changes, [
      `missing in ${to} table public.payouts`,
      `changed column public.vendors.name default: ${from} 'unnamed'::text, ${to} (none)`,
      `2 differences: 1 missing in ${to}, 0 extra in ${to}, 1 changed.`,
      '',
    ].join('\n'));
    assert.match(run.stderr, new RegExp(`pgreview: exit 1: 2 differences between ${from} and ${to}\n$`));
    const markdown = await runCliCommand(diff, '/tmp', ['--from', staging, '--to', production, '--format', 'markdown']);
    assert.match(markdown.stdout, new RegExp(`\\| Status \\| Type \\| Object \\| Property \\| \`${from}\` \\| \`${to}\` \\| Defined at \\|`));
    assert.doesNotMatch(`${run.stdout}${run.stderr}${markdown.stdout}`, /migrations/i);
  });
});
