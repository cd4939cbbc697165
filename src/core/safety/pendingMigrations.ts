/**
 * Which migrations have not run yet. Migration-safety rules judge only these: applied history is
 * never judged again, so a 300-file project can adopt pgreview without a wall of old findings.
 */

/** The migrations that have not run on the target database yet, and how that was decided. */
export interface PendingMigrations {
  /** Project-relative paths (forward slashes) of the pending migration files. */
  paths: ReadonlySet<string>;
  /**
   * How the list was made, for the output: `added or changed since origin/main`, `not listed in
   * supabase_migrations.schema_migrations`.
   */
  source: string;
}

/**
 * True when `path` is a pending migration. Without a list every file is pending (and only tables
 * created in the same file count as new: squawk's view of a file on its own).
 */
export function isPendingMigration(pending: PendingMigrations | undefined, path: string): boolean {
  return pending === undefined || pending.paths.has(path);
}
