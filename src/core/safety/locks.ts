/**
 * The table locks PostgreSQL takes, and what each one blocks. The modes a statement takes are
 * checked against a real server in `test/db/lockModes.test.ts` (pg_locks inside a transaction),
 * and the rewrite claims against `pg_class.relfilenode` before and after.
 */

/** PostgreSQL's table lock modes, strongest first. */
export type LockMode =
  | 'ACCESS EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'SHARE ROW EXCLUSIVE'
  | 'SHARE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'ROW EXCLUSIVE'
  | 'ROW SHARE'
  | 'ACCESS SHARE';

/** What a lock held on a table stops other sessions doing, in words for a finding. */
export const LOCK_BLOCKS: Record<LockMode, string> = {
  'ACCESS EXCLUSIVE': 'blocks reads and writes',
  EXCLUSIVE: 'blocks writes; only reads go on',
  'SHARE ROW EXCLUSIVE': 'blocks writes (INSERT, UPDATE, DELETE); reads go on',
  SHARE: 'blocks writes (INSERT, UPDATE, DELETE); reads go on',
  'SHARE UPDATE EXCLUSIVE': 'blocks other schema changes and VACUUM; reads and writes go on',
  'ROW EXCLUSIVE': 'blocks only locks of SHARE and stronger (CREATE INDEX, most ALTER TABLE)',
  'ROW SHARE': 'blocks only EXCLUSIVE and ACCESS EXCLUSIVE locks',
  'ACCESS SHARE': 'blocks only ACCESS EXCLUSIVE locks',
};

/** What a statement does to a table's rows besides locking: nothing, read them all, or write them all anew. */
export type TableWork = 'none' | 'scan' | 'rewrite';

/** A lock a statement takes on one table, and the work it does there while holding it. */
export interface TableLock {
  /** Qualified table name, `public.bookings`. */
  table: string;
  mode: LockMode;
  work: TableWork;
}

const WORK_WORDS: Record<TableWork, string> = {
  none: '',
  scan: '; it reads every row while holding it',
  rewrite: '; it rewrites the whole table (and its indexes) while holding it',
};

/**
 * "takes an ACCESS EXCLUSIVE lock on public.orders: blocks reads and writes; it rewrites the
 * whole table ...": the part of a safety finding every rule words the same way.
 */
export function describeLock(lock: TableLock): string {
  const article = /^[AEIOU]/.test(lock.mode) ? 'an' : 'a';
  return `takes ${article} ${lock.mode} lock on ${lock.table}: ${LOCK_BLOCKS[lock.mode]}${WORK_WORDS[lock.work]}`;
}

/**
 * How a migration keeps a lock it waits for from queueing every other query behind it: it gives up
 * after five seconds, to be run again later. `lock_timeout_missing` asks for it, and every
 * migration pgreview writes starts with it.
 */
export const SET_LOCK_TIMEOUT = "set lock_timeout = '5s';";
