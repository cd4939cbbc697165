import type { Node, ObjectWithArgs, RangeVar, RoleSpec, TypeName } from '@pgsql/types';
import type { Func } from '../model';
import { formatTypeName } from '../../sql/formatTypeName';
import type { NameScope, ReplayState } from './replayState';

/** The schema an unqualified name is created in: the first schema of the search path. */
export function creationSchema(state: NameScope): string {
  return state.searchPath[0] ?? 'public';
}

/** `schema.name` of a RangeVar being created. */
export function qualifyForCreate(state: ReplayState, relation: RangeVar): string {
  return `${relation.schemaname ?? creationSchema(state)}.${relation.relname}`;
}

/**
 * `schema.name` of an existing relation: an unqualified name resolves along the search path to
 * the first schema that has it, as PostgreSQL does; if none has it, the creation schema.
 */
export function resolveRelation(state: ReplayState, relation: RangeVar): string {
  return resolveRelationName(state, relation.schemaname, relation.relname ?? '');
}

/** Like `resolveRelation`, from a schema (or none) and a name. */
export function resolveRelationName(state: NameScope, schema: string | undefined, name: string): string {
  if (schema) return `${schema}.${name}`;
  const catalog = state.catalog;
  for (const candidate of state.searchPath) {
    const qualified = `${candidate}.${name}`;
    if (catalog.tables.has(qualified) || catalog.views.has(qualified) || catalog.sequences.has(qualified)) return qualified;
  }
  return `${creationSchema(state)}.${name}`;
}

/** `schema.name` of an index, which lives in its table's schema and resolves along the search path. */
export function resolveIndexName(state: ReplayState, schema: string | undefined, name: string, owners: Map<string, string>): string {
  if (schema) return `${schema}.${name}`;
  for (const candidate of state.searchPath) {
    if (owners.has(`${candidate}.${name}`)) return `${candidate}.${name}`;
  }
  return `${creationSchema(state)}.${name}`;
}

/** The string values of a list of `String` nodes, such as a qualified function or type name. */
export function stringList(nodes: Node[] | undefined): string[] {
  if (!nodes) return [];
  // A plain loop: this runs for every name in every statement, and a cold replay is interpreted.
  const strings: string[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    strings.push('String' in node ? node.String.sval ?? '' : '');
  }
  return strings;
}

/** `[schema, name]` of a qualified name. */
export function splitQualified(qualified: string): [string, string] {
  const dot = qualified.indexOf('.');
  return [qualified.slice(0, dot), qualified.slice(dot + 1)];
}

/** The schema holding a user type of that name along the search path, if the catalog has one. */
function typeSchemaOf(state: ReplayState, name: string): string | undefined {
  // Most projects define no types, and every uuid or text column asks.
  if (state.catalog.types.size === 0) return undefined;
  for (const schema of state.searchPath) {
    if (state.catalog.types.has(`${schema}.${name}`)) return schema;
  }
  return undefined;
}

/** `format_type` text of a type name, resolving unqualified user types along the search path. */
export function typeText(state: ReplayState, typeName: TypeName | undefined): string {
  return formatTypeName(typeName, (name) => typeSchemaOf(state, name));
}

/** `schema.name` of a type, domain or enum named by a list of strings. */
export function resolveTypeName(state: ReplayState, names: string[]): string {
  if (names.length > 1) return `${names[names.length - 2]}.${names[names.length - 1]}`;
  const name = names[0] ?? '';
  return `${typeSchemaOf(state, name) ?? creationSchema(state)}.${name}`;
}

/** A role name as the catalog stores it: `PUBLIC` for PUBLIC, the current role for CURRENT_USER. */
export function roleSpecName(state: ReplayState, node: Node | RoleSpec | undefined): string {
  const spec = node && 'RoleSpec' in node ? node.RoleSpec : (node as RoleSpec | undefined);
  if (!spec) return '';
  switch (spec.roletype) {
    case 'ROLESPEC_PUBLIC':
      return 'PUBLIC';
    case 'ROLESPEC_CURRENT_USER':
    case 'ROLESPEC_CURRENT_ROLE':
    case 'ROLESPEC_SESSION_USER':
      return state.currentRole;
    default:
      return spec.rolename ?? '';
  }
}

/**
 * The function an `ObjectWithArgs` names (DROP/ALTER/COMMENT/GRANT ON FUNCTION): by key when the
 * argument types are given, by name when they are omitted and the name is unique.
 */
export function findFunction(state: ReplayState, object: ObjectWithArgs | undefined): { key: string; func?: Func } {
  const names = stringList(object?.objname);
  const name = names[names.length - 1] ?? '';
  const explicitSchema = names.length > 1 ? names[names.length - 2] : undefined;
  const schemas = explicitSchema ? [explicitSchema] : state.searchPath;
  if (object?.args_unspecified) {
    for (const schema of schemas) {
      const prefix = `${schema}.${name}(`;
      for (const [key, func] of state.catalog.functions) if (key.startsWith(prefix)) return { key, func };
    }
    return { key: `${explicitSchema ?? creationSchema(state)}.${name}()` };
  }
  const argumentTypes = functionArgumentTypes(state, object);
  for (const schema of schemas) {
    const key = `${schema}.${name}(${argumentTypes})`;
    const func = state.catalog.functions.get(key);
    if (func) return { key, func };
  }
  return { key: `${explicitSchema ?? creationSchema(state)}.${name}(${argumentTypes})` };
}

/** The input argument types of an `ObjectWithArgs`, formatted and comma-separated as in `Func.key`. */
function functionArgumentTypes(state: ReplayState, object: ObjectWithArgs | undefined): string {
  if (object?.objfuncargs && object.objfuncargs.length > 0) {
    return object.objfuncargs
      .map((node) => ('FunctionParameter' in node ? node.FunctionParameter : undefined))
      .filter((parameter) => parameter && parameter.mode !== 'FUNC_PARAM_OUT' && parameter.mode !== 'FUNC_PARAM_TABLE')
      .map((parameter) => typeText(state, parameter!.argType))
      .join(', ');
  }
  return (object?.objargs ?? []).map((node) => ('TypeName' in node ? typeText(state, node.TypeName) : '')).join(', ');
}
