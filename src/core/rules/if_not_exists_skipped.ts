import { defineRule } from './defineRule';

export default defineRule({
  id: 'if_not_exists_skipped',
  name: 'IF NOT EXISTS Skipped a Different Definition',
  level: 'warning',
  category: 'correctness',
  needs: 'engine',
  description: 'CREATE TABLE IF NOT EXISTS names a table that already exists without some of the columns the statement defines: PostgreSQL skips the whole statement with a notice, so those columns are never added.',
  // Reported by the replay (catalog/replay/references.ts, reportIfNotExistsSkipped).
  check: () => [],
});
