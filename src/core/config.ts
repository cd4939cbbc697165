import { parse as parseToml } from 'smol-toml';
import { InputError } from './errors';
import type { Level } from './finding';

/** Which platform's baseline exists before the first migration. */
export type Profile = 'supabase' | 'postgres';

export type RuleSetting = 'off' | Level;

/** `pgreview.json` at the project root, as a user writes it. Every field is optional. */
export interface PgreviewConfig {
  profile?: Profile;
  /** Globs relative to the project root that select the migration files, in place of discovery. */
  migrations?: string[];
  /** Schemas the Data API exposes; overrides `supabase/config.toml`. */
  exposedSchemas?: string[];
  /** Rule id → level, or `off`. */
  rules?: Record<string, RuleSetting>;
}

/** The configuration every engine function receives: defaults applied, sources merged. */
export interface ResolvedConfig {
  profile: Profile;
  migrations?: string[];
  exposedSchemas: string[];
  rules: Record<string, RuleSetting>;
}

/** Supabase's Data API exposes these unless `[api] schemas` in config.toml says otherwise. */
export const SUPABASE_DEFAULT_EXPOSED_SCHEMAS = ['public', 'graphql_public'];

/** The configuration of a project that has no pgreview.json. */
export function defaultConfig(profile: Profile = 'supabase'): ResolvedConfig {
  return { profile, exposedSchemas: profile === 'supabase' ? [...SUPABASE_DEFAULT_EXPOSED_SCHEMAS] : [], rules: {} };
}

/** A configuration entry pgreview ignores: worth a warning line, never a failure. */
export interface ConfigProblem {
  /** The file the entry is in, relative to the project root (or as the user named it). */
  file: string;
  level: 'warning';
  message: string;
}

const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];
const PGREVIEW_JSON_KEYS = new Set(['$schema', 'profile', 'migrations', 'exposedSchemas', 'rules']);

/**
 * Parses `pgreview.json`. Broken JSON or a value of the wrong type is an InputError naming the
 * file, since guessing what the user meant would check the wrong thing; unknown keys only warn.
 * Rule names are checked later, by `resolveConfig`.
 */
export function parsePgreviewJson(text: string, file = 'pgreview.json'): { config: PgreviewConfig; problems: ConfigProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${file}: invalid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (!isPlainObject(raw)) throw new InputError(`${file}: expected a JSON object such as { "rules": { "rls_disabled_in_public": "error" } }`);
  const config: PgreviewConfig = {};
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (!PGREVIEW_JSON_KEYS.has(key)) problems.push({ file, level: 'warning', message: `unknown key "${key}" is ignored (known keys: profile, migrations, exposedSchemas, rules)` });
  }
  if (raw.profile !== undefined && raw.profile !== 'auto') {
    if (raw.profile !== 'supabase' && raw.profile !== 'postgres') throw new InputError(`${file}: "profile" must be "supabase", "postgres" or "auto", not ${JSON.stringify(raw.profile)}`);
    config.profile = raw.profile;
  }
  if (raw.migrations !== undefined) config.migrations = readStringList(raw.migrations, 'migrations', file);
  if (raw.exposedSchemas !== undefined) config.exposedSchemas = readStringList(raw.exposedSchemas, 'exposedSchemas', file);
  if (raw.rules !== undefined) {
    if (!isPlainObject(raw.rules)) throw new InputError(`${file}: "rules" must be an object of rule name → "off" | "info" | "warning" | "error"`);
    config.rules = {};
    for (const [id, setting] of Object.entries(raw.rules)) {
      if (!RULE_SETTINGS.includes(setting as RuleSetting)) {
        throw new InputError(`${file}: rule "${id}" is set to ${JSON.stringify(setting)}; use "off", "info", "warning" or "error"`);
      }
      config.rules[id] = setting as RuleSetting;
    }
  }
  return { config, problems };
}

/** What pgreview takes from `supabase/config.toml`. */
export interface SupabaseTomlSettings {
  /** `[api] schemas`; an empty list when `[api] enabled = false`, since then nothing is exposed. */
  exposedSchemas?: string[];
}

/** Parses `supabase/config.toml`. Invalid TOML is an InputError naming the file and the position. */
export function parseSupabaseConfigToml(text: string, file = 'supabase/config.toml'): SupabaseTomlSettings {
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InputError(`${file}: invalid TOML (${message})`, { cause: error });
  }
  const api = raw.api;
  if (!isPlainObject(api)) return {};
  if (api.enabled === false) return { exposedSchemas: [] };
  if (api.schemas === undefined) return {};
  return { exposedSchemas: readStringList(api.schemas, '[api] schemas', file) };
}

/** Everything `resolveConfig` merges, highest priority first in each field. */
export interface ConfigSources {
  /** `pgreview.json` (or the file given with `--config`), parsed. */
  pgreview?: PgreviewConfig;
  /** The file name `pgreview` came from, for messages. */
  pgreviewFile?: string;
  supabaseToml?: SupabaseTomlSettings;
  /** True when the project has supabase/config.toml or a supabase/migrations folder. */
  looksLikeSupabase: boolean;
  /** Rule ids that exist; a config entry naming another id is a warning. */
  knownRules: ReadonlySet<string> | ReadonlyMap<string, unknown>;
}

/**
 * Merges the configuration sources: pgreview.json wins over supabase/config.toml, which wins over
 * the defaults. The profile is Supabase when the project looks like one, unless pgreview.json says
 * otherwise. Returns the problems worth a warning (unknown rule names) next to the configuration.
 */
export function resolveConfig(sources: ConfigSources): { config: ResolvedConfig; problems: ConfigProblem[] } {
  const pgreview = sources.pgreview ?? {};
  const file = sources.pgreviewFile ?? 'pgreview.json';
  const profile: Profile = pgreview.profile ?? (sources.looksLikeSupabase ? 'supabase' : 'postgres');
  const config = defaultConfig(profile);
  if (profile === 'supabase' && sources.supabaseToml?.exposedSchemas) config.exposedSchemas = [...sources.supabaseToml.exposedSchemas];
  if (pgreview.exposedSchemas) config.exposedSchemas = [...pgreview.exposedSchemas];
  if (pgreview.migrations) config.migrations = [...pgreview.migrations];
  const problems: ConfigProblem[] = [];
  for (const [id, setting] of Object.entries(pgreview.rules ?? {})) {
    if (!sources.knownRules.has(id)) {
      problems.push({ file, level: 'warning', message: `unknown rule "${id}" in "rules" is ignored` });
      continue;
    }
    config.rules[id] = setting;
  }
  return { config, problems };
}

function readStringList(value: unknown, key: string, file: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string' && entry.length > 0)) {
    throw new InputError(`${file}: "${key}" must be a list of strings`);
  }
  return list as string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
