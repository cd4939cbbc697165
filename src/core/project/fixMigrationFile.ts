/**
 * The name and text of a new migration that holds fix SQL, for a person to review: named with the
 * next Supabase timestamp and placed next to the existing migrations. Front ends write the file
 * (VS Code through its file system, the language server through a workspace edit); pgreview never
 * edits an applied migration for a fix and never applies anything.
 */

const TIMESTAMP = /^(\d{14})_/;

/**
 * The project-relative paths a fix migration titled `title` may take, best first:
 * `<dir>/<timestamp>_pgreview_<slug>.sql`, then the same name one second later, and so on. A
 * caller takes the first that does not exist yet, so two fixes written within a second (before the
 * analysis lists the first) never share a name and no file is overwritten.
 */
export function* fixMigrationPaths(migrationPaths: readonly string[], title: string, now: Date): Generator<string, never> {
  const directory = migrationDirectory(migrationPaths);
  const latest = migrationPaths
    .map((path) => TIMESTAMP.exec(path.slice(path.lastIndexOf('/') + 1))?.[1])
    .filter((stamp): stamp is string => stamp !== undefined)
    .sort()
    .at(-1);
  let timestamp = nextMigrationTimestamp(now, latest);
  for (;;) {
    yield `${directory}/${timestamp}_pgreview_${slugOf(title)}.sql`;
    timestamp = nextMigrationTimestamp(new Date(0), timestamp);
  }
}

/** The text of a fix migration: what it does, a reminder to review it, then the SQL. */
export function fixMigrationText(title: string, sql: string): string {
  return `-- ${title}\n-- Written by pgreview. Review this migration before you apply it; pgreview never applies it.\n\n${sql.trimEnd()}\n`;
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

function slugOf(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48) || 'fix';
}
