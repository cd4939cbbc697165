import type { SourceSpan } from './sql/span';

export type Level = 'error' | 'warning' | 'info';
export type Category = 'security' | 'performance' | 'safety' | 'correctness' | 'maintenance' | 'drift';

/** A fix that needs no choice: SQL for a new migration, and optionally an edit of the statement in place. */
export interface Fix {
  /** What the fix does, for a code action title: "Create an index on bookings(user_id)". */
  title: string;
  /** SQL to put in a new migration file. */
  sql: string;
  /** An edit of the offending statement itself, when the fix belongs there (wrap auth.uid()). */
  edit?: TextEdit;
  /**
   * True when the fix is the edit and the new migration together, the migration to run after the
   * edited one has committed: `ADD CONSTRAINT ... NOT VALID` in place, then `VALIDATE CONSTRAINT`
   * in a new migration, so that the validating scan holds only a weak lock. Otherwise the edit and
   * the new migration are two ways to the same end, and either one alone fixes the finding.
   */
  sqlAfterEdit?: boolean;
  /**
   * True when `sql` is the offending statement rewritten (CREATE INDEX with CONCURRENTLY): it
   * replaces that statement through `edit`, and beside it, in a new migration, it would fail.
   */
  editOnly?: boolean;
}

/**
 * True when the fix's new migration alone does not fix the finding, because the statement itself
 * has to be edited (`editOnly`, or `sqlAfterEdit`): bulk fix migrations and "Generate Fix
 * Migration" leave such fixes to the editor's quick fix.
 */
export function needsStatementEdit(fix: Fix): boolean {
  return fix.editOnly === true || fix.sqlAfterEdit === true;
}

/**
 * The fixes of several findings with each identical fix once, in first-seen order. Two rules can
 * fix one problem the same way (`rls_disabled_in_public` and `sensitive_columns_exposed` both
 * enable RLS on the table); a user is offered that fix, and a fix migration holds it, once.
 */
export function uniqueFixes<T extends Suggestion>(fixes: Iterable<T>): T[] {
  const seen = new Set<string>();
  const unique: T[] = [];
  for (const fix of fixes) {
    const key = fixIdentity(fix);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(fix);
  }
  return unique;
}

/** An editor's action for a finding, with the `fixIdentity` of the fix it applies, if it applies one. */
export interface KeyedAction<A> {
  action: A;
  fixKey?: string;
}

/**
 * The actions of several findings' diagnostics with each fix offered once, in first-seen order: the
 * action of a fix already offered for another finding is linked to this diagnostic too (its
 * `diagnostics` grows) instead of being offered twice. Every editor front end builds its code
 * actions through this, with its own action and diagnostic types.
 */
export function offerFixesOnce<A extends { diagnostics?: D[] }, D>(perDiagnostic: Iterable<{ diagnostic: D; actions: KeyedAction<A>[] }>): A[] {
  const offered = new Map<string, A>();
  const actions: A[] = [];
  for (const { diagnostic, actions: candidates } of perDiagnostic) {
    for (const { action, fixKey } of candidates) {
      const same = fixKey === undefined ? undefined : offered.get(fixKey);
      if (same) {
        same.diagnostics = [...(same.diagnostics ?? []), diagnostic];
        continue;
      }
      if (fixKey !== undefined) offered.set(fixKey, action);
      actions.push(action);
    }
  }
  return actions;
}

/** What makes two fixes the same: their title and SQL (and in-place edit, when there is one). */
export function fixIdentity(fix: Suggestion & { edit?: TextEdit }): string {
  const edit = fix.edit ? `\0${fix.edit.file}:${fix.edit.start}:${fix.edit.end}:${fix.edit.text}` : '';
  return `${fix.title}\0${fix.sql.trim()}${edit}`;
}

/** A replacement of a range of one file's text. */
export interface TextEdit {
  file: string;
  /** UTF-16 offsets into the file text. */
  start: number;
  end: number;
  text: string;
}

/** A fix a person has to choose. */
export interface Suggestion {
  title: string;
  sql: string;
}

export interface RelatedLocation {
  message: string;
  span: SourceSpan;
}

/**
 * One problem found by a rule, located on the statement that causes it. Mirrors splinter's lint
 * shape (name, level, category, detail, remediation) with a location added.
 */
export interface Finding {
  /** The rule id, splinter's name where the check is the same. */
  rule: string;
  level: Level;
  category: Category;
  /** Names the object and says what is wrong. */
  message: string;
  /** The qualified object name, `public.bookings`, `public.bookings.Owner reads`, `public.get_user(uuid)`. */
  object: string;
  /** The stable object key, `table:public.bookings`. */
  objectKey: string;
  /** `<rule>:<objectKey>`: what suppressions and baselines use, as splinter's cache_key. */
  key: string;
  span?: SourceSpan;
  fix?: Fix;
  suggestions?: Suggestion[];
  related?: RelatedLocation[];
  /**
   * Other objects on which a catalog read in another order would report this same problem (the
   * other index of a duplicate pair, the other policies of an overlap): a database's finding on
   * one of them is the finding the migrations already gave.
   */
  sameProblemAs?: string[];
}

export const levelRank: Record<Level, number> = { info: 1, warning: 2, error: 3 };
