/**
 * A file's stat signature, and whether it can be trusted to tell the file's text is unchanged: the
 * rule git's index follows. A file changed within a timestamp tick of being read can keep its
 * size and times ("racy git"), so a signature taken then proves nothing and the file is read again.
 */
import { statSync } from 'node:fs';

/**
 * How much older than the start of reading a file's timestamps must be for its stat signature to
 * be trusted: FAT and some network file systems keep times to 2 s, ext4 and APFS to the
 * nanosecond; and a file system's clock can be a little ahead of this process's.
 */
export const RACY_WINDOW_NS = 2_000_000_000n;

export interface FileStatSignature {
  /** Size, mtime and ctime in nanoseconds, inode and device. */
  signature: string;
  /** True when its timestamps were older than `readStartedNs` by RACY_WINDOW_NS. */
  settled: boolean;
  /** Its size in bytes. */
  size: number;
  /** False for a pipe, a device or a folder (a link is followed): reading one may consume or block, and its stat says nothing of its text. */
  regularFile: boolean;
}

/** The signature of a file about to be read (or read) from `readStartedNs` on; undefined when it does not exist. */
export function fileStatSignature(absolutePath: string, readStartedNs: bigint): FileStatSignature | undefined {
  const stats = statSync(absolutePath, { bigint: true, throwIfNoEntry: false });
  if (stats === undefined) return undefined;
  const signature = `${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}:${stats.ino}:${stats.dev}`;
  const settledBefore = readStartedNs - RACY_WINDOW_NS;
  const regularFile = stats.isFile();
  return { signature, settled: regularFile && stats.mtimeNs < settledBefore && stats.ctimeNs < settledBefore, size: Number(stats.size), regularFile };
}

/** Now, on the clock file systems stamp files with, in nanoseconds. */
export function wallClockNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
