import { uniqueFixes, type Fix } from '../finding';

/**
 * The body of a migration made of fixes ("Generate Fix" on a table): each fix under its title, in
 * the order given, an identical fix once (two rules that enable RLS on one table). Each fix applies on its own and again after another fix of the same file (two
 * rules asking for one index write the same `if not exists` statement), so the file applies as
 * one migration under the project's runner.
 */
export function renderFixMigration(fixes: readonly Fix[]): string {
  return uniqueFixes(fixes).map((fix) => `-- ${fix.title}\n${fix.sql.trimEnd()}`).join('\n\n');
}
