/**
 * The result of comparing the schema the migrations define with a database: one Change per object
 * that exists on one side only, and one per property that differs. The JSON shape of a Change is
 * a public contract (`pgreview diff --format json`, version 1); see renderChanges.ts.
 */

/** Which side has the object, or that both have it with a property that differs. */
export type ChangeStatus = 'missing_in_database' | 'extra_in_database' | 'changed';

/** The kinds of objects a diff compares. */
export type ChangeType =
  | 'table' | 'column' | 'constraint' | 'index' | 'policy' | 'function' | 'trigger' | 'view'
  | 'materialized_view' | 'type' | 'extension' | 'sequence' | 'schema' | 'grant' | 'cron_job';

/** A property value as the diff reports it: text, a flag, or a list (roles, columns, privileges). */
export type ChangeValue = string | boolean | string[];

/** One difference between the migrations and a database. */
export interface Change {
  status: ChangeStatus;
  type: ChangeType;
  /**
   * Qualified name: `public.bookings`, a column `public.bookings.status`, a policy or trigger or
   * constraint `public.bookings.<name>`, an index `public.<index name>`, a function
   * `public.name(argtypes)`. For a grant, the object the privileges are on. A pg_cron job by its
   * name, or `(unnamed) <command>` for one without a name.
   */
  object: string;
  /** The property that differs (`nullable`, `using`, ...); for a grant, the grantee. Only when `changed`. */
  property?: string;
  /** The value in the migrations; undefined when the migrations do not set it. */
  migrations?: ChangeValue;
  /** The value in the database. */
  database?: ChangeValue;
  /** The migration file that defines the object (or its table), relative to the project root. */
  file?: string;
  /** 1-based line of the defining statement in `file`. */
  line?: number;
  /** The object key of the model (`table:public.bookings`), for editors; not part of the JSON contract. */
  key: string;
}

/** Counts of a list of changes, for the JSON `summary` and the text footer. */
export interface ChangeSummary {
  total: number;
  missing_in_database: number;
  extra_in_database: number;
  changed: number;
  /** Change type → count, only for types that occur. */
  byType: Partial<Record<ChangeType, number>>;
}

/** Counts changes by status and by type. */
export function summarizeChanges(changes: readonly Change[]): ChangeSummary {
  const summary: ChangeSummary = { total: changes.length, missing_in_database: 0, extra_in_database: 0, changed: 0, byType: {} };
  for (const change of changes) {
    summary[change.status]++;
    summary.byType[change.type] = (summary.byType[change.type] ?? 0) + 1;
  }
  return summary;
}
