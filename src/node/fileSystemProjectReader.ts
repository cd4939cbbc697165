/**
 * The file-system `ProjectReader`, shared by the CLI and the VS Code extension. It walks the
 * project once, without entering dependency or VCS folders and without following symbolic links
 * (which could loop or leave the project).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectReader } from '../core/project/loadProject';

/**
 * Folders never worth walking: dependencies, VCS data, build output. Hidden folders (`.git`,
 * `.supabase`, `supabase/.temp`) are skipped as a class.
 */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'bower_components', 'vendor', 'target', 'dist', 'out', 'coverage', '__pycache__']);

/** True for a folder name the listing never walks into. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

/** A ProjectReader over a folder on disk. */
export function createFileSystemProjectReader(root: string): ProjectReader {
  let listed: string[] | undefined;
  return {
    listFiles() {
      listed ??= listProjectFiles(root);
      return listed;
    },
    readFile(path) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(root, path));
      } catch (error) {
        if (isMissingFile(error)) return undefined;
        throw error;
      }
      // A leading byte order mark is not part of the SQL; editors hide it too, so offsets agree.
      const text = bytes.toString('utf8');
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    },
    sizeOf(path) {
      try {
        return statSync(join(root, path)).size;
      } catch (error) {
        if (isMissingFile(error)) return undefined;
        throw error;
      }
    },
  };
}

/** Relative paths (forward slashes) of the files under `root`, skipping dependency, build and hidden folders. */
function listProjectFiles(root: string): string[] {
  const files: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    let entries;
    try {
      entries = readdirSync(folder ? join(root, folder) : root, { withFileTypes: true });
    } catch (error) {
      // The root itself must be readable; an unreadable subfolder is left out like a hidden one.
      if (folder === '') throw error;
      continue;
    }
    for (const entry of entries) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) pending.push(path);
      } else if (entry.isFile()) {
        files.push(path);
      }
    }
  }
  return files.sort();
}

function isMissingFile(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
