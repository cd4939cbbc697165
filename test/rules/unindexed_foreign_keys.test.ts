import rule from '../../src/core/rules/unindexed_foreign_keys';
import assert from 'node:assert/strict';
import { loadParser } from '../../src/core/sql/parser';
import { findingRanges } from '../support/findingRanges';
import { runRuleTests } from '../support/ruleTester';

const walletTransactions = `create table public.wallets (id uuid primary key, user_id uuid not null);
create table public.wallet_transactions (
  id uuid not null,
  wallet_id uuid not null references public.wallets,
  created_at timestamptz not null,
  primary key (id, created_at)
) partition by range (created_at);
create table public.wallet_transactions_2024 partition of public.wallet_transactions for values from ('2024-01-01') to ('2025-01-01');
create table public.wallet_transactions_2025 partition of public.wallet_transactions for values from ('2025-01-01') to ('2026-01-01');
`;

runRuleTests(rule, {
  valid: [
    // An index on the partitioned table is built on every partition.
    walletTransactions + 'create index wallet_transactions_wallet_id_idx on public.wallet_transactions (wallet_id);',
    `create table public.vendors (id uuid primary key);
     create table public.bookings (id uuid primary key, vendor_id uuid not null references public.vendors (id));
     create index bookings_vendor_id_idx on public.bookings (vendor_id);`,
    // An index whose first column is the key serves the lookups.
    `create table public.vendors (id uuid primary key);
     create table public.bookings (id uuid primary key, vendor_id uuid references public.vendors (id), starts_at timestamptz);
     create index bookings_vendor_starts_idx on public.bookings (vendor_id, starts_at);`,
    // The key is the primary key itself.
    'create table public.profiles (id uuid primary key references auth.users (id) on delete cascade);',
    // A composite primary key that leads with the key column.
    `create table public.groups (id uuid primary key);
     create table public.group_members (
       group_id uuid references public.groups (id) on delete cascade,
       user_id uuid,
       primary key (group_id, user_id)
     );
     create index group_members_user_id_idx on public.group_members (user_id);`,
    // Platform schemas are not ours to index.
    'create table public.wallets (id uuid primary key, owner_id uuid not null unique references auth.users (id));',
  ],
  invalid: [
    {
      // One finding on the partitioned table, not one per partition; the fix cannot be CONCURRENTLY there.
      sql: walletTransactions,
      findings: [{ object: 'public.wallet_transactions.wallet_transactions_wallet_id_fkey', line: 4 }],
      fix: 'create index if not exists wallet_transactions_wallet_id_idx on public.wallet_transactions using btree (wallet_id);',
    },
    {
      // An index created ON ONLY the parent leaves the partitions without one.
      sql: walletTransactions + 'create index wallet_transactions_wallet_id_idx on only public.wallet_transactions (wallet_id);',
      findings: [
        { object: 'public.wallet_transactions_2024.wallet_transactions_wallet_id_fkey', line: 8 },
        { object: 'public.wallet_transactions_2025.wallet_transactions_wallet_id_fkey', line: 9 },
      ],
      fix: 'create index concurrently if not exists wallet_transactions_2024_wallet_id_idx on public.wallet_transactions_2024 using btree (wallet_id);',
    },
    {
      sql: `create table public.vendors (id uuid primary key);
create table public.bookings (
  id uuid primary key,
  vendor_id uuid not null references public.vendors (id)
);`,
      findings: [{ object: 'public.bookings.bookings_vendor_id_fkey', line: 4, message: /bookings_vendor_id_fkey .*\(vendor_id\).* no covering index/ }],
      fix: 'create index concurrently if not exists bookings_vendor_id_idx on public.bookings using btree (vendor_id);',
    },
    {
      // The finding sits on the clause that added the key.
      sql: `create table public.bookings (id uuid primary key);
create table public.booking_payments (id uuid primary key, booking_id uuid not null, amount_cents integer not null);

alter table public.booking_payments
  add constraint booking_payments_booking_id_fkey foreign key (booking_id) references public.bookings (id);`,
      findings: [{ object: 'public.booking_payments.booking_payments_booking_id_fkey', line: 5 }],
      fix: 'create index concurrently if not exists booking_payments_booking_id_idx on public.booking_payments using btree (booking_id);',
    },
    {
      // splinter's test: the index must lead with the key's columns in the key's order.
      sql: `create table public.bookings (id uuid, vendor_id uuid, primary key (id, vendor_id));
create table public.booking_payments (
  id uuid primary key,
  booking_id uuid not null,
  vendor_id uuid not null,
  foreign key (booking_id, vendor_id) references public.bookings (id, vendor_id)
);
create index booking_payments_vendor_booking_idx on public.booking_payments (vendor_id, booking_id);`,
      findings: [{ object: 'public.booking_payments.booking_payments_booking_id_vendor_id_fkey', line: 6 }],
      fix: 'create index concurrently if not exists booking_payments_booking_id_vendor_id_idx on public.booking_payments using btree (booking_id, vendor_id);',
    },
    {
      // Names that need quotes are quoted in the fix.
      sql: 'create table public.chat_messages (id bigint primary key, "user" uuid references auth.users (id), body text);',
      findings: [{ object: 'public.chat_messages.chat_messages_user_fkey', line: 1 }],
      fix: 'create index concurrently if not exists chat_messages_user_idx on public.chat_messages using btree ("user");',
    },
    {
      // An index on an expression of the column does not serve the key.
      sql: `create table public.posts (id uuid primary key, author_id uuid references auth.users (id));
create index posts_author_text_idx on public.posts ((author_id::text));`,
      findings: [{ object: 'public.posts.posts_author_id_fkey', line: 1 }],
      fix: /posts_author_id_idx on public\.posts using btree \(author_id\)/,
    },
  ],
});

