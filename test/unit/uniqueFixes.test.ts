import assert from 'node:assert/strict';
import { offerFixesOnce, uniqueFixes } from '../../src/core/finding';
import { renderFixMigration } from '../../src/core/rules/renderFixMigration';
import { loadParser } from '../../src/core/sql/parser';
import { analyzeSql } from '../support/ruleTester';

describe('uniqueFixes', () => {
  before(() => loadParser());

  it('keeps one of the identical fixes two rules give for one problem, and every different fix', () => {
    const analysis = analyzeSql(`create table public.booking_payments (id uuid primary key, booking_id uuid not null, iban text not null);
alter table public.booking_payments disable row level security;`);
    const withFix = analysis.findings.filter((finding) => finding.fix);
    assert.deepEqual(withFix.map((finding) => finding.rule).sort(), ['rls_disabled_in_public', 'sensitive_columns_exposed']);
    assert.deepEqual(uniqueFixes(withFix.map((finding) => finding.fix!)).map((fix) => fix.title), ['Enable row level security on public.booking_payments']);
    // A fix migration (Generate Fix) holds it once too.
    const migration = renderFixMigration(withFix.map((finding) => finding.fix!));
    assert.equal(migration.split('-- Enable row level security on public.booking_payments').length - 1, 1, migration);
    const different = [{ title: 'A', sql: 'select 1;' }, { title: 'A', sql: 'select 2;' }, { title: 'A', sql: 'select 1;\n' }];
    assert.deepEqual(uniqueFixes(different), different.slice(0, 2));
  });

  it('offers an editor action of a fix once, linked to every diagnostic it fixes', () => {
    const enable = { title: 'Fix: Enable RLS', diagnostics: ['rls_disabled_in_public'] };
    const enableAgain = { title: 'Fix: Enable RLS', diagnostics: ['sensitive_columns_exposed'] };
    const ignoreA = { title: 'Ignore rls_disabled_in_public', diagnostics: ['rls_disabled_in_public'] };
    const ignoreB = { title: 'Ignore sensitive_columns_exposed', diagnostics: ['sensitive_columns_exposed'] };
    const offered = offerFixesOnce([
      { diagnostic: 'rls_disabled_in_public', actions: [{ action: enable, fixKey: 'enable' }, { action: ignoreA }] },
      { diagnostic: 'sensitive_columns_exposed', actions: [{ action: enableAgain, fixKey: 'enable' }, { action: ignoreB }] },
    ]);
    assert.deepEqual(offered.map((action) => action.title), ['Fix: Enable RLS', 'Ignore rls_disabled_in_public', 'Ignore sensitive_columns_exposed']);
    assert.deepEqual(enable.diagnostics, ['rls_disabled_in_public', 'sensitive_columns_exposed']);
  });
});
