/** ALTER ... OWNER TO for objects other than relations (those go through ALTER TABLE). */
import type { AlterOwnerStmt } from '@pgsql/types';
import { setFunctionOwner } from './functions';
import { resolveTypeName, roleSpecName, stringList } from './names';
import { markChanged } from './relations';
import type { ReplayState } from './replayState';

/** ALTER FUNCTION / PROCEDURE / SCHEMA / TYPE ... OWNER TO role. */
export function alterOwner(state: ReplayState, stmt: AlterOwnerStmt): void {
  const owner = roleSpecName(state, stmt.newowner);
  switch (stmt.objectType) {
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE':
      return setFunctionOwner(state, stmt.object, stmt.newowner);
    case 'OBJECT_SCHEMA': {
      const schema = state.catalog.schemas.get(stmt.object && 'String' in stmt.object ? stmt.object.String.sval ?? '' : '');
      if (!schema) return;
      schema.owner = owner;
      return markChanged(state, schema);
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const names = stmt.object && 'List' in stmt.object ? stringList(stmt.object.List.items) : [];
      const type = state.catalog.types.get(resolveTypeName(state, names));
      if (!type) return;
      type.owner = owner;
      return markChanged(state, type);
    }
    default:
      return;
  }
}
