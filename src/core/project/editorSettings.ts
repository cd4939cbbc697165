/**
 * The `pgreview.*` editor settings that change what is reviewed (migrations, profile, exposed
 * schemas, rule levels, which migrations are pending), as every editor front end reads them: VS Code from its configuration,
 * the language server from `workspace/configuration`. They are laid over the project's
 * pgreview.json, so a project checked by the CLI and by an editor gets the same answer unless
 * someone chose otherwise.
 */
import type { PgreviewConfig, Profile, RuleSetting } from '../config';
import type { ProjectReader } from './loadProject';

/** The review settings of one project folder, each with its "not set" value. */
export interface ReviewSettings {
  /** Globs relative to the project folder that select migration files; undefined: discovery decides. */
  migrations: string[] | undefined;
  /** `auto`: pgreview.json decides, or Supabase when the folder has supabase/config.toml. */
  profile: Profile | 'auto';
  /** Undefined: the profile's default (Supabase: public, graphql_public). */
  exposedSchemas: string[] | undefined;
  rules: Record<string, RuleSetting>;
  /**
   * The git ref pending migrations are counted from, for the migration-safety rules; undefined: the
   * uncommitted and untracked files only. The front end asks git; it is no part of the config.
   */
  pendingSince: string | undefined;
}

/** The settings as an editor hands them over, unchecked: a user may have written anything there. */
export interface RawReviewSettings {
  migrations?: unknown;
  profile?: unknown;
  exposedSchemas?: unknown;
  rules?: unknown;
  pendingSince?: unknown;
}

/** Reads the review settings, dropping values of the wrong type (they count as not set). */
export function parseReviewSettings(raw: RawReviewSettings): ReviewSettings {
  const migrations = stringList(raw.migrations);
  const exposedSchemas = stringList(raw.exposedSchemas);
  return {
    migrations: migrations.length > 0 ? migrations : undefined,
    profile: raw.profile === 'supabase' || raw.profile === 'postgres' ? raw.profile : 'auto',
    exposedSchemas: exposedSchemas.length > 0 ? exposedSchemas : undefined,
    rules: ruleLevels(raw.rules),
    pendingSince: typeof raw.pendingSince === 'string' && raw.pendingSince.trim() ? raw.pendingSince.trim() : undefined,
  };
}

/** A finite number from a setting, clamped to `[min, max]`, or `fallback` when it is not one. */
export function clampSetting(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** The settings that override the project's pgreview.json: only what the user set. */
export function settingsOverlay(settings: ReviewSettings): PgreviewConfig | undefined {
  const overlay: PgreviewConfig = {};
  if (settings.migrations) overlay.migrations = settings.migrations;
  if (settings.profile !== 'auto') overlay.profile = settings.profile;
  if (settings.exposedSchemas) overlay.exposedSchemas = settings.exposedSchemas;
  if (Object.keys(settings.rules).length > 0) overlay.rules = settings.rules;
  return Object.keys(overlay).length > 0 ? overlay : undefined;
}

/**
 * The project's pgreview.json with the settings laid over it, as `loadProject`'s `configFile`, or
 * undefined to let loadProject read pgreview.json alone (no setting is set, or pgreview.json is
 * broken, which loadProject then reports).
 */
export function configWithSettings(reader: ProjectReader, settings: ReviewSettings): { path: string; text: string } | undefined {
  const overlay = settingsOverlay(settings);
  if (!overlay) return undefined;
  const text = reader.readFile('pgreview.json');
  let base: Record<string, unknown> = {};
  if (text !== undefined) {
    try {
      base = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  const rules = { ...(base.rules as Record<string, unknown> | undefined), ...overlay.rules };
  return { path: 'pgreview.json', text: JSON.stringify({ ...base, ...overlay, rules }) };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function ruleLevels(value: unknown): Record<string, RuleSetting> {
  const rules: Record<string, RuleSetting> = {};
  if (typeof value !== 'object' || value === null) return rules;
  for (const [id, level] of Object.entries(value)) {
    if (level === 'off' || level === 'error' || level === 'warning' || level === 'info') rules[id] = level;
  }
  return rules;
}
