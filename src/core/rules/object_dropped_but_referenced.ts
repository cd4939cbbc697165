import { defineRule } from './defineRule';

export default defineRule({
  id: 'object_dropped_but_referenced',
  name: 'Object Dropped But Referenced',
  level: 'error',
  category: 'correctness',
  needs: 'engine',
  description: 'A statement refers to a table, column or function that an earlier migration dropped or renamed, or that no migration creates, or drops without CASCADE a type, table, view or function that other objects still depend on, so the migration fails on a fresh database.',
  // Reported by the replay (catalog/replay/references.ts), which knows the order of statements.
  // It stays silent under IF EXISTS, in platform-managed schemas and after dynamic SQL; a DROP
  // refused over dependents is reported even under IF EXISTS (drops.ts, reportDropBlocked).
  check: () => [],
});
