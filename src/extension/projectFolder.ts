/**
 * Which folder of the window is the project pgreview reviews. A multi-root workspace holds several
 * folders (web, supabase-project, docs); the project is the one `pgreview.projectFolder` names,
 * else the first folder in which discovery finds migrations, else the first folder. Discovery is
 * the engine's (loadProject, run by WorkspaceAnalysis and passed in here as `discover`); this module
 * only orders the folders, reads the setting's value and offers the "Select Project Folder" pick.
 */
import * as vscode from 'vscode';
import { registerReportingCommand } from './reportError';
import { saveProjectFolder } from './settings';
import type { WorkspaceAnalysis } from './workspaceAnalysis';

/** The folder being reviewed, and why it was chosen. */
export interface ProjectTarget {
  /** The project root: a workspace folder, or a folder inside one that the setting names. */
  uri: vscode.Uri;
  /** The workspace folder that holds it. */
  folder: vscode.WorkspaceFolder;
  /** The name a user knows it by: the workspace folder's name, then the path inside it, if any. */
  label: string;
  /** `setting`: pgreview.projectFolder; `migrations`: the first folder with migrations; `first`: the first folder. */
  reason: 'setting' | 'migrations' | 'first';
}

/**
 * What discovery found in a folder: the number of migrations, and the message of the error that
 * loading it as a project raised (a broken pgreview.json). Undefined: the folder cannot be read.
 */
export type FolderDiscovery = { migrations: number; error?: string } | undefined;

/** The chosen target, and the setting's value when it names no folder that exists. */
export interface ProjectTargetChoice {
  target: ProjectTarget | undefined;
  unmatchedSetting?: string;
}

/**
 * Chooses the project among the workspace folders. `discover` is called lazily, in folder order,
 * and only when there is a choice to make: a single folder is the project without being read.
 */
export function chooseProjectTarget(folders: readonly vscode.WorkspaceFolder[], setting: string | undefined, discover: (uri: vscode.Uri) => FolderDiscovery): ProjectTargetChoice {
  const first = folders[0];
  if (!first) return { target: undefined };
  let unmatchedSetting: string | undefined;
  if (setting !== undefined) {
    const named = locateProjectFolder(folders, setting);
    if (named && discover(named.uri) !== undefined) return { target: { ...named, reason: 'setting' } };
    unmatchedSetting = setting;
  }
  if (folders.length > 1) {
    for (const folder of folders) {
      const found = discover(folder.uri);
      // A broken pgreview.json marks a project too: choosing it shows the error instead of hiding it.
      if (found && (found.migrations > 0 || found.error !== undefined)) return { target: { uri: folder.uri, folder, label: folder.name, reason: 'migrations' }, unmatchedSetting };
    }
  }
  return { target: { uri: first.uri, folder: first, label: first.name, reason: 'first' }, unmatchedSetting };
}

/**
 * The folder a `pgreview.projectFolder` value names: a workspace folder's name, that name followed
 * by a path inside the folder (`web/packages/db`), or a path inside the first folder. Paths that
 * climb out of the folder (`..`) name nothing.
 */
export function locateProjectFolder(folders: readonly vscode.WorkspaceFolder[], value: string): Omit<ProjectTarget, 'reason'> | undefined {
  const path = value.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const byName = folders.find((folder) => folder.name === path);
  if (byName) return { uri: byName.uri, folder: byName, label: byName.name };
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..') || path.startsWith('/') || /^[a-z]:/i.test(path)) return undefined;
  const prefixed = segments.length > 1 ? folders.find((folder) => folder.name === segments[0]) : undefined;
  const folder = prefixed ?? folders[0];
  if (!folder) return undefined;
  const inside = prefixed ? segments.slice(1) : segments;
  if (inside.length === 0) return { uri: folder.uri, folder, label: folder.name };
  return { uri: vscode.Uri.joinPath(folder.uri, ...inside), folder, label: `${folder.name}/${inside.join('/')}` };
}

/** A folder in the quick pick; `value` is what the setting becomes (undefined: the setting is removed). */
interface FolderItem extends vscode.QuickPickItem {
  value?: string;
}

/**
 * "pgreview: Select Project Folder": a quick pick of the workspace folders, each with what
 * discovery finds in it, and "Automatic"; the choice is written to the workspace's
 * `pgreview.projectFolder`, and the analysis follows the setting.
 */
export class ProjectFolderPicker {
  /** Replaceable for tests, as DatabaseController's prompts are. */
  prompts: { showQuickPick(items: readonly FolderItem[], options: vscode.QuickPickOptions): Thenable<FolderItem | undefined> } = {
    showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
  };

  constructor(
    private readonly analysis: WorkspaceAnalysis,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  register(): vscode.Disposable[] {
    return [
      registerReportingCommand(this.log, 'pgreview.selectProjectFolder', (value?: string) => this.select(value), 'Selecting the project folder failed'),
    ];
  }

  /**
   * Sets `pgreview.projectFolder` to `value` (empty: automatic), or to the folder picked in the
   * quick pick. Resolves with the folder then reviewed, or undefined when the pick was dismissed.
   */
  async select(value?: string): Promise<ProjectTarget | undefined> {
    let chosen: FolderItem | undefined = value === undefined ? undefined : { label: value, value: value.trim() || undefined };
    chosen ??= await this.prompts.showQuickPick(this.items(), { title: 'pgreview: Select Project Folder', placeHolder: 'The folder whose migrations pgreview reviews (workspace setting pgreview.projectFolder)' });
    if (!chosen) return undefined;
    await saveProjectFolder(chosen.value);
    this.log.info(chosen.value === undefined ? 'pgreview.projectFolder removed: the first folder with migrations is reviewed' : `pgreview.projectFolder set to ${chosen.value}`);
    this.analysis.retarget();
    await this.analysis.settled();
    return this.analysis.target;
  }

  private items(): FolderItem[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const current = this.analysis.target;
    const items: FolderItem[] = folders.map((folder) => {
      const found = this.analysis.discoverIn(folder.uri);
      const what = !found ? 'cannot be read' : found.error !== undefined ? 'pgreview.json is broken' : found.migrations > 0 ? `${found.migrations} migration${found.migrations === 1 ? '' : 's'}` : 'no migrations found';
      const reviewed = current?.folder.uri.toString() !== folder.uri.toString() ? '' : current.label === folder.name ? ' · reviewed now' : ` · ${current.label} reviewed now`;
      return { label: folder.name, description: `${what}${reviewed}`, detail: folder.uri.scheme === 'file' ? folder.uri.fsPath : folder.uri.toString(), value: folder.name };
    });
    return [
      ...items,
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: 'Automatic', description: 'the first folder in which pgreview finds migrations', value: undefined },
    ];
  }
}
