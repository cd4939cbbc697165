/**
 * Replaces each command's example output in README.md (between `<!-- example:NAME:start -->` and
 * `<!-- example:NAME:end -->`) with what the command prints now, run for real through
 * bin/pgreview.js in a shell. The database commands read the example project's database, built on
 * a throwaway PostgreSQL server as the database tests build it (test/support), with a migration
 * history and a drift, and connect as the read-only role the README's Security section
 * recommends. `npm run build`, then `npx tsx scripts/refresh-readme-command-examples.ts`.
 * (The `check` example has its own script, refresh-readme-example.mjs.)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadParser } from '../src/core/sql/parser';
import { applyProjectToServer } from '../test/support/applyProjectToServer';
import { CRON_JOB_TABLE_SQL } from '../test/support/cronCatalog';
import { startLspClient } from '../test/support/lspClient';
import { getTestServer } from '../test/support/postgresServer';
import { readmeExampleOutput } from '../test/support/readmeExampleOutput';

const ROOT = join(__dirname, '..');
const README = join(ROOT, 'README.md');
const PROJECT = 'examples/trvl-social';
const MIGRATIONS = readdirSync(join(ROOT, PROJECT, 'supabase', 'migrations')).sort();
const BOB = '22222222-2222-4222-8222-222222222222';

/** The read-only role of README.md's Security section, with BYPASSRLS so that nothing is left out. */
const READ_ONLY_ROLE = `create role pgreview login noinherit bypassrls password 'pgreview-readme';
grant anon, authenticated to pgreview;`;
const READ_ONLY_GRANTS = `grant usage on schema public, auth, storage, extensions, supabase_migrations, cron to pgreview;
grant select on all tables in schema public, auth, storage, supabase_migrations, cron to pgreview;`;

/** Production: every migration applied but the newest, and a table made by hand in the dashboard. */
const PRODUCTION_SETUP = `create schema supabase_migrations;
create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
insert into supabase_migrations.schema_migrations (version, name) values
  ${MIGRATIONS.slice(0, -1).map((file) => `('${file.slice(0, 14)}', '${file.slice(15, -4)}')`).join(',\n  ')};
${CRON_JOB_TABLE_SQL}
insert into cron.job (schedule, command, jobname) values ('0 3 * * *', 'delete from public.notifications where read_at < now() - interval ''90 days''', 'purge-read-notifications');
create table public.promo_codes (code text primary key, discount numeric not null);
drop policy "Users can view their favorites" on public.favorites;
insert into public.bookings_backup select (jsonb_populate_record(null::public.bookings_backup, to_jsonb(b))).* from public.bookings b;
insert into public.bookings_backup select (jsonb_populate_record(null::public.bookings_backup, to_jsonb(b) || jsonb_build_object('id', gen_random_uuid()))).* from public.bookings b;
analyze;`;

/** Each example: the shell command shown and run (`pgreview` is bin/pgreview.js), and what README says before it. */
const EXAMPLES: Record<string, string> = {
  history: `pgreview history ${PROJECT} --db "$DATABASE_URL"`,
  diff: `pgreview diff ${PROJECT} --db "$DATABASE_URL"`,
  'diff-databases': 'pgreview diff --from "$STAGING_URL" --to "$DATABASE_URL"',
  inspect: `pgreview inspect ${PROJECT} --db "$DATABASE_URL" | grep -E '^(table|cron_job):|^Tables|^Read'`,
  policies: `pgreview policies ${PROJECT} | sed -n '/^public.bookings /,/^$/p'`,
  simulate: `pgreview simulate ${PROJECT} --as authenticated --claims '{"sub":"${BOB}"}' --sql 'select id, status, participants from public.bookings'`,
  test: `pgreview test ${PROJECT} --db "$DATABASE_URL"`,
  fix: `pgreview fix ${PROJECT} --dry-run | head -n 24`,
  baseline: 'pgreview baseline | head -n 12',
};

async function main(): Promise<void> {
  await loadParser();
  const server = await getTestServer();
  const production = await applyProjectToServer(join(ROOT, PROJECT), 'trvl_social');
  const staging = await applyProjectToServer(join(ROOT, PROJECT), 'trvl_social_staging');
  await server.runSql(production, PRODUCTION_SETUP);
  await server.runSql(staging, 'analyze;');
  await server.runSql(server.adminUrl, `drop role if exists pgreview; ${READ_ONLY_ROLE}`);
  await server.runSql(production, READ_ONLY_GRANTS);
  await server.runSql(staging, READ_ONLY_GRANTS.replace(/, supabase_migrations, cron/g, ''));
  const asReader = (url: string) => {
    const reader = new URL(url);
    reader.username = 'pgreview';
    reader.password = 'pgreview-readme';
    return reader.toString();
  };
  const env = { ...process.env, DATABASE_URL: asReader(production), STAGING_URL: asReader(staging) };
  const outputs = new Map<string, string>();
  for (const [name, command] of Object.entries(EXAMPLES)) {
    // `pgreview` in the shown command is the built CLI; output and errors in the order a terminal shows them.
    const shell = command.replace(/^pgreview /, `${JSON.stringify(process.execPath)} bin/pgreview.js `);
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', `${shell} 2>&1`], { cwd: ROOT, env, encoding: 'utf8' });
    // Exit 1 is a finding or a difference, which the examples show on purpose; a pipe into head may end pgreview early.
    if (result.status !== 0 && result.status !== 1 && !/\| head /.test(command)) throw new Error(`${command} exited ${result.status}:\n${result.stdout}`);
    outputs.set(name, `$ npx ${command}\n${readmeExampleOutput(result.stdout, server.port)}`);
  }
  outputs.set('lsp', await lspDiagnostic());

  let readme = readFileSync(README, 'utf8');
  for (const [name, output] of outputs) {
    const start = `<!-- example:${name}:start -->`;
    const end = `<!-- example:${name}:end -->`;
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`);
    readme = `${readme.slice(0, from)}${start}\n\`\`\`\n${output.trimEnd()}\n\`\`\`\n${readme.slice(to)}`;
  }
  writeFileSync(README, readme);
  console.log(`README.md: ${outputs.size} command examples refreshed`);
}

/** The first diagnostic the language server publishes for the profiles migration, as an editor receives it. */
async function lspDiagnostic(): Promise<string> {
  const client = await startLspClient(join(ROOT, PROJECT));
  try {
    const file = `supabase/migrations/${MIGRATIONS.find((name) => name.endsWith('_extensions_and_types.sql'))}`;
    const [diagnostic] = await client.waitForDiagnostics(client.uriOf(file), (diagnostics) => diagnostics.length > 0, 60_000);
    return `$ npx pgreview lsp --stdio   # textDocument/publishDiagnostics for ${file}, its first diagnostic\n${JSON.stringify(diagnostic, null, 2)}`;
  } finally {
    await client.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
