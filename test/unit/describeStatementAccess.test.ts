/**
 * What a statement does to which tables, as the simulator reads it from the parse tree: the
 * commands per table, CTE names left out, and why a statement is not a plain SELECT.
 */
import assert from 'node:assert/strict';
import { describeStatementAccess } from '../../src/core/policies/describeStatementAccess';
import { loadParser } from '../../src/core/sql/parser';

function accesses(sql: string): string[] {
  return describeStatementAccess(sql).tables.map((table) => `${table.command} ${table.name}`);
}

describe('describeStatementAccess', () => {
  before(loadParser);

  it('lists each table with its command, and the SELECT policies an UPDATE or DELETE that reads rows needs', () => {
    assert.deepEqual(accesses('select * from bookings b join public.adventures a on a.id = b.adventure_id'), ['select bookings', 'select public.adventures']);
    assert.deepEqual(accesses("update public.bookings set status = 'cancelled' where id = '1'"), ['update public.bookings', 'select public.bookings']);
    assert.deepEqual(accesses('delete from public.favorites'), ['delete public.favorites']);
    assert.deepEqual(accesses("insert into public.bookings (user_id) select id from public.profiles"), ['insert public.bookings', 'select public.profiles']);
    assert.deepEqual(accesses('with mine as (select * from public.bookings) select * from mine'), ['select public.bookings']);
  });

  it('says why a statement is not a plain SELECT', () => {
    assert.equal(describeStatementAccess('select 1').notPlainSelect, undefined);
    assert.equal(describeStatementAccess('select * from public.bookings for share').notPlainSelect, 'FOR UPDATE/SHARE locks rows');
    assert.equal(describeStatementAccess('with gone as (delete from public.bookings returning id) select * from gone').notPlainSelect, 'its WITH clause modifies data');
    assert.equal(describeStatementAccess('truncate public.bookings').notPlainSelect, 'it is a TRUNCATE statement, not a SELECT');
    assert.equal(describeStatementAccess('truncate public.bookings').kind, 'truncatestmt');
    assert.throws(() => describeStatementAccess('select 1; select 2'), /2 statements; run one at a time/);
    assert.throws(() => describeStatementAccess('-- nothing'), /no statement/);
  });
});
