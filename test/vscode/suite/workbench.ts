/**
 * What every suite file needs from the workbench: the activated extension's API, the test
 * workspace, waiting for a condition, and screenshots taken by the harness outside VS Code.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PgreviewApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'pgreview.pgreview';

const originalTexts = new Map<string, string>();

/** Activates the extension (a no-op when it already is) and waits for its first analysis. */
export async function activatedApi(): Promise<PgreviewApi> {
  await rememberOriginalMigrations();
  const extension = vscode.extensions.getExtension<PgreviewApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await api.analysis.settled();
  if (!api.analysis.current) await api.analysis.run();
  return api;
}

/** The test workspace folder (a temporary copy of test/vscode/workspace). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder');
  return folder.uri;
}

export function migrationUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), 'supabase', 'migrations', name);
}

/**
 * Runs `body` while the workspace holds one more migration, once the review has it. Afterwards,
 * whatever failed, the file goes and the review is waited on until the file has left it (other
 * files are other tests' to put back).
 */
export async function withAddedMigration<T>(api: PgreviewApi, name: string, text: string, body: (uri: vscode.Uri) => Promise<T>): Promise<T> {
  const uri = migrationUri(name);
  const path = `supabase/migrations/${name}`;
  try {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    await waitFor(`${name} to be analysed`, async () => (await api.analysis.settled())?.paths, (paths) => paths !== undefined && paths.includes(path), 30_000);
    return await body(uri);
  } finally {
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await waitFor(`${name} to leave the review`, async () => (await api.analysis.settled())?.paths, (paths) => paths !== undefined && !paths.includes(path), 30_000);
  }
}

/**
 * Puts a migration back as the fixture has it, saved, and waits for the analysis of that text.
 * Tests that edit a migration call it in `finally`, so no test sees another's edits.
 */
export async function restoreMigration(api: PgreviewApi, uri: vscode.Uri): Promise<void> {
  const original = originalTexts.get(uri.toString());
  if (original === undefined) throw new Error(`${uri.toString()} is not a fixture migration`);
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.getText() !== original) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), original);
    await vscode.workspace.applyEdit(edit);
  }
  if (document.isDirty) await document.save();
  await api.analysis.run();
}

async function rememberOriginalMigrations(): Promise<void> {
  if (originalTexts.size > 0) return;
  const folder = vscode.Uri.joinPath(workspaceRoot(), 'supabase', 'migrations');
  for (const [name] of await vscode.workspace.fs.readDirectory(folder)) {
    const uri = vscode.Uri.joinPath(folder, name);
    originalTexts.set(uri.toString(), new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  }
}

/** Polls until `read` returns a value `accept` takes, or fails with `what` after the timeout. */
export async function waitFor<T>(what: string, read: () => T | Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** pgreview's diagnostics of one rule on a file. */
export function ruleDiagnostics(uri: vscode.Uri, rule: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'pgreview' && typeof diagnostic.code === 'object' && diagnostic.code.value === rule);
}

/** Asks the harness for a PNG of the workbench; resolves once it exists (or at once outside the harness). */
export async function screenshot(name: string, timeoutMs = 20_000): Promise<string | undefined> {
  const directory = process.env.PGREVIEW_TEST_OUTPUT;
  if (!directory || process.env.PGREVIEW_MOCHA_PREFIX !== '1') return undefined;
  const file = path.join(directory, `${name}.png`);
  fs.rmSync(file, { force: true });
  console.log(`##pgreview-screenshot:${name}##`);
  await waitFor(`screenshot ${name}`, () => fs.existsSync(file), Boolean, timeoutMs);
  return file;
}
