import rule from '../../src/core/rules/missing_foreign_key';
import { runRuleTests } from '../support/ruleTester';

const VENDORS = 'create table public.vendors (id uuid primary key, name text not null);\n';

runRuleTests(rule, {
  valid: [
    // The key is there, written as a column constraint, a table constraint, or added later.
    `${VENDORS}create table public.adventures (id uuid primary key, vendor_id uuid not null references public.vendors (id));`,
    `${VENDORS}create table public.adventures (id uuid primary key, vendor_id uuid not null, foreign key (vendor_id) references public.vendors);`,
    `${VENDORS}create table public.adventures (id uuid primary key, vendor_id uuid not null);
alter table public.adventures add constraint adventures_vendor_id_fkey foreign key (vendor_id) references public.vendors (id) not valid;`,
    // Another type than the key's: a legacy integer id, or a slug.
    `${VENDORS}create table public.adventures (id uuid primary key, vendor_id bigint not null);`,
    `${VENDORS}create table public.adventures (id uuid primary key, vendor_id text not null);`,
    // No table of that name; a composite primary key says nothing about one column.
    'create table public.adventures (id uuid primary key, partner_id uuid not null);',
    `create table public.rooms (hotel_id uuid, number int, primary key (hotel_id, number));
create table public.stays (id uuid primary key, room_id uuid not null);`,
    // user_id in Supabase points at auth.users, which many projects leave unreferenced on purpose.
    'create table public.notes (id uuid primary key, user_id uuid not null, body text);',
    // Two tables fit (public.users and auth.users): unsure, so silent.
    `create table public.users (id uuid primary key, email text);
create table public.notes (id uuid primary key, user_id uuid not null, body text);`,
    // Polymorphic: the type column says which table the id belongs to.
    `create table public.posts (id uuid primary key);
create table public.comments (id uuid primary key, post_id uuid not null references public.posts (id));
create table public.reactions (id uuid primary key, target_id uuid not null, target_type text not null, post_id uuid, post_type text);`,
    // Ids of another system, even when a local table mirrors it.
    `create table public.stripe_customers (id text primary key);
create table public.invoices (id uuid primary key, stripe_customer_id text not null);`,
    // A copy made with CREATE TABLE ... AS is legacy_table's, and carries no constraints by design.
    `${VENDORS}create table public.adventures (id uuid primary key, vendor_id uuid not null references public.vendors (id));
create table public.adventures_backup as select * from public.adventures;`,
    // A partition: its parent is the one to judge.
    `${VENDORS}create table public.payouts (id uuid, vendor_id uuid not null references public.vendors (id), paid_on date not null, primary key (id, paid_on)) partition by range (paid_on);
create table public.payouts_2024 partition of public.payouts for values from ('2024-01-01') to ('2025-01-01');`,
  ],
  invalid: [
    {
      sql: `${VENDORS}create table public.adventures (
  id uuid primary key,
  vendor_id uuid not null,
  title text not null
);`,
      findings: [{ object: 'public.adventures.vendor_id', line: 4, message: /^Column public\.adventures\.vendor_id is named after public\.vendors and has the type of its primary key, but no foreign key/ }],
      fix: null,
      suggestion: `alter table public.adventures add constraint adventures_vendor_id_fkey
  foreign key (vendor_id) references public.vendors (id) not valid;
-- Then, in a later migration, once no vendor_id points at a missing row:
-- alter table public.adventures validate constraint adventures_vendor_id_fkey;`,
    },
    {
      // A singular of -ies, a bigint identity key, and a column added later.
      sql: `create table public.categories (id bigint generated always as identity primary key, name text not null);
create table public.adventures (id uuid primary key, title text not null);
alter table public.adventures add column category_id bigint;`,
      findings: [{ object: 'public.adventures.category_id', line: 3 }],
      fix: null,
    },
    {
      // The table's own name with _id, in another schema than the referencing table's.
      sql: `create schema billing;
create table billing.ledgers (id uuid primary key);
create table public.wallet_entries (id uuid primary key, ledgers_id uuid not null);`,
      findings: [{ object: 'public.wallet_entries.ledgers_id', line: 3 }],
      fix: null,
    },
  ],
});
