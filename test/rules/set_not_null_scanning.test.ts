import rule from '../../src/core/rules/set_not_null_scanning';
import { runSafetyRuleTests } from '../support/safetyTester';

const bookings = 'create table public.bookings (id bigint primary key, status text, nights int);';
const setNotNull = 'alter table public.bookings alter column status set not null;';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'a CHECK (col IS NOT NULL) validated in an applied migration', applied: [bookings, 'alter table public.bookings add constraint bookings_status_nn check (status is not null);'], pending: [setNotNull] },
    { name: 'validated in an earlier pending migration', applied: [bookings], pending: ['alter table public.bookings add constraint bookings_status_nn check (status is not null) not valid;', 'alter table public.bookings validate constraint bookings_status_nn;', setNotNull] },
    { name: 'validated earlier in the same file', applied: [bookings, 'alter table public.bookings add constraint bookings_status_nn check (status is not null) not valid;'], pending: [`alter table public.bookings validate constraint bookings_status_nn;\n${setNotNull}`] },
    { name: 'IS NOT NULL among the top-level ANDs of a validated CHECK', applied: [bookings, "alter table public.bookings add check (status is not null and status <> '');"], pending: [setNotNull] },
    { name: 'a table created in a pending file', pending: [bookings, setNotNull] },
    { name: 'a column already NOT NULL', applied: ['create table public.bookings (id bigint primary key, status text not null);'], pending: [setNotNull] },
    { name: 'DROP NOT NULL', applied: ['create table public.bookings (id bigint primary key, status text not null);'], pending: ['alter table public.bookings alter column status drop not null;'] },
    { name: 'an applied migration is never judged', applied: [bookings, setNotNull], pending: ['select 1;'] },
  ],
  invalid: [
    {
      name: 'no CHECK',
      applied: [bookings],
      pending: [setNotNull],
      findings: [{ object: 'public.bookings.status', file: 1, line: 1, message: /ACCESS EXCLUSIVE lock on public\.bookings: blocks reads and writes; it reads every row/ }],
      fix: 'alter table public.bookings validate constraint bookings_status_not_null;\nalter table public.bookings alter column status set not null;\nalter table public.bookings drop constraint bookings_status_not_null;',
      edit: 'alter table public.bookings add constraint bookings_status_not_null check (status is not null) not valid',
    },
    {
      name: 'the CHECK is NOT VALID: validate it first',
      applied: [bookings, 'alter table public.bookings add constraint bookings_status_nn check (status is not null) not valid;'],
      pending: [setNotNull],
      findings: [{ object: 'public.bookings.status', file: 2, line: 1, message: /Validate bookings_status_nn/ }],
      fix: 'alter table public.bookings alter column status set not null;',
      edit: 'alter table public.bookings validate constraint bookings_status_nn',
    },
    {
      name: 'a CHECK added in the same statement is checked in the same scan',
      applied: [bookings],
      pending: ['alter table public.bookings add constraint bookings_status_nn check (status is not null), alter column status set not null;'],
      findings: [{ object: 'public.bookings.status', file: 1, line: 1 }],
      fix: null,
    },
    {
      name: 'a validated CHECK that does not say IS NOT NULL proves nothing',
      applied: [bookings, 'alter table public.bookings add check (nights > 0);'],
      pending: ['alter table public.bookings alter column nights set not null;'],
      findings: [{ object: 'public.bookings.nights', file: 2, line: 1 }],
    },
  ],
});
