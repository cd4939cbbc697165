import type { Node } from '@pgsql/types';
import { objectKey, type Policy } from '../catalog/model';
import { quoteIdent } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';

/** Roles that stand for "anyone using the API". */
const API_AUDIENCE = new Set(['public', 'anon', 'authenticated']);

export default defineRule({
  id: 'public_bucket_allows_listing',
  name: 'Public Bucket Allows Listing',
  level: 'warning',
  category: 'security',
  needs: 'L',
  description: 'A public storage bucket also has a SELECT policy on storage.objects that lets any API user list every file in it; public URLs work without that policy.',
  check(catalog) {
    const reports: RuleReport[] = [];
    const objects = catalog.tables.get('storage.objects');
    if (!objects || !catalog.storageBuckets) return reports;
    for (const bucket of catalog.storageBuckets.values()) {
      if (!bucket.public) continue;
      for (const policy of objects.policies.values()) {
        if (!allowsListing(policy, bucket.id)) continue;
        const policyObject = `storage.objects.${policy.name}`;
        reports.push({
          object: policyObject,
          objectKey: objectKey.policy('storage.objects', policy.name),
          message: `Public bucket "${bucket.id}" can be listed: policy "${policy.name}" on storage.objects lets ${policy.roles.join(', ')} select every object in it.`,
          span: policy.origin.definedAt,
          suggestions: [
            {
              title: `Drop the listing policy "${policy.name}" (public URLs keep working)`,
              sql: `drop policy ${quoteIdent(policy.name)} on storage.objects;\n`,
            },
          ],
        });
      }
    }
    return reports;
  },
});

/**
 * True when the policy lets API users select from storage.objects with no condition other than
 * naming this bucket: its USING is `true`, or `bucket_id = '<bucket>'`, or an AND of those. A
 * policy with any other condition (the owner, a folder) narrows what can be listed, and the rule
 * stays silent about it.
 */
function allowsListing(policy: Policy, bucketId: string): boolean {
  if (!policy.permissive || (policy.command !== 'select' && policy.command !== 'all')) return false;
  if (!policy.roles.some((role) => API_AUDIENCE.has(role))) return false;
  const ast = policy.using?.ast;
  if (!ast) return false;
  const conjuncts = andArguments(ast);
  return conjuncts.every((node) => isTrueConstant(node) || isBucketTest(node, bucketId)) && conjuncts.some((node) => isTrueConstant(node) || isBucketTest(node, bucketId));
}

function andArguments(node: Node): Node[] {
  if ('BoolExpr' in node && node.BoolExpr.boolop === 'AND_EXPR') return (node.BoolExpr.args ?? []).flatMap(andArguments);
  return [node];
}

function isTrueConstant(node: Node): boolean {
  const value = withoutCast(node);
  return 'A_Const' in value && value.A_Const.boolval?.boolval === true;
}

/** `bucket_id = 'avatars'`, either way round, with or without the `::text` that pg_get_expr prints. */
function isBucketTest(node: Node, bucketId: string): boolean {
  if (!('A_Expr' in node) || node.A_Expr.kind !== 'AEXPR_OP') return false;
  const operator = node.A_Expr.name?.map((part) => ('String' in part ? part.String.sval : '')).join('.');
  if (operator !== '=' || !node.A_Expr.lexpr || !node.A_Expr.rexpr) return false;
  const sides = [withoutCast(node.A_Expr.lexpr), withoutCast(node.A_Expr.rexpr)];
  const column = sides.find((side) => 'ColumnRef' in side);
  const constant = sides.find((side) => 'A_Const' in side);
  if (!column || !constant || !('ColumnRef' in column) || !('A_Const' in constant)) return false;
  const fields = column.ColumnRef.fields ?? [];
  const last = fields[fields.length - 1];
  return last !== undefined && 'String' in last && last.String.sval === 'bucket_id' && constant.A_Const.sval?.sval === bucketId;
}

function withoutCast(node: Node): Node {
  return 'TypeCast' in node && node.TypeCast.arg ? withoutCast(node.TypeCast.arg) : node;
}
