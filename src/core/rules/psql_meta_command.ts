import { defineRule } from './defineRule';

export default defineRule({
  id: 'psql_meta_command',
  name: 'psql Meta-Command',
  level: 'info',
  category: 'correctness',
  needs: 'engine',
  description: 'A psql meta-command such as \\set or \\i: it runs only in the psql client, so pgreview skips it and migration tools that send SQL to the server reject it.',
  check: () => [],
});
