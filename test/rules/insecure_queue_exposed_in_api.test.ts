import rule from '../../src/core/rules/insecure_queue_exposed_in_api';
import { runRuleTests } from '../support/ruleTester';

// pgmq creates q_<name> (the queue) and a_<name> (the archive) when `pgmq.create('<name>')` runs;
// Supabase's "expose queues" setting adds the pgmq_public schema to the API.
const queue = `create schema if not exists pgmq;
create table pgmq.q_booking_emails (msg_id bigint primary key, message jsonb);
grant usage on schema pgmq to anon, authenticated;
grant select, insert, update, delete on pgmq.q_booking_emails to anon, authenticated;`;
const exposingPgmq = { exposedSchemas: ['public', 'graphql_public', 'pgmq_public'] };

runRuleTests(rule, {
  valid: [
    // Queues are not exposed by default.
    queue,
    // The archive is not the queue: splinter reports q_ tables only.
    { sql: queue.replace(/q_booking_emails/g, 'a_booking_emails'), config: exposingPgmq },
    { sql: `${queue}\nalter table pgmq.q_booking_emails enable row level security;`, config: exposingPgmq },
    { sql: `${queue}\nrevoke all on pgmq.q_booking_emails from anon, authenticated;`, config: exposingPgmq },
  ],
  invalid: [
    {
      sql: queue,
      config: exposingPgmq,
      findings: [{ object: 'pgmq.q_booking_emails', line: 2, message: /anon and authenticated can read its messages/ }],
      fix: 'alter table pgmq.q_booking_emails enable row level security;',
    },
    {
      sql: queue,
      config: { exposedSchemas: ['public', 'pgmq'] },
      findings: [{ object: 'pgmq.q_booking_emails', line: 2 }],
    },
  ],
});
