import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activatedApi } from './workbench';

suite('activation', () => {
  test('activates on a workspace with supabase/migrations and analyses every migration', async () => {
    const api = await activatedApi();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    const snapshot = api.analysis.current!;
    assert.deepStrictEqual(snapshot.paths, [
      'supabase/migrations/20240101000000_profiles.sql',
      'supabase/migrations/20240102000000_vendors_bookings.sql',
      'supabase/migrations/20240103000000_payments.sql',
    ]);
    assert.strictEqual(snapshot.config.profile, 'supabase', 'supabase/config.toml selects the Supabase profile');
    console.log(`[test] the bundle's top level took ${api.bundleEvaluationMs} ms; activation took ${api.activationMs} ms; the first analysis took ${snapshot.durationMs} ms; first diagnostics ${api.firstDiagnosticsMs()} ms after activation began`);
    // scripts/bench.mjs prints these figures from the last run of the suite.
    if (process.env.PGREVIEW_TEST_OUTPUT) {
      fs.writeFileSync(path.join(process.env.PGREVIEW_TEST_OUTPUT, 'timings.json'), JSON.stringify({
        measuredAt: new Date().toISOString(),
        activationMs: api.activationMs,
        bundleEvaluationMs: api.bundleEvaluationMs,
        firstAnalysisMs: snapshot.durationMs,
        firstDiagnosticsMs: api.firstDiagnosticsMs(),
        migrationFiles: snapshot.paths.length,
        extensionHostMemoryMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
      }, null, 2));
    }
  });

  test('the status bar shows the offline state and the findings count', async () => {
    const api = await activatedApi();
    const count = api.analysis.current!.findings.length;
    assert.strictEqual(api.statusBar.text, `$(database) pgreview: offline · ${count} finding${count === 1 ? '' : 's'}`);
  });
});
