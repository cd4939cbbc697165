/**
 * `pgreview policies [PROJECT_DIR] [--db URL] [--format text|json|markdown]`: the RLS policy matrix
 * (issue 5). Without --db it is computed from the migrations, offline; with --db from the live
 * database, read-only.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../../core/analyze';
import { throwIfCancelled } from '../../core/cancellation';
import type { Catalog } from '../../core/catalog/model';
import { defaultConfig } from '../../core/config';
import { InputError } from '../../core/errors';
import { computePolicyMatrix, type PolicyMatrix } from '../../core/policies/computePolicyMatrix';
import { renderPolicyMatrixJson, renderPolicyMatrixMarkdown, renderPolicyMatrixText } from '../../core/policies/renderPolicyMatrix';
import { loadParser } from '../../core/sql/parser';
import { resolveConnectionOptions } from '../../db/connection';
import { introspectDatabase } from '../../db/introspect';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { loadProjectDirectory } from '../loadProjectDirectory';
import { parseCommandArgs, readChoice } from '../parseCommandArgs';

const FORMATS = ['text', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

const policies: Command = {
  help: [
    'Usage: pgreview policies [PROJECT_DIR] [--db URL] [options]',
    '',
    'For every table in the schemas the API exposes, and for each role (anon, authenticated,',
    'service_role and the roles the migrations create), shows what SELECT, INSERT, UPDATE and',
    'DELETE may do:',
    '  no grant   the role lacks the table privilege',
    '  bypass     the role has BYPASSRLS, or owns the table and RLS is not forced',
    '  open       RLS is off, or the policies allow every row',
    '  filtered   rows are limited by the combined predicate (permissive policies OR-ed,',
    '             restrictive ones AND-ed), printed below the grid',
    '  blocked    RLS is on and no permissive policy applies',
    'A "!" marks a cell that is usually a mistake: anon can write, authenticated can UPDATE without',
    'WITH CHECK, a table with an owner column (user_id, ...) is open to anon.',
    '',
    'Without --db the matrix comes from the migrations, offline. With --db it comes from the',
    'database, read in a READ ONLY transaction.',
    '',
    'Options:',
    '  --db URL                      Read the policies from this database',
    '  --format text|json|markdown   Output format (default: text)',
    '  -h, --help                    Show this help',
    '',
    'Exit codes: 0 success, 2 usage, input or connection error.',
    '',
  ].join('\n'),
  run: runPolicies,
};
export default policies;

async function runPolicies(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { db: { type: 'string' }, format: { type: 'string' } }, 'policies');
  if (positionals.length > 1) throw new InputError(`policies takes one PROJECT_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = readChoice<Format>(values.format, FORMATS, 'text', '--format');
  const projectArgument = positionals[0] ?? '.';
  const catalog = values.db === undefined
    ? await readMigrationsCatalog(context, projectArgument)
    : await readDatabaseCatalog(context, projectArgument, values.db);
  throwIfCancelled(context.token);
  context.stdout(renderMatrix(format, computePolicyMatrix(catalog)));
  return EXIT_CODE.ok;
}

async function readMigrationsCatalog(context: CommandContext, projectArgument: string): Promise<Catalog> {
  await loadParser();
  const { project } = loadProjectDirectory(context, projectArgument);
  return analyze({ files: project.files, config: project.config }, context.token).catalog;
}

async function readDatabaseCatalog(context: CommandContext, projectArgument: string, url: string): Promise<Catalog> {
  const projectDir = resolve(context.cwd, projectArgument);
  const supabaseProject = existsSync(join(projectDir, 'supabase', 'config.toml')) || existsSync(join(projectDir, 'supabase', 'migrations'));
  const connection = resolveConnectionOptions({ url, supabaseProject });
  const { catalog, warnings } = await introspectDatabase(connection, { config: defaultConfig('supabase') }, context.token);
  for (const warning of warnings) context.stderr(`pgreview: warning: ${warning.message}\n`);
  return catalog;
}

function renderMatrix(format: Format, matrix: PolicyMatrix): string {
  switch (format) {
    case 'text':
      return renderPolicyMatrixText(matrix);
    case 'json':
      return renderPolicyMatrixJson(matrix);
    case 'markdown':
      return renderPolicyMatrixMarkdown(matrix);
  }
}
