/**
 * Messages between the extension and the report panel. Types only: both sides import them, and
 * the extension converts core values into these plain, serialisable shapes.
 */

export type ReportLevel = 'error' | 'warning' | 'info';

/** A tab of the panel. Diff, Inventory and Policy Matrix are fed once a database is connected. */
export type PanelTab = 'report' | 'diff' | 'inventory' | 'policies';

export interface ReportFinding {
  rule: string;
  level: ReportLevel;
  category: string;
  message: string;
  /** Qualified object name, `public.bookings`. */
  object: string;
  /** Qualified table the finding belongs to, when it belongs to one. */
  table?: string;
  /** Project-relative path, 1-based line and column, when the finding has a place. */
  file?: string;
  line?: number;
  column?: number;
}

export interface ReportRule {
  id: string;
  name: string;
  description: string;
}

export interface ReportData {
  /** ISO time of the analysis. */
  analysedAt: string;
  migrationCount: number;
  tableCount: number;
  counts: Record<ReportLevel, number>;
  findings: ReportFinding[];
  rules: ReportRule[];
  /** Offline (migrations only) or connected to a named database profile. */
  source: { kind: 'offline' } | { kind: 'connected'; profile: string };
}

export type DriftStatus = 'missing_in_database' | 'extra_in_database' | 'changed';

/** One difference between the migrations and the connected database, in the panel's plain shape. */
export interface DriftChange {
  /** Stable within one diff: the index of the change; the page sends it back to pick changes for the alignment migration. */
  id: number;
  status: DriftStatus;
  /** table, column, policy, function, ... (the `type` of `pgreview diff --format json`). */
  type: string;
  /** Qualified name, `public.bookings.status`. */
  object: string;
  /** The table the change belongs to, or the object itself when it belongs to none; the panel groups by it. */
  group: string;
  /** The property that differs, for `changed`. */
  property?: string;
  /** The value in the migrations and in the database, as text. */
  migrations?: string;
  database?: string;
  /** Project-relative file and 1-based line of the statement that defines the object. */
  file?: string;
  line?: number;
}

/** Tables on each side: the answer to "are all the tables the migrations define in the database?". */
export interface DriftInventory {
  migrationTables: string[];
  databaseTables: string[];
  /** Defined by migrations, absent from the database. */
  missing: string[];
  /** In the database, defined by no migration. */
  extra: string[];
}

export interface DriftData {
  /** `user@host:port/database`, never a password. */
  target: string;
  profile: string;
  /** ISO time of the comparison. */
  comparedAt: string;
  durationMs: number;
  changes: DriftChange[];
  inventory: DriftInventory;
  /** Migration statements that failed on the fresh shadow database. */
  shadowErrors: { message: string; file?: string; line?: number }[];
}

/** From the extension to the webview. */
export type HostMessage =
  | { type: 'report'; report: ReportData }
  | { type: 'diff'; diff: DriftData | undefined }
  | { type: 'showTab'; tab: PanelTab };

/** From the webview to the extension. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'goToFinding'; file: string; line: number; column: number }
  | { type: 'openRuleDocumentation'; rule: string }
  | { type: 'goToStatement'; file: string; line: number }
  /** The changes picked for the alignment migration so far (ids of `DriftChange`). */
  | { type: 'alignmentSelection'; ids: number[] }
  /** Write the alignment migration: of the picked changes, or of every change when `ids` is empty. */
  | { type: 'generateAlignment'; ids: number[] }
  /** The page drew the Diff tab: how many change rows it shows after filtering. */
  | { type: 'diffRendered'; rows: number; groups: number }
  | { type: 'tabChanged'; tab: PanelTab };
