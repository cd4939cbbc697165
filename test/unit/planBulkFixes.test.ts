import assert from 'node:assert/strict';
import { planBulkFixes } from '../../src/core/rules/planBulkFixes';
import { loadParser } from '../../src/core/sql/parser';
import { analyzeSql } from '../support/ruleTester';

const SCHEMA = `create table public.booking_payments (id uuid primary key, booking_id uuid not null, iban text not null);
alter table public.booking_payments disable row level security;
create function public.payment_count() returns bigint language sql stable as $$ select count(*) from public.booking_payments $$;
create function public.refund_count() returns bigint language sql stable as $$ select 0::bigint $$;
`;

describe('planBulkFixes', () => {
  before(() => loadParser());

  it('groups the fixes by rule under a header, each identical fix once in the whole file', () => {
    const plan = planBulkFixes(analyzeSql(SCHEMA).findings);
    assert.deepEqual(plan.rules, [
      { rule: 'function_search_path_mutable', findings: 2, fixes: 2 },
      { rule: 'rls_disabled_in_public', findings: 1, fixes: 1 },
      // The same ALTER TABLE ... ENABLE ROW LEVEL SECURITY is already written under rls_disabled_in_public.
      { rule: 'sensitive_columns_exposed', findings: 1, fixes: 0 },
    ]);
    assert.equal(plan.title, 'Fixes');
    assert.equal(plan.sql.split('enable row level security').length - 1, 1, plan.sql);
    assert.match(plan.sql, /^-- function_search_path_mutable: 2 fixes for 2 findings\n\n-- Set search_path = '' on public.payment_count\(\)\n/);
    assert.doesNotMatch(plan.sql, /-- sensitive_columns_exposed/);
  });

  it('keeps only the rules asked for, and names the migration after them', () => {
    const plan = planBulkFixes(analyzeSql(SCHEMA).findings, ['sensitive_columns_exposed']);
    assert.deepEqual(plan.rules, [{ rule: 'sensitive_columns_exposed', findings: 1, fixes: 1 }]);
    assert.equal(plan.title, 'Fixes of sensitive_columns_exposed');
  });

  it('writes nothing for suggestions, and lists an edit-only fix as skipped', () => {
    const findings = analyzeSql('create table public.vendors (id uuid primary key, name text);\nalter table public.vendors enable row level security;').findings;
    assert.ok(findings.some((finding) => finding.suggestions?.length), 'rls_enabled_no_policy suggests policies');
    const editOnly = { ...findings[0], rule: 'create_index_non_concurrently', fix: { title: 'Build the index concurrently', sql: 'create index concurrently x on t (a);', editOnly: true } };
    const plan = planBulkFixes([...findings, editOnly]);
    assert.equal(plan.sql, '');
    assert.deepEqual(plan.skipped.map((skipped) => skipped.finding.rule), ['create_index_non_concurrently']);
  });
});
