import { defineRule } from './defineRule';

export default defineRule({
  id: 'migration_apply_error',
  name: 'Migration Apply Error',
  level: 'error',
  category: 'correctness',
  needs: 'engine',
  description: 'A statement fails when the migrations are applied to a fresh database (the shadow), so a new environment built from them would stop at it.',
  // Reported by the shadow database (src/db/shadowApply.ts) with PostgreSQL's message and SQLSTATE;
  // the statements after it are still applied.
  check: () => [],
});
