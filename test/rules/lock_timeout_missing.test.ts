import rule from '../../src/core/rules/lock_timeout_missing';
import { runSafetyRuleTests } from '../support/safetyTester';

const bookings = 'create table public.bookings (id bigint primary key, user_id uuid, status text);';
const vendors = 'create table public.vendors (id bigint primary key);';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'SET lock_timeout first', applied: [bookings], pending: ["set lock_timeout = '5s';\nalter table public.bookings add column note text;"] },
    { name: 'SET LOCAL lock_timeout first', applied: [bookings], pending: ["set local lock_timeout to '3s';\nalter table public.bookings enable row level security;"] },
    { name: 'set_config first', applied: [bookings], pending: ["select set_config('lock_timeout', '5s', false);\ncreate index on public.bookings (status);"] },
    { name: 'a new table', pending: [`${bookings}\nalter table public.bookings enable row level security;\ncreate policy "Read" on public.bookings for select using (true);`] },
    { name: 'a table created in an earlier pending file', pending: [bookings, 'alter table public.bookings add column note text;'] },
    { name: 'a lock that lets writes go on', applied: [bookings], pending: ['create index concurrently on public.bookings (status);\ncomment on table public.bookings is \'Reservations\';\nalter table public.bookings set (fillfactor = 80);'] },
    { name: 'a platform table', applied: [], pending: ['alter table auth.users add column nickname text;'] },
    { name: 'a new table that references an existing one', applied: [vendors], pending: ['create table public.products (id bigint primary key, vendor_id bigint references public.vendors (id));'] },
    { name: 'an applied migration is never judged', applied: [bookings, 'alter table public.bookings add column note text;'], pending: ['select 1;'] },
    { name: 'no pending list: the table is created in the same file', withPendingList: false, pending: [`${bookings}\nalter table bookings add column note text;`] },
  ],
  invalid: [
    {
      name: 'ALTER TABLE on an existing table',
      applied: [bookings],
      pending: ['alter table public.bookings add column note text;'],
      findings: [{ object: 'public.bookings', file: 1, line: 1, message: /ACCESS EXCLUSIVE lock on public\.bookings: blocks reads and writes/ }],
      fix: "set lock_timeout = '5s';",
      edit: "set lock_timeout = '5s';\n",
    },
    {
      name: 'one finding per file, on the first statement that needs it',
      applied: [bookings],
      pending: ["comment on table public.bookings is 'Reservations';\ncreate index on public.bookings (status);\nalter table public.bookings add column note text;"],
      findings: [{ object: 'public.bookings', file: 1, line: 2, message: /SHARE lock on public\.bookings: blocks writes/ }],
    },
    {
      name: 'a foreign key added to an existing table locks both',
      applied: [vendors, 'create table public.products (id bigint primary key, vendor_id bigint);'],
      pending: ['alter table public.products add foreign key (vendor_id) references public.vendors (id) not valid;'],
      findings: [{ object: 'public.products', file: 2, line: 1, message: /SHARE ROW EXCLUSIVE lock on public\.products/ }],
    },
    {
      name: 'a new partition locks its parent',
      applied: ['create table public.events (id bigint, at date) partition by range (at);'],
      pending: ["create table public.events_2025 partition of public.events for values from ('2025-01-01') to ('2026-01-01');"],
      findings: [{ object: 'public.events', file: 1, line: 1, message: /ACCESS EXCLUSIVE lock on public\.events/ }],
    },
    {
      name: 'lock_timeout turned off again',
      applied: [bookings],
      pending: ["set lock_timeout = '5s';\nset lock_timeout = 0;\ncreate policy \"Read\" on public.bookings for select using (true);"],
      findings: [{ object: 'public.bookings', file: 1, line: 3 }],
    },
    {
      name: 'set after the statement',
      applied: [bookings],
      pending: ["drop table public.bookings;\nset lock_timeout = '5s';"],
      findings: [{ object: 'public.bookings', file: 1, line: 1 }],
    },
    {
      name: 'each file on its own',
      applied: [bookings],
      pending: ["set lock_timeout = '5s';\nalter table public.bookings add column note text;", 'alter table public.bookings drop column note;'],
      findings: [{ object: 'public.bookings', file: 2, line: 1 }],
    },
    {
      name: 'no pending list: a table from an earlier file',
      withPendingList: false,
      pending: [bookings, 'alter table bookings enable row level security;'],
      findings: [{ object: 'public.bookings', file: 1, line: 1 }],
    },
  ],
});
