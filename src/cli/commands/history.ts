/**
 * `pgreview history [PROJECT_DIR] --db URL`: the migration runner's history table against the
 * project's files, read-only. Per file: applied, pending, or changed after it was applied; then the
 * history entries whose file is missing.
 */
import { join, relative, sep } from 'node:path';
import { InputError, PermissionError } from '../../core/errors';
import { HISTORY_STATUS_TEXT, matchMigrationHistory, type HistoryMatch, type MigrationHistoryStatus } from '../../core/history/matchMigrationHistory';
import { describeTarget, resolveConnectionOptions } from '../../db/connection';
import { readMigrationHistoryFrom } from '../../db/readMigrationHistory';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { loadProjectDirectory } from '../loadProjectDirectory';
import { parseCommandArgs, readChoice } from '../parseCommandArgs';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

const history: Command = {
  help: [
    'Usage: pgreview history [PROJECT_DIR] --db URL [options]',
    '',
    "Compares the migration runner's history table in the database (read-only) with the project's",
    'migration files, and prints one line per file: applied, pending, or changed after it was',
    'applied; then the applied migrations whose file is missing. The tables read:',
    '  Supabase        supabase_migrations.schema_migrations (statements compared when recorded)',
    '  Flyway          flyway_schema_history (checksums compared)',
    '  golang-migrate  schema_migrations (version, dirty): every file up to the version is applied',
    '  dbmate          schema_migrations (version)',
    '  diesel          __diesel_schema_migrations',
    "When several exist, the one of the project's layout is read.",
    '',
    'Without --db, the connection comes from DATABASE_URL, the PG* variables and .pgpass, or, in a',
    'Supabase project, the local Supabase database on port 54322.',
    '',
    'Options:',
    '  --db URL            The database (postgresql://user@host:port/db?sslmode=require)',
    '  --format text|json  Output format (default: text)',
    '  -h, --help          Show this help',
    '',
    'Exit codes: 0 the history was read (whatever it says), 2 usage, input or connection error, or',
    'no history table in the database.',
    '',
  ].join('\n'),
  run: runHistory,
};
export default history;

async function runHistory(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { db: { type: 'string' }, format: { type: 'string' } }, 'history');
  if (positionals.length > 1) throw new InputError(`history takes one PROJECT_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = readChoice<Format>(values.format, FORMATS, 'text', '--format');
  const { project, projectDir } = loadProjectDirectory(context, positionals[0] ?? '.');
  const connection = resolveConnectionOptions({ url: values.db, supabaseProject: project.layout === 'supabase' });
  const reading = await readMigrationHistoryFrom(connection, project.layout, context.token);
  if (!reading.history) {
    if (reading.error) throw new PermissionError(`${reading.reason}: grant SELECT on it to ${connection.user} to compare it with the files`, { cause: reading.error });
    throw new InputError(`${reading.reason} in ${describeTarget(connection)}`);
  }
  for (const other of reading.others) context.stderr(`pgreview: note: ${other} exists too; read ${reading.history.table}, the table of the project's layout\n`);
  const match = matchMigrationHistory(reading.history, project.files);
  const displayPath = (file: string) => relative(context.cwd, join(projectDir, file)).split(sep).join('/');
  context.stdout(format === 'json' ? renderJson(match, displayPath) : renderText(match, displayPath));
  return EXIT_CODE.ok;
}

function renderText(match: HistoryMatch, displayPath: (file: string) => string): string {
  const rows = [
    ...match.files.map((file) => [HISTORY_STATUS_TEXT[file.status], file.version ?? '', displayPath(file.path) + (file.note ? ` (${file.note})` : '')]),
    ...match.missing.map((entry) => [HISTORY_STATUS_TEXT.missing, entry.version ?? '', entry.name ?? '']),
  ];
  const header = ['status', 'version', 'file'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (row: string[]) => `${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')}`.trimEnd();
  return [`${match.table} (${match.runner}), ${match.files.length} migration ${match.files.length === 1 ? 'file' : 'files'}`, '', line(header), ...rows.map(line), '', describeCounts(match), ''].join('\n');
}

function renderJson(match: HistoryMatch, displayPath: (file: string) => string): string {
  const files = match.files.map((file) => ({ file: displayPath(file.path), version: file.version ?? null, status: file.status, note: file.note ?? null }));
  const missing = match.missing.map((entry) => ({ version: entry.version ?? null, name: entry.name ?? null }));
  return `${JSON.stringify({ version: 1, table: match.table, runner: match.runner, files, missing }, null, 2)}\n`;
}

/** `3 applied, 1 changed after applied, 1 pending, 1 applied but file missing`. */
function describeCounts(match: HistoryMatch): string {
  const count = (status: MigrationHistoryStatus) => match.files.filter((file) => file.status === status).length;
  return `${count('applied')} applied, ${count('changed')} changed after applied, ${count('pending')} pending, ${match.missing.length} applied but file missing`;
}
