import { defineRule } from './defineRule';

export default defineRule({
  id: 'dynamic_sql_not_replayed',
  name: 'Dynamic SQL Not Replayed',
  level: 'info',
  category: 'correctness',
  needs: 'engine',
  description: 'Dynamic SQL (EXECUTE of a built string, in a DO block) that pgreview cannot replay offline; objects it creates or changes are unknown to the offline checks.',
  check: () => [],
});
