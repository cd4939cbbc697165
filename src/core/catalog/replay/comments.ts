/** COMMENT ON TABLE / VIEW / COLUMN / FUNCTION / SCHEMA / POLICY (others are accepted and ignored). */
import type { CommentStmt, Node } from '@pgsql/types';
import { findFunction, resolveRelationName, stringList } from './names';
import { reportMissing } from './references';
import { markChanged } from './relations';
import type { ReplayState } from './replayState';

/** COMMENT ON ... IS 'text' | NULL. */
export function commentOn(state: ReplayState, stmt: CommentStmt): void {
  const comment = stmt.comment ?? undefined;
  const catalog = state.catalog;
  switch (stmt.objtype) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE': {
      const qualified = relationName(state, namesOf(stmt.object));
      const target = catalog.tables.get(qualified) ?? catalog.views.get(qualified);
      if (!target) return reportMissing(state, 'table', qualified);
      target.comment = comment;
      return markChanged(state, target);
    }
    case 'OBJECT_COLUMN': {
      const names = namesOf(stmt.object);
      const column = names.pop() ?? '';
      const qualified = relationName(state, names);
      const table = catalog.tables.get(qualified);
      if (!table) {
        if (!catalog.views.has(qualified)) reportMissing(state, 'table', qualified);
        return;
      }
      const found = table.columns.get(column);
      if (!found) return table.platform ? undefined : reportMissing(state, 'column', `${qualified}.${column}`);
      found.comment = comment;
      return markChanged(state, found);
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE': {
      const { key, func } = findFunction(state, stmt.object && 'ObjectWithArgs' in stmt.object ? stmt.object.ObjectWithArgs : undefined);
      if (!func) return reportMissing(state, 'function', key);
      func.comment = comment;
      return markChanged(state, func);
    }
    case 'OBJECT_SCHEMA': {
      const schema = catalog.schemas.get(stmt.object && 'String' in stmt.object ? stmt.object.String.sval ?? '' : '');
      if (!schema) return;
      schema.comment = comment;
      return markChanged(state, schema);
    }
    case 'OBJECT_POLICY': {
      const names = namesOf(stmt.object);
      const policyName = names.pop() ?? '';
      const qualified = relationName(state, names);
      const table = catalog.tables.get(qualified);
      if (!table) return reportMissing(state, 'table', qualified);
      const policy = table.policies.get(policyName);
      if (policy) markChanged(state, policy);
      return;
    }
    default:
      return;
  }
}

function namesOf(object: Node | undefined): string[] {
  return object && 'List' in object ? stringList(object.List.items) : [];
}

function relationName(state: ReplayState, names: string[]): string {
  const name = names.pop() ?? '';
  return resolveRelationName(state, names.pop(), name);
}
