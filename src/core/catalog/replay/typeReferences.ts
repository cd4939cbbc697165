/**
 * What names a type: table columns, composite attributes, domain base types, and function
 * arguments and results (so function keys too). PostgreSQL refers to a type by OID, so when the
 * type is renamed or moved to another schema (ALTER TYPE / DOMAIN ... RENAME TO or SET SCHEMA,
 * ALTER SCHEMA ... RENAME TO) all of them print its new name; catalog/dependents.ts finds them for
 * DROP TYPE. Expressions (a default's `'pending'::booking_status`) keep their text as written.
 */
import type { TypeName } from '@pgsql/types';
import { formatTypeName } from '../../sql/formatTypeName';
import { tablesToChange } from '../cloneCatalog';
import type { Func, Table } from '../model';
import { functionKey, rekeyFunction, tableResultText } from './functions';
import type { ReplayState } from './replayState';

/** Makes every place that names the type `from` (`schema.name`) name `to` instead, as `format_type` prints it. */
export function renameTypeReferences(state: ReplayState, from: string, to: string): void {
  const oldText = typeNameText(from);
  const newText = typeNameText(to);
  if (oldText === newText) return;
  const rename = (text: string): string => (text === oldText ? newText : text === `${oldText}[]` ? `${newText}[]` : text);
  const catalog = state.catalog;
  const usesType = (table: Table) => [...table.columns.values()].some((column) => isTypeOrArrayOf(column.type, oldText));
  for (const table of tablesToChange(catalog, usesType)) {
    for (const column of table.columns.values()) column.type = rename(column.type);
  }
  for (const type of catalog.types.values()) {
    if (type.baseType !== undefined) type.baseType = rename(type.baseType);
    for (const attribute of type.attributes ?? []) attribute.type = rename(attribute.type);
  }
  for (const [key, func] of [...catalog.functions]) {
    if (!namesType(func, oldText)) continue;
    for (const argument of func.arguments) argument.type = rename(argument.type);
    if (func.returns !== undefined) func.returns = tableResultText(func.arguments) ?? (func.returns.startsWith('SETOF ') ? `SETOF ${rename(func.returns.slice(6))}` : rename(func.returns));
    rekeyFunction(state, func, key, functionKey(func.schema, func.name, func.arguments));
  }
}

/** True when an argument or the result of the function is the type printed `text`, or an array of it. */
export function namesType(func: Func, text: string): boolean {
  const isIt = (candidate: string) => isTypeOrArrayOf(candidate, text);
  if (func.arguments.some((argument) => isIt(argument.type))) return true;
  return func.returns !== undefined && (isIt(func.returns) || (func.returns.startsWith('SETOF ') && isIt(func.returns.slice(6))));
}

/** True when a printed type is the type printed `text`, or an array of it. */
export function isTypeOrArrayOf(candidate: string | undefined, text: string): boolean {
  return candidate === text || candidate === `${text}[]`;
}

/** The type `schema.name` as `format_type` prints it: unqualified in public, quoted where needed. */
export function typeNameText(qualified: string): string {
  const dot = qualified.indexOf('.');
  const typeName: TypeName = { names: [{ String: { sval: qualified.slice(0, dot) } }, { String: { sval: qualified.slice(dot + 1) } }] };
  return formatTypeName(typeName);
}
