import rule from '../../src/core/rules/drop_table_breaks_clients';
import { runSafetyRuleTests } from '../support/safetyTester';

const bookings = 'create table public.bookings (id bigint primary key, user_id uuid not null);';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'a table created in the same pending file', pending: [`${bookings}\ndrop table public.bookings;`] },
    { name: 'a table created in an earlier pending file', pending: [bookings, 'drop table public.bookings;'] },
    { name: 'an applied drop is never judged', applied: [bookings, 'drop table public.bookings;'], pending: ['select 1;'] },
    { name: 'a table that does not exist', pending: ['drop table if exists public.nowhere;'] },
    { name: 'a schema the API does not expose', applied: ['create schema private;\ncreate table private.ledger (id bigint primary key);'], pending: ['drop table private.ledger;'] },
    { name: 'a table no API role may use', applied: [`${bookings}\nrevoke all on public.bookings from anon, authenticated;`], pending: ['drop table public.bookings;'] },
    { name: 'a view, not a table', applied: [`${bookings}\ncreate view public.booking_ids as select id from public.bookings;`], pending: ['drop view public.booking_ids;'] },
  ],
  invalid: [
    {
      name: 'an exposed table: names the view and the foreign key that depend on it',
      applied: [
        bookings,
        `create table public.payments (id bigint primary key, booking_id bigint references public.bookings (id));
create view public.booking_ids as select id from public.bookings;`,
      ],
      pending: ['drop table public.bookings cascade;'],
      findings: [
        {
          object: 'public.bookings',
          file: 2,
          line: 1,
          message: /anon and authenticated use the table through the Data API.*without CASCADE\): view public\.booking_ids and constraint payments_booking_id_fkey on public\.payments\..*ACCESS EXCLUSIVE lock on public\.bookings: blocks reads and writes\./,
        },
      ],
      fix: null,
    },
    {
      name: 'the function bodies that still use it',
      applied: [bookings, 'create function public.forget(p_user uuid) returns void language sql as $$ delete from public.bookings where user_id = p_user $$;'],
      pending: ['drop table public.bookings;'],
      findings: [{ object: 'public.bookings', file: 2, line: 1, message: /fail at their next call: function public\.forget\(uuid\)\./ }],
    },
    {
      name: 'a partitioned table names its partitions',
      applied: [`create table public.events (id bigint, at date not null) partition by range (at);
create table public.events_2024 partition of public.events for values from ('2024-01-01') to ('2025-01-01');`],
      pending: ['drop table public.events;'],
      findings: [{ object: 'public.events', file: 1, line: 1, message: /without CASCADE\): partition public\.events_2024\./ }],
    },
    {
      name: 'one finding per exposed table of one statement',
      applied: [bookings, 'create table public.rooms (id bigint primary key);\ncreate schema private;\ncreate table private.notes (id bigint);'],
      pending: ['drop table public.bookings, rooms, private.notes;'],
      findings: [
        { object: 'public.bookings', file: 2, line: 1 },
        { object: 'public.rooms', file: 2, line: 1 },
      ],
    },
  ],
});
