import rule from '../../src/core/rules/concurrently_in_transaction';
import { runSafetyRuleTests } from '../support/safetyTester';

const bookings = 'create table public.bookings (id bigint primary key, user_id uuid, status text);\ncreate index bookings_status_idx on public.bookings (status);';
const events = "create table public.events (id bigint, at date) partition by range (at);\ncreate table public.events_2024 partition of public.events for values from ('2024-01-01') to ('2025-01-01');";

runSafetyRuleTests(rule, {
  valid: [
    { name: 'Supabase CLI: CREATE INDEX CONCURRENTLY runs outside the file\'s transaction', applied: [bookings], pending: ["set lock_timeout = '5s';\ncreate index concurrently bookings_user_id_idx on public.bookings (user_id);"] },
    { name: 'Supabase CLI: DROP INDEX CONCURRENTLY too', applied: [bookings], pending: ['drop index concurrently bookings_status_idx;\nselect 1;'] },
    { name: 'Supabase CLI: REINDEX CONCURRENTLY too', applied: [bookings], pending: ['reindex index concurrently bookings_status_idx;'] },
    { name: 'after COMMIT', applied: [bookings], pending: ['begin;\nalter table public.bookings add column note text;\ncommit;\ncreate index concurrently on public.bookings (note);'] },
    { name: 'REFRESH MATERIALIZED VIEW CONCURRENTLY may run in a transaction', applied: [bookings, 'create materialized view public.counts as select status, count(*) from public.bookings group by status;\ncreate unique index on public.counts (status);'], pending: ['begin;\nrefresh materialized view concurrently public.counts;\ncommit;'] },
    { name: 'without CONCURRENTLY', applied: [bookings], pending: ['begin;\ncreate index on public.bookings (user_id);\ncommit;'], layout: 'dbmate' },
    { name: 'dbmate with transaction:false, alone in its file', applied: [bookings], pending: ['-- migrate:up transaction:false\ncreate index concurrently on public.bookings (user_id);\n\n-- migrate:down\ndrop index bookings_user_id_idx;\n'], layout: 'dbmate' },
    { name: 'Flyway runs a script with CREATE INDEX CONCURRENTLY outside a transaction', applied: [bookings], pending: ['create index concurrently on public.bookings (user_id);\nreindex index concurrently bookings_status_idx;'], layout: 'flyway' },
    { name: 'diesel, alone in its migration (its metadata.toml may turn the transaction off)', applied: [bookings], pending: ['create index concurrently on public.bookings (user_id);'], layout: 'diesel' },
    { name: 'golang-migrate, alone in its file', applied: [bookings], pending: ['create index concurrently on public.bookings (user_id);'], layout: 'golang-migrate' },
    { name: 'an unknown layout', applied: [bookings], pending: ['create index concurrently on public.bookings (user_id);\nselect 1;'], layout: 'numbered' },
    { name: 'Prisma, alone in its migration.sql', applied: [bookings], pending: ['create index concurrently on public.bookings (user_id);'], layout: 'prisma' },
    { name: 'Atlas with -- atlas:txmode none', applied: [bookings], pending: ['-- atlas:txmode none\nalter table public.bookings add column note text;\ncreate index concurrently on public.bookings (note);'], layout: 'atlas' },
    { name: 'Graphile Migrate with --! no-transaction, alone', applied: [bookings], pending: ['--! no-transaction\ncreate index concurrently on public.bookings (user_id);'], layout: 'graphile-migrate' },
  ],
  invalid: [
    {
      name: 'inside BEGIN ... COMMIT',
      applied: [bookings],
      pending: ['begin;\ncreate index concurrently bookings_user_id_idx on public.bookings (user_id);\ncommit;'],
      findings: [{ object: 'public.bookings', file: 1, line: 2, message: /inside the BEGIN on line 1.*Move it out of the BEGIN/ }],
      fix: null,
    },
    {
      name: 'Supabase CLI: DETACH PARTITION CONCURRENTLY stays in the file\'s transaction',
      applied: [events],
      pending: ['alter table public.events detach partition public.events_2024 concurrently;'],
      findings: [{ object: 'public.events', file: 1, line: 1, message: /DETACH PARTITION CONCURRENTLY runs in the transaction the Supabase CLI wraps each file in/ }],
    },
    {
      name: 'dbmate wraps each file in a transaction',
      applied: [bookings],
      pending: ['-- migrate:up\ncreate index concurrently on public.bookings (user_id);\n\n-- migrate:down\ndrop index bookings_user_id_idx;\n'],
      layout: 'dbmate',
      findings: [{ object: 'public.bookings', file: 1, line: 2, message: /transaction:false/ }],
    },
    {
      name: 'dbmate with transaction:false, beside another statement: one query string',
      applied: [bookings],
      pending: ['-- migrate:up transaction:false\nalter table public.bookings add column note text;\ndrop index concurrently bookings_status_idx;\n'],
      layout: 'dbmate',
      findings: [{ object: 'public.bookings', file: 1, line: 3, message: /one query string/ }],
    },
    {
      name: 'diesel, beside another statement',
      applied: [bookings],
      pending: ['alter table public.bookings add column note text;\ncreate index concurrently on public.bookings (note);'],
      layout: 'diesel',
      findings: [{ object: 'public.bookings', file: 1, line: 2, message: /run_in_transaction = false/ }],
    },
    {
      name: 'Flyway does not know REINDEX CONCURRENTLY of a table',
      applied: [bookings],
      pending: ['alter table public.bookings add column note text;\nreindex table concurrently public.bookings;'],
      layout: 'flyway',
      findings: [{ object: 'public.bookings', file: 1, line: 2 }],
    },
    {
      name: 'Atlas wraps each file in a transaction',
      applied: [bookings],
      pending: ['create index concurrently on public.bookings (user_id);'],
      layout: 'atlas',
      findings: [{ object: 'public.bookings', file: 1, line: 1, message: /atlas:txmode none/ }],
    },
    {
      name: 'Prisma, beside another statement: one query string',
      applied: [bookings],
      pending: ['alter table public.bookings add column note text;\ncreate index concurrently on public.bookings (note);'],
      layout: 'prisma',
      findings: [{ object: 'public.bookings', file: 1, line: 2, message: /one query string/ }],
    },
    {
      name: 'drizzle-kit migrate runs the pending files in one transaction',
      applied: [bookings],
      pending: ['CREATE INDEX CONCURRENTLY "bookings_user_id_idx" ON "bookings" USING btree ("user_id");'],
      layout: 'drizzle',
      findings: [{ object: 'public.bookings', file: 1, line: 1 }],
    },
    {
      name: 'golang-migrate, beside another statement',
      applied: [bookings],
      pending: ["set lock_timeout = '5s';\ncreate index concurrently on public.bookings (user_id);"],
      layout: 'golang-migrate',
      findings: [{ object: 'public.bookings', file: 1, line: 2, message: /one query string/ }],
    },
  ],
});
