/**
 * What a `pgreview check` read, kept beside its cache entries so that the next check with the same
 * arguments tells its cache keys by statting the files rather than reading and hashing them, as
 * git's index does (issue 14: a second run over unchanged files in ≤ 150 ms).
 *
 * A snapshot holds the project's listing (as a hash), every file the check read: its path, the
 * SHA-256 of its text (or that it did not exist) and its stat signature (size, mtime and ctime in
 * nanoseconds, inode, device), and every size the reader's `sizeOf` answered (a migration over
 * 10 MB, or over the project's budget, is skipped by its size alone, never read). The keys stay
 * what checkResultCache.ts derives from the texts: a snapshot only says that the texts are those
 * the keys were computed from. Loading the project is a function of the listing, of the texts read
 * and of the sizes asked, so when all three are as they were, the project, its config and so the
 * keys are the same. A size is compared as it is now, by a stat, unless the signature of the same
 * file, settled and equal, already proves it.
 *
 * A file is taken as unchanged without being read only when its signature is equal and it was
 * settled when the snapshot was taken: its mtime and ctime older than the moment reading began,
 * by more than any file system's timestamp granularity. A file changed within that window of being
 * read can keep its timestamps ("racy git"), so it is read and hashed every time, and the snapshot
 * is taken again once it has settled. Anything else that differs (a new, deleted or renamed file,
 * another signature) has the file read and hashed; one text that differs, or a read that fails,
 * and the snapshot does not answer. A file that is not a regular file (a `--config /dev/stdin`
 * that is a pipe now) is never read here: its text is the check's to consume, so it is changed.
 */
import { sep } from 'node:path';
import type { ProjectReader } from '../core/project/loadProject';
import { checksum, readEntry, runningCodeIdentity, writeEntry } from './checkResultCache';
import { createFileSystemProjectReader, readRegularFile } from './fileSystemProjectReader';
import { fileStatSignature, wallClockNs } from './fileStatSignature';
import { sha256 } from './sha256';

/** Bump when the snapshot's layout or meaning changes. */
const SNAPSHOT_FORMAT = 'pgreview-check-input-3';

export const SNAPSHOT_ENTRY_PREFIX = 'pgreview-input-';

/** One file a check read, as a snapshot holds it. */
interface FileRead {
  /** Relative to the project folder for a project file; absolute for one named on the command line (`--config`). */
  path: string;
  /** Read through the project's reader (its rules about links apply), not named on the command line. */
  inProject: boolean;
  /** The SHA-256 of the text read; null when the file did not exist. */
  sha256: string | null;
  /** `size:mtimeNs:ctimeNs:ino:dev`; absent when the file did not exist. */
  signature?: string;
  /** True when its timestamps were older than the snapshot's start of reading by RACY_WINDOW_NS. */
  settled: boolean;
}

/** A size the project's reader told the check (`sizeOf`), which decides whether a migration is read at all. */
interface SizeAsked {
  /** Relative to the project folder. */
  path: string;
  /** null when the reader could not tell (not a regular file, missing, outside the project). */
  size: number | null;
}

/** What a check read, and the keys and output it came to. */
export interface CheckInputSnapshot {
  projectDir: string;
  /** The project's listing as JSON: its files, and the folders it skipped with why. */
  listing: string;
  reads: FileRead[];
  sizes: SizeAsked[];
  /** What reading the project printed on standard error (warnings about it), for a run answered from the snapshot to print again. */
  warnings: string[];
  /** The check's cache keys (see checkResultCache.ts). */
  keys: { result: string; report: string };
  /** `--format` and `--output`, which the printing of a stored report needs. */
  format: string;
  output: string | undefined;
}

interface SnapshotPayload extends CheckInputSnapshot {
  /** Wall-clock nanoseconds since 1970 just before the first file was read. */
  readStartedNs: string;
  /** The invocation it was taken for, in full: the entry's name is only a checksum of it. */
  invocation: string;
}

/** What a snapshot is stored under: everything besides the files that decides a check's input. */
export interface CheckInvocation {
  args: readonly string[];
  cwd: string;
  version: string;
}

