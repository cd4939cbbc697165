/**
 * The schema diff as the editor runs it: the migrations applied to a PGlite shadow, the connected
 * database introspected, both compared by the engine (`diffCatalogs`), and the result converted
 * into the panel's plain shape. The same steps as `pgreview diff`, so both answer alike.
 */
import type { CancellationToken } from '../core/cancellation';
import { throwIfCancelled } from '../core/cancellation';
import type { Catalog } from '../core/catalog/model';
import { isManagedSchema } from '../core/catalog/platform';
import type { ResolvedConfig } from '../core/config';
import type { Change } from '../core/diff/change';
import { diffCatalogs } from '../core/diff/diffCatalogs';
import { renderAlignmentSql } from '../core/diff/renderAlignmentSql';
import { describeLineCounts, formatValue, unifiedDiffOf } from '../core/diff/renderChanges';
import type { Finding } from '../core/finding';
import { describeHistoryEntry, historySectionOf } from '../core/history/historySection';
import { matchMigrationHistory, type MigrationHistory } from '../core/history/matchMigrationHistory';
import { printableMessage } from '../core/report/printableMessage';
import { describeTarget } from '../db/connection';
import { introspectDatabase } from '../db/introspect';
import { readMigrationHistoryFrom } from '../db/readMigrationHistory';
import { shadowWithPglite } from '../db/shadow';
import type { DriftData, DriftHistory, DriftInventory } from '../../webview/protocol';
import type { ConnectedDatabase } from './databaseConnection';
import type { AnalysisSnapshot } from './workspaceAnalysis';

/** One comparison of the migrations with the connected database. */
export interface SchemaDiff {
  changes: Change[];
  /** The migrations side: the shadow database read back. */
  migrations: Catalog;
  /** The replayed migrations, for what a shadow cannot hold (pg_cron jobs). */
  origins: Catalog;
  /** The connected database as read for this diff. */
  database: Catalog;
  /** Statements that failed on the fresh shadow (`migration_apply_error`). */
  shadowFindings: Finding[];
  /** The migration runner's history, read again with the database; undefined without a history table. */
  history: MigrationHistory | undefined;
  /** Database and shadow warnings (missing catalog permissions), for the log. */
  warnings: string[];
  config: ResolvedConfig;
  data: DriftData;
}

export interface SchemaDiffProgress {
  report(step: string): void;
}

/**
 * Compares the migrations of a finished analysis with the connected database. The database is
 * read first, so that an unreachable one fails before the shadow's work.
 */
export async function runSchemaDiff(
  snapshot: AnalysisSnapshot,
  connected: ConnectedDatabase,
  cacheDirectory: string,
  progress: SchemaDiffProgress,
  token?: CancellationToken,
): Promise<SchemaDiff> {
  const started = Date.now();
  const config = snapshot.config;
  progress.report(`reading ${connected.label}`);
  const live = await introspectDatabase(connected.options, { config }, token);
  // Read again with the catalog, as `pgreview diff` does: a deploy since connecting changes both.
  const history = (await readMigrationHistoryFrom(connected.options, snapshot.layout, token)).history;
  throwIfCancelled(token);
  progress.report(`applying ${snapshot.paths.length} migrations to a PGlite shadow`);
  const shadow = await shadowWithPglite(snapshot.analysis.files, { config, cacheDirectory }, token);
  throwIfCancelled(token);
  progress.report('comparing');
  const changes = diffCatalogs(shadow.catalog, live.catalog, { profile: config.profile, origins: snapshot.analysis.catalog });
  const warnings = [...live.warnings.map((warning) => warning.message), ...shadow.warnings.map((warning) => `shadow: ${warning.message}`)];
  return {
    changes,
    migrations: shadow.catalog,
    origins: snapshot.analysis.catalog,
    database: live.catalog,
    shadowFindings: shadow.findings,
    history,
    warnings,
    config,
    data: {
      ...(snapshot.folderLabel !== undefined ? { folder: snapshot.folderLabel } : {}),
      target: describeTarget(connected.options),
      profile: connected.profile.name,
      comparedAt: new Date().toISOString(),
      durationMs: Date.now() - started,
      changes: changes.map((change, id) => ({
        id,
        status: change.status,
        type: change.type,
        object: change.object,
        group: groupOf(change, shadow.catalog, live.catalog),
        ...(change.property !== undefined ? { property: change.property } : {}),
        ...driftValues(change),
        ...(change.file !== undefined ? { file: change.file, line: change.line } : {}),
      })),
      inventory: inventoryOf(snapshot.analysis.catalog, live.catalog, config),
      shadowErrors: shadow.findings.map((finding) => ({ message: printableMessage(finding.message), file: finding.span?.file, line: finding.span?.line })),
      ...(history ? { history: driftHistoryOf(history, snapshot) } : {}),
    },
  };
}

