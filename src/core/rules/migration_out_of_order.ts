import { fileStartSpan, migrationFileKey, migrationFileName } from '../history/historyReview';
import type { HistoryRunner } from '../history/matchMigrationHistory';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'migration_out_of_order',
  name: 'Migration Out Of Order',
  level: 'warning',
  category: 'drift',
  needs: 'H',
  description:
    'A pending migration sorts before one the database has already applied: the Supabase CLI and Flyway refuse to apply it by default, and a runner that does apply it runs it after the newer one, not where the files put it.',
  checkHistory({ match, files }) {
    const reports: RuleReport[] = [];
    // The newest applied versioned file: a pending file before it is out of order. golang-migrate
    // counts every file up to its version as applied, so it never has one. Flyway's repeatable
    // migrations (R__*.sql) have no version and sort after every versioned one: they order nothing.
    let lastApplied = -1;
    match.files.forEach((file, index) => {
      if (file.status !== 'pending' && file.version !== undefined) lastApplied = index;
    });
    if (lastApplied < 0) return reports;
    const later = match.files[lastApplied];
    const laterFile = files.find((file) => file.path === later.path);
    for (const [index, status] of match.files.entries()) {
      if (index >= lastApplied || status.status !== 'pending' || status.version === undefined) continue;
      const file = files.find((candidate) => candidate.path === status.path);
      if (!file) continue;
      reports.push({
        object: file.path,
        objectKey: migrationFileKey(file.path),
        message: `Migration ${migrationFileName(file.path)} is pending, but ${migrationFileName(later.path)}, which sorts after it, is already applied in ${match.table}: ${consequence(match.runner, migrationFileName(later.path))}`,
        span: fileStartSpan(file),
        ...(laterFile ? { related: [{ message: `${migrationFileName(later.path)} is applied`, span: fileStartSpan(laterFile) }] } : {}),
        ...(refusesOutOfOrder(match.runner) ? {} : { level: 'info' as const }),
      });
    }
    return reports;
  },
});

/** The runners that refuse an out-of-order migration by default. */
function refusesOutOfOrder(runner: HistoryRunner): boolean {
  return runner === 'supabase' || runner === 'flyway';
}

function consequence(runner: HistoryRunner, later: string): string {
  switch (runner) {
    case 'supabase':
      return `\`supabase db push\` refuses it ("Found local migration files to be inserted before the last migration on remote database") unless run with --include-all, which then applies it after ${later}. Rename it with a newer timestamp if it does not depend on being earlier.`;
    case 'flyway':
      return `Flyway ignores it (outOfOrder is off by default) and its validate fails; with outOfOrder=true it runs after ${later}. Give it a version above the applied ones.`;
    default:
      return `${runner} applies it after ${later}, so it meets a schema the files never put before it; a fresh database runs it in file order.`;
  }
}
