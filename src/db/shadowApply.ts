/**
 * Applies parsed migrations statement by statement to a shadow database (PGlite or a server), the
 * way the Supabase CLI applies them: each file in one transaction. Each statement runs inside a
 * savepoint, so a statement that fails becomes a `migration_apply_error` finding at its span and
 * the rest of the file still applies. An extension the shadow lacks is reported once, and the
 * statements that fail only because its types and functions are missing are listed under it.
 */
import { throwIfCancelled, type CancellationToken } from '../core/cancellation';
import type { ResolvedConfig } from '../core/config';
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

/** Applies every statement of the files in order and reports the ones that fail. */
export async function applyMigrationStatements(
  runner: StatementRunner,
  files: readonly ParsedFile[],
  config: ResolvedConfig,
  describeShadow: string,
  token?: CancellationToken,
): Promise<ApplyOutcome> {
  const rule = rulesById.get('migration_apply_error');
  const setting = config.rules['migration_apply_error'];
  const level: Level = setting && setting !== 'off' ? setting : rule?.level ?? 'error';
  const findings: Finding[] = [];
  const missingExtensions: { name: string; finding: Finding; dependants: RelatedLocation[] }[] = [];
  let applied = 0;
  let failed = 0;

  const report = (statement: ParsedStatement, message: string): Finding => {
    const finding: Finding = {
      rule: 'migration_apply_error',
      level,
      category: rule?.category ?? 'correctness',
      message,
      object: statement.span.file,
      objectKey: `file:${statement.span.file}:${statement.span.line}`,
      key: `migration_apply_error:file:${statement.span.file}:${statement.span.line}`,
      span: statement.span,
    };
    if (setting !== 'off') findings.push(finding);
    return finding;
  };

  for (const file of files) {
    throwIfCancelled(token);
    // The file is already one transaction: its own BEGIN / COMMIT would end ours early.
    const statements = file.statements.filter((statement) => statement.kind !== 'TransactionStmt');
    if (statements.length === 0) continue;
    // Most files apply cleanly: try the whole file in one round trip first, and go statement by
    // statement only when it fails, to find and report each failing statement.
    if (!statements.some(mustRunOutsideTransaction) && (await applyWholeFile(runner, statements))) {
      applied += statements.length;
      await runner.exec('reset all');
      continue;
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
        applied++;
      } catch (error) {
        failed++;
        if (!outsideTransaction) await runner.exec('rollback to savepoint pgreview_statement');
        const { message, code } = describeError(error);
        const extension = statement.kind === 'CreateExtensionStmt' ? extensionName(statement) : undefined;
        if (extension && isUnavailableExtension(code, message)) {
          if (!missingExtensions.some((entry) => entry.name === extension)) {
            const finding = report(statement, `Extension "${extension}" is not available in the shadow database (${describeShadow}): ${message} (SQLSTATE ${code}).`);
            missingExtensions.push({ name: extension, finding, dependants: [] });
          }
        } else if (missingExtensions.length > 0 && UNDEFINED_OBJECT_CODES.has(code)) {
          missingExtensions[0].dependants.push({ message: `${message} (SQLSTATE ${code})`, span: statement.span });
        } else {
          report(statement, `This statement fails on a fresh database: ${message} (SQLSTATE ${code}).`);
        }
      } finally {
        if (outsideTransaction) await runner.exec('begin');
      }
    }
    try {
      await runner.exec('commit');
    } catch (error) {
      // A deferred constraint is checked at commit: the whole file is rolled back.
      const { message, code } = describeError(error);
      report(file.statements[file.statements.length - 1], `The migration's transaction fails at commit: ${message} (SQLSTATE ${code}).`);
    }
    // Settings a migration made (search_path, role) do not carry into the next file.
    await runner.exec('reset all');
  }

  for (const entry of missingExtensions) {
    if (entry.dependants.length === 0) continue;
    const count = entry.dependants.length;
    entry.finding.message += ` ${count} later ${count === 1 ? 'statement that uses it' : 'statements that use it'} failed too and ${count === 1 ? 'is' : 'are'} listed here rather than reported one by one.`;
    entry.finding.related = entry.dependants;
  }
  return { findings, statementsApplied: applied, statementsFailed: failed };
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
