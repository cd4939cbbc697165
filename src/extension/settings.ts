/**
 * The one reader of `pgreview.*` settings. Everything else receives a `Settings` value as an
 * argument, so a settings change takes effect on the next run and no setting lives in a global.
 */
import * as vscode from 'vscode';
import { clampSetting, parseReviewSettings, type ReviewSettings } from '../core/project/editorSettings';

/** A named database to connect to. The password is never here: it lives in SecretStorage. */
export interface ConnectionProfileSetting {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode?: string;
}

/** The review settings every editor shares (core's `ReviewSettings`), and VS Code's own. */
export interface Settings extends ReviewSettings {
  debounceMs: number;
  statementTimeoutMs: number;
  connections: ConnectionProfileSetting[];
  diffOnSave: boolean;
  /** The workspace folder (its name, or a path inside it) to review; undefined: the first with migrations. */
  projectFolder: string | undefined;
}

/** Reads the settings that apply to a resource (a workspace folder or a file). */
export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const config = vscode.workspace.getConfiguration('pgreview', scope);
  const projectFolder = config.get<string>('projectFolder');
  return {
    ...parseReviewSettings({ migrations: config.get('migrations'), profile: config.get('profile'), exposedSchemas: config.get('exposedSchemas'), rules: config.get('rules'), pendingSince: config.get('pendingSince') }),
    debounceMs: clampSetting(config.get('debounceMs'), 0, 5000, 250),
    statementTimeoutMs: clampSetting(config.get('statementTimeoutMs'), 100, 600_000, 10_000),
    connections: (config.get<ConnectionProfileSetting[]>('connections') ?? []).filter((profile) => typeof profile?.name === 'string'),
    diffOnSave: config.get<boolean>('diffOnSave') ?? false,
    projectFolder: typeof projectFolder === 'string' && projectFolder.trim() ? projectFolder.trim() : undefined,
  };
}

/**
 * Adds a connection profile to the workspace's `pgreview.connections` (the folder's
 * .vscode/settings.json), after the profiles already there. The profile holds no password.
 */
export async function saveConnectionProfile(scope: vscode.ConfigurationScope | undefined, profile: ConnectionProfileSetting): Promise<void> {
  const config = vscode.workspace.getConfiguration('pgreview', scope);
  const inWorkspace = config.inspect<ConnectionProfileSetting[]>('connections')?.workspaceValue ?? [];
  await config.update('connections', [...inWorkspace, profile], vscode.ConfigurationTarget.Workspace);
}

/**
 * Sets the workspace's `pgreview.projectFolder` (in a multi-root workspace, the .code-workspace
 * file), or removes it when `value` is undefined so the first folder with migrations is reviewed.
 */
export async function saveProjectFolder(value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('pgreview').update('projectFolder', value, vscode.ConfigurationTarget.Workspace);
}
