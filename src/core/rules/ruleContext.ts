import type { Profile } from '../config';

/** What rules know besides the catalog. */
export interface RuleContext {
  profile: Profile;
  /** True for schemas the platform manages (auth, storage, ...): rules skip their objects. */
  isManagedSchema(schema: string): boolean;
}
