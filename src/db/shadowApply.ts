/**
 * Applies parsed migrations statement by statement to a shadow database (PGlite or a server), the
 * way the Supabase CLI applies them: each file in one transaction. Each statement runs inside a
 * savepoint, so a statement that fails becomes a `migration_apply_error` finding at its span and
 * the rest of the file still applies. An extension the shadow lacks is reported once, and the
 * statements that fail only because its types and functions are missing are listed under it.
 */
import { throwIfCancelled, type CancellationToken } from '../core/cancellation';
import type { ResolvedConfig, RuleSetting } from '../core/config';
import type { Finding, Level, RelatedLocation } from '../core/finding';
import { rulesById } from '../core/rules';
import type { ParsedFile, ParsedStatement } from '../core/sql/parseSqlFile';

/** Runs one SQL statement on the shadow; a failure rejects with the server's error (message and `code`). */
export interface StatementRunner {
  exec(sql: string): Promise<void>;
}

export interface ApplyOutcome {
  /** `migration_apply_error` findings, in file order. */
  findings: Finding[];
  statementsApplied: number;
  statementsFailed: number;
}

/** SQLSTATEs of "this object does not exist": what statements that use a missing extension fail with. */
const UNDEFINED_OBJECT_CODES = new Set(['42704', '42883', '42P01', '3F000', '42703']);

/**
 * Where application stands between two files, as plain JSON: the shadow cache stores it beside a
 * dump of the database, so a later run can resume after the files it has already applied.
 */
export interface ApplyState {
  /** Findings so far, without the summaries of missing extensions (`outcome()` adds them). */
  findings: Finding[];
  /** Extensions the shadow lacks; `findingIndex` points into `findings` (absent when the rule is off). */
  missingExtensions: { name: string; findingIndex?: number; dependants: RelatedLocation[] }[];
  statementsApplied: number;
  statementsFailed: number;
}

/** Applies every statement of the files in order and reports the ones that fail. */
export async function applyMigrationStatements(
  runner: StatementRunner,
  files: readonly ParsedFile[],
  config: ResolvedConfig,
  describeShadow: string,
  token?: CancellationToken,
): Promise<ApplyOutcome> {
  const applier = new MigrationApplier(runner, config, describeShadow);
  for (const file of files) await applier.applyFile(file, token);
  return applier.outcome();
}

/**
 * Applies migration files one at a time and keeps what failed. The state between two files is
 * plain data (`state`), so application can stop after any file and resume later from a copy of
 * the database and that state, with the same outcome as one uninterrupted run.
 */
export class MigrationApplier {
  private readonly rule = rulesById.get('migration_apply_error');
  private readonly setting: RuleSetting | undefined;
  private readonly level: Level;
  private readonly current: ApplyState;

  constructor(
    private readonly runner: StatementRunner,
    config: ResolvedConfig,
    private readonly describeShadow: string,
    resumeFrom?: ApplyState,
  ) {
    this.setting = config.rules['migration_apply_error'];
    this.level = this.setting && this.setting !== 'off' ? this.setting : this.rule?.level ?? 'error';
    this.current = resumeFrom ? structuredClone(resumeFrom) : { findings: [], missingExtensions: [], statementsApplied: 0, statementsFailed: 0 };
  }

  /** A copy of the state after the files applied so far. */
  get state(): ApplyState {
    return structuredClone(this.current);
  }

  /** Applies one file: in one transaction, statement by statement when the whole file fails. */
  async applyFile(file: ParsedFile, token?: CancellationToken): Promise<void> {
    throwIfCancelled(token);
    const { runner } = this;
    // The file is already one transaction: its own BEGIN / COMMIT would end ours early.
    const statements = file.statements.filter((statement) => statement.kind !== 'TransactionStmt');
    if (statements.length === 0) return;
    // Most files apply cleanly: try the whole file in one round trip first, and go statement by
    // statement only when it fails, to find and report each failing statement.
    if (!statements.some(mustRunOutsideTransaction) && (await applyWholeFile(runner, statements))) {
      this.current.statementsApplied += statements.length;
      await runner.exec('reset all');
      return;
    }
    await runner.exec('begin');
    for (const statement of statements) {
      throwIfCancelled(token);
      const outsideTransaction = mustRunOutsideTransaction(statement);
      if (outsideTransaction) await runner.exec('commit');
      try {
        // One round trip: on failure the savepoint is still there to roll back to. The line break
        // keeps a trailing line comment from swallowing the semicolon.
        await runner.exec(outsideTransaction ? statement.text : `savepoint pgreview_statement;\n${statement.text}\n;\nrelease savepoint pgreview_statement`);
        this.current.statementsApplied++;
      } catch (error) {
        this.current.statementsFailed++;
        if (!outsideTransaction) await runner.exec('rollback to savepoint pgreview_statement');
        this.recordFailure(statement, error);
      } finally {
        if (outsideTransaction) await runner.exec('begin');
      }
    }
    try {
      await runner.exec('commit');
    } catch (error) {
      // A deferred constraint is checked at commit: the whole file is rolled back.
      const { message, code } = describeError(error);
      this.report(file.statements[file.statements.length - 1], `The migration's transaction fails at commit: ${message} (SQLSTATE ${code}).`);
    }
    // Settings a migration made (search_path, role) do not carry into the next file.
    await runner.exec('reset all');
  }

