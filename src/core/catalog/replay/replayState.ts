import type { Catalog } from '../model';
import type { ParsedFile, ParsedStatement } from '../../sql/parseSqlFile';
import type { SourceSpan } from '../../sql/span';

/** Problems the replay meets: statements it cannot follow, references to objects that do not exist. */
export interface ReplayProblem {
  rule: 'dynamic_sql_not_replayed' | 'object_dropped_but_referenced' | 'object_already_exists' | 'if_not_exists_skipped';
  message: string;
  span: SourceSpan;
  /** Qualified name of the object concerned, when there is one. */
  object?: string;
  objectKey?: string;
}

/** The mutable state of one replay: the catalog being built and the session settings a migration can change. */
export interface ReplayState {
  catalog: Catalog;
  /** `SET search_path` changes it for the rest of the file; each file starts from the default. */
  searchPath: string[];
  /** `SET ROLE` / `SET SESSION AUTHORIZATION`: who owns what is created next. */
  currentRole: string;
  /**
   * The role a `SET ROLE` / `SET SESSION AUTHORIZATION` of the migrations names; undefined while
   * they run as whoever runs them, which the files do not say (`currentRole` then assumes the
   * catalog's `migrationRole`).
   */
  statedRole?: string;
  file: ParsedFile;
  statement: ParsedStatement;
  problems: ReplayProblem[];
  /**
   * True while the statements of a DO block replay: such blocks guard their DDL (IF NOT EXISTS
   * tests, exception handlers), so "already exists" and "does not exist" are not reported there.
   */
  insideDoBlock?: boolean;
}

/** What resolving an unqualified name needs: the catalog and the search path in force. */
export interface NameScope {
  catalog: Catalog;
  searchPath: readonly string[];
}

/** The search path each migration file starts with (`"$user", public`, and no role-named schema exists). */
export const DEFAULT_SEARCH_PATH = ['public'];
