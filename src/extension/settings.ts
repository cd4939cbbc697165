/**
 * The one reader of `pgreview.*` settings. Everything else receives a `Settings` value as an
 * argument, so a settings change takes effect on the next run and no setting lives in a global.
 */
import * as vscode from 'vscode';
import type { PgreviewConfig, Profile, RuleSetting } from '../core/config';

/** A named database to connect to. The password is never here: it lives in SecretStorage. */
export interface ConnectionProfileSetting {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode?: string;
}

export interface Settings {
  /** Globs relative to the workspace folder that select migration files; undefined: discovery decides. */
  migrations: string[] | undefined;
  /** `auto`: pgreview.json decides, or Supabase when the folder has supabase/config.toml. */
  profile: Profile | 'auto';
  /** Undefined: the profile's default (Supabase: public, graphql_public). */
  exposedSchemas: string[] | undefined;
  rules: Record<string, RuleSetting>;
  debounceMs: number;
  statementTimeoutMs: number;
  connections: ConnectionProfileSetting[];
  diffOnSave: boolean;
  /** The workspace folder (its name, or a path inside it) to review; undefined: the first with migrations. */
  projectFolder: string | undefined;
  /** The git ref pending migrations are counted from; undefined: the uncommitted and untracked files only. */
  pendingSince: string | undefined;
}

/** Reads the settings that apply to a resource (a workspace folder or a file). */
export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const config = vscode.workspace.getConfiguration('pgreview', scope);
  const migrations = config.get<string[]>('migrations');
  const exposedSchemas = config.get<string[]>('exposedSchemas');
  const projectFolder = config.get<string>('projectFolder');
  const pendingSince = config.get<string>('pendingSince');
  return {
    migrations: migrations && migrations.length > 0 ? migrations : undefined,
    profile: parseProfile(config.get<string>('profile')),
    exposedSchemas: exposedSchemas && exposedSchemas.length > 0 ? exposedSchemas : undefined,
    rules: parseRules(config.get<Record<string, unknown>>('rules')),
    debounceMs: clampNumber(config.get<number>('debounceMs'), 0, 5000, 250),
    statementTimeoutMs: clampNumber(config.get<number>('statementTimeoutMs'), 100, 600_000, 10_000),
    connections: (config.get<ConnectionProfileSetting[]>('connections') ?? []).filter((profile) => typeof profile?.name === 'string'),
    diffOnSave: config.get<boolean>('diffOnSave') ?? false,
    projectFolder: typeof projectFolder === 'string' && projectFolder.trim() ? projectFolder.trim() : undefined,
    pendingSince: typeof pendingSince === 'string' && pendingSince.trim() ? pendingSince.trim() : undefined,
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

/**
 * The settings that override the project's pgreview.json: only what the user set, so a project
 * checked by the CLI and by the editor gets the same answer unless someone chose otherwise.
 */
export function settingsOverlay(settings: Settings): PgreviewConfig | undefined {
  const overlay: PgreviewConfig = {};
  if (settings.migrations) overlay.migrations = settings.migrations;
  if (settings.profile !== 'auto') overlay.profile = settings.profile;
  if (settings.exposedSchemas) overlay.exposedSchemas = settings.exposedSchemas;
  if (Object.keys(settings.rules).length > 0) overlay.rules = settings.rules;
  return Object.keys(overlay).length > 0 ? overlay : undefined;
}

function parseProfile(value: string | undefined): Settings['profile'] {
  return value === 'supabase' || value === 'postgres' ? value : 'auto';
}

function parseRules(value: Record<string, unknown> | undefined): Record<string, RuleSetting> {
  const rules: Record<string, RuleSetting> = {};
  for (const [id, level] of Object.entries(value ?? {})) {
    if (level === 'off' || level === 'error' || level === 'warning' || level === 'info') rules[id] = level;
  }
  return rules;
}

function clampNumber(value: number | undefined, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}
