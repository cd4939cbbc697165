/**
 * Writes fix SQL into a new migration file, named as the project's layout expects, for a person
 * to review. pgreview never edits an applied migration for a fix and never applies anything.
 */
import * as vscode from 'vscode';
import { migrationSlugOf, nextMigrationPath, renderNewMigrationText, type MigrationSequence } from '../core/discovery/nextMigrationPath';

/** Creates `<version>_pgreview_<slug>.sql` after the existing migrations and returns its URI. */
export async function writeFixMigration(root: vscode.Uri, migrations: MigrationSequence, title: string, sql: string): Promise<vscode.Uri> {
  const now = new Date();
  let taken = 0;
  let uri = vscode.Uri.joinPath(root, nextMigrationPath(migrations, migrationSlugOf(title), now, taken));
  // Two fixes written within a second (before the analysis lists the first) must not share a
  // name: an existing file is never overwritten, the next version is taken instead.
  while (await exists(uri)) uri = vscode.Uri.joinPath(root, nextMigrationPath(migrations, migrationSlugOf(title), now, ++taken));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(renderNewMigrationText(migrations.layout, title, sql)));
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
