import rule from '../../src/core/rules/rename_table_breaks_clients';
import { runSafetyRuleTests } from '../support/safetyTester';

const bookings = 'create table public.bookings (id bigint primary key, user_id uuid not null, status text);';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'a table created in the same pending file', pending: [`${bookings}\nalter table public.bookings rename to reservations;`] },
    { name: 'a table created in an earlier pending file', pending: [bookings, 'alter table public.bookings rename to reservations;'] },
    { name: 'an applied rename is never judged', applied: [bookings, 'alter table public.bookings rename to reservations;'], pending: ['select 1;'] },
    { name: 'a table the platform owns', pending: ['alter table storage.objects rename to files;'] },
    { name: 'a table that does not exist', pending: ['alter table if exists public.nowhere rename to somewhere;'] },
    { name: 'a renamed column, not the table', applied: [bookings], pending: ['alter table public.bookings rename column status to state;'] },
  ],
  invalid: [
    {
      name: 'an exposed table: names the view, the policy and the foreign key that follow it',
      applied: [
        bookings,
        `create table public.payments (id bigint primary key, booking_id bigint references public.bookings (id));
alter table public.payments enable row level security;
create policy "Guests read payments" on public.payments for select to authenticated
  using (exists (select 1 from public.bookings b where b.id = booking_id and b.user_id = (select auth.uid())));
create view public.open_bookings as select id from public.bookings where status = 'open';`,
      ],
      pending: ['alter table public.bookings rename to reservations;'],
      findings: [
        {
          object: 'public.bookings',
          file: 2,
          line: 1,
          message: /anon and authenticated use the table through the Data API.*follows the rename in view public\.open_bookings, policy "Guests read payments" on public\.payments and constraint payments_booking_id_fkey on public\.payments\..*ACCESS EXCLUSIVE lock on public\.bookings.*create a view named bookings/,
        },
      ],
      fix: null,
    },
    {
      name: 'the function bodies that name it, SQL and PL/pgSQL',
      applied: [
        bookings,
        `create function public.open_count() returns bigint language sql stable as $$ select count(*) from public.bookings where status = 'open' $$;
create function public.close_booking(p_id bigint) returns void language plpgsql as $$
begin
  update bookings set status = 'closed' where id = p_id;
end
$$;
create function public.answer() returns int language sql as $$ select 42 $$;`,
      ],
      pending: ['alter table public.bookings rename to reservations;'],
      findings: [{ object: 'public.bookings', file: 2, line: 1, message: /fail at their next call: function public\.open_count\(\) and function public\.close_booking\(bigint\)\. The statement/ }],
    },
    {
      name: 'a partitioned table: its partitions are not named',
      applied: [`create table public.events (id bigint, at date not null) partition by range (at);
create table public.events_2024 partition of public.events for values from ('2024-01-01') to ('2025-01-01');
create view public.events_2024_days as select at from public.events_2024;`],
      pending: ['alter table public.events rename to happenings;'],
      findings: [{ object: 'public.events', file: 1, line: 1, message: /PostgREST\)\. The statement/ }],
    },
    {
      name: 'a schema the API does not expose: info',
      applied: ['create schema private;\ncreate table private.ledger (id bigint primary key);'],
      pending: ['alter table private.ledger rename to journal;'],
      findings: [{ object: 'private.ledger', file: 1, line: 1, level: 'info', message: /the Data API does not expose it/ }],
    },
    {
      name: 'resolved along the search path of the file',
      applied: ['create schema api;\ncreate table api.orders (id bigint primary key);\ngrant select on api.orders to anon;'],
      pending: ['set search_path = api;\nalter table orders rename to purchases;'],
      config: { exposedSchemas: ['public', 'api'] },
      findings: [{ object: 'api.orders', file: 1, line: 2, message: /anon uses the table through the Data API/ }],
    },
  ],
});
