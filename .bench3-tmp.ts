import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadParser } from './src/core/sql/parser';
import { parseSqlFile } from './src/core/sql/parseSqlFile';
import { createBaselineCatalog } from './src/core/catalog/platform';
import { replayStatement } from './src/core/catalog/replay/replayStatement';
import { DEFAULT_SEARCH_PATH } from './src/core/catalog/replay/replayState';
import { defaultConfig } from './src/core/config';
(async () => {
  await loadParser();
  const dir = '.bench/project/supabase/migrations';
  const parsed = readdirSync(dir).sort().map((n) => parseSqlFile(n, readFileSync(join(dir, n), 'utf8')));
  const kinds = new Map<string, number>();
  for (let run = 0; run < 40; run++) {
    kinds.clear();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const catalog = createBaselineCatalog(defaultConfig('supabase'));
    for (const file of parsed) {
      const state = { catalog, searchPath: [...DEFAULT_SEARCH_PATH], currentRole: 'postgres', file, statement: file.statements[0], problems: [] };
      for (const statement of file.statements) { state.statement = statement; replayStatement(state); }
    }
    const used = process.cpuUsage(cpu);
    console.log(`run ${run}: cpu ${((used.user + used.system) / 1000).toFixed(0)} ms wall ${(performance.now() - start).toFixed(0)} ms`, [...kinds].map(([k, v]) => `${k}=${(v / 1000).toFixed(0)}`).join(' '));
  }
})();
