import type { Catalog } from '../catalog/model';
import type { Category, Fix, Level, RelatedLocation, Suggestion } from '../finding';
import type { SourceSpan } from '../sql/span';
import type { MigrationStatement } from '../safety/migrationStatement';
import type { HistoryReview } from '../history/historyReview';
import type { RuleContext } from './ruleContext';

/**
 * What a rule needs to decide (RULES.md): S the schema alone, G grants and the exposed schemas,
 * L a live database, M a statement of a pending migration with the catalog it meets (migration
 * safety, judged by `checkStatement` during the replay), H the database's migration history
 * matched with the files (judged by `checkHistory`). `engine` rules are reported by the parser or
 * the replay, not by `check`.
 */
export type RuleNeeds = 'S' | 'G' | 'L' | 'M' | 'H' | 'engine';

/** What a rule's check reports; `defineRule` adds the rule's metadata to make a Finding. */
export interface RuleReport {
  /** Qualified object name, `public.bookings`. */
  object: string;
  /** Object key from `objectKey`, `table:public.bookings`. */
  objectKey: string;
  message: string;
  /** The statement that causes the finding; undefined for objects the migrations do not define. */
  span?: SourceSpan;
  fix?: Fix;
  suggestions?: Suggestion[];
  related?: RelatedLocation[];
  /** Object keys of the other objects the same problem could be reported on (see Finding). */
  sameProblemAs?: string[];
  /**
   * The level of this finding when it is not the rule's own (a rename in a schema the API does not
   * expose is info). A level the config sets for the rule still wins.
   */
  level?: Level;
}

export interface RuleDefinition {
  /** splinter's name where the check is the same. */
  id: string;
  /** Title case, `RLS Enabled No Policy`. */
  name: string;
  level: Level;
  category: Category;
  needs: RuleNeeds;
  /** One sentence: what is flagged and why it matters. The rule's doc Summary repeats it. */
  description: string;
  /**
   * The message quotes what only a live database knows (row counts, orphan rows): with `check
   * --db`, the database's finding replaces the migrations' finding on the same object.
   */
  quotesDatabaseFacts?: boolean;
  /**
   * Returns the findings of this rule on a catalog. Never throws on odd input; when unsure, stays
   * silent. Absent for `M` rules, which judge statements instead.
   */
  check?(catalog: Catalog, context: RuleContext): RuleReport[];
  /** For `M` rules: the statement kinds (`IndexStmt`, `AlterTableStmt`) `checkStatement` judges. */
  statementKinds?: readonly string[];
  /**
   * For `M` rules: the findings on one statement of a pending migration, judged against the
   * catalog just before it runs. Same contract as `check`: never throws, silent when unsure.
   */
  checkStatement?(statement: MigrationStatement, context: RuleContext): RuleReport[];
  /**
   * For `H` rules: the findings on the migration files given what the database's history table
   * says about them. Runs only when the analysis has a history (`AnalyzeInput.history`).
   */
  checkHistory?(review: HistoryReview, context: RuleContext): RuleReport[];
}

export interface Rule extends RuleDefinition {
  /** `docs/rules/<id>.md`, relative to the package root. */
  docsPath: string;
  docsUrl: string;
}

export const DOCS_BASE_URL = 'https://github.com/pgreview/pgreview/blob/main/docs/rules/';

/** Declares a rule. Everything derived from the id (docs path, docs URL) is derived here, once. */
export function defineRule(definition: RuleDefinition): Rule {
  return {
    ...definition,
    docsPath: `docs/rules/${definition.id}.md`,
    docsUrl: `${DOCS_BASE_URL}${definition.id}.md`,
  };
}
