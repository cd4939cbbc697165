/**
 * The project as VS Code sees it: the shared overlay reader (src/node) over the workspace folder,
 * with the text of open editors in place of the disk.
 */
import * as vscode from 'vscode';
import type { ProjectReader } from '../core/project/loadProject';
import { createFileSystemProjectReader } from '../node/fileSystemProjectReader';
import { createOverlayProjectReader, type OverlayProjectReader } from '../node/overlayProjectReader';

export type EditorProjectReader = OverlayProjectReader;

/**
 * A reader for one run. `listing` is the file-system reader whose file list is reused between
 * runs until a file is created or deleted.
 */
export function createEditorProjectReader(root: vscode.Uri, listing: ProjectReader): EditorProjectReader {
  const openDocuments = new Map<string, vscode.TextDocument>();
  for (const document of vscode.workspace.textDocuments) {
    if (document.uri.scheme === root.scheme) openDocuments.set(relativePath(root, document.uri), document);
  }
  const openDocument = (path: string) => {
    const document = openDocuments.get(path);
    return document && { text: document.getText(), version: document.version };
  };
  return createOverlayProjectReader(listing, openDocument, root.scheme === 'file' ? root.fsPath : undefined);
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
