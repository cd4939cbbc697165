import rule from '../../src/core/rules/unsupported_reg_types';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    "create table public.search_settings (id bigint primary key, config text not null default 'english');",
    // regclass, regrole and regtype survive pg_upgrade.
    'create table public.audit_targets (id bigint primary key, target regclass not null, actor regrole);',
  ],
  invalid: [
    {
      sql: `create table public.search_settings (
  id bigint primary key,
  config regconfig not null default 'english'
);`,
      findings: [{ object: 'public.search_settings.config', line: 1, message: /config has type regconfig/ }],
      fix: null,
    },
    {
      sql: `create table public.jobs (id bigint primary key);
alter table public.jobs add column handler regprocedure, add column handler_schemas pg_catalog.regnamespace[];`,
      findings: [
        { object: 'public.jobs.handler', line: 2 },
        { object: 'public.jobs.handler_schemas', line: 2 },
      ],
      fix: null,
    },
  ],
});
