/**
 * The language server re-reads the project on every keystroke; files unchanged on disk come from
 * the cache, and a changed or deleted file is read again through the real reader.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSystemProjectReader } from '../../src/node/fileSystemProjectReader';
import { UnchangedFileCache } from '../../src/node/unchangedFileCache';

describe('UnchangedFileCache', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pgreview-cache-'));
    mkdirSync(join(root, 'supabase', 'migrations'), { recursive: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads a file again only when its size or modification time changed, or it is gone', () => {
    const path = 'supabase/migrations/20240101000000_notes.sql';
    const file = join(root, path);
    writeFileSync(file, 'create table public.notes (id bigint primary key);\n');
    const disk = createFileSystemProjectReader(root);
    let reads = 0;
    const counting = { ...disk, readFile: (relative: string) => (reads++, disk.readFile(relative)) };
    const cache = new UnchangedFileCache(root);
    assert.equal(cache.wrap(counting).readFile(path), 'create table public.notes (id bigint primary key);\n');
    assert.equal(cache.wrap(counting).readFile(path), 'create table public.notes (id bigint primary key);\n');
    assert.equal(reads, 1);

    writeFileSync(file, 'create table public.notes (id bigint primary key, body text);\n');
    assert.equal(cache.wrap(counting).readFile(path), 'create table public.notes (id bigint primary key, body text);\n');
    assert.equal(reads, 2);
    // Same size, later modification time: read again.
    writeFileSync(file, 'create table public.notes (id bigint primary key, body json);\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.match(cache.wrap(counting).readFile(path) ?? '', /body json/);
    assert.equal(reads, 3);

    rmSync(file);
    assert.equal(cache.wrap(counting).readFile(path), undefined);
  });
});
