import { fileStartSpan, migrationFileName, missingMigrationKey, placeOfHistoryEntry } from '../history/historyReview';
import { describeHistoryEntry } from '../history/historySection';
import type { HistoryRunner } from '../history/matchMigrationHistory';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'applied_migration_missing',
  name: 'Applied Migration Missing',
  level: 'warning',
  category: 'drift',
  needs: 'H',
  description:
    "The database's migration history lists a migration as applied, but no migration file has its version (deleted, renamed, or never committed): a fresh database lacks what it did, and the Supabase CLI and Flyway refuse to migrate.",
  checkHistory({ match, files }) {
    if (files.length === 0) return [];
    return match.missing.map((entry): RuleReport => {
      const name = describeHistoryEntry(entry);
      // An editor shows a finding only on a file: the one the missing file sorted before is where it belongs.
      const { file, after } = placeOfHistoryEntry(match, entry, files);
      return {
        object: name,
        objectKey: missingMigrationKey(match.table, entry),
        message: `${match.table} lists migration ${name} as applied, but no migration file has that version (it would sort ${after ? 'after' : 'before'} ${migrationFileName(file.path)}): ${consequence(match.runner)}`,
        span: fileStartSpan(file),
      };
    });
  },
});

/** What the runner does about an applied version it finds no file for. */
function consequence(runner: HistoryRunner): string {
  switch (runner) {
    case 'supabase':
      return '`supabase db push` refuses to run ("Remote migration versions not found in local migrations directory") until the file is restored or the version is marked reverted with `supabase migration repair`, and a fresh database lacks what it did.';
    case 'flyway':
      return 'Flyway\'s validate fails ("Detected applied migration not resolved locally") unless ignoreMigrationPatterns allows `*:missing`, and a fresh database lacks what it did.';
    default:
      return 'a fresh database built from the files lacks what it did; restore the file, or write what it did into a new migration.';
  }
}
