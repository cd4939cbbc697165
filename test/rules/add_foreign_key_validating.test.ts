import rule from '../../src/core/rules/add_foreign_key_validating';
import { runSafetyRuleTests } from '../support/safetyTester';

const tables = `create table public.vendors (id bigint primary key);
create table public.bookings (id bigint primary key, vendor_id bigint, status text);`;

runSafetyRuleTests(rule, {
  valid: [
    { name: 'NOT VALID', applied: [tables], pending: ['alter table public.bookings add constraint bookings_vendor_fk foreign key (vendor_id) references public.vendors (id) not valid;'] },
    { name: 'a referencing table created in a pending file', applied: ['create table public.vendors (id bigint primary key);'], pending: ['create table public.bookings (id bigint primary key, vendor_id bigint);', 'alter table public.bookings add foreign key (vendor_id) references public.vendors (id);'] },
    { name: 'a foreign key in CREATE TABLE', applied: ['create table public.vendors (id bigint primary key);'], pending: ['create table public.bookings (id bigint primary key, vendor_id bigint references public.vendors (id));'] },
    { name: 'ADD COLUMN ... REFERENCES without a default: all NULL, marked valid without a scan', applied: [tables], pending: ['alter table public.bookings add column other_vendor_id bigint references public.vendors (id);'] },
    { name: 'an applied migration is never judged', applied: [tables, 'alter table public.bookings add foreign key (vendor_id) references public.vendors (id);'], pending: ['select 1;'] },
    { name: 'no pending list: the table is created in the same file', withPendingList: false, pending: [`${tables}\nalter table public.bookings add foreign key (vendor_id) references public.vendors (id);`] },
    { name: 'a CHECK is not a foreign key', applied: [tables], pending: ["alter table public.bookings add constraint status_known check (status in ('new', 'paid')) not valid;"] },
    { name: 'a table that does not exist', pending: ['alter table public.nowhere add foreign key (vendor_id) references public.vendors (id);'] },
  ],
  invalid: [
    {
      name: 'ADD CONSTRAINT ... FOREIGN KEY on an existing table',
      applied: [tables],
      pending: ['alter table public.bookings\n  add constraint bookings_vendor_fk foreign key (vendor_id) references public.vendors (id) on delete cascade;'],
      findings: [{ object: 'public.bookings', file: 1, line: 2, message: /SHARE ROW EXCLUSIVE lock on public\.bookings: blocks writes.*reads every row.*SHARE ROW EXCLUSIVE lock on public\.vendors/ }],
      fix: 'alter table public.bookings validate constraint bookings_vendor_fk;',
      edit: ' not valid',
    },
    {
      name: 'an unnamed foreign key gets the name PostgreSQL gives it',
      applied: [tables],
      pending: ['alter table public.bookings add foreign key (vendor_id) references public.vendors;'],
      findings: [{ object: 'public.bookings', file: 1, line: 1, message: /bookings_vendor_id_fkey/ }],
      fix: 'alter table public.bookings validate constraint bookings_vendor_id_fkey;',
    },
    {
      name: 'ADD COLUMN with a default and REFERENCES: checked under ACCESS EXCLUSIVE, no NOT VALID possible',
      applied: [tables],
      pending: ['alter table public.bookings add column backup_vendor_id bigint default 1 references public.vendors (id);'],
      findings: [{ object: 'public.bookings', file: 1, line: 1, message: /ACCESS EXCLUSIVE lock on public\.bookings.*Add the column without REFERENCES/ }],
      fix: null,
    },
    {
      name: 'a partitioned table: no NOT VALID fix before PostgreSQL 18',
      applied: ['create table public.vendors (id bigint primary key);\ncreate table public.events (id bigint, vendor_id bigint, at date) partition by range (at);'],
      pending: ['alter table public.events add foreign key (vendor_id) references public.vendors (id);'],
      findings: [{ object: 'public.events', file: 1, line: 1, message: /partitioned table/ }],
      fix: null,
    },
    {
      name: 'no pending list: a table from an earlier file',
      withPendingList: false,
      pending: [tables, 'alter table bookings add constraint bookings_vendor_fk foreign key (vendor_id) references vendors (id);'],
      findings: [{ object: 'public.bookings', file: 1, line: 1 }],
    },
  ],
});
