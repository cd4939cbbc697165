import type { FuncCall, Node } from '@pgsql/types';
import { objectKey, type Policy } from '../catalog/model';
import type { Fix, TextEdit } from '../finding';
import { functionCallName } from '../sql/functionCallName';
import { isAuthFunctionCall } from '../sql/isAuthFunctionCall';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { walkNodes } from '../sql/walkNodes';
import { defineRule, type RuleReport } from './defineRule';
import { findPolicyClauseSource, type PolicyClauseSource } from './findPolicyClauseSource';

export default defineRule({
  id: 'auth_rls_initplan',
  name: 'Auth RLS Initialization Plan',
  level: 'warning',
  category: 'performance',
  needs: 'S',
  description: 'A policy calls auth.uid(), auth.jwt(), auth.role(), auth.email() or current_setting() directly, so PostgreSQL calls it once per row; wrapped as (select auth.uid()) it runs once per query.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const table of catalog.tables.values()) {
      if (table.platform || context.isManagedSchema(table.schema) || !table.rlsEnabled) continue;
      for (const policy of table.policies.values()) {
        const clauses = CLAUSES.filter((clause) => perRowCalls(policy[clause]?.ast).length > 0);
        if (clauses.length === 0) continue;
        const calls = clauses.flatMap((clause) => perRowCalls(policy[clause]?.ast));
        const names = [...new Set(calls.map((call) => `${functionCallName(call)}()`))];
        const sources = clauses.map((clause) => ({ clause, source: findPolicyClauseSource(policy, clause, context) }));
        const span = sources[0].source?.span ?? policy.origin.definedAt;
        reports.push({
          object: `${policy.table}.${policy.name}`,
          objectKey: objectKey.policy(policy.table, policy.name),
          message: `Policy "${policy.name}" on ${policy.table} calls ${names.join(', ')} for every row: wrap each call in (select ...) so PostgreSQL evaluates it once per query.`,
          span,
          // A fix is offered only when every clause with a per-row call can be read back from its statement.
          fix: sources.every(hasSource) ? wrapCallsFix(policy, quoteQualified(table.schema, table.name), sources) : undefined,
        });
      }
    }
    return reports;
  },
});

type Clause = 'using' | 'withCheck';
const CLAUSES: Clause[] = ['using', 'withCheck'];

interface ClauseWithSource {
  clause: Clause;
  source: PolicyClauseSource;
}

function hasSource(entry: { clause: Clause; source: PolicyClauseSource | undefined }): entry is ClauseWithSource {
  return entry.source !== undefined && perRowCalls(entry.source.ast).length > 0;
}

/**
 * The calls PostgreSQL evaluates once per row: auth.*() and current_setting() that are not inside
 * any sub-select. A call in a sub-select (the scalar `(select auth.uid())`, or the body of an
 * `in (select ...)`) is planned as an init plan or a sub plan, not per row; a call in the tested
 * side of `x in (select ...)` is still per row. Calls inside another flagged call are left to it.
 */
function perRowCalls(ast: Node | undefined): FuncCall[] {
  const calls: FuncCall[] = [];
  walkNodes(ast, (node) => {
    if (node.type === 'SelectStmt') return false;
    if (node.type !== 'FuncCall') return undefined;
    const call = node.fields as FuncCall;
    if (!isPerRowCandidate(call)) return undefined;
    calls.push(call);
    return false;
  });
  return calls;
}

function isPerRowCandidate(call: FuncCall): boolean {
  const name = functionCallName(call);
  return isAuthFunctionCall(call) || name === 'current_setting' || name === 'pg_catalog.current_setting';
}

/**
 * `alter policy ... using (...) with check (...)` with every per-row call wrapped, for a new
 * migration; and, when every wrapped call sits in one statement, the same wrapping as an edit of
 * that statement in place.
 */
function wrapCallsFix(policy: Policy, quotedTable: string, sources: ClauseWithSource[]): Fix {
  const clauses: string[] = [];
  for (const { clause, source } of sources) {
    const wrapped = wrapCalls(source, source.start, source.end);
    clauses.push(`${clause === 'using' ? 'using' : 'with check'} (${wrapped})`);
  }
  const sql = `alter policy ${quoteIdent(policy.name)} on ${quotedTable}\n  ${clauses.join('\n  ')};\n`;
  return { title: `Wrap the auth calls of policy "${policy.name}" in (select ...)`, sql, edit: inPlaceEdit(sources) };
}

function inPlaceEdit(sources: ClauseWithSource[]): TextEdit | undefined {
  const statement = sources[0].source;
  if (sources.some(({ source }) => source.span.start !== statement.span.start || source.span.file !== statement.span.file)) return undefined;
  const ranges = sources.flatMap(({ source }) => callRanges(source));
  const start = Math.min(...ranges.map((range) => range.start));
  const end = Math.max(...ranges.map((range) => range.end));
  return { file: statement.span.file, start: statement.span.start + start, end: statement.span.start + end, text: wrapCalls(statement, start, end, ranges) };
}

/** The statement text between two UTF-16 offsets, with every per-row call in it written as `(select call)`. */
function wrapCalls(source: PolicyClauseSource, from: number, to: number, ranges = callRanges(source)): string {
  let text = '';
  let at = from;
  for (const range of ranges.filter((candidate) => candidate.start >= from && candidate.end <= to).sort((a, b) => a.start - b.start)) {
    text += `${source.statementText.slice(at, range.start)}(select ${source.statementText.slice(range.start, range.end)})`;
    at = range.end;
  }
  return text + source.statementText.slice(at, to);
}

/**
 * UTF-16 ranges of the per-row calls in the statement text. A call's location is where its name
 * starts; it ends at the parenthesis that closes its argument list, found with the scanner.
 */
function callRanges(source: PolicyClauseSource): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (const call of perRowCalls(source.ast)) {
    if (call.location === undefined || call.location < 0) continue;
    const first = source.tokens.indexAtLocation(call.location);
    let open = first;
    while (open < source.tokens.tokens.length && source.tokens.tokens[open].text !== '(') open++;
    const close = source.tokens.matchingParenthesis(open);
    if (close < 0) continue;
    ranges.push({ start: source.lines.charOffset(source.tokens.tokens[first].start), end: source.lines.charOffset(source.tokens.tokens[close].end) });
  }
  return ranges;
}
