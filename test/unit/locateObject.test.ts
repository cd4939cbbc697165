/**
 * locateObject places a finding computed on a live database back on the migration that made its
 * object: a constraint or a column on its own clause, as the migrations' rules place it, other objects on the
 * statement that created them.
 */
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import { locateObject } from '../../src/core/catalog/locateObject';
import { defaultConfig } from '../../src/core/config';
import { loadParser } from '../../src/core/sql/parser';

describe('locateObject', () => {
  before(() => loadParser());

  const sql = `create table public.vendors (id uuid primary key);
create table public.bookings (
  id uuid primary key,
  vendor_id uuid references public.vendors (id)
);`;

  it('places a constraint and a column on their clauses and a table on its statement', () => {
    const { catalog } = analyze({ files: [{ path: 'supabase/migrations/0001_test.sql', text: sql }], config: defaultConfig('supabase') });
    const place = (key: string) => {
      const span = locateObject(catalog, key);
      return span && `${span.line}:${span.column}-${span.endLine}:${span.endColumn} ${sql.slice(span.start, span.end)}`;
    };
    assert.equal(place('constraint:public.bookings/bookings_vendor_id_fkey'), '4:3-4:48 vendor_id uuid references public.vendors (id)');
    assert.equal(place('table:public.bookings')?.split(' ')[0], '2:1-5:2');
    assert.equal(place('constraint:public.bookings/missing'), undefined);
    assert.equal(place('column:public.bookings.id'), '3:3-3:22 id uuid primary key');
    assert.equal(place('column:public.bookings.missing'), undefined);
  });
});
