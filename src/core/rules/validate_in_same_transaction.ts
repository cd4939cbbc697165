import type { TransactionStmt } from '@pgsql/types';
import type { Constraint, Table } from '../catalog/model';
import type { Fix } from '../finding';
import { alterOfExistingTable } from '../safety/existingTableAlter';
import { describeLock } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { defineRule, type RuleReport } from './defineRule';

const ID = 'validate_in_same_transaction';

export default defineRule({
  id: ID,
  name: 'Validate In Same Transaction',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration validates a constraint in the same transaction that added it NOT VALID, so the strong lock of the ADD is held until every row is checked and NOT VALID gains nothing.',
  statementKinds: ['AlterTableStmt', 'TransactionStmt'],
  checkStatement(migration) {
    const blocks = transactionBlocksOf(migration);
    const { node, span } = migration.statement;
    if ('TransactionStmt' in node) {
      followTransactionBlock(blocks, node.TransactionStmt);
      return [];
    }
    if (blocks.current !== undefined) blocks.blockOfStatement.set(span.start, blocks.current);
    // The ADD's lock lasts until the VALIDATE when the runner wraps the whole file in one
    // transaction, or when both sit in one BEGIN ... COMMIT of the file. Statements that commit
    // one by one (`none`) are fine, and outside a block an unknown runner is not judged.
    const wholeFile = migration.transaction === 'per-file' || migration.transaction === 'per-file-except-concurrently';
    const altered = alterOfExistingTable(migration);
    if (!altered) return [];
    const { table, commands } = altered;
    const reports: RuleReport[] = [];
    for (const command of commands) {
      if (command.subtype !== 'AT_ValidateConstraint' || !command.name) continue;
      const constraint = table.constraints.get(command.name);
      // The catalog already named the constraint as PostgreSQL did, and knows which statement
      // added it: a NOT VALID constraint added by this file is still unvalidated here.
      const addedAt = constraint?.origin.definedAt;
      if (!constraint || constraint.validated || addedAt?.file !== migration.file.path) continue;
      const sameBlock = blocks.current !== undefined && blocks.blockOfStatement.get(addedAt.start) === blocks.current;
      if (!wholeFile && !sameBlock) continue;
      const qualified = `${table.schema}.${table.name}`;
      reports.push({
        object: qualified,
        objectKey: `constraint:${qualified}/${constraint.name}`,
        message: `VALIDATE CONSTRAINT ${constraint.name} on ${qualified} runs in the transaction that added it NOT VALID: the ADD ${addLocks(migration, table, constraint)}, and holds it until VALIDATE has read every row, so NOT VALID gains nothing. Validate it in a later migration, where it takes only a SHARE UPDATE EXCLUSIVE lock.`,
        related: [{ message: `${constraint.name} is added NOT VALID here`, span: constraint.clauseAt ?? addedAt }],
        ...(commands.length === 1 ? { fix: validateLaterFix(migration, constraint.name) } : {}),
      });
    }
    return reports;
  },
});

/** The locks the ADD took: SHARE ROW EXCLUSIVE on both tables for a foreign key, ACCESS EXCLUSIVE for a CHECK. */
function addLocks(migration: MigrationStatement, table: Table, constraint: Constraint): string {
  const qualified = `${table.schema}.${table.name}`;
  if (constraint.kind !== 'foreign_key') return describeLock({ table: qualified, mode: 'ACCESS EXCLUSIVE', work: 'none' });
  const referenced = constraint.references?.table;
  const own = describeLock({ table: qualified, mode: 'SHARE ROW EXCLUSIVE', work: 'none' });
  if (!referenced || referenced === qualified || !migration.catalog.tables.has(referenced)) return own;
  return `${own}, and ${describeLock({ table: referenced, mode: 'SHARE ROW EXCLUSIVE', work: 'none' })}`;
}

/** The VALIDATE statement moved out of this file, into a new migration. */
function validateLaterFix(migration: MigrationStatement, name: string): Fix {
  const { statement, file } = migration;
  // The statement's span stops before its semicolon; the edit takes the semicolon too.
  const end = file.text[statement.span.end] === ';' ? statement.span.end + 1 : statement.span.end;
  return {
    title: `Validate ${name} in a new migration`,
    sql: `${statement.text};\n`,
    edit: { file: file.path, start: statement.span.start, end, text: '' },
    sqlAfterEdit: true,
  };
}

/** The explicit transaction blocks of a file so far: the one open now, and the block each ALTER TABLE ran in. */
interface TransactionBlocks {
  current: number | undefined;
  opened: number;
  /** Block number by the start of the statement's span. */
  blockOfStatement: Map<number, number>;
}

function transactionBlocksOf(migration: MigrationStatement): TransactionBlocks {
  let blocks = migration.fileMemory.get(ID) as TransactionBlocks | undefined;
  if (!blocks) {
    blocks = { current: undefined, opened: 0, blockOfStatement: new Map() };
    migration.fileMemory.set(ID, blocks);
  }
  return blocks;
}

/** BEGIN or START TRANSACTION opens a block (a second BEGIN only warns); COMMIT, ROLLBACK and PREPARE TRANSACTION end it; AND CHAIN opens the next. */
function followTransactionBlock(blocks: TransactionBlocks, stmt: TransactionStmt): void {
  switch (stmt.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      if (blocks.current === undefined) blocks.current = ++blocks.opened;
      return;
    case 'TRANS_STMT_COMMIT':
    case 'TRANS_STMT_ROLLBACK':
    case 'TRANS_STMT_PREPARE':
      blocks.current = stmt.chain ? ++blocks.opened : undefined;
      return;
    default:
      return;
  }
}
