import { defineRule } from './defineRule';

export default defineRule({
  id: 'object_already_exists',
  name: 'Object Already Exists',
  level: 'error',
  category: 'correctness',
  needs: 'engine',
  description: 'A statement creates a table, index, view, sequence, policy, trigger, function, type or schema that an earlier migration already created, without IF NOT EXISTS or OR REPLACE, so PostgreSQL refuses it and the migration fails on a fresh database.',
  // Reported by the replay (catalog/replay/references.ts, reportAlreadyExists), which keeps the
  // first definition as PostgreSQL does. Silent after dynamic SQL and for the platform's objects.
  check: () => [],
});
