import assert from 'node:assert/strict';
import { loadParser } from '../../src/core/sql/parser';
import { parseSqlFile } from '../../src/core/sql/parseSqlFile';

describe('parseSqlFile', () => {
  before(() => loadParser());

  it('gives each statement its exact span, from the first keyword, without the semicolon', () => {
    const file = parseSqlFile('a.sql', '-- header\ncreate table a (id int);\n\n  alter table a enable row level security;\n');
    assert.deepEqual(file.statements.map((s) => [s.kind, s.span.line, s.span.column, s.span.endLine, s.span.endColumn, s.text]), [
      ['CreateStmt', 2, 1, 2, 24, 'create table a (id int)'],
      ['AlterTableStmt', 4, 3, 4, 42, 'alter table a enable row level security'],
    ]);
  });

  it('locates statements exactly after Arabic comments and emoji', () => {
    const text = '-- مرحبا بالعالم 😀\ncreate table t (name text default \'🎉\');\ncreate index on t (name);';
    const file = parseSqlFile('u.sql', text);
    assert.equal(file.statements.length, 2);
    const [create, index] = file.statements;
    assert.equal(create.text, "create table t (name text default '🎉')");
    assert.deepEqual([index.span.line, index.span.column, index.text], [3, 1, 'create index on t (name)']);
    assert.equal(text.slice(index.span.start, index.span.end), 'create index on t (name)');
  });

  it('turns a broken statement into a syntax_error and keeps the statements after it', () => {
    const text = "create table a (id int);\ncreate tabel b (id int);\n-- 😀 note\ncreate table c (id int);";
    const file = parseSqlFile('b.sql', text);
    assert.deepEqual(file.statements.map((s) => s.text), ['create table a (id int)', 'create table c (id int)']);
    assert.equal(file.problems.length, 1);
    const [problem] = file.problems;
    assert.equal(problem.rule, 'syntax_error');
    assert.match(problem.message, /tabel/);
    assert.deepEqual([problem.span.line, problem.span.column], [2, 8]);
    assert.equal(text.slice(problem.span.start, problem.span.end), 'tabel');
  });

  it('places a syntax error after non-ASCII text on the right column', () => {
    const text = "select '😀😀', 'é';\nselect from from;";
    const file = parseSqlFile('c.sql', text);
    assert.equal(file.statements.length, 1);
    assert.deepEqual([file.problems[0].span.line, file.problems[0].span.column], [2, 13]);
  });

  it('skips psql meta-commands with a psql_meta_command problem', () => {
    const file = parseSqlFile('d.sql', '\\set ON_ERROR_STOP on\ncreate table a (id int);\n\\i other.sql\n');
    assert.deepEqual(file.statements.map((s) => [s.kind, s.span.line]), [['CreateStmt', 2]]);
    assert.deepEqual(file.problems.map((p) => [p.rule, p.span.line]), [['psql_meta_command', 1], ['psql_meta_command', 3]]);
  });

  it('keeps only the migrate:up section of a dbmate file', () => {
    const file = parseSqlFile('e.sql', '-- migrate:up\ncreate table a (id int);\n\n-- migrate:down\ndrop table a;\n');
    assert.deepEqual(file.statements.map((s) => s.kind), ['CreateStmt']);
  });

  it('reports an unterminated string once and keeps earlier statements', () => {
    const file = parseSqlFile('f.sql', "create table a (id int);\nselect 'abc");
    assert.deepEqual(file.statements.map((s) => s.kind), ['CreateStmt']);
    assert.equal(file.problems.length, 1);
    assert.match(file.problems[0].message, /unterminated/);
  });
});
