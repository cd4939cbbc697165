/**
 * The language server re-reads the project on every keystroke; files unchanged on disk come from
 * the cache, and a changed or deleted file is read again through the real reader.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSystemProjectReader } from '../../src/node/fileSystemProjectReader';
import { RACY_WINDOW_NS } from '../../src/node/fileStatSignature';
import { UnchangedFileCache } from '../../src/node/unchangedFileCache';

describe('UnchangedFileCache', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pgreview-cache-'));
    mkdirSync(join(root, 'supabase', 'migrations'), { recursive: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Waits until every timestamp of `file` is older than the racy window, as a file edited a while ago is. */
  async function waitUntilSettled(file: string): Promise<void> {
    const stats = statSync(file, { bigint: true });
    const newestMs = Number((stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs) / 1_000_000n);
    while (Date.now() <= newestMs + Number(RACY_WINDOW_NS / 1_000_000n) + 50) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  function countingCache(): { cache: UnchangedFileCache; reader: ReturnType<typeof createFileSystemProjectReader>; reads: () => number } {
    const disk = createFileSystemProjectReader(root);
    let reads = 0;
    const reader = { ...disk, readFile: (relative: string) => (reads++, disk.readFile(relative)) };
    return { cache: new UnchangedFileCache(root), reader, reads: () => reads };
  }

  it('reads a settled file again only when its size or times changed, or it is gone', async function () {
    this.timeout(20_000);
    const path = 'supabase/migrations/20240101000000_notes.sql';
    const file = join(root, path);
    writeFileSync(file, 'create table public.notes (id bigint primary key);\n');
    await waitUntilSettled(file);
    const { cache, reader, reads } = countingCache();
    assert.equal(cache.wrap(reader).readFile(path), 'create table public.notes (id bigint primary key);\n');
    assert.equal(cache.wrap(reader).readFile(path), 'create table public.notes (id bigint primary key);\n');
    assert.equal(reads(), 1);

    writeFileSync(file, 'create table public.notes (id bigint primary key, body text);\n');
    assert.equal(cache.wrap(reader).readFile(path), 'create table public.notes (id bigint primary key, body text);\n');
    assert.equal(reads(), 2);
    // Same size, later modification time: read again.
    writeFileSync(file, 'create table public.notes (id bigint primary key, body json);\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.match(cache.wrap(reader).readFile(path) ?? '', /body json/);
    assert.equal(reads(), 3);

    rmSync(file);
    assert.equal(cache.wrap(reader).readFile(path), undefined);
  });

  it('reads a file changed within the racy window on every run, so a second edit that keeps its size and mtime is seen', () => {
    const path = 'supabase/migrations/20240102000000_posts.sql';
    const file = join(root, path);
    writeFileSync(file, 'create table public.posts (id bigint primary key, body text);\n');
    // Whole seconds, which utimes sets exactly.
    const writtenAt = Math.floor(Date.now() / 1000);
    utimesSync(file, writtenAt, writtenAt);
    const { cache, reader, reads } = countingCache();
    assert.match(cache.wrap(reader).readFile(path) ?? '', /body text/);
    // The same size, and the modification time set back: only the racy-window rule tells.
    writeFileSync(file, 'create table public.posts (id bigint primary key, body json);\n');
    utimesSync(file, writtenAt, writtenAt);
    assert.equal(statSync(file).mtimeMs, writtenAt * 1000);
    assert.match(cache.wrap(reader).readFile(path) ?? '', /body json/);
    assert.equal(reads(), 2);
  });
});
