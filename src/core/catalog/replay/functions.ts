/** CREATE [OR REPLACE] FUNCTION / PROCEDURE and ALTER FUNCTION. */
import type { AlterFunctionStmt, CreateFunctionStmt, DefElem, FunctionParameter, Node, RoleSpec, VariableSetStmt } from '@pgsql/types';
import { tablesToChange } from '../cloneCatalog';
import { objectKey, type Func, type FunctionArgument, type Table } from '../model';
import { initialGrants } from '../privileges';
import { settingValueText } from '../../sql/settingValueText';
import { tokensOf } from './expressions';
import { creationSchema, findFunction, roleSpecName, stringList, typeText } from './names';
import { recordCreated, recordDropped, reportAlreadyExists, reportMissing } from './references';
import { markChanged, originHere } from './relations';
import type { ReplayState } from './replayState';

/**
 * CREATE [OR REPLACE] FUNCTION. The key is `schema.name(input types)`, so overloads are separate
 * functions. OR REPLACE keeps the grants, owner and comment of the function it replaces, as
 * PostgreSQL does; attributes the new statement omits return to their defaults.
 */
export function createFunction(state: ReplayState, stmt: CreateFunctionStmt): void {
  const names = stringList(stmt.funcname);
  const name = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? names[names.length - 2] : creationSchema(state);
  const argumentList: FunctionArgument[] = [];
  for (const node of stmt.parameters ?? []) {
    if ('FunctionParameter' in node) argumentList.push(functionArgument(state, node.FunctionParameter));
  }
  const key = functionKey(schema, name, argumentList);
  const existing = state.catalog.functions.get(key);
  if (existing && !stmt.replace) return reportAlreadyExists(state, existing.kind, key, key, existing);
  const owner = existing?.owner ?? state.currentRole;
  const func: Func = {
    schema,
    name,
    key,
    kind: stmt.is_procedure ? 'procedure' : 'function',
    arguments: argumentList,
    returns: returnsText(state, stmt, argumentList),
    language: 'sql',
    volatility: 'volatile',
    securityDefiner: false,
    config: new Map(),
    owner,
    grants: existing?.grants ?? initialGrants(state.catalog, 'functions', schema, owner),
    comment: existing?.comment,
    platform: false,
    origin: existing ? { definedAt: existing.origin.definedAt, changedAt: state.statement.span } : originHere(state),
  };
  for (const node of stmt.options ?? []) {
    if ('DefElem' in node) applyFunctionOption(func, node.DefElem);
  }
  if (!func.body && stmt.sql_body) func.body = state.statement.text.slice(state.statement.text.search(/\bbegin\s+atomic\b|\breturn\b/i));
  state.catalog.functions.set(key, func);
  recordCreated(state, objectKey.function(key));
}

/** `Func.key`: `schema.name(input types)`, the types of the arguments that are not OUT or TABLE columns. */
export function functionKey(schema: string, name: string, argumentList: FunctionArgument[]): string {
  const inputTypes = argumentList.filter((argument) => argument.mode !== 'out' && argument.mode !== 'table').map((argument) => argument.type);
  return `${schema}.${name}(${inputTypes.join(', ')})`;
}

/**
 * Files a function under a new key (a rename, a move, a renamed argument type) and updates the
 * triggers that call it. The old key is remembered as renamed, for object_dropped_but_referenced.
 */
export function rekeyFunction(state: ReplayState, func: Func, oldKey: string, newKey: string): void {
  func.key = newKey;
  if (newKey === oldKey) return;
  state.catalog.functions.delete(oldKey);
  recordDropped(state, objectKey.function(oldKey), newKey);
  state.catalog.functions.set(newKey, func);
  recordCreated(state, objectKey.function(newKey));
  const callsIt = (table: Table) => [...table.triggers.values()].some((trigger) => trigger.function === oldKey);
  for (const table of tablesToChange(state.catalog, callsIt)) {
    for (const trigger of table.triggers.values()) if (trigger.function === oldKey) trigger.function = newKey;
  }
}

/** ALTER FUNCTION / PROCEDURE / ROUTINE ... SECURITY, SET, RESET, volatility (owner and rename are separate statements). */
export function alterFunction(state: ReplayState, stmt: AlterFunctionStmt): void {
  const { key, func } = findFunction(state, stmt.func);
  if (!func) {
    reportMissing(state, 'function', key);
    return;
  }
  for (const node of stmt.actions ?? []) {
    if ('DefElem' in node) applyFunctionOption(func, node.DefElem);
  }
  markChanged(state, func);
}

/** ALTER FUNCTION ... OWNER TO. */
export function setFunctionOwner(state: ReplayState, object: Node | undefined, owner: RoleSpec | undefined): void {
  const target = object && 'ObjectWithArgs' in object ? object.ObjectWithArgs : undefined;
  const { key, func } = findFunction(state, target);
  if (!func) {
    reportMissing(state, 'function', key);
    return;
  }
  func.owner = roleSpecName(state, owner);
  markChanged(state, func);
}

