import type { FuncCall, Node, SelectStmt } from '@pgsql/types';
import { objectKey, type Policy, type Table } from '../catalog/model';
import type { Fix, TextEdit } from '../finding';
import { functionCallName } from '../sql/functionCallName';
import { isAuthFunctionCall } from '../sql/isAuthFunctionCall';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import type { SqlToken } from '../sql/statementTokens';
import { expressionFacts, type CallSite } from '../sql/expressionFacts';
import { walkNodes } from '../sql/walkNodes';
import { defineRule, type RuleReport } from './defineRule';
import { findPolicyClauseSource, matchingParenthesis, type PolicyClauseSource } from './findPolicyClauseSource';
import { memoizeByObject } from './memoizeByObject';
import type { RuleContext } from './ruleContext';

export default defineRule({
  id: 'auth_rls_initplan',
  name: 'Auth RLS Initialization Plan',
  level: 'warning',
  category: 'performance',
  needs: 'S',
  description: 'A policy calls auth.uid(), auth.jwt(), auth.role(), auth.email() or current_setting() outside a scalar (select ...), so PostgreSQL calls it once per row, of the table or of a sub-select; wrapped as (select auth.uid()) it runs once per query.',
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
  if (table.platform || context.isManagedSchema(table.schema) || !table.rlsEnabled) return reports;
  let quotedTable: string | undefined;
  for (const policy of table.policies.values()) {
    const usingCalls = repeatedCalls(policy.using?.ast);
    const withCheckCalls = repeatedCalls(policy.withCheck?.ast);
    if (usingCalls.length === 0 && withCheckCalls.length === 0) continue;
    const clauses = CLAUSES.filter((clause) => (clause === 'using' ? usingCalls : withCheckCalls).length > 0);
    const calls = [...usingCalls, ...withCheckCalls];
    const sources = clauses.map((clause) => ({ clause, ast: policy[clause]?.ast, source: findPolicyClauseSource(policy, clause, context) }));
    const span = sources[0].source?.span ?? policy.origin.definedAt;
    reports.push({
      object: `${policy.table}.${policy.name}`,
      objectKey: objectKey.policy(policy.table, policy.name),
      message: `Policy "${policy.name}" on ${policy.table} calls ${describeCalls(calls)}: wrap each call in (select ...) so PostgreSQL evaluates it once per query.`,
      span,
      // A fix is offered only when every clause with a repeated call can be read back from its statement.
      fix: sources.every(hasSource) ? wrapCallsFix(policy, (quotedTable ??= quoteQualified(table.schema, table.name)), sources) : undefined,
    });
  }
  return reports;
});

type Clause = 'using' | 'withCheck';
const CLAUSES: Clause[] = ['using', 'withCheck'];

interface ClauseWithSource {
  clause: Clause;
  /** The clause's tree, as the replay parsed it. */
  ast: Node | undefined;
  source: PolicyClauseSource;
}

function hasSource(entry: { clause: Clause; ast: Node | undefined; source: PolicyClauseSource | undefined }): entry is ClauseWithSource {
  return entry.source !== undefined && callRanges(entry.source, entry.ast) !== undefined;
}

/**
 * How often PostgreSQL 15 evaluates a call in a policy clause:
 * - `row`: outside any sub-select, once for every row of the table the policy guards (the tested
 *   side of `x in (select ...)` included);
 * - `subSelectRow`: in a sub-select that reads a table (`exists (select 1 from members m where
 *   m.user_id = auth.uid())`), once for every row the sub-select reads, on each run of it. A
 *   sub-select correlated with the policy's row runs once per row of the table unless PostgreSQL
 *   can hash the correlation, so the call can run once per row read for every row of the table;
 * - `subSelectRun`: an argument of a function in a sub-select's FROM (`jsonb_array_elements(auth.jwt()
 *   -> 'groups')`), once each time the sub-select runs;
 * - `once`: in a sub-select that reads no table, the scalar `(select auth.uid())` or
 *   `(select array[auth.jwt() ->> 'aal'])`, which is planned as an init plan and run once per query.
 */
