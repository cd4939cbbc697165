/**
 * Keeps the texts a file-system `ProjectReader` read, with the size and modification time they
 * had, so that a long-running front end re-checking on every keystroke reads again only the files
 * that changed on disk: statting 500 migrations costs a fraction of reading them.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectReader } from '../core/project/loadProject';

interface KeptText {
  mtimeMs: number;
  size: number;
  text: string | undefined;
}

/** A cache of file texts under one project folder, to wrap each run's reader with. */
export class UnchangedFileCache {
  private readonly texts = new Map<string, KeptText>();

  constructor(private readonly root: string) {}

  /**
   * `reader` with its `readFile` answered from the cache while a file's size and modification
   * time stay the same; anything else (a missing file, an error, a file read for the first time)
   * goes to `reader`, which applies its rules (links out of the project, unreadable files).
   */
  wrap(reader: ProjectReader): ProjectReader {
    return {
      listFiles: () => reader.listFiles(),
      listSkippedFolders: () => reader.listSkippedFolders?.() ?? [],
      sizeOf: (path) => reader.sizeOf?.(path),
      readFile: (path) => {
        let stats;
        try {
          stats = statSync(join(this.root, path));
        } catch {
          this.texts.delete(path);
          return reader.readFile(path);
        }
        const kept = this.texts.get(path);
        if (kept && kept.mtimeMs === stats.mtimeMs && kept.size === stats.size) return kept.text;
        this.texts.delete(path);
        const text = reader.readFile(path);
        this.texts.set(path, { mtimeMs: stats.mtimeMs, size: stats.size, text });
        return text;
      },
    };
  }
}
