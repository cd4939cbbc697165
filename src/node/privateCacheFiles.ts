/**
 * The files of pgreview's caches (the shadow's applied states, the check's results): one private
 * folder, files written whole and renamed into place, the least recently used pruned.
 *
 * Entries can hold seed data or show findings a user acts on, so the folder is private (0700) and
 * its files too (0600); a folder another user owns is neither read nor written, and a file another
 * user owns or may write is never read: either could be planted.
 */
import { chmodSync, closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes `directory` the private folder a cache of pgreview's must be, and says whether to use it.
 * It is pgreview's own folder (the CLI's ~/.cache/pgreview, the extension's global storage, a
 * folder in the temporary directory): it is created 0700, and when it exists with access for
 * others (pgreview created it 0755 before), it is tightened to 0700. A folder owned by another
 * user is not used at all: its entries could be planted, and loading one shows a made-up schema.
 */
export function preparePrivateCacheFolder(directory: string): boolean {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const stats = statSync(directory);
    const uid = process.getuid?.();
    if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid)) return false;
    if ((stats.mode & 0o077) !== 0) chmodSync(directory, 0o700);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes one cache file, readable by its owner only, beside its final name and renamed, so a
 * concurrent run never reads half of it. False when the folder is not usable (see above).
 */
export function writePrivateCacheFile(directory: string, name: string, bytes: Uint8Array): boolean {
  if (!preparePrivateCacheFolder(directory)) return false;
  const path = join(directory, name);
  const partial = `${path}.${process.pid}.partial`;
  // A partial file left by a crashed run of the same process id keeps its mode when rewritten; a
  // fresh exclusive create gets 0600 and never follows a link put in its place.
  rmSync(partial, { force: true });
  writeFileSync(partial, bytes, { mode: 0o600, flag: 'wx' });
  renameSync(partial, path);
  return true;
}

/**
 * Reads one cache file of a private folder, or undefined when it is missing, not a regular file,
 * or not this user's alone (owned by another user, or writable by others). A file read is marked
 * as used now, so that pruning keeps it longest.
 */
export function readPrivateCacheFile(directory: string, name: string): Buffer | undefined {
  if (!preparePrivateCacheFolder(directory)) return undefined;
  const path = join(directory, name);
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(descriptor);
    const uid = process.getuid?.();
    if (!stats.isFile() || (uid !== undefined && stats.uid !== uid) || (stats.mode & 0o022) !== 0) return undefined;
    const bytes = readFileSync(descriptor);
    const now = new Date();
    utimesSync(path, now, now);
    return bytes;
  } catch {
    return undefined;
  } finally {
    closeSync(descriptor);
  }
}

/** Keeps the `keep` most recently used files named `<prefix>…<suffix>` and deletes the others. */
export function prunePrivateCacheFiles(directory: string, prefix: string, suffix: string, keep: number): void {
  const entries = readdirSync(directory)
    .filter((name) => name.startsWith(prefix) && name.endsWith(suffix))
    .map((name) => {
      try {
        return { name, used: statSync(join(directory, name)).mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter((entry) => entry !== undefined)
    .sort((a, b) => b.used - a.used);
  for (const entry of entries.slice(keep)) rmSync(join(directory, entry.name), { force: true });
}
