/**
 * The file-system `ProjectReader`, shared by the CLI and the VS Code extension. It walks the
 * project once, without entering dependency or VCS folders. It follows symbolic links that stay
 * inside the project (a linked migrations folder is common in monorepos), walks each linked
 * folder once and never into a folder it is already inside, so a link loop ends. It reads no file
 * outside the project: a link that leaves it is listed, and reading it says so, because its text
 * would end up in reports (a syntax error quotes the file).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { UnreadableFileError } from '../core/errors';
import type { ProjectReader, SkippedFolder } from '../core/project/loadProject';

/**
 * Folders never worth walking: dependencies, VCS data, build output. Hidden folders (`.git`,
 * `.supabase`, `supabase/.temp`) are skipped as a class.
 */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'bower_components', 'vendor', 'target', 'dist', 'out', 'coverage', '__pycache__']);

/** True for a folder name the listing never walks into. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

/**
 * Opening without blocking: a named pipe opened for reading would otherwise wait for a writer
 * forever. It changes nothing for a regular file (Windows has no such flag and no such pipes).
 */
const OPEN_WITHOUT_BLOCKING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The same, for a file the listing found as no link: a link put in its place since is not followed
 * (ELOOP). Without O_NOFOLLOW (Windows) every file's real path is asked of the file system.
 */
const OPEN_LISTED_FILE = constants.O_NOFOLLOW === undefined ? undefined : OPEN_WITHOUT_BLOCKING | constants.O_NOFOLLOW;

/** A ProjectReader over a folder on disk. */
export function createFileSystemProjectReader(root: string): ProjectReader {
  let listing: ProjectListing | undefined;
  let realRoot: string | undefined;
  const projectRoot = () => (realRoot ??= realPathOf(root));
  const list = () => (listing ??= listProjectFiles(root, projectRoot()));
  /** The real path of a file, from the listing when it found one, else from the file system; see resolveInsideProject. */
  const realPath = (path: string): { real: string | undefined; listed: boolean } => {
    const listed = listing?.realPaths.get(path);
    return listed === undefined ? { real: resolveInsideProject(root, projectRoot(), path), listed: false } : { real: listed, listed: true };
  };
  return {
    listFiles() {
      return list().files;
    },
    listSkippedFolders() {
      return list().skippedFolders;
    },
    readFile(path) {
      const { real, listed } = realPath(path);
      if (real === undefined) return undefined;
      let bytes = readRegularFile(real, path, listed);
      if (bytes === undefined) {
        // Listed as a file, and a symbolic link now or gone: it gets the checks of any path.
        const resolved = resolveInsideProject(root, projectRoot(), path);
        if (resolved === undefined) return undefined;
        bytes = readRegularFile(resolved, path, false) as Buffer;
      }
      // A leading byte order mark is not part of the SQL; editors hide it too, so offsets agree.
      const text = bytes.toString('utf8');
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    },
    sizeOf(path) {
      // Anything odd about the file (missing, outside, not regular, a link since it was listed) is readFile's to report.
      try {
        const { real, listed } = realPath(path);
        const stats = real === undefined ? undefined : listed ? lstatSync(real) : statSync(real);
        return stats?.isFile() ? stats.size : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Applies the reader's rule about links to a file whose text comes from elsewhere (an editor's
 * buffer): throws an UnreadableFileError when `path` leads out of the project or through a broken
 * link. A file not on disk (yet) passes.
 */
export function assertInsideProject(root: string, path: string): void {
  resolveInsideProject(root, realPathOf(root), path);
}

/** The real path of the project folder; a folder that is gone is its own (its files are then missing, not outside). */
function realPathOf(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return resolve(root);
  }
}

/**
 * The real path of a project file, or undefined when there is none. Throws an UnreadableFileError
 * when the path leads outside the project or through a broken link.
 */
function resolveInsideProject(root: string, realRoot: string, path: string): string | undefined {
  let real: string;
  try {
    // The C library's realpath: one call per file, where Node's own lstats every folder on the way.
    real = realpathSync.native(join(root, path));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP') throw new UnreadableFileError(path, 'is a symbolic link that loops: it leads to no file', { cause: error });
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (isDanglingLink(join(root, path))) throw new UnreadableFileError(path, 'is a symbolic link to a file that does not exist', { cause: error });
      return undefined;
    }
    throw new UnreadableFileError(path, describeReadError(error), { cause: error });
  }
  if (!isInsideFolder(real, realRoot)) throw new UnreadableFileError(path, `is a symbolic link to ${real}, outside the project: pgreview reads no file outside the project folder`);
  return real;
}

/**
 * The bytes of a regular file; anything else (a pipe, a socket, a device, a folder) is refused
 * before it is read. `listed`: `real` is where the listing found a file that was no link, and is
 * opened without following one; undefined when it has become a link, or is gone, since.
 */
export function readRegularFile(real: string, path: string, listed: boolean): Buffer | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(real, listed && OPEN_LISTED_FILE !== undefined ? OPEN_LISTED_FILE : OPEN_WITHOUT_BLOCKING);
  } catch (error) {
    // A link put in its place, or a file gone since the walk: the file system says which, as for any path.
    if (listed && ['ELOOP', 'ENOENT', 'ENOTDIR'].includes(errorCode(error) ?? '')) return undefined;
    throw new UnreadableFileError(path, describeReadError(error), { cause: error });
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) throw new UnreadableFileError(path, `is ${describeFileType(stats)}, not a regular file`);
    return readFileSync(descriptor);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(path, describeReadError(error), { cause: error });
  } finally {
    closeSync(descriptor);
  }
}

