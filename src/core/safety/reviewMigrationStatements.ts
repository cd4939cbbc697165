/**
 * Runs the migration-safety rules (`needs: 'M'`) during the replay: before each statement of a
 * pending migration runs, while the catalog still shows what the statement meets. No second
 * replay: a file that is not pending costs one Set lookup.
 */
import type { RangeVar } from '@pgsql/types';
import type { Catalog, Table, View } from '../catalog/model';
import { resolveIndexName, resolveRelation } from '../catalog/replay/names';
import { replayMemoryOf } from '../catalog/replay/replayMemory';
import { clauseSpan } from '../catalog/replay/tables';
import type { ReplayState } from '../catalog/replay/replayState';
import type { MigrationLayout } from '../discovery/discoverMigrations';
import type { ResolvedConfig } from '../config';
import type { Rule, RuleReport } from '../rules/defineRule';
import type { RuleContext } from '../rules/ruleContext';
import type { ParsedFile, ParsedStatement } from '../sql/parseSqlFile';
import type { SourceSpan } from '../sql/span';
import type { MigrationStatement } from './migrationStatement';
import type { TableLock } from './locks';
import { isPendingMigration, type PendingMigrations } from './pendingMigrations';
import type { RunnerTransaction } from './runnerTransactions';
import { LOCKING_STATEMENT_KINDS, statementLocks } from './statementLocks';
import { fileRunnerTransaction } from './runnerTransactions';

/** A finding of a migration-safety rule, before `defineRule`'s metadata makes it a Finding. */
export interface StatementReport extends RuleReport {
  rule: string;
  span: SourceSpan;
}

/** The table locks of one statement of a pending migration, for the hover and the report's Locks section. */
export interface StatementLocks {
  span: SourceSpan;
  locks: readonly TableLock[];
}

/** What the review needs to know about the project besides the files. */
export interface SafetyReviewOptions {
  pending: PendingMigrations | undefined;
  /** The layout discovery found: with a file's own directives, it says how the runner wraps the file in a transaction. */
  layout: MigrationLayout | undefined;
}

const LOCKING_KINDS = new Set(LOCKING_STATEMENT_KINDS);

/** The migration-safety rules of one analysis, dispatched by statement kind. */
export class MigrationSafetyReview {
  private readonly rulesByKind = new Map<string, Rule[]>();

  constructor(
    rules: readonly Rule[],
    config: ResolvedConfig,
    private readonly options: SafetyReviewOptions,
    private readonly context: RuleContext,
  ) {
    for (const rule of rules) {
      if (rule.needs !== 'M' || !rule.checkStatement || config.rules[rule.id] === 'off') continue;
      for (const kind of rule.statementKinds ?? []) {
        const list = this.rulesByKind.get(kind) ?? [];
        list.push(rule);
        this.rulesByKind.set(kind, list);
      }
    }
  }

  /**
   * The judge of one file's statements, or undefined when the file is not pending. It adds the
   * rules' findings to `reports` and the locks of each statement that takes one to `locks`.
   */
  startFile(file: ParsedFile, reports: StatementReport[], locks: StatementLocks[]): ((state: ReplayState) => void) | undefined {
    if (!isPendingMigration(this.options.pending, file.path)) return undefined;
    const fileMemory = new Map<string, unknown>();
    const { pending, layout } = this.options;
    const transaction = fileRunnerTransaction(layout, file);
    const isNewTable = (table: Table | View) => {
      const createdIn = table.origin.definedAt?.file;
      if (table.platform || createdIn === undefined) return false;
      return pending ? pending.paths.has(createdIn) : createdIn === file.path;
    };
    return (state) => {
      const rules = this.rulesByKind.get(state.statement.kind);
      const locking = LOCKING_KINDS.has(state.statement.kind);
      if (!rules && !locking) return;
      const statement = new ReviewedStatement(state, file, pending, transaction, isNewTable, fileMemory, locking);
      const taken = statement.locks();
      if (taken.length > 0) locks.push({ span: state.statement.span, locks: taken });
      for (const rule of rules ?? []) {
        for (const report of rule.checkStatement!(statement, this.context)) reports.push({ rule: rule.id, ...report, span: report.span ?? state.statement.span });
      }
    };
  }
}

/**
 * One statement as the rules see it. A class, not an object of closures: the review makes one for
 * every statement of a kind that locks or that a rule judges, thousands in a cold check.
 */
class ReviewedStatement implements MigrationStatement {
  readonly catalog: Catalog;
  readonly statement: ParsedStatement;
  readonly searchPath: readonly string[];
  private found: TableLock[] | undefined;

  constructor(
    private readonly state: ReplayState,
    readonly file: ParsedFile,
    readonly pending: PendingMigrations | undefined,
    readonly transaction: RunnerTransaction,
    readonly isNewTable: (table: Table | View) => boolean,
    readonly fileMemory: Map<string, unknown>,
    private readonly locking: boolean,
  ) {
    this.catalog = state.catalog as Catalog;
    this.statement = state.statement;
    this.searchPath = state.searchPath;
  }

  tableOf(relation: RangeVar | undefined): Table | undefined {
    return relation?.relname ? this.state.catalog.tables.get(resolveRelation(this.state, relation)) : undefined;
  }

  relationName(relation: RangeVar | undefined): string | undefined {
    return relation?.relname ? resolveRelation(this.state, relation) : undefined;
  }

  indexOwner(schema: string | undefined, name: string): string | undefined {
    const owners = replayMemoryOf(this.state.catalog).indexOwners;
    return owners.get(resolveIndexName(this.state, schema, name, owners));
  }

  clauseAt(location: number | undefined, before?: number): SourceSpan | undefined {
    return clauseSpan(this.state, location, before);
  }

  locks(): readonly TableLock[] {
    return (this.found ??= this.locking ? statementLocks(this) : []);
  }
}
