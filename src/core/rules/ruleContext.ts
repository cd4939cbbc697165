import type { Profile } from '../config';
import type { SourceSpan } from '../sql/span';

/** What rules know besides the catalog. */
export interface RuleContext {
  profile: Profile;
  /** True for schemas the platform manages (auth, storage, ...): rules skip their objects. */
  isManagedSchema(schema: string): boolean;
  /**
   * The text a span covers in its migration file (a whole CREATE FUNCTION statement, say), for
   * fixes that edit a statement in place; undefined when the file is not part of the analysis.
   */
  sourceText?(span: SourceSpan): string | undefined;
}
