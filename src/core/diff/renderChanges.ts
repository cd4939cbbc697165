/**
 * Renders diff changes for people (text, Markdown) and for programs (JSON). The JSON shape is the
 * public contract of `pgreview diff --format json`: `{ version: 1, changes, summary }`, where each
 * change has exactly the fields status, type, object and, when set, property, migrations,
 * database, file and line. Add fields only with a new version. Beside them, `history` (the
 * migration history section) is present when the database's history table was read.
 */
import type { HistorySection } from '../history/historySection';
import { summarizeChanges, type Change, type ChangeSummary, type ChangeValue } from './change';
import { countChangedLines, renderUnifiedDiff } from './unifiedDiff';

/**
 * What the two sides of a diff are called in the text and Markdown: `migrations` and `database`,
 * or, for two databases (`--from`, `--to`), their names. JSON keeps its contract's field names.
 */
export interface DiffSides {
  reference: string;
  database: string;
  /** A line saying what was compared, with the PostgreSQL versions: shown above a Markdown table. */
  compared?: string;
}

/** How the text and Markdown renderings show a change of a whole text (a function's body). */
export interface RenderChangesOptions {
  /** Follow the change with its unified diff (`pgreview diff --full`); otherwise one line says how many lines differ. */
  full?: boolean;
}

/** The sides of a diff of the migrations against a database. */
export const MIGRATIONS_AND_DATABASE: DiffSides = { reference: 'migrations', database: 'database' };

/** Version of the JSON contract. */
export const DIFF_JSON_VERSION = 1;

/** The JSON document of `pgreview diff --format json`. */
export interface DiffJson {
  version: typeof DIFF_JSON_VERSION;
  changes: Omit<Change, 'key'>[];
  summary: ChangeSummary;
  /** What the database's migration history says of the files; absent when no history table was read. */
  history?: HistorySection;
}

/** The JSON document as a value: the contract fields of each change, in a fixed order. */
export function toDiffJson(changes: readonly Change[], history?: HistorySection): DiffJson {
  return {
    version: DIFF_JSON_VERSION,
    changes: changes.map((change) => {
      const out: Omit<Change, 'key'> = { status: change.status, type: change.type, object: change.object };
      if (change.property !== undefined) out.property = change.property;
      if (change.migrations !== undefined) out.migrations = change.migrations;
      if (change.database !== undefined) out.database = change.database;
      if (change.file !== undefined) out.file = change.file;
      if (change.line !== undefined) out.line = change.line;
      return out;
    }),
    summary: summarizeChanges(changes),
    ...(history ? { history } : {}),
  };
}

/** `pgreview diff --format json`. */
export function renderChangesJson(changes: readonly Change[], history?: HistorySection): string {
  return `${JSON.stringify(toDiffJson(changes, history), null, 2)}\n`;
}


/**
 * `pgreview diff` (text): one line per change, located like a compiler message when the object
 * comes from a migration, and a closing count.
 *
 *     supabase/migrations/0002_bookings.sql:14: changed column public.bookings.status nullable: migrations false, database true
 */
export function renderChangesText(changes: readonly Change[], sides: DiffSides = MIGRATIONS_AND_DATABASE, options: RenderChangesOptions = {}): string {
  const lines: string[] = [];
  for (const change of changes) {
    lines.push(`${change.file ? `${change.file}:${change.line}: ` : ''}${describeChange(change, sides)}`);
    const unified = options.full ? unifiedDiffOf(change, sides) : undefined;
    if (unified) lines.push(...unified.trimEnd().split('\n').map((line) => `    ${line}`));
  }
  lines.push(summaryLine(summarizeChanges(changes), sides));
  if (!options.full && changes.some(isWholeTextChange)) lines.push('Rerun with --full to see each changed function body as a unified diff.');
  return `${lines.join('\n')}\n`;
}

/**
 * The unified diff of a change of a whole text (a function's body), from the database's text to
 * the migrations' (what aligning the database does); undefined for any other change.
 */
export function unifiedDiffOf(change: Change, sides: DiffSides = MIGRATIONS_AND_DATABASE): string | undefined {
  if (!isWholeTextChange(change)) return undefined;
  return renderUnifiedDiff(textOf(change.database), textOf(change.migrations), { beforeLabel: sides.database, afterLabel: sides.reference }) || undefined;
}

/**
 * A changed function body of more than one line, which the one-line renderings summarise
 * instead of cutting; a one-line body is shown as its value, like any property.
 */
function isWholeTextChange(change: Change): boolean {
  return change.status === 'changed' && change.type === 'function' && change.property === 'body'
    && [change.migrations, change.database].some((value) => typeof value === 'string' && value.includes('\n'));
}

/**
 * For a changed function body of several lines, how many lines differ (`2 lines only in
 * migrations, 1 only in database`); undefined for any other change.
 */