  /** The findings and counts so far, each missing extension's finding listing the statements that failed for want of it. */
  outcome(): ApplyOutcome {
    const { findings, missingExtensions, statementsApplied, statementsFailed } = this.state;
    for (const entry of missingExtensions) {
      if (entry.dependants.length === 0 || entry.findingIndex === undefined) continue;
      const count = entry.dependants.length;
      const finding = findings[entry.findingIndex];
      finding.message += ` ${count} later ${count === 1 ? 'statement that uses it' : 'statements that use it'} failed too and ${count === 1 ? 'is' : 'are'} listed here rather than reported one by one.`;
      finding.related = entry.dependants;
    }
    return { findings, statementsApplied, statementsFailed };
  }

  private recordFailure(statement: ParsedStatement, error: unknown): void {
    const { message, code } = describeError(error);
    const { missingExtensions } = this.current;
    const extension = statement.kind === 'CreateExtensionStmt' ? extensionName(statement) : undefined;
    if (extension && isUnavailableExtension(code, message)) {
      if (!missingExtensions.some((entry) => entry.name === extension)) {
        const text = `Extension "${extension}" is not available in the shadow database (${this.describeShadow}): ${message} (SQLSTATE ${code}).`;
        missingExtensions.push({ name: extension, findingIndex: this.report(statement, text), dependants: [] });
      }
    } else if (missingExtensions.length > 0 && UNDEFINED_OBJECT_CODES.has(code)) {
      missingExtensions[0].dependants.push({ message: `${message} (SQLSTATE ${code})`, span: statement.span });
    } else {
      this.report(statement, `This statement fails on a fresh database: ${message} (SQLSTATE ${code}).`);
    }
  }

  /** Adds a finding unless the rule is off; returns its index in the findings. */
  private report(statement: ParsedStatement, message: string): number | undefined {
    if (this.setting === 'off') return undefined;
    this.current.findings.push({
      rule: 'migration_apply_error',
      level: this.level,
      category: this.rule?.category ?? 'correctness',
      message,
      object: statement.span.file,
      objectKey: `file:${statement.span.file}:${statement.span.line}`,
      key: `migration_apply_error:file:${statement.span.file}:${statement.span.line}`,
      span: statement.span,
    });
    return this.current.findings.length - 1;
  }
}

/** Applies the file's statements in one transaction and one round trip; false (rolled back) when any fails. */
async function applyWholeFile(runner: StatementRunner, statements: readonly ParsedStatement[]): Promise<boolean> {
  await runner.exec('begin');
  try {
    await runner.exec(statements.map((statement) => `${statement.text}\n;`).join('\n'));
    await runner.exec('commit');
    return true;
  } catch {
    // Handled by the caller, which applies the file again statement by statement and reports each failure.
    await runner.exec('rollback');
    return false;
  }
}

/** A message and SQLSTATE from a pg or PGlite error; no connection details are in either. */
export function describeError(error: unknown): { message: string; code: string } {
  const record = (error ?? {}) as { message?: unknown; code?: unknown };
  const message = typeof record.message === 'string' ? record.message : String(error);
  const code = typeof record.code === 'string' && /^[0-9A-Z]{5}$/.test(record.code) ? record.code : 'XX000';
  return { message, code };
}

/**
 * Statements PostgreSQL refuses inside a transaction block (SQLSTATE 25001): they run on their
 * own, between the file's transaction and the next.
 */
function mustRunOutsideTransaction(statement: ParsedStatement): boolean {
  switch (statement.kind) {
    case 'IndexStmt':
      return 'IndexStmt' in statement.node && statement.node.IndexStmt.concurrent === true;
    // The Supabase CLI runs DROP INDEX CONCURRENTLY on its own too (supabase/cli#6276).
    case 'DropStmt':
      return 'DropStmt' in statement.node && statement.node.DropStmt.concurrent === true;
    case 'ReindexStmt':
      return /\bconcurrently\b/i.test(statement.text);
    case 'VacuumStmt':
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'AlterSystemStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
      return true;
    default:
      return false;
  }
}

function extensionName(statement: ParsedStatement): string | undefined {
  return 'CreateExtensionStmt' in statement.node ? statement.node.CreateExtensionStmt.extname : undefined;
}

function isUnavailableExtension(code: string, message: string): boolean {
  return code === '0A000' || code === '58P01' || /extension .* is not available|could not open extension control file/i.test(message);
}
