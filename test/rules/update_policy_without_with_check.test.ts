import assert from 'node:assert/strict';
import rule from '../../src/core/rules/update_policy_without_with_check';
import { loadParser } from '../../src/core/sql/parser';
import { analyzeSql, runRuleTests } from '../support/ruleTester';

const bookings = `create table public.bookings (id uuid primary key, user_id uuid not null, vendor_id uuid not null, status text not null);
alter table public.bookings enable row level security;
`;

runRuleTests(rule, {
  valid: [
    bookings + `create policy "Owners update bookings" on public.bookings for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));`,
    // PostgreSQL checks the new row against USING: an owner check keeps the row with its owner.
    bookings + `create policy "Customers update their bookings" on public.bookings for update to authenticated
  using (user_id = (select auth.uid()));`,
    bookings + `create policy "Vendors confirm their bookings" on public.bookings for update to authenticated
  using (vendor_id = (select auth.uid()) and status = 'requested');`,
    // An OR inside a subquery is about other rows, not about what the updated row may become.
    bookings + `create policy "Members update group bookings" on public.bookings for update to authenticated
  using (vendor_id in (select v.id from public.vendors v where v.owner_id = (select auth.uid()) or v.manager_id = (select auth.uid())));`,
    // Only UPDATE policies: a FOR ALL policy is left to the other rules.
    bookings + `create policy "Owners manage bookings" on public.bookings for all to authenticated using (user_id = (select auth.uid()));`,
    bookings + `create policy "Owners read bookings" on public.bookings for select using (user_id = (select auth.uid()));`,
  ],
  invalid: [
    {
      sql: bookings + `create policy "Parties update bookings" on public.bookings for update to authenticated
  using (user_id = (select auth.uid()) or vendor_id = (select auth.uid()));`,
      findings: [{ object: 'public.bookings.Parties update bookings', line: 3, message: /has no WITH CHECK, so PostgreSQL checks the updated row against USING, and USING is an OR/ }],
      fix: null,
    },
    {
      sql: bookings + `create policy "Parties update open bookings" on public.bookings for update to authenticated
  using (status <> 'cancelled' and (user_id = (select auth.uid()) or vendor_id = (select auth.uid())));`,
      findings: [{ object: 'public.bookings.Parties update open bookings', line: 3 }],
    },
    {
      sql: bookings + `create policy "Anyone updates bookings" on public.bookings for update to authenticated using (true);`,
      findings: [{ object: 'public.bookings.Anyone updates bookings', line: 3, message: /USING admits every row/ }],
    },
  ],
});

describe('update_policy_without_with_check suggestion', () => {
  before(() => loadParser());

  it('offers the USING condition, as written, as the check', () => {
    const sql = bookings + `create policy "Parties update bookings" on public.bookings for update
  using (user_id /* the customer */ = (select auth.uid()) or vendor_id = (select auth.uid()));`;
    const [finding] = analyzeSql(sql).findings.filter((f) => f.rule === rule.id);
    assert.equal(
      finding?.suggestions?.[0]?.sql,
      `alter policy "Parties update bookings" on public.bookings\n  with check (user_id /* the customer */ = (select auth.uid()) or vendor_id = (select auth.uid()));\n`,
    );
  });
});