export function describeLineCounts(change: Change, sides: DiffSides = MIGRATIONS_AND_DATABASE): string | undefined {
  if (!isWholeTextChange(change)) return undefined;
  const { added, removed } = countChangedLines(textOf(change.database), textOf(change.migrations));
  const lines = (count: number) => `${count} ${count === 1 ? 'line' : 'lines'}`;
  if (added === 0 && removed === 0) return 'differs only in line breaks';
  if (removed === 0) return `${lines(added)} only in ${sides.reference}`;
  if (added === 0) return `${lines(removed)} only in ${sides.database}`;
  return `${lines(added)} only in ${sides.reference}, ${removed} only in ${sides.database}`;
}

function textOf(value: ChangeValue | undefined): string {
  return value === undefined ? '' : formatValue(value);
}

/** `pgreview diff --format markdown`: a table for a pull request comment or a release checklist. */
export function renderChangesMarkdown(changes: readonly Change[], sides: DiffSides = MIGRATIONS_AND_DATABASE, options: RenderChangesOptions = {}): string {
  const lines = ['## Schema drift', '', ...(sides.compared ? [`${sides.compared}`, ''] : []), summaryLine(summarizeChanges(changes), sides)];
  if (changes.length === 0) return `${lines.join('\n')}\n`;
  const [reference, database] = isMigrationsDiff(sides) ? ['Migrations', 'Database'] : [code(sides.reference), code(sides.database)];
  lines.push('', `| Status | Type | Object | Property | ${reference} | ${database} | Defined at |`, '|---|---|---|---|---|---|---|');
  for (const change of changes) {
    const cells = [
      describeStatus(change.status, sides),
      change.type.replace(/_/g, ' '),
      code(change.object),
      change.property ? code(change.property) : '',
      ...(isWholeTextChange(change) ? [describeLineCounts(change, sides) ?? '', ''] : [
        change.migrations !== undefined ? code(formatValue(change.migrations)) : '',
        change.database !== undefined ? code(formatValue(change.database)) : '',
      ]),
      change.file ? `${change.file}:${change.line}` : '',
    ];
    lines.push(`| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  for (const change of options.full ? changes : []) {
    const unified = unifiedDiffOf(change, sides);
    if (!unified) continue;
    // A fence longer than any run of backticks in the body.
    const fence = '`'.repeat(Math.max(3, ...[...unified.matchAll(/`+/g)].map((run) => run[0].length + 1)));
    lines.push('', `<details><summary><code>${escapeHtml(change.object)}</code> ${change.property}</summary>`, '', `${fence}diff`, unified.trimEnd(), fence, '', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One change in words: `changed policy public.bookings.Owner reads roles: migrations [authenticated], database [public]`. */
export function describeChange(change: Change, sides: DiffSides = MIGRATIONS_AND_DATABASE): string {
  const status = isMigrationsDiff(sides) ? change.status : describeStatus(change.status, sides);
  const head = `${status} ${change.type} ${change.object}`;
  if (change.status !== 'changed') return change.property ? `${head} ${change.property}` : head;
  const lineCounts = describeLineCounts(change, sides);
  if (lineCounts) return `${head} ${change.property}: ${lineCounts}`;
  return `${head} ${change.property}: ${sides.reference} ${formatOptional(change.migrations)}, ${sides.database} ${formatOptional(change.database)}`;
}

/** `missing in database`, or for two databases `missing in <to>`. */
function describeStatus(status: Change['status'], sides: DiffSides): string {
  switch (status) {
    case 'missing_in_database':
      return `missing in ${sides.database}`;
    case 'extra_in_database':
      return `extra in ${sides.database}`;
    default:
      return status.replace(/_/g, ' ');
  }
}

/** True for the migrations against a database, whose wording (`missing_in_database`) the output has always used. */
function isMigrationsDiff(sides: DiffSides): boolean {
  return sides.reference === MIGRATIONS_AND_DATABASE.reference && sides.database === MIGRATIONS_AND_DATABASE.database;
}


/** A property value on one line: text as is, lists in brackets. */
export function formatValue(value: ChangeValue): string {
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return String(value);
}

function formatOptional(value: ChangeValue | undefined): string {
  return value === undefined ? '(none)' : truncate(formatValue(value));
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 160 ? `${oneLine.slice(0, 157)}...` : oneLine;
}

function summaryLine(summary: ChangeSummary, sides: DiffSides): string {
  const migrations = isMigrationsDiff(sides);
  if (summary.total === 0) return migrations ? 'No differences: the database matches the migrations.' : `No differences: ${sides.database} matches ${sides.reference}.`;
  const noun = summary.total === 1 ? 'difference' : 'differences';
  const database = migrations ? 'the database' : sides.database;
  return `${summary.total} ${noun}: ${summary.missing_in_database} missing in ${database}, ${summary.extra_in_database} extra in ${database}, ${summary.changed} changed.`;
}

function code(text: string): string {
  const oneLine = truncate(text);
  return oneLine.includes('`') ? `\`\` ${oneLine} \`\`` : `\`${oneLine}\``;
}
