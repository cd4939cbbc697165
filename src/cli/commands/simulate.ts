/**
 * `pgreview simulate [PROJECT_DIR] --as ROLE [--claims JSON] --sql "..." [--seed FILE] [--db URL]`:
 * runs one statement as a role with JWT claims, in a transaction that is rolled back, and shows
 * the rows (or the error) and the policies that applied (issue 5).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../../core/analyze';
import { throwIfCancelled } from '../../core/cancellation';
import type { Catalog } from '../../core/catalog/model';
import { defaultConfig } from '../../core/config';
import { InputError } from '../../core/errors';
import { loadParser } from '../../core/sql/parser';
import { resolveConnectionOptions, type ConnectionOptions } from '../../db/connection';
import { introspectDatabase } from '../../db/introspect';
import { openShadowSession } from '../../db/shadowSession';
import { checkLiveSimulation, simulateOnDatabase, simulateOnPglite, type SimulationRequest, type SimulationResult } from '../../db/simulate';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { loadProjectDirectory, readSeedFile } from '../loadProjectDirectory';
import { userCacheDirectory } from '../userCacheDirectory';
import { parseCommandArgs, readChoice } from '../parseCommandArgs';
import { printableMessage } from '../../core/report/printableMessage';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

const simulate: Command = {
  help: [
    'Usage: pgreview simulate [PROJECT_DIR] --as ROLE --sql "STATEMENT" [options]',
    '',
    'Runs one statement as a database role with JWT claims, the way the Supabase API does:',
    "`set local role ROLE` and `set_config('request.jwt.claims', CLAIMS, true)`, inside a",
    'transaction that is always rolled back. Prints the rows, the row count or the error (such as',
    '"new row violates row-level security policy"), and the policies that applied.',
    '',
    'Without --db it runs on a shadow database: the migrations applied to an embedded PGlite, then',
    'PROJECT_DIR/supabase/seed.sql (or --seed FILE) loaded. Any statement may run there.',
    'With --db it runs on that database, and only a plain SELECT is allowed, in a READ ONLY',
    'transaction.',
    '',
    'Options:',
    '  --as ROLE            The role: anon, authenticated, service_role, ... (required)',
    '  --claims JSON        JWT claims, e.g. \'{"sub":"<uuid>","email":"a@example.com"}\'',
    '  --sql STATEMENT      The statement to run (required)',
    '  --seed FILE          Seed file for the shadow (default: supabase/seed.sql when present)',
    '  --db URL             Run on this database instead (SELECT only)',
    '  --format text|json   Output format (default: text)',
    '  -h, --help           Show this help',
    '',
    'Exit codes: 0 the statement ran, 1 it raised an error, 2 usage, input or connection error.',
    '',
  ].join('\n'),
  run: runSimulate,
};
export default simulate;

async function runSimulate(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { as: { type: 'string' }, claims: { type: 'string' }, sql: { type: 'string' }, seed: { type: 'string' }, db: { type: 'string' }, format: { type: 'string' } },
    'simulate',
  );
  if (positionals.length > 1) throw new InputError(`simulate takes one PROJECT_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = readChoice<Format>(values.format, FORMATS, 'text', '--format');
  if (values.as === undefined) throw new InputError('simulate needs --as ROLE (anon, authenticated, service_role, ...)');
  if (values.sql === undefined) throw new InputError('simulate needs --sql "STATEMENT"');
  if (values.db !== undefined && values.seed !== undefined) throw new InputError('--seed loads data into the shadow database; it has no use with --db');
  const request: SimulationRequest = { role: values.as, claims: parseClaims(values.claims), sql: values.sql };
  const projectArgument = positionals[0] ?? '.';
  await loadParser();

  const result = values.db === undefined
    ? await simulateOnShadow(context, projectArgument, request, values.seed)
    : await simulateOnLiveDatabase(context, projectArgument, request, values.db);
  context.stdout(format === 'json' ? `${JSON.stringify({ version: 1, ...result }, null, 2)}\n` : renderSimulationText(result));
  return result.error ? EXIT_CODE.findings : EXIT_CODE.ok;
}

async function simulateOnShadow(context: CommandContext, projectArgument: string, request: SimulationRequest, seedArgument: string | undefined): Promise<SimulationResult> {
  const { project, projectDir } = loadProjectDirectory(context, projectArgument);
  const analysis = analyze({ files: project.files, config: project.config }, context.token);
  const seed = readSeedFile(context, projectDir, seedArgument);
  const session = await openShadowSession(analysis.files, { config: project.config, cacheDirectory: userCacheDirectory(), seed }, context.token);
  try {
    for (const finding of session.findings) {
      context.stderr(`pgreview: warning: ${finding.span ? `${finding.span.file}:${finding.span.line}: ` : ''}the shadow could not apply a statement: ${printableMessage(finding.message)}\n`);
    }
    throwIfCancelled(context.token);
    return await simulateOnPglite(session.db, request, analysis.catalog, context.token);
  } finally {
    await session.close();
  }
}

async function simulateOnLiveDatabase(context: CommandContext, projectArgument: string, request: SimulationRequest, url: string): Promise<SimulationResult> {
  const projectDir = resolve(context.cwd, projectArgument);
  const supabaseProject = existsSync(join(projectDir, 'supabase', 'config.toml')) || existsSync(join(projectDir, 'supabase', 'migrations'));
  const connection = resolveConnectionOptions({ url, supabaseProject });
  // The statement is checked before any connection, so a refused statement never reaches the database.
  checkLiveSimulation(request.sql);
  const catalog = await readLiveCatalog(connection, context);
  return simulateOnDatabase(connection, request, catalog, context.token);
}

async function readLiveCatalog(connection: ConnectionOptions, context: CommandContext): Promise<Catalog> {
  const { catalog, warnings } = await introspectDatabase(connection, { config: defaultConfig('supabase') }, context.token);
  for (const warning of warnings) context.stderr(`pgreview: warning: ${warning.message}\n`);
  return catalog;
}

function parseClaims(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--claims is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError('--claims must be a JSON object, such as \'{"sub":"<uuid>"}\'');
  return value as Record<string, unknown>;
}


/** The result as psql would print it, then the policies that applied. */
function renderSimulationText(result: SimulationResult): string {
  const out: string[] = [];
  const who = typeof result.claims.sub === 'string' ? `${result.role} (sub ${result.claims.sub})` : result.role;
  out.push(`Ran as ${who} on ${result.target}, in a transaction that was rolled back.`, '');
  if (result.error) {
    out.push(`ERROR:  ${result.error.message} (SQLSTATE ${result.error.code})`);
  } else if (result.columns.length > 0) {
    out.push(...renderRowTable(result.columns, result.rows));
    out.push(`(${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'})`);
  } else {
    out.push(`${result.kind.toUpperCase()}: ${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'}`);
  }
  if (result.policies.length > 0) {
    out.push('', 'Row level security:');
    for (const applied of result.policies) {
      const cell = applied.cell;
      const predicate = applied.command === 'insert' ? cell.withCheck : cell.using;
      const names = cell.policies.map((policy) => `"${policy.name}"`).join(', ');
      out.push(`  ${applied.table} ${applied.command}: ${cell.access}${predicate && cell.access === 'filtered' ? ` (${predicate.replace(/\s+/g, ' ')})` : ''}${names ? ` by ${names}` : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function renderRowTable(columns: string[], rows: Record<string, string | null>[]): string[] {
  const cellText = (value: string | null | undefined) => (value === null || value === undefined ? '' : value.replace(/\n/g, '\\n'));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cellText(row[column]).length)));
  const line = (cells: string[]) => ` ${cells.map((cell, index) => cell.padEnd(widths[index])).join(' | ')}`.trimEnd();
  return [line(columns), widths.map((width) => '-'.repeat(width + 2)).join('+').replace(/^-/, '-'), ...rows.map((row) => line(columns.map((column) => cellText(row[column]))))];
}
