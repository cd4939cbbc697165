/** The naming pieces of the replay: format_type spellings and PostgreSQL's default object names. */
import assert from 'node:assert/strict';
import type { CreateStmt } from '@pgsql/types';
import { chooseName, makeObjectName } from '../../src/core/catalog/replay/chooseName';
import { formatTypeName } from '../../src/core/sql/formatTypeName';
import { getParser, loadParser } from '../../src/core/sql/parser';
import { tokenize } from '../../src/core/sql/statementTokens';

describe('formatTypeName', () => {
  before(() => loadParser());
  const cases: [string, string][] = [
    ['int', 'integer'], ['int4', 'integer'], ['smallint', 'smallint'], ['bigint', 'bigint'], ['bool', 'boolean'],
    ['varchar(20)', 'character varying(20)'], ['character varying', 'character varying'], ['char', 'character(1)'],
    ['char(3)', 'character(3)'], ['numeric(10,2)', 'numeric(10,2)'], ['decimal(5)', 'numeric(5,0)'], ['numeric', 'numeric'],
    ['timestamptz', 'timestamp with time zone'], ['timestamp', 'timestamp without time zone'],
    ['timestamp(3) with time zone', 'timestamp(3) with time zone'], ['time', 'time without time zone'],
    ['double precision', 'double precision'], ['float4', 'real'], ['real', 'real'], ['text[]', 'text[]'], ['int[][]', 'integer[]'],
    ['uuid', 'uuid'], ['jsonb', 'jsonb'], ['public.mood', 'mood'], ['app.mood', 'app.mood'], ['"Mood"', '"Mood"'],
    ['serial', 'integer'], ['bigserial', 'bigint'], ['bit varying(8)', 'bit varying(8)'], ['interval', 'interval'],
    // User types named like Object.prototype members are user types, not built-ins.
    ['constructor', 'constructor'], ['tostring', 'tostring'], ['"toString"', '"toString"'],
  ];
  for (const [written, expected] of cases) {
    it(`${written} → ${expected}`, () => {
      const stmt = (getParser().parseSync(`create table t (c ${written})`).stmts![0].stmt as { CreateStmt: CreateStmt }).CreateStmt;
      const column = stmt.tableElts![0] as { ColumnDef: { typeName: Parameters<typeof formatTypeName>[0] } };
      assert.equal(formatTypeName(column.ColumnDef.typeName), expected);
    });
  }
});

describe('default object names', () => {
  it('joins table, columns and label', () => {
    assert.equal(makeObjectName('bookings', 'user_id_created_at', 'idx'), 'bookings_user_id_created_at_idx');
    assert.equal(makeObjectName('bookings', undefined, 'pkey'), 'bookings_pkey');
  });
  it('truncates the longer part first to stay within 63 characters', () => {
    const name = makeObjectName('a'.repeat(40), 'b'.repeat(40), 'fkey');
    assert.equal(name.length, 63);
    assert.equal(name, `${'a'.repeat(29)}_${'b'.repeat(28)}_fkey`);
  });
  it('adds a number when the name is taken', () => {
    const taken = new Set(['bookings_user_id_idx', 'bookings_user_id_idx1']);
    assert.equal(chooseName('bookings', 'user_id', 'idx', (name) => taken.has(name)), 'bookings_user_id_idx2');
  });
});

describe('tokenize', () => {
  it('keeps strings, dollar quotes, quoted names and comments out of the keywords', () => {
    const tokens = tokenize(`using ('it''s' || $x$ with check $x$ || "where" /* using /* nested */ */ -- check\n, E'\\' using')`);
    assert.deepEqual(tokens.filter((token) => token.keyword).map((token) => token.keyword), ['using']);
    assert.deepEqual(tokens.map((token) => token.text), ['using', '(', "'it''s'", '||', '$x$ with check $x$', '||', '"where"', ',', "E'\\' using'", ')']);
  });
});
