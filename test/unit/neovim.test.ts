/**
 * `pgreview lsp` with a real editor: Neovim (apt's, 0.7 or later) headless with its built-in LSP
 * client, driven by test/support/neovimLspClient.lua on a copy of the example project. Without
 * nvim the test skips, except in CI (`CI` set), where a missing editor is a failure:
 * scripts/install-test-deps.sh installs it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCS_BASE_URL } from '../../src/core/rules/defineRule';

const ROOT = join(__dirname, '..', '..');
const VENDORS = 'supabase/migrations/20240112110000_vendors_and_adventures.sql';
const BOOKINGS_V2 = 'supabase/migrations/20240410083000_bookings_v2.sql';

interface SeenDiagnostic {
  lnum: number;
  col: number;
  code: string;
  message: string;
  severity: number;
  source: string;
  href: string | null;
}

interface NeovimResult {
  error?: string;
  diagnostics: SeenDiagnostic[];
  other_file_diagnostics: SeenDiagnostic[];
  action_titles: string[];
  applied: string;
  fixed: boolean;
  diagnostics_after: SeenDiagnostic[];
}

describe('pgreview lsp in Neovim', function () {
  this.timeout(240_000);
  let project: string | undefined;

  before(function () {
    if (spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status !== 0) {
      if (process.env.CI) throw new Error('nvim is missing: scripts/install-test-deps.sh installs Neovim (apt package neovim), which the LSP test needs in CI');
      this.skip();
    }
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    project = mkdtempSync(join(tmpdir(), 'pgreview-nvim-'));
    cpSync(join(ROOT, 'examples', 'trvl-social'), project, { recursive: true });
  });

  after(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('shows diagnostics, applies a quick fix and sees the finding go', async () => {
    assert.ok(project);
    const out = join(project, 'nvim-result.json');
    const { code, stderr } = await runNeovim(project, out);
    assert.ok(existsSync(out), `Neovim wrote no result (exit ${code}): ${stderr}`);
    const result = JSON.parse(readFileSync(out, 'utf8')) as NeovimResult;
    assert.equal(result.error, undefined, result.error);
    assert.equal(code, 0, stderr);

    const rlsOff = result.diagnostics.find((diagnostic) => diagnostic.code === 'rls_disabled_in_public');
    assert.ok(rlsOff, JSON.stringify(result.diagnostics));
    assert.equal(rlsOff.lnum, 127);
    assert.equal(rlsOff.source, 'pgreview');
    assert.equal(rlsOff.href, `${DOCS_BASE_URL}rls_disabled_in_public.md`);
    // The settings Neovim answered workspace/configuration with turned no_primary_key off.
    assert.ok(result.other_file_diagnostics.some((diagnostic) => diagnostic.code === 'legacy_table'), JSON.stringify(result.other_file_diagnostics));
    assert.ok(!result.other_file_diagnostics.some((diagnostic) => diagnostic.code === 'no_primary_key'), JSON.stringify(result.other_file_diagnostics));

    assert.match(result.applied, /^Fix: /);
    assert.ok(result.action_titles.includes('Ignore auth_rls_initplan for this statement'), result.action_titles.join(' | '));
    assert.ok(result.fixed, `auth_rls_initplan still reported after the fix: ${JSON.stringify(result.diagnostics_after)}`);
    const written = readFileSync(join(project, VENDORS), 'utf8');
    assert.match(written, /using \(\(\(select auth\.jwt\(\)\) -> 'user_metadata' ->> 'role'\) = 'vendor_admin'\)/);
    assert.ok(result.diagnostics_after.some((diagnostic) => diagnostic.code === 'rls_disabled_in_public'), 'the other findings stay');
  });
});

/** Runs the Lua client in a headless Neovim without user config; resolves with its exit code and standard error. */
function runNeovim(project: string, out: string): Promise<{ code: number | null; stderr: string }> {
  const env = {
    ...process.env,
    PGREVIEW_ROOT: project,
    PGREVIEW_FILE: join(project, VENDORS),
    PGREVIEW_OTHER_FILE: join(project, BOOKINGS_V2),
    PGREVIEW_OUT: out,
    PGREVIEW_FIX_RULE: 'auth_rls_initplan',
    PGREVIEW_NODE: process.execPath,
    PGREVIEW_BIN: join(ROOT, 'bin', 'pgreview.js'),
    // Neovim keeps its log and state here, not in the user's home.
    XDG_STATE_HOME: join(project, '.nvim-state'),
    XDG_CACHE_HOME: join(project, '.nvim-cache'),
  };
  return new Promise((resolve) => {
    const child = spawn('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${join(ROOT, 'test', 'support', 'neovimLspClient.lua')}`], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    // The Lua script bounds each of its waits; this bounds a Neovim that never gets to run it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 200_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
