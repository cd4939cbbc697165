/**
 * Materialized views in the policy matrix (issue 13, section 3): RLS does not apply to them, so a
 * role with SELECT reads every row, whatever the policies of the tables they were built from.
 */
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import { defaultConfig } from '../../src/core/config';
import { computePolicyMatrix } from '../../src/core/policies/computePolicyMatrix';
import { renderPolicyMatrixText } from '../../src/core/policies/renderPolicyMatrix';
import { loadParser } from '../../src/core/sql/parser';

const SCHEMA = `create table public.bookings (id uuid primary key, user_id uuid not null, amount_cents integer not null);
alter table public.bookings enable row level security;
create policy "Owners read their bookings" on public.bookings for select to authenticated using (user_id = (select auth.uid()));
create materialized view public.booking_totals as select user_id, sum(amount_cents) as total_cents from public.bookings group by user_id;
revoke select on public.booking_totals from anon;
`;

describe('policy matrix: materialized views', () => {
  before(() => loadParser());

  it('shows a materialized view open to every role that may SELECT it, and never writable', () => {
    const { catalog } = analyze({ files: [{ path: 'supabase/migrations/0001_bookings.sql', text: SCHEMA }], config: defaultConfig('supabase') });
    const matrix = computePolicyMatrix(catalog, { roles: ['anon', 'authenticated'] });
    assert.deepEqual(matrix.rows.map((row) => [row.table, row.kind, row.key]), [
      ['public.booking_totals', 'materialized_view', 'view:public.booking_totals'],
      ['public.bookings', 'table', 'table:public.bookings'],
    ]);
    const cells = matrix.rows[0].cells.map((cell) => `${cell.role} ${cell.command}: ${cell.access}`);
    assert.deepEqual(cells, [
      'anon select: no grant', 'anon insert: no grant', 'anon update: no grant', 'anon delete: no grant',
      'authenticated select: open', 'authenticated insert: no grant', 'authenticated update: no grant', 'authenticated delete: no grant',
    ]);
    assert.match(matrix.rows[0].cells[4].reason, /row level security does not apply, so authenticated reads every row/);
    // The table it is built from lets authenticated read only their own bookings.
    assert.equal(matrix.rows[1].cells.find((cell) => cell.role === 'authenticated' && cell.command === 'select')?.access, 'filtered');
    assert.match(renderPolicyMatrixText(matrix), /^public\.booking_totals {2}\(materialized view, no RLS: open to every role that may SELECT it\)$/m);
  });
});
