import type { Policy } from '../catalog/model';
import type { SourceSpan } from '../sql/span';
import { tokenize, type SqlToken } from '../sql/statementTokens';
import type { RuleContext } from './ruleContext';

/** A policy clause as written in a migration, for rules that place findings on it or rewrite it. */
export interface PolicyClauseSource {
  /** The CREATE POLICY or ALTER POLICY statement that wrote the clause. */
  span: SourceSpan;
  /** The whole statement text. */
  statementText: string;
  /** The statement's tokens; offsets are UTF-16 code units into the statement text. */
  tokens: SqlToken[];
  /** Indexes of the clause's first and last token, inside its parentheses. */
  firstToken: number;
  lastToken: number;
  /** The clause inside its parentheses, exactly as written. */
  text: string;
  /** UTF-16 offsets of `text` in the statement text. */
  start: number;
  end: number;
}

/**
 * Finds the statement that last wrote a policy's USING or WITH CHECK clause: the one the
 * expression records, else the last ALTER POLICY if it has that clause, else the CREATE POLICY. The statement is only tokenized,
 * not parsed again: the clause's tree is the policy's own (`policy.using.ast`). Undefined when the
 * policy did not come from migration files or the statement cannot be read back.
 */
export function findPolicyClauseSource(policy: Policy, clause: 'using' | 'withCheck', context: RuleContext): PolicyClauseSource | undefined {
  for (const span of [policy[clause]?.writtenAt, policy.origin.changedAt, policy.origin.definedAt]) {
    if (!span) continue;
    const statementText = context.sourceText?.(span);
    if (!statementText) continue;
    const tokens = tokenize(statementText);
    if (tokens[1]?.keyword !== 'policy' || (tokens[0]?.keyword !== 'create' && tokens[0]?.keyword !== 'alter')) continue;
    const words = clause === 'using' ? ['using'] : ['with', 'check'];
    const at = findKeywordsAtTopLevel(tokens, words);
    if (at < 0) continue;
    const open = at + words.length;
    const close = matchingParenthesis(tokens, open);
    if (tokens[open]?.text !== '(' || close < open + 2) continue;
    const start = tokens[open + 1].start;
    const end = tokens[close - 1].end;
    return { span, statementText, tokens, firstToken: open + 1, lastToken: close - 1, text: statementText.slice(start, end), start, end };
  }
  return undefined;
}

/**
 * Where a finding about a policy clause belongs: the statement that wrote the clause. Most policies
 * are never altered, and then that is the CREATE POLICY, found without reading any text.
 */
export function policyClauseSpan(policy: Policy, clause: 'using' | 'withCheck', context: RuleContext): SourceSpan | undefined {
  const writtenAt = policy[clause]?.writtenAt;
  if (writtenAt) return writtenAt;
  if (!policy.origin.changedAt) return policy.origin.definedAt;
  return findPolicyClauseSource(policy, clause, context)?.span ?? policy.origin.definedAt;
}

/** Index of the parenthesis that closes the one at `open`, or -1. */
export function matchingParenthesis(tokens: SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].text === '(') depth++;
    else if (tokens[i].text === ')' && --depth === 0) return i;
  }
  return -1;
}

function findKeywordsAtTopLevel(tokens: SqlToken[], words: string[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const text = tokens[i].text;
    if (text === '(') depth++;
    else if (text === ')') depth--;
    if (depth === 0 && words.every((word, offset) => tokens[i + offset]?.keyword === word)) return i;
  }
  return -1;
}
