/**
 * A project as an editor sees it: a file-system listing, with the texts of the files open in the
 * editor in place of the disk, so unsaved edits are analysed. It records which document version
 * each file had, which code actions check before they offer a fix. VS Code and the language server
 * both read a project through it.
 */
import type { ProjectReader } from '../core/project/loadProject';
import { assertInsideProject } from './fileSystemProjectReader';

/** The text and version of a document open in the editor. */
export interface OpenDocumentText {
  text: string;
  version: number;
}

export interface OverlayProjectReader extends ProjectReader {
  /** Versions of the files read from open documents during this run, by relative path. */
  readonly versions: Map<string, number>;
}

/**
 * A reader for one run. `listing` is the file-system reader whose file list is reused between
 * runs until a file is created or deleted; `openDocument` gives the open document of a relative
 * path; `root`, the project folder on disk when there is one, applies the disk's rule about links
 * to open documents too.
 */
export function createOverlayProjectReader(listing: ProjectReader, openDocument: (path: string) => OpenDocumentText | undefined, root: string | undefined): OverlayProjectReader {
  const versions = new Map<string, number>();
  return {
    versions,
    listFiles: () => listing.listFiles(),
    listSkippedFolders: () => listing.listSkippedFolders?.() ?? [],
    readFile(path) {
      const open = openDocument(path);
      if (!open) return listing.readFile(path);
      // An open document follows the disk's rules too: a link out of the project is not reviewed.
      if (root !== undefined) assertInsideProject(root, path);
      versions.set(path, open.version);
      return open.text;
    },
    sizeOf(path) {
      const open = openDocument(path);
      return open ? open.text.length : listing.sizeOf?.(path);
    },
  };
}
