import assert from 'node:assert/strict';
import rule from '../../src/core/rules/add_column_volatile_default';
import { analyzeMigrations, runSafetyRuleTests } from '../support/safetyTester';

const bookings = 'create table public.bookings (id bigint primary key, status text);';
const functions = [
  'create function public.new_code() returns text language sql as $$ select md5(random()::text) $$;',
  'create function public.region_of_deploy() returns text language sql stable as $$ select current_setting(\'app.region\', true) $$;',
].join('\n');

runSafetyRuleTests(rule, {
  valid: [
    { name: 'a constant', applied: [bookings], pending: ["alter table public.bookings add column region text not null default 'eu';"] },
    { name: 'now() is STABLE', applied: [bookings], pending: ['alter table public.bookings add column created_at timestamptz not null default now();'] },
    { name: 'current_timestamp', applied: [bookings], pending: ['alter table public.bookings add column created_at timestamptz default current_timestamp;'] },
    { name: 'a number', applied: [bookings], pending: ['alter table public.bookings add column seats int default 0;'] },
    { name: 'a cast of a constant', applied: [bookings], pending: ["alter table public.bookings add column meta jsonb not null default '{}'::jsonb;"] },
    { name: 'an expression of STABLE calls', applied: [bookings], pending: ["alter table public.bookings add column expires_at timestamptz default now() + interval '1 day';"] },
    { name: 'a STABLE function of the migrations', applied: [bookings, functions], pending: ['alter table public.bookings add column region text default public.region_of_deploy();'] },
    { name: 'an unknown function', applied: [bookings], pending: ['alter table public.bookings add column code text default public.nowhere();'] },
    { name: 'a table created in the same pending file', pending: [`${bookings}\nalter table public.bookings add column token uuid default gen_random_uuid();`] },
    { name: 'a table created in an earlier pending file', pending: [bookings, 'alter table public.bookings add column token uuid default gen_random_uuid();'] },
    { name: 'an applied migration is never judged', applied: [bookings, 'alter table public.bookings add column token uuid default gen_random_uuid();'], pending: ['select 1;'] },
    { name: 'a domain with a STABLE default', applied: [bookings, 'create domain public.moment as timestamptz default now();'], pending: ['alter table public.bookings add column at public.moment;'] },
    { name: 'SET DEFAULT touches no row', applied: [bookings], pending: ['alter table public.bookings alter column status set default gen_random_uuid()::text;'] },
  ],
  invalid: [
    {
      name: 'gen_random_uuid()',
      applied: [bookings],
      pending: ['alter table public.bookings\n  add column token uuid not null default gen_random_uuid();'],
      findings: [{ object: 'public.bookings.token', file: 1, line: 2, message: /calls gen_random_uuid\(\), which is VOLATILE.*ACCESS EXCLUSIVE lock on public\.bookings: blocks reads and writes; it rewrites the whole table/ }],
    },
    { name: 'random() inside an expression', applied: [bookings], pending: ['alter table public.bookings add column code text default md5(random()::text);'], findings: [{ object: 'public.bookings.code', file: 1, line: 1, message: /calls random\(\)/ }] },
    { name: 'clock_timestamp()', applied: [bookings], pending: ['alter table public.bookings add column seen_at timestamptz default clock_timestamp();'], findings: [{ object: 'public.bookings.seen_at', file: 1, line: 1 }] },
    { name: 'uuid_generate_v4() in the extensions schema', applied: [bookings], pending: ['alter table public.bookings add column token uuid default extensions.uuid_generate_v4();'], findings: [{ object: 'public.bookings.token', file: 1, line: 1 }] },
    { name: 'nextval()', applied: [bookings, 'create sequence public.booking_numbers;'], pending: ["alter table public.bookings add column number bigint default nextval('public.booking_numbers');"], findings: [{ object: 'public.bookings.number', file: 2, line: 1 }] },
    { name: 'a function of the migrations, VOLATILE by default', applied: [bookings, functions], pending: ['alter table public.bookings add column code text default new_code();'], findings: [{ object: 'public.bookings.code', file: 2, line: 1, message: /calls new_code\(\)/ }] },
    {
      name: 'a domain whose default is VOLATILE',
      applied: [bookings, 'create domain public.token as uuid default gen_random_uuid();'],
      pending: ['alter table public.bookings add column token public.token;'],
      findings: [{ object: 'public.bookings.token', file: 2, line: 1, message: /has a default \(its domain's, token\) that calls gen_random_uuid\(\)/ }],
      fix: null,
    },
    {
      name: 'no pending list: a table from an earlier file',
      withPendingList: false,
      pending: [bookings, 'alter table bookings add column token uuid default gen_random_uuid();'],
      findings: [{ object: 'public.bookings.token', file: 1, line: 1 }],
    },
  ],
});

describe(`${rule.id} suggestion`, () => {
  const suggestionOf = (pending: string) => analyzeMigrations({ applied: [bookings], pending: [pending] }).findings.find((f) => f.rule === rule.id)?.suggestions;

  it('adds the column without the default, sets the default, then leaves the backfill to a person', () => {
    const suggestions = suggestionOf('alter table public.bookings add column token uuid default gen_random_uuid();');
    assert.deepEqual(suggestions?.map((s) => s.sql.trim().split('\n')), [[
      'alter table public.bookings add column token uuid;',
      'alter table public.bookings alter column token set default gen_random_uuid();',
      '-- Backfill the existing rows in batches: update public.bookings set token = gen_random_uuid() where token is null and ...;',
    ]]);
  });

  it('says NOT NULL comes after the backfill', () => {
    const sql = suggestionOf("alter table public.bookings add column code text not null default md5(random()::text);")?.[0].sql ?? '';
    assert.match(sql, /set default md5\(random\(\)::text\);\n/);
    assert.match(sql, /-- Then set code NOT NULL behind a validated CHECK/);
  });

  it('is not offered when the column carries other constraints', () => {
    assert.equal(suggestionOf('alter table public.bookings add column token uuid default gen_random_uuid() unique;'), undefined);
  });
});