type Evaluation = 'row' | 'subSelectRow' | 'subSelectRun' | 'once';

interface RepeatedCall {
  call: FuncCall;
  evaluation: Exclude<Evaluation, 'once'>;
}

/**
 * The candidate calls PostgreSQL evaluates more than once per query. Calls inside another
 * candidate call are left to it.
 */
function repeatedCalls(ast: Node | undefined): RepeatedCall[] {
  // Derived from the calls expressionFacts collects (memoized by tree); most calls are no candidate.
  let calls: RepeatedCall[] | undefined;
  for (const { call, evaluation } of candidateCalls(ast)) if (evaluation !== 'once') (calls ??= []).push({ call, evaluation });
  return calls ?? NO_CALLS;
}

const NO_CALLS: RepeatedCall[] = [];

/** Every call of a candidate function, in the order of the tree walk, with how often it runs. */
function candidateCalls(ast: Node | undefined): { call: FuncCall; evaluation: Evaluation }[] {
  const candidates: { call: FuncCall; evaluation: Evaluation }[] = [];
  for (const site of expressionFacts(ast).calls) {
    if (!isPerRowCandidate(site.call)) continue;
    candidates.push({ call: site.call, evaluation: site.enclosingCalls.some(isPerRowCandidate) ? 'once' : evaluationOf(site) });
  }
  return candidates;
}

function evaluationOf(site: CallSite): Evaluation {
  const select = site.enclosingSelect;
  if (!select) return 'row';
  if (!select.fromClause?.length) return 'once';
  return isFunctionInFromArgument(select, site.call) ? 'subSelectRun' : 'subSelectRow';
}

/** True when the call sits in the arguments of a function the select reads from (not in a join's ON). */
function isFunctionInFromArgument(select: SelectStmt, call: FuncCall): boolean {
  let inFunction = false;
  walkNodes(select.fromClause, (node, parents) => {
    if (node.fields === (call as unknown)) inFunction = parents.some((parent) => parent.type === 'RangeFunction');
    return !inFunction;
  });
  return inFunction;
}

/** `auth.uid() for every row`, `auth.jwt() inside a sub-select, where it runs once per row the sub-select reads`, ... */
function describeCalls(calls: RepeatedCall[]): string {
  const parts: string[] = [];
  for (const evaluation of ['row', 'subSelectRow', 'subSelectRun'] as const) {
    const names = [...new Set(calls.filter((call) => call.evaluation === evaluation).map(({ call }) => `${functionCallName(call)}()`))];
    if (names.length > 0) parts.push(`${names.join(', ')} ${EVALUATION_TEXT[evaluation]}`);
  }
  return parts.join(', and ');
}

const EVALUATION_TEXT: Record<Exclude<Evaluation, 'once'>, string> = {
  row: 'for every row',
  subSelectRow: 'inside a sub-select, where it runs once per row the sub-select reads',
  subSelectRun: 'in the FROM of a sub-select, where it runs each time the sub-select runs',
};

function isPerRowCandidate(call: FuncCall): boolean {
  const name = functionCallName(call);
  return isAuthFunctionCall(call) || name === 'current_setting' || name === 'pg_catalog.current_setting';
}

/**
 * `alter policy ... using (...) with check (...)` with every repeated call wrapped, for a new
 * migration; and, when every wrapped call sits in one statement, the same wrapping as an edit of
 * that statement in place.
 */
