/**
 * Loaded by mocha before every test file (.mocharc.json): the test process, and the CLI processes
 * it starts, keep their caches in a fresh folder of their own, removed at exit. A test then never
 * reads what another run wrote with other code (from the TypeScript sources, `check`'s cache key
 * covers pgreview's version, not every source file), nor fills the user's ~/.cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cacheHome = mkdtempSync(join(tmpdir(), 'pgreview-test-cache-'));
process.env.XDG_CACHE_HOME = cacheHome;
process.on('exit', () => rmSync(cacheHome, { recursive: true, force: true }));
