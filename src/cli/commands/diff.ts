/**
 * `pgreview diff`: what differs between the migrations and a database, or between two databases,
 * and the SQL that aligns them. A public contract (issue 3, item 7): the options, the JSON shape
 * `{ version: 1, changes, summary }` and the exit codes (0 no difference, 1 differences, 2 errors).
 *
 * The migrations side is a shadow database (PGlite, or `--shadow URL`) read with the same catalog
 * queries as the live database, so that expressions compare exactly; the replayed migrations only
 * locate each change in its file.
 */
import { join, relative, resolve, sep } from 'node:path';
import { analyze } from '../../core/analyze';
import { throwIfCancelled } from '../../core/cancellation';
import type { Catalog } from '../../core/catalog/model';
import { isManagedSchema } from '../../core/catalog/platform';
import { defaultConfig, type ResolvedConfig } from '../../core/config';
import type { Change } from '../../core/diff/change';
import { compareRowCounts, renderRowCountsText } from '../../core/diff/compareRowCounts';
import { diffCatalogs } from '../../core/diff/diffCatalogs';
import { renderAlignmentSql } from '../../core/diff/renderAlignmentSql';
import { MIGRATIONS_AND_DATABASE, renderChangesJson, renderChangesMarkdown, renderChangesText, type DiffSides } from '../../core/diff/renderChanges';
import { InputError } from '../../core/errors';
import { historySectionOf, renderHistorySectionMarkdown, renderHistorySectionText, type HistorySection } from '../../core/history/historySection';
import { matchMigrationHistory } from '../../core/history/matchMigrationHistory';
import { loadParser } from '../../core/sql/parser';
import { describeTarget, resolveConnectionOptions, type ConnectionOptions } from '../../db/connection';
import { introspectDatabase } from '../../db/introspect';
import { readMigrationHistoryFrom } from '../../db/readMigrationHistory';
import { isSameServer, readServerIdentity } from '../../db/serverIdentity';
import { shadowWithPglite, shadowWithServer, type ShadowResult } from '../../db/shadow';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { loadProjectDirectory } from '../loadProjectDirectory';
import { userCacheDirectory } from '../userCacheDirectory';
import { parseCommandArgs, readChoice } from '../parseCommandArgs';
import { printableMessage } from '../../core/report/printableMessage';

