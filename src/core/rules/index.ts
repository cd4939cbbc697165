/**
 * Every rule, in one list. Adding a rule: create `<id>.ts` with `defineRule`, its doc
 * `docs/rules/<id>.md`, its test `test/rules/<id>.test.ts`, and add it here.
 */
import type { Rule } from './defineRule';
import dynamic_sql_not_replayed from './dynamic_sql_not_replayed';
import psql_meta_command from './psql_meta_command';
import rls_enabled_no_policy from './rls_enabled_no_policy';
import syntax_error from './syntax_error';

export const allRules: readonly Rule[] = [
  syntax_error,
  psql_meta_command,
  dynamic_sql_not_replayed,
  rls_enabled_no_policy,
];

export const rulesById: ReadonlyMap<string, Rule> = new Map(allRules.map((rule) => [rule.id, rule]));
