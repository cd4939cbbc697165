import rule from '../../src/core/rules/drop_index_non_concurrently';
import { runSafetyRuleTests } from '../support/safetyTester';

const bookings = 'create table public.bookings (id bigint primary key, user_id uuid, status text);\ncreate index bookings_status_idx on public.bookings (status);';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'concurrently', applied: [bookings], pending: ['drop index concurrently bookings_status_idx;'] },
    { name: 'an index of a table created in the same pending file', pending: [`${bookings}\ndrop index bookings_status_idx;`] },
    { name: 'an index of a table created in an earlier pending file', pending: [bookings, 'drop index public.bookings_status_idx;'] },
    { name: 'an applied migration is never judged', applied: [bookings, 'drop index bookings_status_idx;'], pending: ['select 1;'] },
    { name: 'no pending list: the table is created in the same file', withPendingList: false, pending: [`${bookings}\ndrop index bookings_status_idx;`] },
    { name: 'an index that does not exist', applied: [bookings], pending: ['drop index if exists bookings_user_id_idx;'] },
    { name: 'another kind of DROP', applied: [bookings], pending: ['drop table public.bookings;'] },
  ],
  invalid: [
    {
      name: 'an index of an existing table',
      applied: [bookings],
      pending: ['drop index bookings_status_idx;'],
      findings: [{ object: 'public.bookings', file: 1, line: 1, message: /ACCESS EXCLUSIVE lock on public\.bookings: blocks reads and writes/ }],
      fix: 'drop index concurrently bookings_status_idx;',
      edit: ' concurrently',
    },
    {
      name: 'qualified, IF EXISTS, on a later line',
      applied: [bookings],
      pending: ["set lock_timeout = '5s';\ndrop index if exists public.bookings_status_idx;"],
      findings: [{ object: 'public.bookings', file: 1, line: 2 }],
      fix: 'drop index concurrently if exists public.bookings_status_idx;',
    },
    {
      name: 'no pending list: an index from an earlier file',
      withPendingList: false,
      pending: [bookings, 'drop index bookings_status_idx;'],
      findings: [{ object: 'public.bookings', file: 1, line: 1 }],
      fix: 'drop index concurrently bookings_status_idx;',
    },
    {
      name: 'two indexes in one DROP: one finding each, no CONCURRENTLY fix',
      applied: [`${bookings}\ncreate index bookings_user_id_idx on public.bookings (user_id);`],
      pending: ['drop index bookings_status_idx, bookings_user_id_idx;'],
      findings: [
        { object: 'public.bookings', file: 1, line: 1, message: /takes one index/ },
        { object: 'public.bookings', file: 1, line: 1 },
      ],
      fix: null,
    },
    {
      name: 'CASCADE: no CONCURRENTLY fix',
      applied: [bookings],
      pending: ['drop index bookings_status_idx cascade;'],
      findings: [{ object: 'public.bookings', file: 1, line: 1, message: /does not allow CASCADE/ }],
      fix: null,
    },
    {
      name: 'an index of a partitioned table: no CONCURRENTLY fix',
      applied: ['create table public.events (id bigint, at date) partition by range (at);\ncreate index events_at_idx on public.events (at);'],
      pending: ['drop index events_at_idx;'],
      findings: [{ object: 'public.events', file: 1, line: 1, message: /partitioned/ }],
      fix: null,
    },
  ],
});
