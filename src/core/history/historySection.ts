/**
 * The migration-history section of `pgreview diff` and of the editor's Diff tab: the files the
 * database has not applied, those changed after it applied them, and the applied versions whose
 * file is missing. Empty when every file is applied as it stands.
 */
import { HISTORY_STATUS_TEXT, type HistoryEntry, type HistoryMatch, type HistoryRunner } from './matchMigrationHistory';

/** The section as values; also the `history` field of `pgreview diff --format json`. */
export interface HistorySection {
  /** The history table read, `supabase_migrations.schema_migrations`. */
  table: string;
  runner: HistoryRunner;
  /** Project-relative paths (or the front end's display paths), in the order the files apply. */
  pending: { file: string; version: string | null; note: string | null }[];
  changed: { file: string; version: string | null; note: string | null }[];
  missing: { version: string | null; name: string | null }[];
}

/** The section of a history match; `displayPath` names the files as the rest of the output does. */
export function historySectionOf(match: HistoryMatch, displayPath: (file: string) => string = (file) => file): HistorySection {
  const files = (status: 'pending' | 'changed') =>
    match.files.filter((file) => file.status === status).map((file) => ({ file: displayPath(file.path), version: file.version ?? null, note: file.note ?? null }));
  return { table: match.table, runner: match.runner, pending: files('pending'), changed: files('changed'), missing: match.missing.map((entry) => ({ version: entry.version ?? null, name: entry.name ?? null })) };
}

/** True when the section lists nothing: every file applied, unchanged, and no applied version without its file. */
export function isHistoryInOrder(section: HistorySection): boolean {
  return section.pending.length === 0 && section.changed.length === 0 && section.missing.length === 0;
}

/** `20231201000000 (hotfix)`, `1.5 (V1_5__gone.sql)`, or the version or name alone. */
export function describeHistoryEntry(entry: Pick<HistoryEntry, 'version' | 'name'>): string {
  if (entry.version !== undefined && entry.name) return `${entry.version} (${entry.name})`;
  return entry.version ?? entry.name ?? '(no version)';
}

/** The section's rows: status text and what it names, pending first, then changed, then missing. */
function sectionRows(section: HistorySection): [string, string][] {
  const withNote = (file: string, note: string | null) => (note ? `${file} (${note})` : file);
  return [
    ...section.pending.map((file): [string, string] => [HISTORY_STATUS_TEXT.pending, withNote(file.file, file.note)]),
    ...section.changed.map((file): [string, string] => [HISTORY_STATUS_TEXT.changed, withNote(file.file, file.note)]),
    ...section.missing.map((entry): [string, string] => [HISTORY_STATUS_TEXT.missing, describeHistoryEntry({ version: entry.version ?? undefined, name: entry.name ?? undefined })]),
  ];
}

/** Counts in words: `1 pending, 1 changed after applied, 1 applied but file missing`. */
function describeSectionCounts(section: HistorySection): string {
  return `${section.pending.length} pending, ${section.changed.length} changed after applied, ${section.missing.length} applied but file missing`;
}

/**
 * The section as text, for the end of `pgreview diff`; empty when the history is in order.
 *
 *     Migration history (supabase_migrations.schema_migrations): 1 pending, 0 changed after applied, 1 applied but file missing
 *       pending                supabase/migrations/20240201000000_user_index.sql
 *       applied, file missing  20231201000000 (hotfix)
 */
export function renderHistorySectionText(section: HistorySection): string {
  if (isHistoryInOrder(section)) return '';
  const rows = sectionRows(section);
  const width = Math.max(...rows.map(([status]) => status.length));
  return [`Migration history (${section.table}): ${describeSectionCounts(section)}`, ...rows.map(([status, what]) => `  ${status.padEnd(width)}  ${what}`), ''].join('\n');
}

/** The section as Markdown, for `pgreview diff --format markdown`; empty when the history is in order. */
export function renderHistorySectionMarkdown(section: HistorySection): string {
  if (isHistoryInOrder(section)) return '';
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = sectionRows(section).map(([status, what]) => `| ${status} | \`${cell(what)}\` |`);
  return ['## Migration history', '', `\`${section.table}\`: ${describeSectionCounts(section)}.`, '', '| Status | Migration |', '|---|---|', ...rows, ''].join('\n');
}
