import assert from 'node:assert/strict';
import rule from '../../src/core/rules/unsupported_reg_types';
import { loadParser } from '../../src/core/sql/parser';
import { findingRanges } from '../support/findingRanges';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    "create table public.search_settings (id bigint primary key, config text not null default 'english');",
    // regclass, regrole and regtype survive pg_upgrade.
    'create table public.audit_targets (id bigint primary key, target regclass not null, actor regrole);',
  ],
  invalid: [
    {
      sql: `create table public.search_settings (
  id bigint primary key,
  config regconfig not null default 'english'
);`,
      // On the column's definition, not on the CREATE TABLE.
      findings: [{ object: 'public.search_settings.config', line: 3, message: /config has type regconfig/ }],
      fix: null,
    },
    {
      sql: `create table public.jobs (id bigint primary key);
alter table public.jobs add column handler regprocedure, add column handler_schemas pg_catalog.regnamespace[];`,
      findings: [
        { object: 'public.jobs.handler', line: 2 },
        { object: 'public.jobs.handler_schemas', line: 2 },
      ],
      fix: null,
    },
  ],
});

const rangesOf = (sql: string) => findingRanges(rule.id, sql);

describe('unsupported_reg_types ranges', () => {
  before(() => loadParser());

  it('places each column of a multi-line CREATE TABLE on its own definition, after non-ASCII text', () => {
    // Arabic and an emoji (a surrogate pair) before and inside the statement: columns count UTF-16 code units.
    const sql = `-- إعدادات البحث 🔎
create table public.search_settings (
  id bigint primary key,
  label text not null default 'بحث ✨', config regconfig not null default 'english', -- 🔎 per user
  dictionaries regdictionary[],
  updated_at timestamptz not null default now()
);`;
    assert.deepEqual(rangesOf(sql), {
      'public.search_settings.config': "4:40-4:83 config regconfig not null default 'english'",
      'public.search_settings.dictionaries': '5:3-5:31 dictionaries regdictionary[]',
    });
  });

  it('places a column that ends the list, and one with parentheses in its definition, before the closing parenthesis', () => {
    const sql = `create table public.jobs (
  id bigint primary key,
  retries integer not null default 3 check (retries between 0 and 10),
  handler regprocedure not null default 'public.run_job(bigint)'::regprocedure check (handler <> 0::regprocedure)
);`;
    assert.deepEqual(rangesOf(sql), {
      'public.jobs.handler': "4:3-4:114 handler regprocedure not null default 'public.run_job(bigint)'::regprocedure check (handler <> 0::regprocedure)",
    });
  });

  it('places a column added by ALTER TABLE on its ADD COLUMN definition, and a changed type on its ALTER COLUMN ... TYPE', () => {
    const sql = `create table public.jobs (id bigint primary key, handler text, schema_name text);
alter table public.jobs
  add column queue_schema regnamespace, add column note text;
alter table public.jobs
  alter column note set default '',
  alter column handler type regproc using handler::regproc;`;
    assert.deepEqual(rangesOf(sql), {
      'public.jobs.queue_schema': '3:14-3:39 queue_schema regnamespace',
      'public.jobs.handler': '6:16-6:59 handler type regproc using handler::regproc',
    });
  });

  it('places a column of a table copied from another (LIKE) on the statement that copies it', () => {
    const sql = `create table public.jobs (id bigint primary key, handler regproc);
create table public.jobs_archive (like public.jobs);`;
    assert.deepEqual(rangesOf(sql), {
      'public.jobs.handler': '1:50-1:65 handler regproc',
      'public.jobs_archive.handler': '2:1-2:52 create table public.jobs_archive (like public.jobs)',
    });
  });

  it('is still silenced by a pgreview-ignore comment on the line before the statement', () => {
    const sql = `-- pgreview-ignore unsupported_reg_types
create table public.jobs (
  id bigint primary key,
  handler regproc
);
create table public.job_runs (
  id bigint primary key,
  -- pgreview-ignore unsupported_reg_types
  handler regproc,
  runner_schema regnamespace
);`;
    assert.deepEqual(rangesOf(sql), {
      'public.job_runs.runner_schema': '10:3-10:29 runner_schema regnamespace',
    });
  });
});
