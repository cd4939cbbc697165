/**
 * The one helper replay fixtures go through: test/fixtures/replay/<case>/*.sql are replayed in
 * name order as a Supabase project, and the rendered catalog (objects the migrations define or
 * change) plus the replay's own findings must equal <case>/catalog.txt. A missing catalog.txt is
 * written on the first run; `UPDATE_EXPECT=1` rewrites it. Review a written file by eye.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { renderCatalog } from '../../src/core/catalog/renderCatalog';
import { defaultConfig } from '../../src/core/config';

/** Rules the replay itself reports; their findings are part of the expected output. */
const ENGINE_RULES = new Set(['object_dropped_but_referenced', 'object_already_exists', 'if_not_exists_skipped', 'dynamic_sql_not_replayed', 'syntax_error']);

/** Replays the case folder and compares (or writes) catalog.txt. */
export function checkReplay(dir: string): void {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ path: name, text: readFileSync(join(dir, name), 'utf8') }));
  const analysis = analyze({ files, config: defaultConfig('supabase') });
  const findings = analysis.findings
    .filter((finding) => ENGINE_RULES.has(finding.rule))
    .map((finding) => `finding ${finding.rule} ${finding.span?.file}:${finding.span?.line} ${finding.object}: ${finding.message}\n`);
  const actual = renderCatalog(analysis.catalog) + (findings.length > 0 ? `\n${findings.join('')}` : '');
  const expectedPath = join(dir, 'catalog.txt');
  if (process.env.UPDATE_EXPECT === '1' || !existsSync(expectedPath)) {
    writeFileSync(expectedPath, actual);
    return;
  }
  assert.equal(actual, readFileSync(expectedPath, 'utf8'));
}
