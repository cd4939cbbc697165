import { loadParser, getParser } from './src/core/sql/parser';
(async () => {
  await loadParser();
  const p = getParser();
  const sql = `create policy "p1" on public.t1 for select to authenticated using (user_id = (select auth.uid()) and name <> 'x')`;
  let start = performance.now();
  for (let i = 0; i < 1000; i++) p.scanSync(sql);
  console.log('scan x1000', (performance.now() - start).toFixed(0), 'ms');
  start = performance.now();
  for (let i = 0; i < 1000; i++) p.parseSync(sql);
  console.log('parse x1000', (performance.now() - start).toFixed(0), 'ms');
})();