function wrapCallsFix(policy: Policy, quotedTable: string, sources: ClauseWithSource[]): Fix {
  const clauses: string[] = [];
  for (const { clause, ast, source } of sources) {
    const wrapped = wrapCalls(source, source.start, source.end, callRanges(source, ast) ?? []);
    clauses.push(`${clause === 'using' ? 'using' : 'with check'} (${wrapped})`);
  }
  const sql = `alter policy ${quoteIdent(policy.name)} on ${quotedTable}\n  ${clauses.join('\n  ')};\n`;
  return { title: `Wrap the auth calls of policy "${policy.name}" in (select ...)`, sql, edit: inPlaceEdit(sources) };
}

function inPlaceEdit(sources: ClauseWithSource[]): TextEdit | undefined {
  const statement = sources[0].source;
  if (sources.some(({ source }) => source.span.start !== statement.span.start || source.span.file !== statement.span.file)) return undefined;
  const ranges = sources.flatMap(({ source, ast }) => callRanges(source, ast) ?? []);
  const start = Math.min(...ranges.map((range) => range.start));
  const end = Math.max(...ranges.map((range) => range.end));
  return { file: statement.span.file, start: statement.span.start + start, end: statement.span.start + end, text: wrapCalls(statement, start, end, ranges) };
}

/** The statement text between two UTF-16 offsets, with every repeated call in it written as `(select call)`. */
function wrapCalls(source: PolicyClauseSource, from: number, to: number, ranges: { start: number; end: number }[]): string {
  let text = '';
  let at = from;
  for (const range of ranges.filter((candidate) => candidate.start >= from && candidate.end <= to).sort((a, b) => a.start - b.start)) {
    text += `${source.statementText.slice(at, range.start)}(select ${source.statementText.slice(range.start, range.end)})`;
    at = range.end;
  }
  return text + source.statementText.slice(at, to);
}

/**
 * UTF-16 ranges of the repeated calls in the statement text, or undefined when the text and the
 * tree disagree. The tree gives no end positions (and its locations are relative to the chunk the
 * replay parsed), so calls are matched by order instead: the n-th call of a candidate function in
 * the tree is the n-th `name(` in the clause's tokens, where strings and comments are already
 * single tokens or gone. Each call ends at the parenthesis that closes its arguments.
 */
function callRanges(source: PolicyClauseSource, ast: Node | undefined): { start: number; end: number }[] | undefined {
  const candidates = candidateCalls(ast).sort((a, b) => (a.call.location ?? 0) - (b.call.location ?? 0));
  const names = new Set(candidates.map((candidate) => functionCallName(candidate.call)));
  const written: { start: number; end: number }[] = [];
  const { tokens } = source;
  for (let i = source.firstToken; i <= source.lastToken; i++) {
    const parts = callNameAt(tokens, i);
    if (!parts || !names.has(parts.name)) continue;
    const close = matchingParenthesis(tokens, parts.open);
    if (close < 0 || close > source.lastToken) return undefined;
    written.push({ start: tokens[i].start, end: tokens[close].end });
    i = parts.open;
  }
  if (written.length !== candidates.length) return undefined;
  return written.filter((_, index) => candidates[index].evaluation !== 'once');
}

/** The dotted function name that starts at token `first` and is followed by `(`, if any. */
function callNameAt(tokens: SqlToken[], first: number): { name: string; open: number } | undefined {
  if (tokens[first - 1]?.text === '.') return undefined;
  const parts: string[] = [];
  let i = first;
  for (;;) {
    const part = identifierName(tokens[i]);
    if (part === undefined) return undefined;
    parts.push(part);
    if (tokens[i + 1]?.text !== '.') break;
    i += 2;
  }
  return tokens[i + 1]?.text === '(' ? { name: parts.join('.'), open: i + 1 } : undefined;
}

/** An identifier as the parser folds it: unquoted words in lower case, quoted ones as written. */
function identifierName(token: SqlToken | undefined): string | undefined {
  if (!token) return undefined;
  if (token.keyword !== undefined) return token.keyword;
  if (token.text.length > 1 && token.text.startsWith('"') && token.text.endsWith('"')) return token.text.slice(1, -1).replace(/""/g, '"');
  return undefined;
}
