import rule from '../../src/core/rules/security_definer_view';
import { runRuleTests } from '../support/ruleTester';

const bookings = `create table public.bookings (id uuid primary key, user_id uuid not null, vendor_id uuid not null, total numeric not null);
alter table public.bookings enable row level security;
`;

runRuleTests(rule, {
  valid: [
    bookings + `create view public.my_bookings with (security_invoker = true) as
  select id, total from public.bookings;`,
    bookings + `create view public.vendor_totals as select vendor_id, sum(total) as total from public.bookings group by vendor_id;
revoke select on public.vendor_totals from anon, authenticated;`,
    bookings + `create schema reporting;
create view reporting.vendor_totals as select vendor_id, sum(total) as total from public.bookings group by vendor_id;`,
    bookings + `create view public.vendor_totals as select vendor_id, sum(total) as total from public.bookings group by vendor_id;
alter view public.vendor_totals set (security_invoker = true);`,
    // A view-level REVOKE also takes the column grants.
    bookings + `create view public.vendor_totals as select vendor_id, sum(total) as total from public.bookings group by vendor_id;
revoke all on public.vendor_totals from anon, authenticated;
grant select (vendor_id, total) on public.vendor_totals to authenticated;
revoke select on public.vendor_totals from authenticated;`,
  ],
  invalid: [
    {
      sql: bookings + `create view public.vendor_totals as
  select vendor_id, sum(total) as total from public.bookings group by vendor_id;`,
      findings: [{ object: 'public.vendor_totals', line: 3, message: /runs as its owner \(postgres\), not as the caller: anon and authenticated can read through it/ }],
      fix: 'alter view public.vendor_totals set (security_invoker = true);',
    },
    {
      sql: bookings + `create view public.my_bookings with (security_invoker = false) as select id, total from public.bookings;`,
      findings: [{ object: 'public.my_bookings', line: 3 }],
    },
    {
      // Selecting some columns is reading through the view all the same.
      sql: bookings + `create view public.vendor_totals as select vendor_id, sum(total) as total from public.bookings group by vendor_id;
revoke all on public.vendor_totals from anon, authenticated;
grant select (vendor_id, total) on public.vendor_totals to authenticated;`,
      findings: [{ object: 'public.vendor_totals', line: 3, message: /not as the caller: authenticated can read through it/ }],
      fix: 'alter view public.vendor_totals set (security_invoker = true);',
    },
  ],
});
