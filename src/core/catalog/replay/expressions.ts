import type { Node } from '@pgsql/types';
import type { Expression } from '../model';
import type { ReplayState } from './replayState';

/**
 * An Expression from a parse-tree node. The text is best-effort (rules judge the tree): for now
 * the statement text; a precise slice comes from the scanner's tokens.
 */
export function expressionOf(state: ReplayState, node: Node | undefined): Expression | undefined {
  if (!node) return undefined;
  return { text: state.statement.text, ast: node };
}
