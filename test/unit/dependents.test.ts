/**
 * The one dependents walk (catalog/dependents.ts): what depends on a table, a column, a type and a
 * function, structured (kind, object key, name, table, line of the statement that wrote it). Whether
 * PostgreSQL agrees is test/db/dropDependents.test.ts's part.
 */
import assert from 'node:assert/strict';
import { columnDependents, functionDependents, functionsNaming, relationDependents, typeDependents, type Dependent } from '../../src/core/catalog/dependents';
import { DEFAULT_SEARCH_PATH } from '../../src/core/catalog/replay/replayState';
import { loadParser } from '../../src/core/sql/parser';
import { analyzeSql } from '../support/ruleTester';

const schema = `create type public.booking_status as enum ('open', 'paid');
create table public.bookings (id bigint primary key, user_id uuid not null, status public.booking_status not null, code text unique);
create table public.payments (id bigint primary key, booking_id bigint references public.bookings (id), code_copy text generated always as (upper(id::text)) stored);
alter table public.payments enable row level security;
create policy "Guests read payments" on public.payments for select to authenticated
  using (exists (select 1 from public.bookings b where b.id = booking_id and b.user_id = (select auth.uid())));
create view public.open_bookings as select id, code from public.bookings where status = 'open';
create function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger bookings_touch before update on public.bookings for each row when (old.code is distinct from new.code) execute function public.touch();
create index bookings_lower_code on public.bookings (lower(code));
create table public.events (id bigint, at date not null) partition by range (at);
create table public.events_2024 partition of public.events for values from ('2024-01-01') to ('2025-01-01');
create view public.events_2024_days as select at from public.events_2024;`;

/** `kind key table line`, one a dependent. */
function lines(dependents: Dependent[]): string[] {
  return dependents.map((dependent) => `${dependent.kind} ${dependent.key}${dependent.table ? ` on ${dependent.table}` : ''} :${dependent.span?.line ?? '-'}${dependent.goesWithIt ? ' goes with it' : ''}`);
}

describe('dependents', () => {
  before(() => loadParser());
  const scope = () => ({ catalog: analyzeSql(schema).catalog, searchPath: DEFAULT_SEARCH_PATH });

  it('of a table: views, foreign keys and policies of other tables, what uses its row type', () => {
    assert.deepEqual(lines(relationDependents(scope(), 'public.bookings')), [
      'view view:public.open_bookings :7',
      'foreign key constraint:public.payments/payments_booking_id_fkey on public.payments :3',
      'policy policy:public.payments/Guests read payments on public.payments :5',
    ]);
  });

  it('of a partitioned table: its partitions, which go with it, and what depends on them', () => {
    assert.deepEqual(lines(relationDependents(scope(), 'public.events')), [
      'partition table:public.events_2024 on public.events :12 goes with it',
      'view view:public.events_2024_days :13',
    ]);
    assert.deepEqual(lines(relationDependents(scope(), 'public.events', false)), ['partition table:public.events_2024 on public.events :12 goes with it']);
  });

  it('of a column: constraints, indexes, triggers, policies and views that use it', () => {
    assert.deepEqual(lines(columnDependents(scope(), 'public.bookings', 'code')), [
      'constraint constraint:public.bookings/bookings_code_key on public.bookings :2',
      'index index:public.bookings_lower_code on public.bookings :10',
      'trigger trigger:public.bookings/bookings_touch on public.bookings :9',
      'view view:public.open_bookings :7',
    ]);
    assert.deepEqual(lines(columnDependents(scope(), 'public.bookings', 'user_id')), ['policy policy:public.payments/Guests read payments on public.payments :5']);
    assert.deepEqual(lines(columnDependents(scope(), 'public.payments', 'id')), [
      'constraint constraint:public.payments/payments_pkey on public.payments :3',
      'generated column column:public.payments.code_copy on public.payments :3',
    ]);
  });

  it('functions whose body names a table or a column: not a dependency PostgreSQL records', () => {
    const sql = `${schema}
create function public.open_codes() returns setof text language sql stable as $$ select b.code from public.bookings b where b.status = 'open' $$;
create function public.recode(p_id bigint) returns void language plpgsql as $$ begin update bookings set code = upper(code) where id = p_id; end $$;
create function public.count_all() returns bigint language sql stable as $$ select count(*) from public.bookings $$;`;
    const catalog = analyzeSql(sql).catalog;
    const scope = { catalog, searchPath: DEFAULT_SEARCH_PATH };
    assert.deepEqual(lines(functionsNaming(scope, 'public.bookings')), ['function function:public.open_codes() :14', 'function function:public.recode(bigint) :15', 'function function:public.count_all() :16']);
    assert.deepEqual(lines(functionsNaming(scope, 'public.bookings', 'code')), ['function function:public.open_codes() :14', 'function function:public.recode(bigint) :15']);
    assert.deepEqual(lines(relationDependents(scope, 'public.bookings')).filter((line) => line.startsWith('function')), []);
  });

  it('of a type and of a function', () => {
    assert.deepEqual(lines(typeDependents(scope(), { schema: 'public', name: 'booking_status' })), ['column column:public.bookings.status on public.bookings :2']);
    assert.deepEqual(lines(functionDependents(scope(), 'public.touch()')), ['trigger trigger:public.bookings/bookings_touch on public.bookings :9']);
  });
});
