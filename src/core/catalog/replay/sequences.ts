/** CREATE SEQUENCE and ALTER SEQUENCE ... OWNED BY. */
import type { AlterSeqStmt, CreateSeqStmt, Node } from '@pgsql/types';
import { initialGrants } from '../privileges';
import { qualifyForCreate, resolveRelation, splitQualified, stringList } from './names';
import { reportAlreadyExists } from './references';
import { markChanged, originHere, relationHoldingName } from './relations';
import type { ReplayState } from './replayState';

/** CREATE SEQUENCE [IF NOT EXISTS] name [OWNED BY table.column]. */
export function createSequence(state: ReplayState, stmt: CreateSeqStmt): void {
  if (!stmt.sequence) return;
  const qualified = qualifyForCreate(state, stmt.sequence);
  const [schema, name] = splitQualified(qualified);
  const holder = relationHoldingName(state, schema, name);
  if (holder) {
    if (!stmt.if_not_exists) reportAlreadyExists(state, 'sequence', qualified, qualified, holder);
    return;
  }
  state.catalog.sequences.set(qualified, {
    schema,
    name,
    ownedBy: ownedBy(state, stmt.options),
    grants: initialGrants(state.catalog, 'sequences', schema, state.currentRole),
    platform: false,
    origin: originHere(state),
  });
}

/** ALTER SEQUENCE ... OWNED BY table.column | NONE. */
export function alterSequence(state: ReplayState, stmt: AlterSeqStmt): void {
  if (!stmt.sequence) return;
  const sequence = state.catalog.sequences.get(resolveRelation(state, stmt.sequence));
  if (!sequence) return;
  const owner = ownedBy(state, stmt.options);
  if (owner !== undefined || hasOwnedBy(stmt.options)) sequence.ownedBy = owner;
  markChanged(state, sequence);
}

function ownedBy(state: ReplayState, options: Node[] | undefined): string | undefined {
  for (const node of options ?? []) {
    if (!('DefElem' in node) || node.DefElem.defname !== 'owned_by') continue;
    const parts = node.DefElem.arg && 'List' in node.DefElem.arg ? stringList(node.DefElem.arg.List.items) : [];
    if (parts.length === 1 && parts[0].toLowerCase() === 'none') return undefined;
    const column = parts.pop() ?? '';
    const table = resolveRelation(state, { relname: parts.pop(), schemaname: parts.pop() });
    return `${table}.${column}`;
  }
  return undefined;
}

function hasOwnedBy(options: Node[] | undefined): boolean {
  return (options ?? []).some((node) => 'DefElem' in node && node.DefElem.defname === 'owned_by');
}
