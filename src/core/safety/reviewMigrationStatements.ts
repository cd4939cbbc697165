/**
 * Runs the migration-safety rules (`needs: 'M'`) during the replay: before each statement of a
 * pending migration runs, while the catalog still shows what the statement meets. No second
 * replay: a file that is not pending costs one Set lookup.
 */
import type { Catalog, Table } from '../catalog/model';
import { resolveRelation } from '../catalog/replay/names';
import { clauseSpan } from '../catalog/replay/tables';
import type { ReplayState } from '../catalog/replay/replayState';
import type { ResolvedConfig } from '../config';
import type { Rule, RuleReport } from '../rules/defineRule';
import type { RuleContext } from '../rules/ruleContext';
import type { ParsedFile } from '../sql/parseSqlFile';
import type { SourceSpan } from '../sql/span';
import type { MigrationStatement } from './migrationStatement';
import { isPendingMigration, type PendingMigrations } from './pendingMigrations';
import type { RunnerTransaction } from './runnerTransactions';

/** A finding of a migration-safety rule, before `defineRule`'s metadata makes it a Finding. */
export interface StatementReport extends RuleReport {
  rule: string;
  span: SourceSpan;
}

/** What the review needs to know about the project besides the files. */
export interface SafetyReviewOptions {
  pending: PendingMigrations | undefined;
  transaction: RunnerTransaction;
}

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

  /** The judge of one file's statements, or undefined when the file is not pending (or no rule is on). */
  startFile(file: ParsedFile, reports: StatementReport[]): ((state: ReplayState) => void) | undefined {
    if (this.rulesByKind.size === 0 || !isPendingMigration(this.options.pending, file.path)) return undefined;
    const fileMemory = new Map<string, unknown>();
    const { pending, transaction } = this.options;
    const isNewTable = (table: Table) => {
      const createdIn = table.origin.definedAt?.file;
      if (table.platform || createdIn === undefined) return false;
      return pending ? pending.paths.has(createdIn) : createdIn === file.path;
    };
    return (state) => {
      const rules = this.rulesByKind.get(state.statement.kind);
      if (!rules) return;
      const statement: MigrationStatement = {
        catalog: state.catalog as Catalog,
        file,
        statement: state.statement,
        searchPath: state.searchPath,
        pending,
        transaction,
        isNewTable,
        tableOf: (relation) => (relation?.relname ? state.catalog.tables.get(resolveRelation(state, relation)) : undefined),
        clauseAt: (location, before) => clauseSpan(state, location, before),
        fileMemory,
      };
      for (const rule of rules) {
        for (const report of rule.checkStatement!(statement, this.context)) reports.push({ rule: rule.id, ...report, span: report.span ?? state.statement.span });
      }
    };
  }
}
