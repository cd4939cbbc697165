import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from './src/core/analyze';
import { defaultConfig } from './src/core/config';
import { loadParser } from './src/core/sql/parser';
(async () => {
  await loadParser();
  const dir = process.argv[2];
  const files = readdirSync(dir).filter((n) => n.endsWith('.sql')).sort().map((n) => ({ path: n, text: readFileSync(join(dir, n), 'utf8') }));
  const a = analyze({ files, config: defaultConfig('supabase') });
  const counts = new Map<string, number>();
  for (const f of a.findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  console.log(files.length, 'files', a.catalog.tables.size, 'tables', a.catalog.functions.size, 'functions', a.catalog.views.size, 'views');
  console.log([...counts].join('\n'));
  for (const f of a.findings.filter((f) => ['object_dropped_but_referenced', 'dynamic_sql_not_replayed', 'syntax_error'].includes(f.rule))) console.log(f.rule, f.span?.file, f.span?.line, f.message);
})();
