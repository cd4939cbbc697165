import assert from 'node:assert/strict';
import { uniqueFixes } from '../../src/core/finding';
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
});
