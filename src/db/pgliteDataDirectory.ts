/**
 * A PGlite data directory copied out of its in-memory file system and back in, for the shadow's
 * baseline snapshot and applied states. PGlite's own `dumpDataDir` / `loadDataDir` go through a
 * tar, Web Streams compression and a Blob, which in Node copy the 150 MB data directory of a large
 * project several times over, on the main thread: seconds each way. Here the files are gathered
 * without copying them one by one, compressed on libuv's threads (level 1: decompression costs the
 * same at any level, and level 1 compresses several times faster), and on load each file of the
 * decompressed buffer is handed to the file system as a view of that buffer, never copied.
 *
 * Layout, before compression: a 4-byte big-endian length, the manifest (JSON: directories, then
 * files with their sizes, relative to PGDATA), then the files' bytes back to back.
 */
import { promisify } from 'node:util';
import { constants as zlibConstants, gunzip, gzip } from 'node:zlib';
import type { MemoryFS, PGlite } from '@electric-sql/pglite';

/** PGlite's data directory in its file system (`PGDATA` in PGlite's initdb.ts). */
const PGDATA = '/pglite/data';

/** A sanity bound on one output chunk; a larger data directory is decompressed in several. */
const MAX_DATA_DIRECTORY_BYTES = 1 << 30;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

interface Manifest {
  directories: string[];
  files: [path: string, size: number][];
}

/** The parts of Emscripten's FS this file uses. */
interface EmscriptenFs {
  readdir(path: string): string[];
  stat(path: string): { mode: number };
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  lookupPath(path: string): { node: { contents?: Uint8Array | number[] | null; usedBytes?: number } };
  readFile(path: string): Uint8Array;
  mkdir(path: string): void;
  analyzePath(path: string): { exists: boolean };
  writeFile(path: string, data: Uint8Array, options?: { canOwn?: boolean }): void;
}

/**
 * The data directory of a running PGlite, compressed. Call it after a checkpoint, with no query
 * running: the files are copied before it returns, so queries may run while the promise (the
 * compression, on libuv's threads) is pending.
 */
export function dumpPgliteDataDirectory(db: PGlite): Promise<Uint8Array> {
  const fs = db.Module.FS as unknown as EmscriptenFs;
  const manifest: Manifest = { directories: [], files: [] };
  const contents: Uint8Array[] = [];
  const visit = (relative: string): void => {
    for (const name of fs.readdir(`${PGDATA}${relative}`)) {
      if (name === '.' || name === '..') continue;
      const path = `${relative}/${name}`;
      const { mode } = fs.stat(`${PGDATA}${path}`);
      if (fs.isDir(mode)) {
        manifest.directories.push(path);
        visit(path);
      } else if (fs.isFile(mode)) {
        const bytes = fileContents(fs, `${PGDATA}${path}`);
        manifest.files.push([path, bytes.length]);
        contents.push(bytes);
      }
    }
  };
  visit('');
  const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(manifestBytes.length);
  // The one copy: after it, PGlite may write to its files while the thread pool compresses.
  const raw = Buffer.concat([length, manifestBytes, ...contents]);
  return gzipAsync(raw, { level: 1 }).then((compressed) => new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength));
}

/**
 * A file system for `new PGlite({ fs })` that starts with the dumped data directory in it, so
 * PGlite finds a database and neither runs initdb nor loads a tarball. The dump may still be
 * decompressing (a promise): that then overlaps PGlite compiling and instantiating its WebAssembly.
 * Rejects PGlite's start when the dump is not one (a damaged or foreign file).
 */
export function preloadedFileSystem(MemoryFSClass: typeof MemoryFS, dump: Uint8Array): MemoryFS {
  const raw = gunzipAsync(dump, { chunkSize: outputChunkSize(dump) });
  // Handled where PGlite awaits initialSyncFs; this only keeps an early failure from being reported as unhandled.
  raw.catch(() => undefined);
  return new (class extends MemoryFSClass {
    override async initialSyncFs(): Promise<void> {
      await super.initialSyncFs();
      const fs = (this.pg as PGlite).Module.FS as unknown as EmscriptenFs;
      writeDataDirectory(fs, new Uint8Array(await raw));
    }
  })();
}

/**
 * One output chunk as large as the data directory (gzip's trailer gives its size), so zlib hands
 * back its output buffer instead of concatenating 64 kB chunks into a copy.
 */
function outputChunkSize(dump: Uint8Array): number {
  if (dump.length < 18) return zlibConstants.Z_DEFAULT_CHUNK;
  const size = new DataView(dump.buffer, dump.byteOffset, dump.byteLength).getUint32(dump.length - 4, true);
  return Math.min(Math.max(size + 1, zlibConstants.Z_DEFAULT_CHUNK), MAX_DATA_DIRECTORY_BYTES);
}

function writeDataDirectory(fs: EmscriptenFs, raw: Uint8Array): void {
  if (raw.length < 4) throw new Error('not a PGlite data directory dump');
  const manifestLength = new DataView(raw.buffer, raw.byteOffset, raw.byteLength).getUint32(0);
  const manifest = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset + 4, manifestLength).toString('utf8')) as Manifest;
  if (!Array.isArray(manifest.directories) || !Array.isArray(manifest.files)) throw new Error('not a PGlite data directory dump');
  let offset = 4 + manifestLength;
  const total = manifest.files.reduce((sum, [, size]) => sum + size, offset);
  if (total !== raw.length) throw new Error('a PGlite data directory dump of the wrong length');
  if (fs.analyzePath(`${PGDATA}/PG_VERSION`).exists) throw new Error('PGlite has a data directory already');
  if (!fs.analyzePath(PGDATA).exists) fs.mkdir(PGDATA);
  for (const directory of manifest.directories) fs.mkdir(`${PGDATA}${directory}`);
  for (const [path, size] of manifest.files) {
    // canOwn: the file system keeps the view instead of copying it; the buffer is this file system's alone.
    fs.writeFile(`${PGDATA}${path}`, raw.subarray(offset, offset + size), { canOwn: true });
    offset += size;
  }
}

/** A file's bytes without a copy where MEMFS keeps them in a typed array (it does for every file PostgreSQL writes). */
function fileContents(fs: EmscriptenFs, path: string): Uint8Array {
  const { node } = fs.lookupPath(path);
  if (node.contents instanceof Uint8Array) return node.contents.subarray(0, node.usedBytes ?? node.contents.length);
  return fs.readFile(path);
}
