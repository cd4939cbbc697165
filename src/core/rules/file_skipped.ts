import { defineRule } from './defineRule';

export default defineRule({
  id: 'file_skipped',
  name: 'File Skipped',
  level: 'warning',
  category: 'correctness',
  needs: 'engine',
  description: 'A migration file that pgreview does not read, because it is binary or larger than 10 MB; nothing it defines is checked.',
  // Reported by the project loader (loadProject) at the file, before any parsing.
  check: () => [],
});
