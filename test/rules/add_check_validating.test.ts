import rule from '../../src/core/rules/add_check_validating';
import { runSafetyRuleTests } from '../support/safetyTester';

const bookings = 'create table public.bookings (id bigint primary key, status text, nights int);';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'NOT VALID', applied: [bookings], pending: ['alter table public.bookings add constraint bookings_nights_positive check (nights > 0) not valid;'] },
    { name: 'a table created in a pending file', pending: [bookings, 'alter table public.bookings add check (nights > 0);'] },
    { name: 'a CHECK in CREATE TABLE', pending: ['create table public.rooms (id bigint primary key, beds int check (beds > 0));'] },
    { name: 'a foreign key is not a CHECK', applied: [bookings, 'create table public.vendors (id bigint primary key);'], pending: ['alter table public.bookings add column vendor_id bigint references public.vendors (id);'] },
    { name: 'an applied migration is never judged', applied: [bookings, 'alter table public.bookings add check (nights > 0);'], pending: ['select 1;'] },
    { name: 'no pending list: the table is created in the same file', withPendingList: false, pending: [`${bookings}\nalter table public.bookings add check (nights > 0);`] },
  ],
  invalid: [
    {
      name: 'ADD CONSTRAINT ... CHECK on an existing table',
      applied: [bookings],
      pending: ["alter table public.bookings add constraint bookings_status_known check (status in ('new', 'paid'));"],
      findings: [{ object: 'public.bookings', file: 1, line: 1, message: /ACCESS EXCLUSIVE lock on public\.bookings: blocks reads and writes; it reads every row/ }],
      fix: 'alter table public.bookings validate constraint bookings_status_known;',
      edit: ' not valid',
    },
    {
      name: 'an unnamed CHECK gets the name PostgreSQL gives it',
      applied: [bookings],
      pending: ['alter table public.bookings add check (nights > 0), add column notes text;'],
      findings: [{ object: 'public.bookings', file: 1, line: 1, message: /bookings_nights_check/ }],
      fix: 'alter table public.bookings validate constraint bookings_nights_check;',
    },
    {
      name: 'a CHECK on an added column reads every row too',
      applied: [bookings],
      pending: ['alter table public.bookings add column guests int check (guests > 0);'],
      findings: [{ object: 'public.bookings', file: 1, line: 1, message: /bookings_guests_check.*Add the column without the CHECK/ }],
      fix: null,
    },
  ],
});
