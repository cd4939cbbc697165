import { fileStartSpan, migrationFileKey, migrationFileName } from '../history/historyReview';
import type { HistoryRunner } from '../history/matchMigrationHistory';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'migration_changed_after_applied',
  name: 'Migration Changed After Applied',
  level: 'warning',
  category: 'drift',
  needs: 'H',
  description:
    "A migration file differs from the text the database's migration runner recorded when it applied it (Flyway's checksum, the Supabase CLI's statements): the database ran the old text, and a fresh database runs the new one.",
  checkHistory({ match, files }) {
    const reports: RuleReport[] = [];
    const changed = new Set(match.files.filter((file) => file.status === 'changed').map((file) => file.path));
    for (const file of files) {
      if (!changed.has(file.path)) continue;
      const note = match.files.find((status) => status.path === file.path)?.note;
      reports.push({
        object: file.path,
        objectKey: migrationFileKey(file.path),
        message: `Migration ${migrationFileName(file.path)} changed after ${match.table} recorded it as applied${note ? ` (${note})` : ''}: ${consequence(match.runner)} Put the change in a new migration and restore the file.`,
        span: fileStartSpan(file),
      });
    }
    return reports;
  },
});

/** What the runner does with an applied file whose text changed. */
function consequence(runner: HistoryRunner): string {
  if (runner === 'flyway') return "Flyway's validate fails on the checksum mismatch, so `flyway migrate` stops until the history is repaired.";
  // The Supabase CLI (and every runner that keeps versions only) never runs an applied version again.
  return 'the database keeps what the old text made, while a fresh database (`supabase db reset`, a preview branch, a new environment) runs the new text.';
}
