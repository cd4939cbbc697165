import { analyze } from './src/core/analyze';
import { defaultConfig } from './src/core/config';
import { loadParser } from './src/core/sql/parser';
import { allRules } from './src/core/rules';
import { isManagedSchema } from './src/core/catalog/platform';
(async () => {
  await loadParser();
  let sql = '';
  for (let i = 0; i < 1500; i++) {
    sql += `create table public.t${i} (id uuid primary key, user_id uuid not null);\nalter table public.t${i} enable row level security;\n`;
    for (let j = 0; j < 3; j++) sql += `create policy "p${j}" on public.t${i} for update using (auth.uid() = user_id);\n`;
  }
  const files = [{ path: 'supabase/migrations/0001.sql', text: sql }];
  const off = Object.fromEntries(allRules.map((r) => [r.id, 'off' as const]));
  const result = analyze({ files, config: { ...defaultConfig('supabase'), rules: off } });
  const context = { profile: 'supabase' as const, isManagedSchema: (s: string) => isManagedSchema('supabase', s), sourceText: (span: { start: number; end: number }) => sql.slice(span.start, span.end) };
  for (const rule of allRules) {
    if (rule.needs === 'engine' || rule.needs === 'L') continue;
    const t = process.hrtime.bigint();
    const n = rule.check(result.catalog, context).length;
    console.log(rule.id, Number(process.hrtime.bigint() - t) / 1e6, 'ms', n);
  }
})();