function applyFunctionOption(func: Func, option: DefElem): void {
  const arg = option.arg;
  switch (option.defname) {
    case 'language':
      func.language = arg && 'String' in arg ? (arg.String.sval ?? '').toLowerCase() : func.language;
      break;
    case 'volatility':
      func.volatility = (arg && 'String' in arg ? arg.String.sval : 'volatile') as Func['volatility'];
      break;
    case 'security':
      func.securityDefiner = Boolean(arg && 'Boolean' in arg && arg.Boolean.boolval);
      break;
    case 'as': {
      const parts = arg && 'List' in arg ? stringList(arg.List.items) : [];
      // `AS 'obj_file', 'link_symbol'` is for C functions; the first item is the body otherwise.
      func.body = parts[0];
      break;
    }
    case 'set':
      if (arg && 'VariableSetStmt' in arg) applyConfig(func, arg.VariableSetStmt);
      break;
    default:
      break;
  }
}

/** `SET name = value`, `SET name FROM CURRENT`, `RESET name`, `RESET ALL`. */
function applyConfig(func: Func, set: VariableSetStmt): void {
  const name = set.name ?? '';
  switch (set.kind) {
    case 'VAR_SET_VALUE':
      func.config.set(name, configValueText(set.args ?? []));
      break;
    case 'VAR_SET_CURRENT':
      func.config.set(name, 'FROM CURRENT');
      break;
    case 'VAR_SET_DEFAULT':
    case 'VAR_RESET':
      func.config.delete(name);
      break;
    case 'VAR_RESET_ALL':
      func.config.clear();
      break;
    default:
      break;
  }
}

/**
 * The value of a SET option as written: an empty string stays `''`, plain names stay bare
 * (`public, extensions`), anything else is quoted as a literal.
 */
function configValueText(args: Node[]): string {
  return args
    .map((node) => {
      if (!('A_Const' in node)) return '';
      const constant = node.A_Const;
      if (constant.sval) {
        return settingValueText(constant.sval.sval ?? '');
      }
      if (constant.ival) return String(constant.ival.ival ?? 0);
      if (constant.fval) return constant.fval.fval ?? '';
      if (constant.boolval) return String(Boolean(constant.boolval.boolval));
      return '';
    })
    .join(', ');
}

function functionArgument(state: ReplayState, parameter: FunctionParameter): FunctionArgument {
  const argument: FunctionArgument = { type: typeText(state, parameter.argType), mode: parameterMode(parameter.mode) };
  if (parameter.name) argument.name = parameter.name;
  if (parameter.defexpr) argument.default = parameterDefaultText(state, parameter);
  return argument;
}

/** The text after `DEFAULT` or `=` in a parameter declaration. */
function parameterDefaultText(state: ReplayState, parameter: FunctionParameter): string {
  const tokens = tokensOf(state);
  let depth = 0;
  for (let i = tokens.indexAtLocation(parameter.location); i < tokens.tokens.length; i++) {
    const token = tokens.tokens[i];
    if (token.text === '(') depth++;
    else if (token.text === ')' && --depth < 0) break;
    else if (depth === 0 && token.text === ',') break;
    else if (depth === 0 && (token.keyword === 'default' || token.text === '=')) return tokens.expressionFrom(i + 1, NO_STOP_KEYWORDS).text;
  }
  return '';
}

const NO_STOP_KEYWORDS: ReadonlySet<string> = new Set();

function parameterMode(mode: FunctionParameter['mode']): FunctionArgument['mode'] {
  switch (mode) {
    case 'FUNC_PARAM_OUT': return 'out';
    case 'FUNC_PARAM_INOUT': return 'inout';
    case 'FUNC_PARAM_VARIADIC': return 'variadic';
    case 'FUNC_PARAM_TABLE': return 'table';
    default: return 'in';
  }
}

function returnsText(state: ReplayState, stmt: CreateFunctionStmt, argumentList: FunctionArgument[]): string | undefined {
  if (stmt.is_procedure) return undefined;
  const table = tableResultText(argumentList);
  if (table !== undefined) return table;
  if (!stmt.returnType) return undefined;
  const type = typeText(state, stmt.returnType);
  return stmt.returnType.setof ? `SETOF ${type}` : type;
}

/** `TABLE(id uuid, total money_cents)` of a function with TABLE columns, as `pg_get_function_result` prints it; else undefined. */
export function tableResultText(argumentList: FunctionArgument[]): string | undefined {
  const tableColumns = argumentList.filter((argument) => argument.mode === 'table');
  if (tableColumns.length === 0) return undefined;
  return `TABLE(${tableColumns.map((column) => `${column.name ?? ''} ${column.type}`.trim()).join(', ')})`;
}