/**
 * The alignment migration of some changes of a diff (all of them when `ids` is empty): the SQL
 * that makes the database match the migrations. Drops stay commented out, as the CLI writes them
 * without `--allow-drops`.
 */
export function renderAlignmentMigration(diff: SchemaDiff, ids: readonly number[] = []): { sql: string; count: number } {
  const picked = ids.length > 0 ? ids.map((id) => diff.changes[id]).filter((change): change is Change => change !== undefined) : diff.changes;
  return { sql: renderAlignmentSql(picked, diff.migrations, diff.database, { origins: diff.origins }), count: picked.length };
}

/** Which side has which tables, outside the platform's managed schemas. */
export function inventoryOf(migrations: Catalog, database: Catalog, config: ResolvedConfig): DriftInventory {
  const tablesOf = (catalog: Catalog): string[] =>
    [...catalog.tables.values()]
      .filter((table) => !table.platform && !isManagedSchema(config.profile, table.schema))
      .map((table) => `${table.schema}.${table.name}`)
      .sort();
  const migrationTables = tablesOf(migrations);
  const databaseTables = tablesOf(database);
  const inDatabase = new Set(databaseTables);
  const inMigrations = new Set(migrationTables);
  return {
    migrationTables,
    databaseTables,
    missing: migrationTables.filter((name) => !inDatabase.has(name)),
    extra: databaseTables.filter((name) => !inMigrations.has(name)),
  };
}

/** The Diff tab's history section: core's section in the panel's plain shape. */
function driftHistoryOf(history: MigrationHistory, snapshot: AnalysisSnapshot): DriftHistory {
  const section = historySectionOf(matchMigrationHistory(history, snapshot.analysis.files));
  const file = ({ file, note }: { file: string; note: string | null }) => ({ file, note });
  return {
    table: section.table,
    pending: section.pending.map(file),
    changed: section.changed.map(file),
    missing: section.missing.map((entry) => describeHistoryEntry({ version: entry.version ?? undefined, name: entry.name ?? undefined })),
  };
}

/**
 * The values a change row shows: both sides' values, or, for a body of several lines, the line
 * counts in the migrations' column and the unified diff under the row.
 */
function driftValues(change: Change): Pick<DriftData['changes'][number], 'migrations' | 'database' | 'unifiedDiff'> {
  const unifiedDiff = unifiedDiffOf(change);
  const lineCounts = describeLineCounts(change);
  if (unifiedDiff && lineCounts) return { migrations: lineCounts, unifiedDiff };
  return {
    ...(change.migrations !== undefined ? { migrations: formatValue(change.migrations) } : {}),
    ...(change.database !== undefined ? { database: formatValue(change.database) } : {}),
  };
}

/** The table a change belongs to (for columns, constraints, policies, triggers and indexes), or its own name. */
function groupOf(change: Change, migrations: Catalog, database: Catalog): string {
  switch (change.type) {
    case 'column':
    case 'constraint':
    case 'policy':
    case 'trigger':
      return change.object.split('.').slice(0, 2).join('.');
    case 'index': {
      for (const catalog of [migrations, database]) {
        for (const [qualified, table] of catalog.tables) {
          if ([...table.indexes.values()].some((index) => `index:${table.schema}.${index.name}` === change.key)) return qualified;
        }
      }
      return change.object;
    }
    default:
      return change.object;
  }
}