/**
 * Records the reads of one check: wrap its project reader, and record a file it reads itself.
 * Files are stat after the check has read them; a change in between leaves a timestamp after the
 * start of reading, which is never settled.
 */
export class CheckInputRecorder {
  private readonly readStartedNs = wallClockNs();
  private readonly texts = new Map<string, { inProject: boolean; text: string | undefined }>();
  private readonly sizes = new Map<string, number | undefined>();
  private listing: string | undefined;
  /** Set when the check read something a snapshot cannot stand for (a failed read). */
  private incomplete = false;

  /** `reader`, recording its listing, the text of each file it reads and each size it tells. */
  wrap(reader: ProjectReader): ProjectReader {
    return {
      listFiles: () => {
        const files = reader.listFiles();
        this.listing = listingJson(files, reader.listSkippedFolders?.() ?? []);
        return files;
      },
      listSkippedFolders: () => reader.listSkippedFolders?.() ?? [],
      sizeOf: (path) => {
        const size = reader.sizeOf?.(path);
        this.sizes.set(path, size);
        return size;
      },
      readFile: (path) => {
        try {
          const text = reader.readFile(path);
          this.texts.set(path, { inProject: true, text });
          return text;
        } catch (error) {
          this.incomplete = true;
          throw error;
        }
      },
    };
  }

  /** Records a file the check read by its absolute path, outside the project's reader. */
  recordFile(absolutePath: string, text: string): void {
    this.texts.set(absolutePath, { inProject: false, text });
  }

  /** The payload to store, or undefined when the check read something a snapshot cannot stand for. */
  snapshot(invocation: CheckInvocation, input: Omit<CheckInputSnapshot, 'listing' | 'reads' | 'sizes'>): SnapshotPayload | undefined {
    if (this.incomplete || this.listing === undefined) return undefined;
    const reads: FileRead[] = [];
    for (const [path, { inProject, text }] of this.texts) {
      const stat = fileStatSignature(inProject ? inFolder(input.projectDir, path) : path, this.readStartedNs);
      // A file that appeared or vanished since it was read: the next check reads it anyway.
      if ((text === undefined) !== (stat === undefined)) return undefined;
      // A pipe or a device (`--config /dev/stdin`): its stat says nothing of what it gives next time.
      if (stat !== undefined && !stat.regularFile) return undefined;
      reads.push({ path, inProject, sha256: text === undefined ? null : sha256(text), signature: stat?.signature, settled: stat?.settled ?? true });
    }
    const sizes = [...this.sizes].map(([path, size]) => ({ path, size: size ?? null }));
    return { ...input, listing: this.listing, reads, sizes, readStartedNs: String(this.readStartedNs), invocation: invocationJson(invocation) };
  }
}

/** Stores what a check read (see CheckInputRecorder) under its invocation. Never throws. */
export function writeCheckInputSnapshot(directory: string, payload: SnapshotPayload): void {
  writeEntry(directory, SNAPSHOT_ENTRY_PREFIX, entryKey(payload.invocation), payload);
}

/** How the files a stored snapshot names compare with the files now. */
export interface SnapshotComparison {
  /** The snapshot, when the listing and every text are as it holds; undefined when one differs or cannot be read. */
  unchanged: CheckInputSnapshot | undefined;
  /** How many files had to be read to tell (those not settled, or whose signature differs). */
  filesRead: number;
}

/**
 * Compares the snapshot stored for this invocation with the files now; undefined when none is
 * stored or it cannot be trusted (it is then deleted). Files not settled are read and hashed, and
 * when all have kept their texts the snapshot is taken again, so that the next run finds them settled.
 * A size is asked of the reader again unless a settled, equal signature of the file proves it.
 * A difference stops the comparison: the check that follows reads every file anyway.
 */
