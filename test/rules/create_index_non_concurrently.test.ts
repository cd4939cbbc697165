import rule from '../../src/core/rules/create_index_non_concurrently';
import { runSafetyRuleTests } from '../support/safetyTester';

const bookings = 'create table public.bookings (id bigint primary key, user_id uuid, status text);';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'concurrently', applied: [bookings], pending: ['create index concurrently bookings_user_id_idx on public.bookings (user_id);'] },
    { name: 'a table created in the same pending file', pending: [`${bookings}\ncreate index on public.bookings (user_id);`] },
    { name: 'a table created in an earlier pending file', applied: [], pending: [bookings, 'create index on public.bookings (user_id);'] },
    { name: 'an applied migration is never judged', applied: [bookings, 'create index on public.bookings (user_id);'], pending: ['select 1;'] },
    { name: 'no pending list: the table is created in the same file', withPendingList: false, pending: [`${bookings}\ncreate index on bookings (status);`] },
    { name: 'a table that does not exist', pending: ['create index on public.nowhere (id);'] },
  ],
  invalid: [
    {
      name: 'an existing table',
      applied: [bookings],
      pending: ['create index bookings_user_id_idx on public.bookings (user_id);'],
      findings: [{ object: 'public.bookings', file: 1, line: 1, message: /SHARE lock on public\.bookings: blocks writes/ }],
      fix: 'create index concurrently bookings_user_id_idx on public.bookings (user_id);',
      edit: ' concurrently',
    },
    {
      name: 'no pending list: a table from an earlier file',
      withPendingList: false,
      pending: [bookings, 'create unique index if not exists bookings_status on bookings (status);'],
      findings: [{ object: 'public.bookings', file: 1, line: 1 }],
      fix: 'create unique index concurrently if not exists bookings_status on bookings (status);',
    },
    {
      name: 'a partitioned table: no CONCURRENTLY fix',
      applied: ['create table public.events (id bigint, at date) partition by range (at);'],
      pending: ['create index on public.events (at);'],
      findings: [{ object: 'public.events', file: 1, line: 1, message: /ON ONLY the parent/ }],
      fix: null,
    },
  ],
});
