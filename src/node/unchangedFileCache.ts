/**
 * Keeps the texts a file-system `ProjectReader` read, with the stat signature they had, so that a
 * long-running front end re-checking on every keystroke reads again only the files that changed
 * on disk: statting 500 migrations costs a fraction of reading them. A text read while its file
 * was not yet settled (changed within the racy window, `fileStatSignature`) is read again on each
 * run until it is, since a second change in the same timestamp tick keeps the signature.
 */
import { join } from 'node:path';
import type { ProjectReader } from '../core/project/loadProject';
import { fileStatSignature, wallClockNs, type FileStatSignature } from './fileStatSignature';

interface KeptText extends FileStatSignature {
  text: string | undefined;
}

/** A cache of file texts under one project folder, to wrap each run's reader with. */
export class UnchangedFileCache {
  private readonly texts = new Map<string, KeptText>();

  constructor(private readonly root: string) {}

  /**
   * `reader` with its `readFile` answered from the cache while a settled file's stat signature
   * stays the same; anything else (a missing file, an error, a file read for the first time or not
   * yet settled) goes to `reader`, which applies its rules (links out of the project, unreadable files).
   */
  wrap(reader: ProjectReader): ProjectReader {
    return {
      listFiles: () => reader.listFiles(),
      listSkippedFolders: () => reader.listSkippedFolders?.() ?? [],
      sizeOf: (path) => reader.sizeOf?.(path),
      readFile: (path) => {
        let stat;
        try {
          stat = fileStatSignature(join(this.root, path), wallClockNs());
        } catch {
          stat = undefined;
        }
        if (!stat) {
          this.texts.delete(path);
          return reader.readFile(path);
        }
        const kept = this.texts.get(path);
        if (kept && kept.settled && kept.signature === stat.signature) return kept.text;
        this.texts.delete(path);
        const text = reader.readFile(path);
        this.texts.set(path, { ...stat, text });
        return text;
      },
    };
  }
}
