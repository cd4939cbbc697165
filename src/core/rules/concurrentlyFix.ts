import { tokensOfStatement } from '../catalog/replay/expressions';
import type { Fix } from '../finding';
import type { MigrationStatement } from '../safety/migrationStatement';

/**
 * The fix of CREATE INDEX and DROP INDEX without CONCURRENTLY: CONCURRENTLY written after the
 * statement's INDEX keyword, in place. Undefined when the statement has no such keyword.
 */
export function concurrentlyFix(migration: MigrationStatement, title: string): Fix | undefined {
  const { statement, file } = migration;
  const { tokens } = tokensOfStatement(statement, file.lines);
  const index = tokens.findIndex((token) => token.keyword === 'index');
  if (index < 0) return undefined;
  const at = statement.span.start + tokens[index].end;
  return {
    title,
    sql: `${statement.text.slice(0, tokens[index].end)} concurrently${statement.text.slice(tokens[index].end)};\n`,
    edit: { file: file.path, start: at, end: at, text: ' concurrently' },
    // The statement rewritten: beside the original, in a new migration, it would build the index twice.
    editOnly: true,
  };
}
