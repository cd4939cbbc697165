/**
 * Messages between the extension and the report panel. Types only: both sides import them, and
 * the extension converts core values into these plain, serialisable shapes.
 */

export type ReportLevel = 'error' | 'warning' | 'info';

/** A tab of the panel. Diff, Inventory and Policy Matrix are fed once a database is connected. */
export type PanelTab = 'report' | 'diff' | 'inventory' | 'policies' | 'simulation';

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
  /** The project folder reviewed (its name, and path inside it) in a multi-root workspace; undefined with one folder. */
  folder?: string;
  /** ISO time of the analysis. */
  analysedAt: string;
  migrationCount: number;
  tableCount: number;
  counts: Record<ReportLevel, number>;
  findings: ReportFinding[];
  rules: ReportRule[];
  /** Offline (migrations only) or connected to a named database profile. */
  source: { kind: 'offline' } | { kind: 'connected'; profile: string };
  /** The table locks of each statement of the pending migrations, in file and statement order (the last ones, when there are very many). */
  locks: ReportStatementLocks[];
  /** How many earlier statements with locks are left out of `locks`. */
  locksOmitted: number;
}

/** One statement of a pending migration and the table locks it takes. */
export interface ReportStatementLocks {
  /** Project-relative path, 1-based line and column of the statement. */
  file: string;
  line: number;
  column: number;
  /** The statement's first line, shortened. */
  statement: string;
  locks: { table: string; mode: string; work: 'none' | 'scan' | 'rewrite'; blocks: string }[];
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
  /**
   * For a changed function body of several lines: the whole difference as a unified diff, from the
   * database's body to the migrations'. `migrations` then holds the line counts (`2 lines only in migrations, 1 only in database`).
   */
  unifiedDiff?: string;
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
  /** The project folder whose migrations were compared, in a multi-root workspace; undefined with one folder. */
  folder?: string;
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
  /** What the database's migration history says of the files; absent without a history table. */
  history?: DriftHistory;
}

/** The migration-history section of the Diff tab: the files not applied as they stand, and applied versions without a file. */
export interface DriftHistory {
  /** The history table read, `supabase_migrations.schema_migrations`. */
  table: string;
  /** Project-relative paths, in the order the files apply. */
  pending: { file: string; note: string | null }[];
  changed: { file: string; note: string | null }[];
  /** `20231201000000 (hotfix)`: the version and the name the runner recorded. */
  missing: string[];
}

export type MatrixAccess = 'no grant' | 'bypass' | 'open' | 'filtered' | 'blocked';

/** A policy that produces a matrix cell; the page sends `key` back to go to its CREATE POLICY. */
export interface MatrixPolicy {
  name: string;
  /** `policy:public.bookings/Owner reads`. */
  key: string;
  permissive: boolean;
  /** The policy's own command: select, insert, update, delete or all. */
  command: string;
  /** True when the page can go to its CREATE POLICY statement (a migration defines it). */
  hasLocation: boolean;
}

/** One cell of the policy matrix: a table, a role and a command. */
export interface MatrixCell {
  role: string;
  command: string;
  access: MatrixAccess;
  /** The combined row filter (select, update, delete) and check on new rows (insert, update), as SQL. */
  using?: string;
  withCheck?: string;
  reason: string;
  /** Sentences of the flags that mark the cell as a usual mistake. */
  flags: string[];
  policies: MatrixPolicy[];
}

export interface MatrixRow {
  /** Qualified table name. */
  table: string;
  /** A materialized view has no row level security: a role that may SELECT it reads every row. */
  kind: 'table' | 'materialized_view';
  rlsEnabled: boolean;
  rlsForced: boolean;
  /** The row's RLS state in words, as the CLI prints it (`RLS on`, `materialized view, no RLS: ...`). */
  rls: string;
  cells: MatrixCell[];
}

/** The policy matrix in the panel's plain shape. */
export interface PolicyMatrixData {
  /** The project folder whose matrix this is, in a multi-root workspace; undefined with one folder. */
  folder?: string;
  /** Where the catalog came from: the migrations or the connected database. */
  source: { kind: 'migrations' } | { kind: 'database'; profile: string };
  roles: string[];
  commands: string[];
  rows: MatrixRow[];
  computedAt: string;
}

/** What a statement run as a role did, in the panel's plain shape. */
export interface SimulationData {
  /** The project folder whose shadow (or connection) ran the statement, in a multi-root workspace; undefined with one folder. */
  folder?: string;
  role: string;
  /** The saved identity's name, `Custom claims` or `No claims`. */
  identity: string;
  claims: Record<string, unknown>;
  sql: string;
  /** `PGlite shadow` or `user@host:port/db`. */
  target: string;
  kind: string;
  columns: string[];
  rows: Record<string, string | null>[];
  rowCount: number;
  error?: { message: string; code: string };
  /** For each table the statement touches: the role's access and the policies that applied. */
  policies: { table: string; command: string; access: MatrixAccess; predicate?: string; policies: MatrixPolicy[] }[];
  elapsedMs: number;
  ranAt: string;
}

/** From the extension to the webview. */
export type HostMessage =
  /** The analysis to show; undefined while another project folder is being analysed. */
  | { type: 'report'; report: ReportData | undefined }
  | { type: 'diff'; diff: DriftData | undefined }
  /** The matrix to show; undefined once another project folder is reviewed, until its own is computed. */
  | { type: 'policyMatrix'; matrix: PolicyMatrixData | undefined }
  /** The last Run Statement as Role; undefined once another project folder is reviewed. */
  | { type: 'simulation'; simulation: SimulationData | undefined }
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
  | { type: 'diffRendered'; rows: number; groups: number; unifiedDiffs: number }
  | { type: 'tabChanged'; tab: PanelTab }
  /** Go to the CREATE POLICY statement of a matrix cell's policy. */
  | { type: 'goToPolicy'; key: string }
  /** The page drew the Policy Matrix tab: tables, cells and flagged cells it shows. */
  | { type: 'matrixRendered'; rows: number; cells: number; flagged: number; materializedViews: number }
  /** The page drew the Simulation tab. */
  | { type: 'simulationRendered'; rows: number; error?: string }
  /**
   * The page drew itself: which project folder's report, diff, policy matrix and simulation it
   * shows (undefined: none). Posted after every render; tests read the last one to know what a user sees.
   */
  | {
    type: 'rendered';
    tab: PanelTab;
    /** `locks`: the statements the Locks section lists. */
    report?: { folder?: string; findings: number; locks: number };
    /** `history`: the rows of the migration-history section (0 when the history is in order or absent). */
    diff?: { folder?: string; changes: number; inventoryTables: number; history: number };
    matrix?: { folder?: string; rows: number };
    simulation?: { folder?: string; rows: number };
  };
