import assert from 'node:assert/strict';
import rule from '../../src/core/rules/add_column_required_without_default';
import { analyzeMigrations, runSafetyRuleTests } from '../support/safetyTester';

const bookings = 'create table public.bookings (id bigint primary key, status text);';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'a constant default', applied: [bookings], pending: ["alter table public.bookings add column region text not null default 'eu';"] },
    { name: 'a volatile default still gives every row a value', applied: [bookings], pending: ['alter table public.bookings add column token uuid not null default gen_random_uuid();'] },
    { name: 'a nullable column', applied: [bookings], pending: ['alter table public.bookings add column region text;'] },
    { name: 'an identity column', applied: [bookings], pending: ['alter table public.bookings add column seq bigint not null generated always as identity;'] },
    { name: 'a generated column', applied: [bookings], pending: ['alter table public.bookings add column id2 bigint not null generated always as (id * 2) stored;'] },
    { name: 'a serial column', applied: [bookings], pending: ['alter table public.bookings add column seq bigserial not null;'] },
    { name: 'a NOT NULL domain with a default', applied: [bookings, "create domain public.region as text not null default 'eu';"], pending: ['alter table public.bookings add column region public.region;'] },
    { name: 'a table created in the same pending file', pending: [`${bookings}\nalter table public.bookings add column region text not null;`] },
    { name: 'a table created in an earlier pending file', pending: [bookings, 'alter table public.bookings add column region text not null;'] },
    { name: 'ADD COLUMN IF NOT EXISTS of a column that exists', applied: [bookings], pending: ['alter table public.bookings add column if not exists status text not null;'] },
    { name: 'an applied migration is never judged', applied: [bookings, 'alter table public.bookings add column region text not null;'], pending: ['select 1;'] },
    { name: 'a table that does not exist', pending: ['alter table public.nowhere add column region text not null;'] },
  ],
  invalid: [
    {
      name: 'NOT NULL without a default',
      applied: [bookings],
      pending: ['alter table public.bookings\n  add column region text not null;'],
      findings: [{ object: 'public.bookings.region', file: 1, line: 2, message: /NOT NULL with no default: it fails with ERROR 23502 .*ACCESS EXCLUSIVE lock on public\.bookings: blocks reads and writes; it reads every row/ }],
    },
    {
      name: 'DEFAULT NULL is no default',
      applied: [bookings],
      pending: ['alter table public.bookings add column region text default null not null;'],
      findings: [{ object: 'public.bookings.region', file: 1, line: 1 }],
    },
    {
      name: 'a primary key column is NOT NULL',
      applied: ['create table public.events (name text);'],
      pending: ['alter table public.events add column id bigint primary key;'],
      findings: [{ object: 'public.events.id', file: 1, line: 1 }],
    },
    {
      name: 'a NOT NULL domain without a default',
      applied: [bookings, 'create domain public.region as text not null;'],
      pending: ['alter table public.bookings add column region public.region;'],
      findings: [{ object: 'public.bookings.region', file: 2, line: 1 }],
    },
    {
      name: 'no pending list: a table from an earlier file',
      withPendingList: false,
      pending: [bookings, 'alter table bookings add column "Region" text not null;'],
      findings: [{ object: 'public.bookings.Region', file: 1, line: 1 }],
    },
  ],
});

describe(`${rule.id} suggestion`, () => {
  it('adds the column nullable, then a NOT VALID CHECK, VALIDATE and SET NOT NULL in later migrations', () => {
    const found = analyzeMigrations({ applied: [bookings], pending: ['alter table public.bookings add column region text not null;'] }).findings.filter((f) => f.rule === rule.id);
    assert.equal(found[0].fix, undefined);
    assert.deepEqual(found[0].suggestions?.map((s) => s.sql.trim().split('\n')), [[
      'alter table public.bookings add column region text;',
      '-- Backfill region in batches (update public.bookings set region = ... where ...), then, in a later migration:',
      'alter table public.bookings add constraint bookings_region_not_null check (region is not null) not valid;',
      '-- In a migration after that one:',
      'alter table public.bookings validate constraint bookings_region_not_null;',
      'alter table public.bookings alter column region set not null;',
      'alter table public.bookings drop constraint bookings_region_not_null;',
    ]]);
  });

  it('is not offered when the column carries other constraints', () => {
    const found = analyzeMigrations({ applied: [bookings], pending: ['alter table public.bookings add column code text not null unique;'] }).findings.filter((f) => f.rule === rule.id);
    assert.equal(found.length, 1);
    assert.equal(found[0].suggestions, undefined);
  });
});
