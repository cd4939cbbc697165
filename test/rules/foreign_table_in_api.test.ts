import rule from '../../src/core/rules/foreign_table_in_api';
import { runRuleTests } from '../support/ruleTester';

const server = `create extension if not exists postgres_fdw with schema extensions;
create server legacy_crm foreign data wrapper postgres_fdw options (host 'crm.internal', dbname 'crm');
`;

runRuleTests(rule, {
  valid: [
    server + `create schema legacy;
create foreign table legacy.customers (id bigint, email text) server legacy_crm;`,
    server + `create foreign table public.legacy_customers (id bigint, email text) server legacy_crm;
revoke all on public.legacy_customers from anon, authenticated;`,
    // The fix of the column-grant case, applied.
    server + `create foreign table public.legacy_customers (id bigint, email text) server legacy_crm;
revoke all on public.legacy_customers from anon, authenticated;
grant select (id) on public.legacy_customers to public;
revoke all on table public.legacy_customers from anon, authenticated, public;`,
  ],
  invalid: [
    {
      sql: server + `create foreign table public.legacy_customers (id bigint, email text)
  server legacy_crm options (table_name 'customers');`,
      findings: [{ object: 'public.legacy_customers', line: 3, message: /RLS does not apply to foreign tables/ }],
      fix: 'revoke all on table public.legacy_customers from anon, authenticated;',
    },
    {
      // A column grant to PUBLIC reaches anon too; the fix revokes it with the table-level REVOKE.
      sql: server + `create foreign table public.legacy_customers (id bigint, email text) server legacy_crm;
revoke all on public.legacy_customers from anon, authenticated;
grant select (id) on public.legacy_customers to public;`,
      findings: [{ object: 'public.legacy_customers', line: 3, message: /anon and authenticated can read the remote rows/ }],
      fix: 'revoke all on table public.legacy_customers from anon, authenticated, public;',
    },
  ],
});
