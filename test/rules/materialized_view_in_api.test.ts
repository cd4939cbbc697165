import rule from '../../src/core/rules/materialized_view_in_api';
import { runRuleTests } from '../support/ruleTester';

const reviews = `create table public.reviews (id uuid primary key, vendor_id uuid not null, rating int not null);
alter table public.reviews enable row level security;
`;

runRuleTests(rule, {
  valid: [
    reviews + `create schema private;
create materialized view private.vendor_ratings as select vendor_id, avg(rating) as rating from public.reviews group by vendor_id;`,
    reviews + `create materialized view public.vendor_ratings as select vendor_id, avg(rating) as rating from public.reviews group by vendor_id;
revoke select on public.vendor_ratings from anon, authenticated;`,
    // The fix of the column-grant case, applied.
    reviews + `create materialized view public.vendor_ratings as select vendor_id, avg(rating) as rating from public.reviews group by vendor_id;
revoke all on public.vendor_ratings from anon, authenticated;
grant select (vendor_id, rating) on public.vendor_ratings to public;
revoke all on table public.vendor_ratings from anon, authenticated, public;`,
    // A plain view is security_definer_view's business.
    reviews + `create view public.vendor_ratings with (security_invoker = true) as select vendor_id, avg(rating) as rating from public.reviews group by vendor_id;`,
  ],
  invalid: [
    {
      sql: reviews + `create materialized view public.vendor_ratings as
  select vendor_id, avg(rating) as rating from public.reviews group by vendor_id;`,
      findings: [{ object: 'public.vendor_ratings', line: 3, message: /anon and authenticated can read every row/ }],
      fix: 'revoke all on table public.vendor_ratings from anon, authenticated;',
    },
    {
      sql: reviews + `create materialized view public.vendor_ratings as select vendor_id, avg(rating) as rating from public.reviews group by vendor_id;
revoke all on public.vendor_ratings from anon, authenticated;
grant select (vendor_id) on public.vendor_ratings to authenticated;`,
      findings: [{ object: 'public.vendor_ratings', line: 3, message: /exposed through the API: authenticated can read every row/ }],
      fix: 'revoke all on table public.vendor_ratings from anon, authenticated;',
    },
    {
      // A column grant to PUBLIC reaches anon too; the fix revokes it with the view-level REVOKE.
      sql: reviews + `create materialized view public.vendor_ratings as select vendor_id, avg(rating) as rating from public.reviews group by vendor_id;
revoke all on public.vendor_ratings from anon, authenticated;
grant select (vendor_id, rating) on public.vendor_ratings to public;`,
      findings: [{ object: 'public.vendor_ratings', line: 3, message: /anon and authenticated can read every row/ }],
      fix: 'revoke all on table public.vendor_ratings from anon, authenticated, public;',
    },
  ],
});
