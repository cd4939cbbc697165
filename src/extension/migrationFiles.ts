/**
 * Reads a workspace folder's migration files, with the text of open editors in place of the disk
 * so that unsaved edits are analysed. It is the one function to swap for the shared project
 * reader (src/node/fileSystemProjectReader.ts) once that exists.
 */
import * as vscode from 'vscode';
import type { MigrationFile } from '../core/analyze';

export interface MigrationFileSet {
  files: MigrationFile[];
  /** The document version of each file read from an open editor, by relative path. */
  versions: Map<string, number>;
  hasSupabaseConfig: boolean;
}

/** Finds the files the globs select, ordered by file name (Supabase's timestamps sort by name). */
export async function readMigrationFiles(root: vscode.Uri, globs: string[]): Promise<MigrationFileSet> {
  const found = new Map<string, vscode.Uri>();
  for (const glob of globs) {
    for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(root, glob))) {
      found.set(relativePath(root, uri), uri);
    }
  }
  const openDocuments = new Map(vscode.workspace.textDocuments.map((document) => [document.uri.toString(), document]));
  const versions = new Map<string, number>();
  const decoder = new TextDecoder('utf-8');
  const files: MigrationFile[] = [];
  const ordered = [...found.entries()].sort(([a], [b]) => compareMigrationPaths(a, b));
  for (const [path, uri] of ordered) {
    const open = openDocuments.get(uri.toString());
    if (open) {
      versions.set(path, open.version);
      files.push({ path, text: open.getText() });
      continue;
    }
    try {
      files.push({ path, text: decoder.decode(await vscode.workspace.fs.readFile(uri)) });
    } catch (error) {
      // A file deleted between findFiles and readFile is simply no longer a migration.
      if (!(error instanceof vscode.FileSystemError)) throw error;
    }
  }
  const hasSupabaseConfig = await exists(vscode.Uri.joinPath(root, 'supabase', 'config.toml'));
  return { files, versions, hasSupabaseConfig };
}

/** The project-relative path (forward slashes) of a file inside `root`, as spans name files. */
export function relativePath(root: vscode.Uri, uri: vscode.Uri): string {
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path;
}

function compareMigrationPaths(a: string, b: string): number {
  const nameA = a.slice(a.lastIndexOf('/') + 1);
  const nameB = b.slice(b.lastIndexOf('/') + 1);
  return nameA < nameB ? -1 : nameA > nameB ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
