import type { Table } from '../catalog/model';
import type { Fix } from '../finding';
import type { SourceSpan } from '../sql/span';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';

/**
 * The fix of a constraint added with a validating scan: `not valid` written after its clause, in
 * place, and `validate constraint` in a new migration, which reads the rows under a SHARE UPDATE
 * EXCLUSIVE lock (reads and writes go on) once the NOT VALID add has committed.
 */
export function notValidThenValidateFix(table: Table, constraintName: string, clause: SourceSpan): Fix {
  return {
    title: `Add ${constraintName} NOT VALID, then validate it in a new migration`,
    sql: `alter table ${quoteQualified(table.schema, table.name)} validate constraint ${quoteIdent(constraintName)};\n`,
    edit: { file: clause.file, start: clause.end, end: clause.end, text: ' not valid' },
    sqlAfterEdit: true,
  };
}
