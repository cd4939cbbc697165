/** CREATE EXTENSION and ALTER EXTENSION ... SET SCHEMA / UPDATE. */
import type { AlterExtensionStmt, CreateExtensionStmt } from '@pgsql/types';
import { extensionFixedSchema } from '../extensionFixedSchema';
import { creationSchema } from './names';
import { markChanged, originHere } from './relations';
import type { ReplayState } from './replayState';

/**
 * CREATE EXTENSION [IF NOT EXISTS] name [WITH SCHEMA s] [VERSION v]. Without WITH SCHEMA the
 * extension lands in the creation schema, usually public: exactly what extension_in_public flags.
 * An extension whose control file names its schema (pg_cron: pg_catalog) lands there; PostgreSQL
 * refuses another WITH SCHEMA, and Supabase overrides it for pg_cron, so the named one stands.
 */
export function createExtension(state: ReplayState, stmt: CreateExtensionStmt): void {
  const name = stmt.extname;
  if (!name || state.catalog.extensions.has(name)) return;
  const fixedSchema = extensionFixedSchema(name);
  let schema = fixedSchema ?? creationSchema(state);
  let version: string | undefined;
  for (const node of stmt.options ?? []) {
    if (!('DefElem' in node)) continue;
    const value = node.DefElem.arg && 'String' in node.DefElem.arg ? node.DefElem.arg.String.sval : undefined;
    if (node.DefElem.defname === 'schema' && value && !fixedSchema) schema = value;
    else if (node.DefElem.defname === 'new_version' && value) version = value;
  }
  state.catalog.extensions.set(name, { name, schema, version, platform: false, origin: originHere(state) });
}

/** ALTER EXTENSION name UPDATE [TO version]. */
export function alterExtension(state: ReplayState, stmt: AlterExtensionStmt): void {
  const extension = state.catalog.extensions.get(stmt.extname ?? '');
  if (!extension) return;
  for (const node of stmt.options ?? []) {
    if ('DefElem' in node && node.DefElem.defname === 'new_version' && node.DefElem.arg && 'String' in node.DefElem.arg) {
      extension.version = node.DefElem.arg.String.sval;
    }
  }
  markChanged(state, extension);
}
