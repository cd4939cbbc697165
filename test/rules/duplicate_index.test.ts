import rule from '../../src/core/rules/duplicate_index';
import { runRuleTests } from '../support/ruleTester';

const posts = 'create table public.posts (id uuid primary key, group_id uuid not null, author_id uuid not null, published_at timestamptz);\n';

runRuleTests(rule, {
  valid: [
    posts + 'create index posts_group_id_idx on public.posts (group_id);\ncreate index posts_author_id_idx on public.posts (author_id);',
    // Same columns in another order answer other queries.
    posts + 'create index posts_group_author_idx on public.posts (group_id, author_id);\ncreate index posts_author_group_idx on public.posts (author_id, group_id);',
    // A partial index is not the same as a full one.
    posts + 'create index posts_group_id_idx on public.posts (group_id);\ncreate index posts_group_published_idx on public.posts (group_id) where published_at is not null;',
    // Different ordering options make a different index.
    posts + 'create index posts_published_idx on public.posts (published_at);\ncreate index posts_published_desc_idx on public.posts (published_at desc);',
    // Different methods.
    posts + 'create index posts_group_id_idx on public.posts (group_id);\ncreate index posts_group_id_hash_idx on public.posts using hash (group_id);',
    // UNIQUE and PRIMARY KEY on one key in one CREATE TABLE make one index, the primary key's.
    'create table public.profiles (id uuid unique not null, username text not null, primary key (id));',
    `create table public.wallets (
  id uuid not null,
  owner_id uuid not null,
  currency text not null,
  constraint wallets_id_unique unique (id),
  primary key (id),
  unique (owner_id, currency),
  unique (owner_id, currency)
);`,
    // The same for the constraints of one column an ALTER TABLE adds.
    'create table public.payments (amount_cents integer not null);\nalter table public.payments add column id uuid unique primary key;',
  ],
  invalid: [
    {
      // A UNIQUE added by a later statement gets an index of its own.
      sql: `create table public.chat_rooms (id uuid unique not null, name text not null, primary key (id));
alter table public.chat_rooms add constraint chat_rooms_id_key unique (id);`,
      findings: [{ object: 'public.chat_rooms_id_key', line: 2, message: /duplicates public\.chat_rooms_pkey/ }],
      suggestion: 'alter table public.chat_rooms drop constraint chat_rooms_id_key;',
    },
    {
      // A duplicate pair on a partitioned table is one finding, not one more per partition.
      sql: `create table public.chat_messages (id uuid not null, room_id uuid not null, sent_at timestamptz not null, primary key (id, sent_at)) partition by range (sent_at);
create index chat_messages_room_id_idx on public.chat_messages (room_id);
create index idx_chat_messages_room on public.chat_messages (room_id);
create table public.chat_messages_2025 partition of public.chat_messages for values from ('2025-01-01') to ('2026-01-01');
create table public.chat_messages_2026 partition of public.chat_messages for values from ('2026-01-01') to ('2027-01-01');`,
      findings: [{ object: 'public.idx_chat_messages_room', line: 3 }],
      fix: 'drop index if exists public.idx_chat_messages_room;',
    },
    {
      // Separate ALTER TABLE commands are transformed one by one: two indexes.
      sql: `create table public.bookings (id uuid primary key, reference text);
alter table public.bookings
  add constraint bookings_reference_key unique (reference),
  add constraint bookings_reference_unique unique (reference);`,
      findings: [{ object: 'public.bookings_reference_unique', line: 2 }],
      suggestion: 'alter table public.bookings drop constraint bookings_reference_unique;',
    },
    {
      sql: `${posts}create index posts_group_id_idx on public.posts (group_id);
create index idx_posts_group on public.posts using btree (group_id);`,
      findings: [{ object: 'public.idx_posts_group', line: 3, message: /public\.idx_posts_group on public\.posts duplicates public\.posts_group_id_idx/ }],
      fix: 'drop index concurrently if exists public.idx_posts_group;',
    },
    {
      sql: `${posts}create index posts_author_id_idx on public.posts (author_id) include (published_at);
create index "Posts by author" on public.posts (author_id) include (published_at);`,
      findings: [{ object: 'public.Posts by author', line: 3 }],
      fix: 'drop index concurrently if exists public."Posts by author";',
    },
    {
      // Expressions compare by their parse tree, not by how they are spelled.
      sql: `create table public.profiles (id uuid primary key, username text not null);
create index profiles_username_lower_idx on public.profiles (lower(username));
create index profiles_lower_username_idx on public.profiles (LOWER( username ));`,
      findings: [{ object: 'public.profiles_lower_username_idx', line: 3 }],
      fix: 'drop index concurrently if exists public.profiles_lower_username_idx;',
    },
    {
      // A unique index that repeats the primary key: the constraint's index cannot be dropped
      // alone, so dropping the plain one is only suggested.
      sql: `create table public.wallets (id uuid primary key, owner_id uuid not null);
create unique index wallets_id_key on public.wallets (id);`,
      findings: [{ object: 'public.wallets_id_key', line: 2 }],
      fix: null,
    },
  ],
});
