/**
 * Writes fix SQL into a new migration file, named with the next Supabase timestamp, for a person
 * to review. pgreview never edits an applied migration for a fix and never applies anything.
 */
import * as vscode from 'vscode';

const TIMESTAMP = /^(\d{14})_/;

/** Creates `<timestamp>_pgreview_<slug>.sql` next to the existing migrations and returns its URI. */
export async function writeFixMigration(root: vscode.Uri, migrationPaths: readonly string[], title: string, sql: string): Promise<vscode.Uri> {
  const directory = migrationDirectory(migrationPaths);
  const latest = migrationPaths
    .map((path) => TIMESTAMP.exec(path.slice(path.lastIndexOf('/') + 1))?.[1])
    .filter((stamp): stamp is string => stamp !== undefined)
    .sort()
    .at(-1);
  let timestamp = nextMigrationTimestamp(new Date(), latest);
  let uri = vscode.Uri.joinPath(root, directory, `${timestamp}_pgreview_${slugOf(title)}.sql`);
  // Two fixes written within a second (before the analysis lists the first) must not share a
  // name: an existing file is never overwritten, the next second is taken instead.
  while (await exists(uri)) {
    timestamp = nextMigrationTimestamp(new Date(0), timestamp);
    uri = vscode.Uri.joinPath(root, directory, `${timestamp}_pgreview_${slugOf(title)}.sql`);
  }
  const text = `-- ${title}\n-- Written by pgreview. Review this migration before you apply it; pgreview never applies it.\n\n${sql.trimEnd()}\n`;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/**
 * The 14-digit UTC timestamp `YYYYMMDDHHMMSS` for a new migration: now, or one second after the
 * latest existing one when that is in the future, so the new file always sorts last.
 */
export function nextMigrationTimestamp(now: Date, latest: string | undefined): string {
  const current = formatTimestamp(now);
  if (!latest || current > latest) return current;
  const parsed = new Date(
    Date.UTC(Number(latest.slice(0, 4)), Number(latest.slice(4, 6)) - 1, Number(latest.slice(6, 8)), Number(latest.slice(8, 10)), Number(latest.slice(10, 12)), Number(latest.slice(12, 14)) + 1),
  );
  return formatTimestamp(parsed);
}

function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The folder of the last migration, or Supabase's folder when there is none yet. */
function migrationDirectory(migrationPaths: readonly string[]): string {
  const last = migrationPaths.at(-1);
  return last && last.includes('/') ? last.slice(0, last.lastIndexOf('/')) : 'supabase/migrations';
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (error) {
    if (error instanceof vscode.FileSystemError && (error.code === 'FileNotFound' || error.code === 'EntryNotFound')) return false;
    throw error;
  }
}

function slugOf(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48) || 'fix';
}
