/**
 * What the history rules (`needs: 'H'`) judge: the database's migration history matched with the
 * files, and the parsed files themselves, to place a finding on a file.
 */
import type { ParsedFile } from '../sql/parseSqlFile';
import type { SourceSpan } from '../sql/span';
import type { HistoryEntry, HistoryMatch } from './matchMigrationHistory';

/** A history match and the parsed migration files it was matched with, in the order they apply. */
export interface HistoryReview {
  match: HistoryMatch;
  files: readonly ParsedFile[];
}

/**
 * Where a finding about a whole migration file goes: its first statement, or its first line when
 * it has none (an empty file, or one PostgreSQL cannot parse).
 */
export function fileStartSpan(file: ParsedFile): SourceSpan {
  return file.statements[0]?.span ?? file.lines.span(0, file.lines.lineText(1).length);
}

/** The object key of a migration file in a history finding: `migration:supabase/migrations/0001_x.sql`. */
export function migrationFileKey(path: string): string {
  return `migration:${path}`;
}

/** The object key of an applied history entry whose file is missing: `migration:<table>/<version>`. */
export function missingMigrationKey(table: string, entry: HistoryEntry): string {
  return `migration:${table}/${entry.version ?? entry.name ?? ''}`;
}

/** A file's name without its folders, as a message names it. */
export function migrationFileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
