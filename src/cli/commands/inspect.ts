/**
 * `pgreview inspect --db URL [--format text|json]`: reads a live database, read-only, and prints
 * its catalog (tables, columns, policies, functions, ...) with a summary line that answers
 * "do all 106 tables exist?".
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultConfig, type Profile } from '../../core/config';
import { InputError } from '../../core/errors';
import { renderCatalog } from '../../core/catalog/renderCatalog';
import { describeCatalogSummary, serializeCatalog, summarizeCatalog } from '../../core/catalog/serializeCatalog';
import { describeTarget, resolveConnectionOptions } from '../../db/connection';
import { introspectDatabase } from '../../db/introspect';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { parseCommandArgs, readChoice } from '../parseCommandArgs';

const FORMATS = ['text', 'json'] as const;
const PROFILES = ['supabase', 'postgres'] as const;
type Format = (typeof FORMATS)[number];

const inspect: Command = {
  help: [
    'Usage: pgreview inspect [PROJECT_DIR] [--db URL] [options]',
    '',
    'Reads a database, read-only, and prints its tables, columns, constraints, indexes, policies,',
    'functions, triggers, views, types, extensions and grants, then a summary line with the counts.',
    'Each table shows the planner\'s estimate of its rows (estimated_rows, "unknown" until the table',
    'is first vacuumed or analysed). With pg_cron, its scheduled jobs follow (cron_job: lines).',
    'Objects the platform manages (auth, storage, ...) are left out unless --all is given.',
    '',
    'Without --db, the connection comes from DATABASE_URL, the PG* variables and .pgpass, or, in a',
    'Supabase project (PROJECT_DIR/supabase), the local Supabase database on port 54322.',
    '',
    'Options:',
    '  --db URL                   The database (postgresql://user@host:port/db?sslmode=require)',
    '  --format text|json         Output format (default: text)',
    '  --profile supabase|postgres  Which schemas are the platform\'s (default: supabase)',
    '  --all                      Include the platform\'s objects',
    '  -h, --help                 Show this help',
    '',
    'Exit codes: 0 success, 2 usage, input or connection error.',
    '',
  ].join('\n'),
  run: runInspect,
};
export default inspect;

async function runInspect(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { db: { type: 'string' }, format: { type: 'string' }, profile: { type: 'string' }, all: { type: 'boolean' } },
    'inspect',
  );
  if (positionals.length > 1) throw new InputError(`inspect takes one PROJECT_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = readChoice<Format>(values.format, FORMATS, 'text', '--format');
  const profile = readChoice<Profile>(values.profile, PROFILES, 'supabase', '--profile');
  const projectDir = resolve(context.cwd, positionals[0] ?? '.');
  const supabaseProject = existsSync(join(projectDir, 'supabase', 'config.toml')) || existsSync(join(projectDir, 'supabase', 'migrations'));
  const connection = resolveConnectionOptions({ url: values.db, supabaseProject });
  const config = defaultConfig(profile);

  const started = Date.now();
  const { catalog, warnings, queryCount } = await introspectDatabase(connection, { config }, context.token);
  const elapsed = Date.now() - started;
  for (const warning of warnings) context.stderr(`pgreview: warning: ${warning.message}\n`);

  if (format === 'json') {
    context.stdout(`${JSON.stringify({ version: 1, target: describeTarget(connection), queryCount, warnings, catalog: serializeCatalog(catalog), ...(catalog.cronJobs ? { cronJobs: [...catalog.cronJobs.values()].map(({ origin: _origin, ...job }) => job) } : {}) }, null, 2)}\n`);
    return EXIT_CODE.ok;
  }
  context.stdout(renderCatalog(catalog, { includePlatform: values.all ?? false, origins: false, rowEstimates: true }));
  context.stdout(`\n${describeCatalogSummary(summarizeCatalog(catalog))}\n`);
  context.stdout(`Read ${describeTarget(connection)} with ${queryCount} catalog queries in ${elapsed} ms.\n`);
  return EXIT_CODE.ok;
}
