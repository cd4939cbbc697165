import { defineRule } from './defineRule';

export default defineRule({
  id: 'syntax_error',
  name: 'Syntax Error',
  level: 'error',
  category: 'correctness',
  needs: 'engine',
  description: 'A statement PostgreSQL cannot parse; the migration fails at this statement, and nothing after it in the file is applied.',
  // Reported by the parser (parseSqlFile); the rest of the file is still analysed.
  check: () => [],
});
