import type { A_Const, A_Expr, ColumnRef, FuncCall, Node } from '@pgsql/types';
import { objectKey, type Table } from '../catalog/model';
import { expressionFacts } from '../sql/expressionFacts';
import { functionCallName } from '../sql/functionCallName';
import { defineRule, type RuleReport } from './defineRule';
import { memoizeByObject } from './memoizeByObject';
import type { RuleContext } from './ruleContext';
import { policyClauseSpan } from './findPolicyClauseSource';

export default defineRule({
  id: 'rls_references_user_metadata',
  name: 'RLS References User Metadata',
  level: 'error',
  category: 'security',
  needs: 'S',
  description: 'A policy reads user_metadata from the JWT (or raw_user_meta_data from auth.users), which every signed-in user can change for themselves, so the policy can be bypassed.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const table of catalog.tables.values()) reports.push(...judgeTable(table, context.sourceText ? 'with source text' : 'without', context));
    return reports;
  },
});

/**
 * The reports on one table, which read the table and the source text of its policies' statements:
 * cached by table while it is unchanged (a table shared with the Analyzer's checkpoint comes from
 * files whose text is unchanged), and by whether the context can read source text at all.
 */
const judgeTable = memoizeByObject((table: Table, _sourceTextKey: string, context: RuleContext): RuleReport[] => {
  const reports: RuleReport[] = [];
  if (table.platform || context.isManagedSchema(table.schema)) return reports;
  for (const policy of table.policies.values()) {
    const clause = readsUserMetadata(policy.using?.ast) ? 'using' : readsUserMetadata(policy.withCheck?.ast) ? 'withCheck' : undefined;
    if (!clause) continue;
    reports.push({
      object: `${policy.table}.${policy.name}`,
      objectKey: objectKey.policy(policy.table, policy.name),
      message: `Policy "${policy.name}" on ${policy.table} trusts user_metadata, which users can edit with supabase.auth.updateUser(): keep roles and permissions in app_metadata or in a table.`,
      span: policyClauseSpan(policy, clause, context),
    });
  }
  return reports;
});

const JSON_PATH_FUNCTIONS = new Set(['jsonb_extract_path', 'jsonb_extract_path_text', 'json_extract_path', 'json_extract_path_text']);

/**
 * True when the expression takes the `user_metadata` key out of a JSON value (`-> 'user_metadata'`,
 * `#>> '{user_metadata,role}'`, `jsonb_extract_path(..., 'user_metadata')`) or reads the
 * `raw_user_meta_data` column it comes from.
 */
function readsUserMetadata(ast: Node | undefined): boolean {
  // expressionFacts is memoized by tree; the lists it returns are short.
  const { operators, calls, columnRefs } = expressionFacts(ast);
  // Indexed loops: this runs for every clause of every policy, mostly before the code is optimized.
  for (let i = 0; i < operators.length; i++) if (takesUserMetadata(operators[i])) return true;
  for (let i = 0; i < calls.length; i++) if (extractsUserMetadata(calls[i].call)) return true;
  for (let i = 0; i < columnRefs.length; i++) if (isRawUserMetaData(columnRefs[i])) return true;
  return false;
}

function takesUserMetadata(expression: A_Expr): boolean {
  const operator = operatorName(expression.name);
  const right = expression.rexpr;
  if ((operator === '->' || operator === '->>') && constantString(right) === 'user_metadata') return true;
  return (operator === '#>' || operator === '#>>') && firstPathElement(right) === 'user_metadata';
}

function extractsUserMetadata(call: FuncCall): boolean {
  // Every name of JSON_PATH_FUNCTIONS ends the last part of the call's name: a quick test first.
  const parts = call.funcname ?? [];
  const last = parts[parts.length - 1];
  const lastName = last !== undefined && 'String' in last ? last.String.sval ?? '' : '';
  if (!lastName.endsWith('_path') && !lastName.endsWith('_path_text')) return false;
  if (!JSON_PATH_FUNCTIONS.has(functionCallName(call).replace(/^pg_catalog\./, ''))) return false;
  return (call.args ?? []).slice(1, 2).some((arg) => constantString(arg) === 'user_metadata');
}

function isRawUserMetaData(reference: ColumnRef): boolean {
  const fields = reference.fields ?? [];
  const last = fields[fields.length - 1];
  return last !== undefined && 'String' in last && last.String.sval === 'raw_user_meta_data';
}

function operatorName(name: unknown): string | undefined {
  const parts = (name as Node[] | undefined) ?? [];
  const last = parts[parts.length - 1];
  return last && 'String' in last ? last.String.sval : undefined;
}

/** The value of a string constant, looking through a cast (`'user_metadata'::text`). */
function constantString(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if ('TypeCast' in node) return constantString(node.TypeCast.arg);
  if ('A_Const' in node) return (node.A_Const as A_Const).sval?.sval;
  return undefined;
}

/** The first key of a JSON path: `'{user_metadata,role}'` or `array['user_metadata', 'role']`. */
function firstPathElement(node: Node | undefined): string | undefined {
  if (node && 'TypeCast' in node) return firstPathElement(node.TypeCast.arg);
  if (node && 'A_ArrayExpr' in node) return constantString(node.A_ArrayExpr.elements?.[0]);
  const text = constantString(node);
  return text?.replace(/^\s*\{\s*/, '').split(',')[0].trim().replace(/^"|"$/g, '');
}
