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

export function defaultConfig(profile: Profile = 'supabase'): ResolvedConfig {
  return { profile, exposedSchemas: profile === 'supabase' ? [...SUPABASE_DEFAULT_EXPOSED_SCHEMAS] : [], rules: {} };
}
