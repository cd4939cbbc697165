import rule from '../../src/core/rules/no_primary_key';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    'create table public.profiles (id uuid primary key references auth.users (id));',
    `create table public.group_members (group_id uuid, user_id uuid, constraint group_members_pkey primary key (group_id, user_id));`,
    `create table public.wallets (id uuid not null, owner_id uuid not null);
     alter table public.wallets add primary key (id);`,
    `create table public.messages (id bigint generated always as identity primary key, body text);`,
    // A partition takes its key from the partitioned table.
    `create table public.chat_messages (id bigint, sent_at timestamptz, primary key (id, sent_at)) partition by range (sent_at);
     create table public.chat_messages_2025 partition of public.chat_messages for values from ('2025-01-01') to ('2026-01-01');`,
  ],
  invalid: [
    {
      sql: `create table public.profiles (id uuid primary key);

create table public.audit_events (
  created_at timestamptz not null default now(),
  action text not null
);`,
      findings: [{ object: 'public.audit_events', line: 3, message: /public\.audit_events has no primary key/ }],
      fix: null,
    },
    {
      // A unique constraint is not a primary key.
      sql: `create table public.vendors (id uuid not null unique, name text);`,
      findings: [{ object: 'public.vendors', line: 1 }],
      fix: null,
    },
  ],
});
