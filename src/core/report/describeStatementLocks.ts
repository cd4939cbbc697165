import type { Analysis } from '../analyze';
import { describeLock } from '../safety/locks';
import type { StatementLocks } from '../safety/reviewMigrationStatements';
import { escapeMarkdown } from './describeObjects';

/**
 * The statement of a pending migration at a UTF-16 offset of its file, with the table locks it
 * takes (as the analysis recorded them); undefined outside such a statement.
 */
export function statementLocksAt(analysis: Analysis, path: string, offset: number): StatementLocks | undefined {
  return analysis.statementLocks.get(path)?.find((candidate) => candidate.span.start <= offset && offset < candidate.span.end);
}

/** The hover text every editor shows on a statement of a pending migration: each lock, what it blocks, and the rewrite or scan. */
export function describeStatementLocks(statement: StatementLocks): string {
  return ['**Locks** (pending migration)', '', ...statement.locks.map((lock) => `- ${escapeMarkdown(describeLock(lock))}`), ''].join('\n');
}
