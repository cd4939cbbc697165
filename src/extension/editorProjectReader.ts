/**
 * The project as the editor sees it: the shared file-system reader (src/node), with the text of
 * open editors in place of the disk, so unsaved edits are analysed. It records which document
 * version each file had, which code actions check before they offer a fix.
 */
import * as vscode from 'vscode';
import type { ProjectReader } from '../core/project/loadProject';
import { assertInsideProject, createFileSystemProjectReader } from '../node/fileSystemProjectReader';

export interface EditorProjectReader extends ProjectReader {
  /** Versions of the files read from open editors during this run, by relative path. */
  readonly versions: Map<string, number>;
}

/**
 * A reader for one run. `listing` is the file-system reader whose file list is reused between
 * runs until a file is created or deleted.
 */
export function createEditorProjectReader(root: vscode.Uri, listing: ProjectReader): EditorProjectReader {
  const openDocuments = new Map<string, vscode.TextDocument>();
  for (const document of vscode.workspace.textDocuments) {
    if (document.uri.scheme === root.scheme) openDocuments.set(relativePath(root, document.uri), document);
  }
  const versions = new Map<string, number>();
  return {
    versions,
    listFiles: () => listing.listFiles(),
    listSkippedFolders: () => listing.listSkippedFolders?.() ?? [],
    readFile(path) {
      const open = openDocuments.get(path);
      if (!open) return listing.readFile(path);
      // An open document follows the disk's rules too: a link out of the project is not reviewed.
      if (root.scheme === 'file') assertInsideProject(root.fsPath, path);
      versions.set(path, open.version);
      return open.getText();
    },
    sizeOf(path) {
      const open = openDocuments.get(path);
      return open ? open.getText().length : listing.sizeOf?.(path);
    },
  };
}

/** The file-system reader of a workspace folder; create a new one when files appear or go. */
export function createWorkspaceListing(root: vscode.Uri): ProjectReader {
  return createFileSystemProjectReader(root.fsPath);
}

/** True when `uri` is `folder` or inside it (same scheme and authority). */
export function isInside(folder: vscode.Uri, uri: vscode.Uri): boolean {
  if (uri.scheme !== folder.scheme || uri.authority !== folder.authority) return false;
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path === folder.path || uri.path.startsWith(base);
}

/** The project-relative path (forward slashes) of a file inside `root`, as spans name files. */
export function relativePath(root: vscode.Uri, uri: vscode.Uri): string {
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path;
}
