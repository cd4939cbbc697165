import rule from '../../src/core/rules/rename_column_breaks_clients';
import { runSafetyRuleTests } from '../support/safetyTester';

const bookings = `create table public.bookings (id bigint primary key, user_id uuid not null, status text);
alter table public.bookings enable row level security;
create policy "Owners read bookings" on public.bookings for select to authenticated using (user_id = (select auth.uid()));`;

runSafetyRuleTests(rule, {
  valid: [
    { name: 'a table created in the same pending file', pending: [`${bookings}\nalter table public.bookings rename column user_id to owner_id;`] },
    { name: 'a table created in an earlier pending file', pending: [bookings, 'alter table public.bookings rename column user_id to owner_id;'] },
    { name: 'an applied rename is never judged', applied: [bookings, 'alter table public.bookings rename column user_id to owner_id;'], pending: ['select 1;'] },
    { name: 'a table the platform owns', pending: ['alter table auth.users rename column email to mail;'] },
    { name: 'a column that does not exist', applied: [bookings], pending: ['alter table public.bookings rename column nowhere to somewhere;'] },
    { name: 'a renamed table, not a column', applied: [bookings], pending: ['alter table public.bookings rename to reservations;'] },
  ],
  invalid: [
    {
      name: 'an exposed table: names the policy that follows the rename',
      applied: [bookings],
      pending: ['alter table public.bookings rename column user_id to owner_id;'],
      findings: [{ object: 'public.bookings.user_id', file: 1, line: 1, message: /anon and authenticated use it through the Data API.*PostgreSQL renames it in policy "Owners read bookings" on public\.bookings\..*ACCESS EXCLUSIVE lock on public\.bookings: blocks reads and writes\..*add owner_id/ }],
      fix: null,
    },
    {
      name: 'a view and a foreign key of another table',
      applied: [
        'create table public.rooms (id bigint primary key, code text not null unique);',
        'create table public.stays (id bigint primary key, room_code text references public.rooms (code));\ncreate view public.room_codes as select r.code from public.rooms r;',
      ],
      pending: ['alter table rooms rename column code to room_number;'],
      findings: [{ object: 'public.rooms.code', file: 2, line: 1, message: /renames it in view public\.room_codes, constraint stays_room_code_fkey on public\.stays and constraint rooms_code_key on public\.rooms\./ }],
    },
    {
      name: 'the function bodies that read or write the column, not those that use the table only',
      applied: [
        bookings,
        `create function public.my_booking_ids() returns setof bigint language sql stable as $$ select id from public.bookings b where b.user_id = (select auth.uid()) $$;
create function public.assign(p_id bigint, p_user uuid) returns void language sql as $$ update public.bookings set user_id = p_user where id = p_id $$;
create function public.open_ids() returns setof bigint language sql stable as $$ select id from public.bookings where status = 'open' $$;`,
      ],
      pending: ['alter table public.bookings rename column user_id to owner_id;'],
      findings: [{ object: 'public.bookings.user_id', file: 2, line: 1, message: /fail at their next call: function public\.my_booking_ids\(\) and function public\.assign\(bigint, uuid\)\./ }],
    },
    {
      name: 'a schema the API does not expose: info',
      applied: ['create schema private;\ncreate table private.ledger (id bigint primary key, amount_cents bigint);'],
      pending: ['alter table private.ledger rename column amount_cents to cents;'],
      findings: [{ object: 'private.ledger.amount_cents', file: 1, line: 1, level: 'info', message: /the Data API does not expose it/ }],
    },
    {
      name: 'no API role may use the column: info',
      applied: ['create table public.audit (id bigint primary key, actor text);\nrevoke all on public.audit from anon, authenticated;'],
      pending: ['alter table public.audit rename column actor to actor_name;'],
      findings: [{ object: 'public.audit.actor', file: 1, line: 1, level: 'info' }],
    },
    {
      name: 'no pending list: a table from an earlier file',
      withPendingList: false,
      pending: [bookings, 'alter table bookings rename column status to state;'],
      findings: [{ object: 'public.bookings.status', file: 1, line: 1 }],
    },
  ],
});
