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

/** From the extension to the webview. */
export type HostMessage =
  | { type: 'report'; report: ReportData }
  | { type: 'showTab'; tab: PanelTab };

/** From the webview to the extension. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'goToFinding'; file: string; line: number; column: number }
  | { type: 'openRuleDocumentation'; rule: string }
  | { type: 'tabChanged'; tab: PanelTab };