/** What the walk of a project found. */
interface ProjectListing {
  files: string[];
  skippedFolders: SkippedFolder[];
  /**
   * The real path of each listed file that is no symbolic link: its folder's real path and its
   * name. Reading it then needs no realpath call (a tenth of a cached check's time).
   */
  realPaths: Map<string, string>;
}

/**
 * Relative paths (forward slashes) of the files under `root`, skipping dependency, build and
 * hidden folders, and the folders it could not or would not enter.
 */
function listProjectFiles(root: string, realRoot: string): ProjectListing {
  const files: string[] = [];
  const realPaths = new Map<string, string>();
  const skippedFolders: SkippedFolder[] = [];
  // Each linked folder is walked once: two links to one folder cannot multiply the walk.
  const linkedFoldersWalked = new Set<string>();
  // Breadth first, each folder's entries by name: when two links lead to one folder, the one
  // nearest the root (then the first by name) is walked, whatever order the file system lists.
  const pending: { path: string; real: string }[] = [{ path: '', real: realRoot }];
  for (let next = 0; next < pending.length; next++) {
    const folder = pending[next];
    let entries;
    try {
      entries = readdirSync(folder.path ? join(root, folder.path) : root, { withFileTypes: true });
    } catch (error) {
      // The root itself must be readable; a subfolder that is not is reported, and the rest listed.
      if (folder.path === '') throw error;
      skippedFolders.push({ path: folder.path, reason: `the folder ${describeReadError(error)}: its files are not reviewed` });
      continue;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = folder.path ? `${folder.path}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) pending.push({ path, real: join(folder.real, entry.name) });
      } else if (entry.isSymbolicLink()) {
        const target = resolveLink(join(root, path));
        if (target === undefined || !target.isDirectory) {
          // A linked file, or a broken link: reading it says what it is.
          files.push(path);
        } else if (isSkippedFolder(entry.name)) {
          continue;
        } else if (!isInsideFolder(target.real, realRoot)) {
          skippedFolders.push({ path, reason: `a symbolic link to the folder ${target.real}, outside the project: its files are not reviewed` });
        } else if (!isInsideFolder(folder.real, target.real) && !linkedFoldersWalked.has(target.real)) {
          // A link to a folder the walk is inside of would loop; that folder is listed already.
          linkedFoldersWalked.add(target.real);
          pending.push({ path, real: target.real });
        }
      } else {
        // A named pipe or a socket is listed too: reading it says what it is, where a migration
        // would otherwise vanish without a word.
        files.push(path);
        // Joined by hand: path.join normalises each of 500 paths again, a tenth of a cached check's listing.
        if (OPEN_LISTED_FILE !== undefined) realPaths.set(path, `${folder.real}${folder.real.endsWith(sep) ? '' : sep}${entry.name}`);
      }
    }
  }
  return { files: files.sort(), skippedFolders: skippedFolders.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), realPaths };
}

/** Where a symbolic link leads, or undefined when it leads nowhere (broken, or a loop). */
function resolveLink(absolute: string): { real: string; isDirectory: boolean } | undefined {
  try {
    const real = realpathSync(absolute);
    return { real, isDirectory: statSync(real).isDirectory() };
  } catch {
    return undefined;
  }
}

/** True when `path` is `folder` or inside it; both are real paths. */
function isInsideFolder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

function isDanglingLink(absolute: string): boolean {
  try {
    return lstatSync(absolute).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Why a file or folder could not be read, as a clause after its path. */
function describeReadError(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return `cannot be read (permission denied, ${code})`;
  return `cannot be read (${code ?? String(error)})`;
}

function describeFileType(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'a special file';
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
