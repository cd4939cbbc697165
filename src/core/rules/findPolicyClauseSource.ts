import type { Node } from '@pgsql/types';
import type { Policy } from '../catalog/model';
import type { ParsedStatement } from '../sql/parseSqlFile';
import { getParser } from '../sql/parser';
import { LineIndex, type SourceSpan } from '../sql/span';
import { StatementTokens } from '../sql/statementTokens';
import type { RuleContext } from './ruleContext';

/** A policy clause as written in a migration, for rules that place findings on it or rewrite it. */
export interface PolicyClauseSource {
  /** The CREATE POLICY or ALTER POLICY statement that wrote the clause. */
  span: SourceSpan;
  /** The whole statement text. */
  statementText: string;
  /** Offsets in the statement text: UTF-8 bytes to UTF-16 and back. */
  lines: LineIndex;
  /** The statement's scanner tokens; their offsets are UTF-8 bytes into the statement text. */
  tokens: StatementTokens;
  /** The clause re-parsed from the statement text: node locations are UTF-8 byte offsets into it. */
  ast: Node;
  /** The clause inside its parentheses, exactly as written. */
  text: string;
  /** UTF-16 offsets of `text` in the statement text. */
  start: number;
  end: number;
}

/**
 * Finds the statement that last wrote a policy's USING or WITH CHECK clause: the ALTER POLICY
 * that changed it if there is one, else the CREATE POLICY. The statement is re-parsed on its own so
 * that node locations are relative to its text. Undefined when the policy did not come from
 * migration files or the statement cannot be read back.
 */
export function findPolicyClauseSource(policy: Policy, clause: 'using' | 'withCheck', context: RuleContext): PolicyClauseSource | undefined {
  for (const span of [policy.origin.changedAt, policy.origin.definedAt]) {
    if (!span) continue;
    const source = readPolicyStatement(policy, span, context)?.[clause];
    if (source) return source;
  }
  return undefined;
}

/**
 * Where a finding about a policy clause belongs: the statement that wrote the clause. Most policies
 * are never altered, and then that is the CREATE POLICY, found without re-parsing anything.
 */
export function policyClauseSpan(policy: Policy, clause: 'using' | 'withCheck', context: RuleContext): SourceSpan | undefined {
  if (!policy.origin.changedAt) return policy.origin.definedAt;
  return findPolicyClauseSource(policy, clause, context)?.span ?? policy.origin.definedAt;
}

type PolicyStatementClauses = Partial<Record<'using' | 'withCheck', PolicyClauseSource>>;

/**
 * Parsing and scanning a statement again is the expensive part, and several rules ask about the
 * same policy, so each statement is read once per policy object. The catalog, and with it the
 * cache entry, is rebuilt on every analysis.
 */
const statementsByPolicy = new WeakMap<Policy, Map<string, PolicyStatementClauses | undefined>>();

function readPolicyStatement(policy: Policy, span: SourceSpan, context: RuleContext): PolicyStatementClauses | undefined {
  let statements = statementsByPolicy.get(policy);
  if (!statements) statementsByPolicy.set(policy, (statements = new Map()));
  const key = `${span.file}:${span.start}`;
  if (statements.has(key)) return statements.get(key);
  const clauses = parsePolicyStatement(span, context);
  statements.set(key, clauses);
  return clauses;
}

function parsePolicyStatement(span: SourceSpan, context: RuleContext): PolicyStatementClauses | undefined {
  const statementText = context.sourceText?.(span);
  if (!statementText) return undefined;
  const node = parseStatement(statementText);
  const policyStatement = node && ('CreatePolicyStmt' in node ? node.CreatePolicyStmt : 'AlterPolicyStmt' in node ? node.AlterPolicyStmt : undefined);
  if (!node || !policyStatement || (!policyStatement.qual && !policyStatement.with_check)) return undefined;
  const lines = new LineIndex(span.file, statementText);
  const statement: ParsedStatement = { node, kind: '', span: lines.span(0, statementText.length), text: statementText, byteBase: 0, index: 0 };
  const tokens = new StatementTokens(statement, lines);
  const clauses: PolicyStatementClauses = {};
  for (const [clause, ast, words] of [['using', policyStatement.qual, ['using']], ['withCheck', policyStatement.with_check, ['with', 'check']]] as const) {
    if (!ast) continue;
    const open = tokens.findKeywords(0, [...words]) + words.length;
    const close = tokens.matchingParenthesis(open);
    if (tokens.tokens[open]?.text !== '(' || close < open + 2) continue;
    const start = lines.charOffset(tokens.tokens[open + 1].start);
    const end = lines.charOffset(tokens.tokens[close - 1].end);
    clauses[clause] = { span, statementText, lines, tokens, ast, text: statementText.slice(start, end), start, end };
  }
  return clauses;
}

function parseStatement(statementText: string): Node | undefined {
  try {
    return getParser().parseSync(statementText).stmts?.[0]?.stmt as Node | undefined;
  } catch {
    // The statement parsed during the analysis; if it no longer does, the text moved under us and
    // there is nothing reliable to point at.
    return undefined;
  }
}
