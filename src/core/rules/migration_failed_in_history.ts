import { fileStartSpan, migrationFileName, missingMigrationKey, placeOfHistoryEntry } from '../history/historyReview';
import { describeHistoryEntry } from '../history/historySection';
import { historyEntryVersion, migrationVersion } from '../history/matchMigrationHistory';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'migration_failed_in_history',
  name: 'Migration Failed In History',
  level: 'error',
  category: 'drift',
  needs: 'H',
  description:
    "The database's migration history records a migration as failed (Flyway's flyway_schema_history.success = false): `flyway migrate` refuses to run until `flyway repair` removes the row, and the database may hold part of what the migration did.",
  checkHistory({ match, files }) {
    if (files.length === 0) return [];
    return match.failed.map((entry): RuleReport => {
      const name = describeHistoryEntry(entry);
      const { file } = placeOfHistoryEntry(match, entry, files);
      const version = historyEntryVersion(match.runner, entry);
      const isItsFile = version !== undefined ? migrationVersion(match.runner, file.path) === version : migrationFileName(file.path) === entry.name;
      return {
        object: name,
        objectKey: missingMigrationKey(match.table, entry),
        message: `${match.table} records migration ${name}${isItsFile ? '' : ', which has no file,'} as failed: \`flyway migrate\` stops ("Validate failed: Detected failed migration") until \`flyway repair\` removes the failed row. A failed migration may have applied some of its statements (those PostgreSQL cannot run in a transaction, or all of them when the script runs outside one): check what it left in the database, fix the file, then repair and migrate again.`,
        span: fileStartSpan(file),
      };
    });
  },
});
