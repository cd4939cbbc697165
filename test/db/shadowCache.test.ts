/**
 * The shadow cache on disk: its entries hold the seed data, so its folder is private (0700), its
 * files are the owner's only (0600), an older folder others could read is tightened, and a folder
 * of another user is neither read nor written.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAppliedState, writeAppliedState, type AppliedState } from '../../src/db/shadowCache';

const STATE: AppliedState = {
  dataDir: new TextEncoder().encode('insert into public.profiles values (\'alice@example.com\');'),
  apply: { findings: [], missingExtensions: [], statementsApplied: 1, statementsFailed: 0 },
};
const KEY = 'a'.repeat(64);

function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

describe('shadow cache files', () => {
  let parent: string;
  let savedUmask: number;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'pgreview-cache-modes-'));
    // The usual umask: without a mode of its own, a file would be 0644 and a folder 0755.
    savedUmask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(savedUmask);
    rmSync(parent, { recursive: true, force: true });
  });

  it('creates the folder 0700 and writes each entry 0600', async () => {
    const directory = join(parent, 'cache', 'pgreview');
    await writeAppliedState(directory, KEY, STATE);
    assert.equal(modeOf(directory), '700');
    const names = readdirSync(directory);
    assert.equal(names.length, 1);
    assert.equal(modeOf(join(directory, names[0])), '600');
    assert.deepEqual((await findAppliedState(directory, ['', KEY]))?.state.dataDir, Buffer.from(STATE.dataDir));
  });

  it('tightens a folder an earlier pgreview created 0755, on the first read or write', async () => {
    const directory = join(parent, 'pgreview');
    mkdirSync(directory, { mode: 0o755 });
    assert.equal(modeOf(directory), '755');
    assert.equal(await findAppliedState(directory, ['', KEY]), undefined);
    assert.equal(modeOf(directory), '700');
    chmodSync(directory, 0o755);
    await writeAppliedState(directory, KEY, STATE);
    assert.equal(modeOf(directory), '700');
  });

  it('neither reads nor writes a folder another user owns', async function () {
    if (process.getuid?.() !== 0 || spawnSync('id', ['-u', 'nobody']).status !== 0) this.skip(); // chown needs root
    const directory = join(parent, 'pgreview');
    await writeAppliedState(directory, KEY, STATE);
    assert.ok(await findAppliedState(directory, ['', KEY]));
    execFileSync('chown', ['nobody', directory]);
    assert.equal(await findAppliedState(directory, ['', KEY]), undefined);
    await writeAppliedState(directory, 'b'.repeat(64), STATE);
    assert.equal(readdirSync(directory).length, 1);
  });
});
