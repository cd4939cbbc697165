import type { A_Const, FuncCall, Node } from '@pgsql/types';
import { objectKey, type Table } from '../catalog/model';
import { functionCallName } from '../sql/functionCallName';
import { memoizeByNode } from '../sql/memoizeByNode';
import { walkNodes } from '../sql/walkNodes';
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
    const clause = CLAUSES.find((candidate) => readsUserMetadata(policy[candidate]?.ast));
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

const CLAUSES = ['using', 'withCheck'] as const;

const JSON_PATH_FUNCTIONS = new Set(['jsonb_extract_path', 'jsonb_extract_path_text', 'json_extract_path', 'json_extract_path_text']);

/**
 * True when the expression takes the `user_metadata` key out of a JSON value (`-> 'user_metadata'`,
 * `#>> '{user_metadata,role}'`, `jsonb_extract_path(..., 'user_metadata')`) or reads the
 * `raw_user_meta_data` column it comes from.
 */
const readsUserMetadata = memoizeByNode((ast: Node): boolean => {
  let found = false;
  walkNodes(ast, (node) => {
    if (found) return false;
    if (node.type === 'A_Expr') {
      const operator = operatorName(node.fields.name);
      const right = node.fields.rexpr as Node | undefined;
      if ((operator === '->' || operator === '->>') && constantString(right) === 'user_metadata') found = true;
      if ((operator === '#>' || operator === '#>>') && firstPathElement(right) === 'user_metadata') found = true;
    } else if (node.type === 'FuncCall') {
      const call = node.fields as FuncCall;
      if (JSON_PATH_FUNCTIONS.has(functionCallName(call).replace(/^pg_catalog\./, ''))) {
        if ((call.args ?? []).slice(1, 2).some((arg) => constantString(arg) === 'user_metadata')) found = true;
      }
    } else if (node.type === 'ColumnRef') {
      const fields = (node.fields.fields as Node[] | undefined) ?? [];
      const last = fields[fields.length - 1];
      if (last && 'String' in last && last.String.sval === 'raw_user_meta_data') found = true;
    }
    return undefined;
  });
  return found;
});

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
