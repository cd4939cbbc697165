import { defineRule } from './defineRule';

export default defineRule({
  id: 'file_skipped',
  name: 'File Skipped',
  level: 'warning',
  category: 'correctness',
  needs: 'engine',
  description:
    'A migration file that pgreview does not read: it cannot be read, is not a regular file, is binary, is larger than 10 MB or over the 20 MB a run reviews, or is a link out of the project; nothing it defines is checked.',
  // Reported by the project loader (loadProject) at the file, before any parsing.
  check: () => [],
});
