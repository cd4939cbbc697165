import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import inspector from 'node:inspector';
const require = createRequire(import.meta.url);
require('tsx/cjs');
const { analyzeParsedFiles } = require('../src/core/analyze.ts');
const { defaultConfig } = require('../src/core/config.ts');
const { parseSqlFile } = require('../src/core/sql/parseSqlFile.ts');
const { loadParser } = require('../src/core/sql/parser.ts');
await loadParser();
const dir = '.bench/project/supabase/migrations';
const files = readdirSync(dir).sort().map((n) => parseSqlFile(`supabase/migrations/${n}`, readFileSync(`${dir}/${n}`, 'utf8')));
const config = defaultConfig('supabase');
const session = new inspector.Session(); session.connect();
const post = (m, p) => new Promise((res, rej) => session.post(m, p, (e, r) => (e ? rej(e) : res(r))));
await post('Profiler.enable'); await post('Profiler.start');
analyzeParsedFiles(files, config);
const { profile } = await post('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const seen = new Set(); let id = profile.samples[i];
  while (id !== undefined) { const n = byId.get(id); const u = n.callFrame.url; if (u.includes('/src/')) { const k = `${n.callFrame.functionName} ${u.split('/src/')[1]}:${n.callFrame.lineNumber + 1}`; if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + profile.timeDeltas[i] / 1000); } } id = parent.get(id); }
}
console.log([...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n'));
