/**
 * Every rule, in one list. Adding a rule: create `<id>.ts` with `defineRule`, its doc
 * `docs/rules/<id>.md`, its test `test/rules/<id>.test.ts`, and add it here.
 */
import type { Rule } from './defineRule';
import dynamic_sql_not_replayed from './dynamic_sql_not_replayed';
import object_dropped_but_referenced from './object_dropped_but_referenced';
import object_already_exists from './object_already_exists';
import if_not_exists_skipped from './if_not_exists_skipped';
import file_skipped from './file_skipped';
import psql_meta_command from './psql_meta_command';
import rls_enabled_no_policy from './rls_enabled_no_policy';
import syntax_error from './syntax_error';
import unindexed_foreign_keys from './unindexed_foreign_keys';
import no_primary_key from './no_primary_key';
import duplicate_index from './duplicate_index';
import policy_column_unindexed from './policy_column_unindexed';
import legacy_table from './legacy_table';
import missing_foreign_key from './missing_foreign_key';
import fkey_to_auth_unique from './fkey_to_auth_unique';
import function_search_path_mutable from './function_search_path_mutable';
import extension_in_public from './extension_in_public';
import unsupported_reg_types from './unsupported_reg_types';
import anon_security_definer_function_executable from './anon_security_definer_function_executable';
import authenticated_security_definer_function_executable from './authenticated_security_definer_function_executable';
import security_definer_function_in_exposed_schema_without_auth_check from './security_definer_function_in_exposed_schema_without_auth_check';
import unused_index from './unused_index';
import table_bloat from './table_bloat';
import extension_versions_outdated from './extension_versions_outdated';
import public_bucket_allows_listing from './public_bucket_allows_listing';
import migration_apply_error from './migration_apply_error';
import rls_disabled_in_public from './rls_disabled_in_public';
import policy_exists_rls_disabled from './policy_exists_rls_disabled';
import auth_rls_initplan from './auth_rls_initplan';
import multiple_permissive_policies from './multiple_permissive_policies';
import policy_infinite_recursion from './policy_infinite_recursion';
import create_index_non_concurrently from './create_index_non_concurrently';
import add_foreign_key_validating from './add_foreign_key_validating';
import add_check_validating from './add_check_validating';
import set_not_null_scanning from './set_not_null_scanning';
import validate_in_same_transaction from './validate_in_same_transaction';
import add_column_required_without_default from './add_column_required_without_default';
import add_column_volatile_default from './add_column_volatile_default';
import add_stored_generated_column from './add_stored_generated_column';
import column_type_change_rewrite from './column_type_change_rewrite';
import add_primary_key_without_index from './add_primary_key_without_index';
import add_unique_constraint_without_index from './add_unique_constraint_without_index';
import drop_index_non_concurrently from './drop_index_non_concurrently';
import lock_timeout_missing from './lock_timeout_missing';
import concurrently_in_transaction from './concurrently_in_transaction';
import drop_column_breaks_clients from './drop_column_breaks_clients';
import drop_table_breaks_clients from './drop_table_breaks_clients';
import rename_column_breaks_clients from './rename_column_breaks_clients';
import rename_table_breaks_clients from './rename_table_breaks_clients';
import rls_references_user_metadata from './rls_references_user_metadata';
import rls_policy_always_true from './rls_policy_always_true';
import update_policy_without_with_check from './update_policy_without_with_check';
import sensitive_columns_exposed from './sensitive_columns_exposed';
import insecure_queue_exposed_in_api from './insecure_queue_exposed_in_api';
import security_definer_view from './security_definer_view';
import auth_users_exposed from './auth_users_exposed';
import materialized_view_in_api from './materialized_view_in_api';
import foreign_table_in_api from './foreign_table_in_api';
import migration_changed_after_applied from './migration_changed_after_applied';
import applied_migration_missing from './applied_migration_missing';
import migration_failed_in_history from './migration_failed_in_history';
import migration_out_of_order from './migration_out_of_order';

export const allRules: readonly Rule[] = [
  syntax_error,
  file_skipped,
  psql_meta_command,
  dynamic_sql_not_replayed,
  object_dropped_but_referenced,
  object_already_exists,
  if_not_exists_skipped,
  rls_enabled_no_policy,
  unindexed_foreign_keys,
  no_primary_key,
  duplicate_index,
  policy_column_unindexed,
  legacy_table,
  missing_foreign_key,
  fkey_to_auth_unique,
  function_search_path_mutable,
  extension_in_public,
  unsupported_reg_types,
  anon_security_definer_function_executable,
  authenticated_security_definer_function_executable,
  security_definer_function_in_exposed_schema_without_auth_check,
  unused_index,
  table_bloat,
  extension_versions_outdated,
  public_bucket_allows_listing,
  migration_apply_error,
  rls_disabled_in_public,
  policy_exists_rls_disabled,
  auth_rls_initplan,
  multiple_permissive_policies,
  policy_infinite_recursion,
  rls_references_user_metadata,
  rls_policy_always_true,
  update_policy_without_with_check,
  sensitive_columns_exposed,
  insecure_queue_exposed_in_api,
  security_definer_view,
  auth_users_exposed,
  materialized_view_in_api,
  foreign_table_in_api,
  // Migration safety: pending migrations only, judged statement by statement during the replay.
  create_index_non_concurrently,
  add_foreign_key_validating,
  add_check_validating,
  set_not_null_scanning,
  validate_in_same_transaction,
  add_column_required_without_default,
  add_column_volatile_default,
  add_stored_generated_column,
  column_type_change_rewrite,
  add_primary_key_without_index,
  add_unique_constraint_without_index,
  drop_index_non_concurrently,
  lock_timeout_missing,
  concurrently_in_transaction,
  rename_column_breaks_clients,
  rename_table_breaks_clients,
  drop_column_breaks_clients,
  drop_table_breaks_clients,
  // Migration history: the database's history table against the files (a front end reads it).
  migration_changed_after_applied,
  applied_migration_missing,
  migration_failed_in_history,
  migration_out_of_order,
];

export const rulesById: ReadonlyMap<string, Rule> = new Map(allRules.map((rule) => [rule.id, rule]));