const FORMATS = ['text', 'json', 'sql', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

const diff: Command = {
  help: [
    'Usage: pgreview diff [PROJECT_DIR] --db URL [options]',
    '       pgreview diff --from URL --to URL [options]',
    '',
    'Compares the schema the migrations of PROJECT_DIR (default: the current directory) define with',
    'a database: tables, columns, constraints, indexes, RLS, policies, functions, triggers, views,',
    'types, extensions, sequences and pg_cron jobs. The migrations are applied to a shadow database first (an',
    'embedded PGlite, or --shadow URL), so both sides are read by the same catalog queries.',
    'With --from and --to, compares two databases: --from is the reference, --to the one to align;',
    'the text output then ends with the estimated rows of the tables both have, side by side.',
    "With --db, a Migration history section follows the changes (text, markdown, and `history` in",
    "JSON) when the database has a runner's history table: the files it has not applied, those",
    'changed after it applied them, and applied versions whose file is missing; nothing when',
    'every file is applied as it stands.',
    '',
    'Without --db, the connection comes from DATABASE_URL, the PG* variables and .pgpass, or the',
    'local Supabase database for a Supabase project. The database is only read.',
    '',
    'Options:',
    '  --db URL                       The database to compare the migrations with',
    '  --from URL --to URL            Compare two databases instead',
    '  --format text|json|sql|markdown  Output (default: text); sql is the alignment migration',
    '  --with-privileges              Compare grants too',
    '  --full                         In text and markdown, show each changed function body as a',
    '                                 unified diff (database to migrations), not a one-line count',
    '  --allow-drops                  In --format sql, write drops instead of commented warnings',
    '  --shadow URL                   Apply the migrations to a fresh database on this server',
    '                                 (created and dropped by pgreview) instead of PGlite; the',
    '                                 roles and settings they change are put back afterwards',
    '  --shadow-same-server           Allow --shadow on the server of --db: its roles and settings',
    '                                 then change while the migrations are applied',
    '  -h, --help                     Show this help',
    '',
    'Exit codes: 0 nothing differs, 1 something differs, 2 usage, input or connection error.',
    '',
  ].join('\n'),
  run: runDiff,
};
export default diff;

async function runDiff(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      db: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      'with-privileges': { type: 'boolean' },
      'allow-drops': { type: 'boolean' },
      full: { type: 'boolean' },
      shadow: { type: 'string' },
      'shadow-same-server': { type: 'boolean' },
    },
    'diff',
  );
  if (positionals.length > 1) throw new InputError(`diff takes one PROJECT_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = readChoice<Format>(values.format, FORMATS, 'text', '--format');
  const twoDatabases = values.from !== undefined || values.to !== undefined;
  if (twoDatabases && (values.from === undefined || values.to === undefined)) throw new InputError('--from and --to go together: give both database URLs');
  if (twoDatabases && values.db !== undefined) throw new InputError('use either --db (migrations against a database) or --from and --to (two databases), not both');
  if (twoDatabases && values.shadow !== undefined) throw new InputError('--shadow applies migrations; it has no use with --from and --to');
  if (values['shadow-same-server'] && values.shadow === undefined) throw new InputError('--shadow-same-server goes with --shadow URL');
  await loadParser();

  let comparison: Comparison;
  let displayPath = (file: string) => file;
  if (twoDatabases) {
    const config = positionals[0] ? loadProjectDirectory(context, positionals[0]).project.config : defaultConfig('supabase');
    comparison = await compareDatabases(values.from!, values.to!, config, context);
  } else {
    const projectDir = resolve(context.cwd, positionals[0] ?? '.');
    displayPath = (file) => relative(context.cwd, join(projectDir, file)).split(sep).join('/');
    comparison = await compareMigrations(context, positionals[0] ?? '.', values.db, values.shadow, values['shadow-same-server'] ?? false, displayPath);
  }
  throwIfCancelled(context.token);

  const changes = diffCatalogs(comparison.reference, comparison.database, {
    profile: comparison.config.profile,
    withPrivileges: values['with-privileges'] ?? false,
    origins: comparison.origins,
  });
  context.stdout(renderOutput(format, changes, comparison, { allowDrops: values['allow-drops'] ?? false, full: values.full ?? false }, displayPath));
  if (format === 'text' && comparison.labels) {
    const isManaged = (schema: string) => isManagedSchema(comparison.config.profile, schema);
    context.stdout(`\n${renderRowCountsText(compareRowCounts(comparison.reference, comparison.database, isManaged, comparison.labels), comparison.labels)}`);
  }
  if (comparison.sides.compared) context.stderr(`pgreview: ${comparison.sides.compared}\n`);
  if (changes.length === 0) return EXIT_CODE.ok;
  // As check does: in an `&&` chain or a CI step, exit 1 is all a reader may see of the run.
  const between = comparison.sides.reference === MIGRATIONS_AND_DATABASE.reference ? 'the migrations and the database' : `${comparison.sides.reference} and ${comparison.sides.database}`;
  context.stderr(`pgreview: exit 1: ${changes.length} ${changes.length === 1 ? 'difference' : 'differences'} between ${between}\n`);
  return EXIT_CODE.findings;
}

/** The two catalogs to compare: `reference` plays the migrations, `database` the database to align. */
interface Comparison {
  reference: Catalog;
  database: Catalog;
  /** The replayed migrations, whose spans locate changes; absent for two databases. */
  origins?: Catalog;
  /** How to name the two databases (`user@host:port/db`), when both sides are databases. */
  labels?: { from: string; to: string };
  config: ResolvedConfig;
  /** What the output calls the two sides, and the line that says what was compared. */
  sides: DiffSides;
  /** What the database's migration history says of the files; absent for two databases or without a history table. */
  history?: HistorySection;
}

async function compareMigrations(
  context: CommandContext,
  projectArgument: string,
  dbUrl: string | undefined,
  shadowUrl: string | undefined,
  shadowSameServer: boolean,
  displayPath: (file: string) => string,
): Promise<Comparison> {
  const { project } = loadProjectDirectory(context, projectArgument);
  const analysis = analyze({ files: project.files, config: project.config }, context.token);
  const connection = resolveConnectionOptions({ url: dbUrl, supabaseProject: project.config.profile === 'supabase' });
  // The live database is read first: an unreachable database fails fast, before the shadow work.
  const live = await introspectDatabase(connection, { config: project.config }, context.token);
  for (const warning of live.warnings) context.stderr(`pgreview: warning: ${warning.message}\n`);
  // Without a history table (a project that uses no runner) there is no section, and nothing to say.
  const reading = await readMigrationHistoryFrom(connection, project.layout, context.token);
  const history = reading.history ? historySectionOf(matchMigrationHistory(reading.history, project.files), displayPath) : undefined;
  const shadowOptions = { config: project.config, cacheDirectory: userCacheDirectory() };
  let shadow: ShadowResult;
  if (shadowUrl) {
    const shadowServer = resolveConnectionOptions({ url: shadowUrl });
    if (!shadowSameServer) await refuseShadowOnDatabaseServer(shadowServer, connection, context);
    shadow = await shadowWithServer(shadowServer, analysis.files, shadowOptions, context.token);
  } else {
    shadow = await shadowWithPglite(analysis.files, shadowOptions, context.token);
  }
  for (const finding of shadow.findings) {
    const where = finding.span ? `${displayPath(finding.span.file)}:${finding.span.line}: ` : '';
    context.stderr(`pgreview: ${where}${finding.level} ${finding.rule}: ${printableMessage(finding.message)}\n`);
  }
  for (const warning of shadow.warnings) context.stderr(`pgreview: warning: shadow: ${warning.message}\n`);
  const shadowKind = shadowUrl ? `a shadow database on ${describeTarget(resolveConnectionOptions({ url: shadowUrl }))}` : 'a PGlite shadow';
  const compared = `compared the migrations (applied to ${shadowKind}${versionNote(shadow.catalog)}) with the database ${describeTarget(connection)}${versionNote(live.catalog)}${versionDifferenceNote(shadow.catalog, live.catalog)}`;
  return { reference: shadow.catalog, database: live.catalog, origins: analysis.catalog, config: project.config, sides: { ...MIGRATIONS_AND_DATABASE, compared }, ...(history ? { history } : {}) };
}

/**
 * Refuses a shadow server that is the server of the database: roles and their settings belong to
 * the whole server, so while the migrations apply they would change for the real database too, and
 * a killed run would leave them changed. The servers are asked who they are, since two URLs can
 * name one server.
 */
async function refuseShadowOnDatabaseServer(shadowServer: ConnectionOptions, database: ConnectionOptions, context: CommandContext): Promise<void> {
  const [shadowIdentity, databaseIdentity] = [await readServerIdentity(shadowServer, context.token), await readServerIdentity(database, context.token)];
  if (!isSameServer(shadowIdentity, databaseIdentity)) return;
  throw new InputError(
    `--shadow ${describeTarget(shadowServer)} is the server of the database ${describeTarget(database)}: the roles and role settings the migrations change would change for that database too while they apply. Name another server, omit --shadow to use PGlite, or add --shadow-same-server to accept it.`,
  );
}

async function compareDatabases(fromUrl: string, toUrl: string, config: ResolvedConfig, context: CommandContext): Promise<Comparison> {
  const fromOptions = resolveConnectionOptions({ url: fromUrl });
  const toOptions = resolveConnectionOptions({ url: toUrl });
  const from = await introspectDatabase(fromOptions, { config }, context.token);
  const to = await introspectDatabase(toOptions, { config }, context.token);
  for (const warning of [...from.warnings, ...to.warnings]) context.stderr(`pgreview: warning: ${warning.message}\n`);
  const [reference, database] = shortNames(fromOptions, toOptions);
  const compared = `compared ${describeTarget(fromOptions)}${versionNote(from.catalog)} (--from, "${reference}") with ${describeTarget(toOptions)}${versionNote(to.catalog)} (--to, "${database}")${versionDifferenceNote(from.catalog, to.catalog)}`;
  return {
    reference: from.catalog,
    database: to.catalog,
    config,
    labels: { from: describeTarget(fromOptions), to: describeTarget(toOptions) },
    sides: { reference, database, compared },
  };
}

/**
 * What the output calls two databases: the part of their names that differs (the hosts, else
 * host and port, else the database names), so that each line says which is which in a few words.
 */
function shortNames(from: ConnectionOptions, to: ConnectionOptions): [string, string] {
  if (from.host !== to.host) return [from.host, to.host];
  if (from.port !== to.port) return [`${from.host}:${from.port}`, `${to.host}:${to.port}`];
  if (from.database !== to.database) return [from.database, to.database];
  return ['--from', '--to'];
}

/** ` (PostgreSQL 15.18)`, or nothing when the version could not be read. */
function versionNote(catalog: Catalog): string {
  return catalog.server ? ` (PostgreSQL ${catalog.server.text.split(' ')[0]})` : '';
}

/** What the diff leaves out because only the PostgreSQL versions cause it. */
function versionDifferenceNote(a: Catalog, b: Catalog): string {
  if (!a.server || !b.server || a.server.num >= 170000 === b.server.num >= 170000) return '';
  return '; identity columns of partitions are not compared, since PostgreSQL 17 and later give a partition its parent\'s identity and earlier versions do not';
}

function renderOutput(format: Format, changes: Change[], comparison: Comparison, options: { allowDrops: boolean; full: boolean }, displayPath: (file: string) => string): string {
  const { allowDrops, full } = options;
  const shown = changes.map((change) => (change.file ? { ...change, file: displayPath(change.file) } : change));
  switch (format) {
    case 'text':
      return renderChangesText(shown, comparison.sides, { full }) + (comparison.history ? prefixBlankLine(renderHistorySectionText(comparison.history)) : '');
    case 'markdown':
      return renderChangesMarkdown(shown, comparison.sides, { full }) + (comparison.history ? prefixBlankLine(renderHistorySectionMarkdown(comparison.history)) : '');
    case 'json':
      return renderChangesJson(shown, comparison.history);
    case 'sql':
      return renderAlignmentSql(changes, comparison.reference, comparison.database, { allowDrops, origins: comparison.origins });
  }
}


/** A section after the changes, set off by a blank line; nothing for an empty section. */
function prefixBlankLine(section: string): string {
  return section ? `\n${section}` : '';
}
