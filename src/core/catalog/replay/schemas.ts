/** CREATE SCHEMA [IF NOT EXISTS] [AUTHORIZATION role]. */
import type { CreateSchemaStmt } from '@pgsql/types';
import { initialGrants } from '../privileges';
import { roleSpecName } from './names';
import { reportAlreadyExists } from './references';
import { originHere } from './relations';
import type { ReplayState } from './replayState';

/** CREATE SCHEMA; `CREATE SCHEMA AUTHORIZATION role` names the schema after the role. */
export function createSchema(state: ReplayState, stmt: CreateSchemaStmt): void {
  const owner = stmt.authrole ? roleSpecName(state, stmt.authrole) : state.currentRole;
  const name = stmt.schemaname ?? owner;
  const existing = state.catalog.schemas.get(name);
  if (existing) {
    if (!stmt.if_not_exists) reportAlreadyExists(state, 'schema', name, `${name}.`, existing);
    return;
  }
  state.catalog.schemas.set(name, { name, owner, grants: initialGrants(state.catalog, 'schemas', name, owner), platform: false, origin: originHere(state) });
}
