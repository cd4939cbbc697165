/**
 * What the history rules (`needs: 'H'`) judge: the database's migration history matched with the
 * files, and the parsed files themselves, to place a finding on a file.
 */
import type { ParsedFile } from '../sql/parseSqlFile';
import type { SourceSpan } from '../sql/span';
import { compareMigrationVersions, historyEntryVersion, migrationVersion, type HistoryEntry, type HistoryMatch } from './matchMigrationHistory';

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

/**
 * Where a finding about a history entry goes, since the editor shows findings only on files: the
 * file with its version, else the first file whose version sorts after it; the newest versioned
 * file (`after`) when none does; the last file when the entry has no version (a Flyway repeatable,
 * which runs after all versions), or the file of its script when there is one.
 */
export function placeOfHistoryEntry(match: HistoryMatch, entry: HistoryEntry, files: readonly ParsedFile[]): { file: ParsedFile; after: boolean } {
  const version = historyEntryVersion(match.runner, entry);
  if (version !== undefined) {
    let lastVersioned: ParsedFile | undefined;
    for (const file of files) {
      const fileVersion = migrationVersion(match.runner, file.path);
      if (fileVersion === undefined) continue;
      if (compareMigrationVersions(match.runner, fileVersion, version) >= 0) return { file, after: false };
      lastVersioned = file;
    }
    // After the newest versioned file, not after a Flyway repeatable that sorts last.
    if (lastVersioned) return { file: lastVersioned, after: true };
  }
  const script = entry.version === undefined ? files.find((file) => migrationFileName(file.path) === entry.name) : undefined;
  return script ? { file: script, after: false } : { file: files[files.length - 1], after: true };
}