export function readUnchangedCheckInput(directory: string, invocation: CheckInvocation): SnapshotComparison | undefined {
  const invocationText = invocationJson(invocation);
  const key = entryKey(invocationText);
  const stored = readEntry(directory, SNAPSHOT_ENTRY_PREFIX, key, isSnapshotPayload);
  // Another invocation whose checksum is the same is no snapshot of this one.
  if (!stored || stored.invocation !== invocationText) return undefined;
  const checkStartedNs = wallClockNs();
  const reader = createFileSystemProjectReader(stored.projectDir);
  let filesRead = 0;
  const changed = () => ({ unchanged: undefined, filesRead });
  try {
    if (listingJson(reader.listFiles(), reader.listSkippedFolders?.() ?? []) !== stored.listing) return changed();
    const reads: FileRead[] = [];
    /** The sizes of project files whose settled, equal signature proves they are unchanged. */
    const provenSizes = new Map<string, number>();
    for (const read of stored.reads) {
      const absolutePath = read.inProject ? inFolder(stored.projectDir, read.path) : read.path;
      const stat = fileStatSignature(absolutePath, checkStartedNs);
      if (read.sha256 === null) {
        // A file that did not exist still does not: the listing covers most, not a config named outside it.
        if (stat !== undefined) return changed();
        reads.push(read);
        continue;
      }
      // Not a regular file now (a pipe, a device): reading it here would consume what the check is to read.
      if (stat === undefined || !stat.regularFile) return changed();
      if (!(read.settled && stat.signature === read.signature)) {
        filesRead++;
        // Opened without blocking and read only if still a regular file (readRegularFile): it may have become a pipe since the stat.
        const text = read.inProject ? reader.readFile(read.path) : readRegularFile(absolutePath, absolutePath, false)?.toString('utf8');
        if (text === undefined || sha256(text) !== read.sha256) return changed();
      } else if (read.inProject) {
        provenSizes.set(read.path, stat.size);
      }
      reads.push({ ...read, signature: stat.signature, settled: stat.settled });
    }
    // A migration skipped for its size was never read: only its size tells an edit of it.
    for (const { path, size } of stored.sizes) {
      if (provenSizes.get(path) !== size && (reader.sizeOf?.(path) ?? null) !== size) return changed();
    }
    if (filesRead > 0) writeEntry(directory, SNAPSHOT_ENTRY_PREFIX, key, { ...stored, reads, readStartedNs: String(checkStartedNs) } satisfies SnapshotPayload);
  } catch {
    // A file that cannot be read now: the check reads the project and says what is wrong.
    return changed();
  }
  const { readStartedNs: _, ...snapshot } = stored;
  return { unchanged: snapshot, filesRead };
}

function invocationJson({ args, cwd, version }: CheckInvocation): string {
  return JSON.stringify([SNAPSHOT_FORMAT, version, runningCodeIdentity(), cwd, args]);
}

/** The entry's key: a checksum of the invocation, which the entry holds in full. */
function entryKey(invocationText: string): string {
  return checksum(invocationText);
}

function listingJson(files: readonly string[], skippedFolders: readonly { path: string; reason: string }[]): string {
  return JSON.stringify([files, skippedFolders]);
}

/** `folder`/`path` for a path relative to it with forward slashes, as the project's reader lists them; path.join would normalise each again. */
function inFolder(folder: string, path: string): string {
  return `${folder}${folder.endsWith(sep) ? '' : sep}${path}`;
}


function isSnapshotPayload(value: unknown): value is SnapshotPayload {
  const payload = value as SnapshotPayload;
  return (
    typeof payload?.projectDir === 'string' &&
    typeof payload.listing === 'string' &&
    typeof payload.readStartedNs === 'string' &&
    typeof payload.invocation === 'string' &&
    typeof payload.format === 'string' &&
    (payload.output === undefined || typeof payload.output === 'string') &&
    typeof payload.keys?.result === 'string' &&
    typeof payload.keys.report === 'string' &&
    Array.isArray(payload.warnings) &&
    payload.warnings.every((warning) => typeof warning === 'string') &&
    Array.isArray(payload.sizes) &&
    payload.sizes.every((asked) => typeof asked?.path === 'string' && (asked.size === null || typeof asked.size === 'number')) &&
    Array.isArray(payload.reads) &&
    payload.reads.every(
      (read) =>
        typeof read?.path === 'string' &&
        typeof read.inProject === 'boolean' &&
        typeof read.settled === 'boolean' &&
        (read.sha256 === null ? read.signature === undefined : typeof read.sha256 === 'string' && typeof read.signature === 'string'),
    )
  );
}
