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
    const statementText = context.sourceText?.(span);
    if (!statementText) continue;
    const ast = parsedClause(statementText, clause);
    if (!ast) continue;
    const lines = new LineIndex(span.file, statementText);
    const statement: ParsedStatement = { node: ast, kind: '', span: lines.span(0, statementText.length), text: statementText, byteBase: 0, index: 0 };
    const tokens = new StatementTokens(statement, lines);
    const open = tokens.findKeywords(0, clause === 'using' ? ['using'] : ['with', 'check']) + (clause === 'using' ? 1 : 2);
    const close = tokens.matchingParenthesis(open);
    if (tokens.tokens[open]?.text !== '(' || close < open + 2) continue;
    const start = lines.charOffset(tokens.tokens[open + 1].start);
    const end = lines.charOffset(tokens.tokens[close - 1].end);
    return { span, statementText, lines, tokens, ast, text: statementText.slice(start, end), start, end };
  }
  return undefined;
}

/** The USING or WITH CHECK tree of a CREATE POLICY / ALTER POLICY statement, if it sets one. */
function parsedClause(statementText: string, clause: 'using' | 'withCheck'): Node | undefined {
  let node: Node | undefined;
  try {
    node = getParser().parseSync(statementText).stmts?.[0]?.stmt as Node | undefined;
  } catch {
    // The statement parsed during the analysis; if it no longer does, the text moved under us and
    // there is nothing reliable to point at.
    return undefined;
  }
  if (!node) return undefined;
  const policy = 'CreatePolicyStmt' in node ? node.CreatePolicyStmt : 'AlterPolicyStmt' in node ? node.AlterPolicyStmt : undefined;
  return clause === 'using' ? policy?.qual : policy?.with_check;
}
