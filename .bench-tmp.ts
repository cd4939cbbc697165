import { loadParser } from './src/core/sql/parser';
import { parseSqlFile } from './src/core/sql/parseSqlFile';
import { analyzeParsedFiles } from './src/core/analyze';
import { createBaselineCatalog } from './src/core/catalog/platform';
import { replayStatement } from './src/core/catalog/replay/replayStatement';
import { DEFAULT_SEARCH_PATH } from './src/core/catalog/replay/replayState';
import { defaultConfig } from './src/core/config';
(async () => {
  await loadParser();
  const files: { path: string; text: string }[] = [];
  let t = 0, p = 0, f = 0;
  for (let i = 0; i < 500; i++) {
    let sql = '';
    for (let k = 0; k < 3; k++, t++) {
      sql += `create table public.t${t} (id uuid primary key default gen_random_uuid(), user_id uuid not null references auth.users (id), name text not null, amount numeric(10,2) check (amount > 0), created_at timestamptz not null default now());\n`;
      sql += `create index on public.t${t} (user_id);\nalter table public.t${t} enable row level security;\n`;
      for (let j = 0; j < 3 && p < 4000; j++, p++) sql += `create policy "p${p}" on public.t${t} for select to authenticated using (user_id = (select auth.uid()) and name <> 'x');\n`;
    }
    for (let k = 0; k < 2; k++, f++) sql += `create function public.f${f}(a uuid, b text) returns int language sql stable security definer set search_path = '' as $$ select 1 $$;\n`;
    files.push({ path: `m${String(i).padStart(4, '0')}.sql`, text: sql });
  }
  while (p < 4000) { files[499].text += `create policy "p${p}" on public.t0 for select using (true);\n`; p++; }
  let start = performance.now();
  const parsed = files.map((file) => parseSqlFile(file.path, file.text));
  const parseMs = performance.now() - start;
  const statements = parsed.reduce((n, file) => n + file.statements.length, 0);
  for (let run = 0; run < 6; run++) {
    start = performance.now();
    const cpu = process.cpuUsage();
    const catalog = createBaselineCatalog(defaultConfig('supabase'));
    for (const file of parsed) {
      const state = { catalog, searchPath: [...DEFAULT_SEARCH_PATH], currentRole: 'postgres', file, statement: file.statements[0], problems: [] };
      for (const statement of file.statements) { state.statement = statement; replayStatement(state); }
    }
    const used = process.cpuUsage(cpu);
    console.log(`replay cpu ${((used.user + used.system) / 1000).toFixed(1)} ms wall ${(performance.now() - start).toFixed(1)} ms for ${statements} statements; tables ${catalog.tables.size}`);
  }
  start = performance.now();
  const analysis = analyzeParsedFiles(parsed, defaultConfig('supabase'));
  console.log(`parse ${parseMs.toFixed(0)} ms; full analyze (replay+rules) ${(performance.now() - start).toFixed(0)} ms, ${analysis.findings.length} findings`);
})();