describe('unindexed_foreign_keys ranges', () => {
  before(() => loadParser());

  it('places each key of a multi-line CREATE TABLE on its own clause or column, not on the statement', () => {
    const sql = `create table public.vendors (id uuid primary key);
create table public.bookings (
  id uuid primary key,
  vendor_id uuid not null references public.vendors (id) on delete cascade, -- who sells it
  guest_id uuid,
  starts_at timestamptz,
  constraint bookings_guest_fkey foreign key (guest_id)
    references auth.users (id),
  check (starts_at > '2020-01-01')
);`;
    assert.deepEqual(findingRanges(rule.id, sql), {
      'public.bookings.bookings_vendor_id_fkey': '4:3-4:75 vendor_id uuid not null references public.vendors (id) on delete cascade',
      'public.bookings.bookings_guest_fkey': '7:3-8:31 constraint bookings_guest_fkey foreign key (guest_id)\n    references auth.users (id)',
    });
  });

  it('places a key added by ALTER TABLE on its ADD CONSTRAINT clause, and a key that ends the element list before the parenthesis', () => {
    const sql = `create table public.bookings (id uuid primary key);
create table public.booking_payments (id uuid primary key, booking_id uuid, refund_of uuid, foreign key (refund_of) references public.booking_payments (id));
alter table public.booking_payments
  alter column booking_id set not null,
  add constraint booking_payments_booking_id_fkey foreign key (booking_id) references public.bookings (id) not valid;`;
    assert.deepEqual(findingRanges(rule.id, sql), {
      'public.booking_payments.booking_payments_refund_of_fkey': '2:93-2:156 foreign key (refund_of) references public.booking_payments (id)',
      'public.booking_payments.booking_payments_booking_id_fkey': '5:7-5:117 constraint booking_payments_booking_id_fkey foreign key (booking_id) references public.bookings (id) not valid',
    });
  });

  it('places an inline REFERENCES added by ALTER TABLE ADD COLUMN on the column definition', () => {
    const sql = `create table public.vendors (id uuid primary key);
create table public.bookings (id uuid primary key);
alter table public.bookings add column vendor_id uuid references public.vendors (id), add column note text;`;
    assert.deepEqual(findingRanges(rule.id, sql), {
      'public.bookings.bookings_vendor_id_fkey': '3:40-3:85 vendor_id uuid references public.vendors (id)',
    });
  });
});
