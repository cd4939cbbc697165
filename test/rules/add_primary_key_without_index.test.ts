import assert from 'node:assert/strict';
import rule from '../../src/core/rules/add_primary_key_without_index';
import { analyzeMigrations, runSafetyRuleTests } from '../support/safetyTester';

const events = 'create table public.events (id bigint not null, name text);';
const nullableEvents = 'create table public.events (id bigint, name text);';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'USING INDEX', applied: [events, 'create unique index concurrently events_pkey on public.events (id);'], pending: ['alter table public.events add constraint events_pkey primary key using index events_pkey;'] },
    { name: 'a UNIQUE constraint is the other rule\'s', applied: [events], pending: ['alter table public.events add unique (id);'] },
    { name: 'a table created in the same pending file', pending: [`${events}\nalter table public.events add primary key (id);`] },
    { name: 'a table created in an earlier pending file', pending: [events, 'alter table public.events add primary key (id);'] },
    { name: 'an applied migration is never judged', applied: [events, 'alter table public.events add primary key (id);'], pending: ['select 1;'] },
  ],
  invalid: [
    {
      name: 'ADD PRIMARY KEY',
      applied: [events],
      pending: ['alter table public.events\n  add primary key (id);'],
      findings: [{ object: 'public.events.events_pkey', file: 1, line: 2, message: /ADD PRIMARY KEY \(id\) on public\.events builds its unique index inside the ALTER TABLE, which takes an ACCESS EXCLUSIVE lock on public\.events: blocks reads and writes; it reads every row/ }],
      fix: null,
    },
    {
      name: 'ADD CONSTRAINT name PRIMARY KEY on a nullable column',
      applied: [nullableEvents],
      pending: ['alter table public.events add constraint events_id_pk primary key (id);'],
      findings: [{ object: 'public.events.events_id_pk', file: 1, line: 1, message: /It also sets id NOT NULL/ }],
    },
    {
      name: 'a column added with PRIMARY KEY',
      applied: ['create table public.tags (name text);'],
      pending: ['alter table public.tags add column id bigint generated always as identity primary key;'],
      findings: [{ object: 'public.tags.id', file: 1, line: 1, message: /ADD COLUMN id PRIMARY KEY/ }],
    },
    {
      name: 'a partitioned table: no USING INDEX suggestion',
      applied: ['create table public.logs (id bigint not null, at date not null) partition by range (at);'],
      pending: ['alter table public.logs add primary key (id, at);'],
      findings: [{ object: 'public.logs.logs_pkey', file: 1, line: 1, message: /takes no USING INDEX/ }],
    },
  ],
});

describe(`${rule.id} suggestion`, () => {
  const suggestionOf = (applied: string, pending: string) => analyzeMigrations({ applied: [applied], pending: [pending] }).findings.find((f) => f.rule === rule.id)?.suggestions;

  it('builds the index concurrently, then adds the key using it, in a later migration', () => {
    assert.deepEqual(suggestionOf(events, 'alter table public.events add primary key (id);')?.map((s) => s.sql.trim().split('\n')), [[
      'create unique index concurrently events_pkey on public.events (id);',
      '-- In a later migration:',
      'alter table public.events add constraint events_pkey primary key using index events_pkey;',
    ]]);
  });

  it('warns that nullable key columns need NOT NULL first', () => {
    assert.match(suggestionOf(nullableEvents, 'alter table public.events add constraint events_id_pk primary key (id);')?.[0].sql ?? '', /-- id is nullable: set it NOT NULL behind a validated CHECK first/);
  });

  it('offers none on a partitioned table or for a column constraint', () => {
    assert.equal(suggestionOf('create table public.logs (id bigint not null, at date not null) partition by range (at);', 'alter table public.logs add primary key (id, at);'), undefined);
    assert.equal(suggestionOf('create table public.tags (name text);', 'alter table public.tags add column id bigint generated always as identity primary key;'), undefined);
  });
});
