/**
 * Writes fix SQL into a new migration file, named by core (`fixMigrationPaths`) for a person to
 * review. pgreview never edits an applied migration for a fix and never applies anything.
 */
import * as vscode from 'vscode';
import { fixMigrationPaths, fixMigrationText } from '../core/project/fixMigrationFile';

/** Creates `<timestamp>_pgreview_<slug>.sql` next to the existing migrations and returns its URI. */
export async function writeFixMigration(root: vscode.Uri, migrationPaths: readonly string[], title: string, sql: string): Promise<vscode.Uri> {
  let uri = root;
  for (const path of fixMigrationPaths(migrationPaths, title, new Date())) {
    uri = vscode.Uri.joinPath(root, path);
    if (!(await exists(uri))) break;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(fixMigrationText(title, sql)));
  return uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (error) {
    if (error instanceof vscode.FileSystemError && (error.code === 'FileNotFound' || error.code === 'EntryNotFound')) return false;
    throw error;
  }
}
