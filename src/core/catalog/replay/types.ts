/** CREATE TYPE (enum, composite, range), CREATE / ALTER DOMAIN and ALTER TYPE ... ADD / RENAME VALUE. */
import type { AlterDomainStmt, AlterEnumStmt, CompositeTypeStmt, Constraint as ConstraintNode, CreateDomainStmt, CreateEnumStmt, CreateRangeStmt } from '@pgsql/types';
import { objectKey, type Constraint, type TypeDef } from '../model';
import { chooseName } from './chooseName';
import { columnDefaultExpression, expressionAfter, expressionInParentheses } from './expressions';
import { qualifyForCreate, resolveTypeName, splitQualified, stringList, typeText } from './names';
import { recordCreated, reportAlreadyExists } from './references';
import { markChanged, originHere } from './relations';
import type { ReplayState } from './replayState';

/** CREATE TYPE ... AS ENUM. */
export function createEnum(state: ReplayState, stmt: CreateEnumStmt): void {
  addType(state, stringList(stmt.typeName), { kind: 'enum', values: stringList(stmt.vals) });
}

/** CREATE TYPE ... AS (attributes). */
export function createCompositeType(state: ReplayState, stmt: CompositeTypeStmt): void {
  if (!stmt.typevar) return;
  const qualified = qualifyForCreate(state, stmt.typevar);
  const attributes = (stmt.coldeflist ?? []).flatMap((node) => ('ColumnDef' in node ? [{ name: node.ColumnDef.colname ?? '', type: typeText(state, node.ColumnDef.typeName) }] : []));
  addType(state, splitQualified(qualified), { kind: 'composite', attributes });
}

/** CREATE TYPE ... AS RANGE. */
export function createRangeType(state: ReplayState, stmt: CreateRangeStmt): void {
  addType(state, stringList(stmt.typeName), { kind: 'range' });
}

/** CREATE DOMAIN name AS base_type [DEFAULT ...] [NOT NULL | NULL] [[CONSTRAINT name] CHECK (...)]... */
export function createDomain(state: ReplayState, stmt: CreateDomainStmt): void {
  const type = addType(state, stringList(stmt.domainname), { kind: 'domain', baseType: typeText(state, stmt.typeName) });
  if (!type) return;
  type.notNull = false;
  type.constraints = new Map();
  for (const node of stmt.constraints ?? []) {
    if ('Constraint' in node) addDomainConstraint(state, type, node.Constraint);
  }
}

/**
 * ALTER DOMAIN: SET / DROP DEFAULT, SET / DROP NOT NULL, ADD CONSTRAINT [NOT VALID],
 * DROP CONSTRAINT [IF EXISTS], VALIDATE CONSTRAINT. (RENAME, RENAME CONSTRAINT, OWNER TO and
 * SET SCHEMA are statements of their own: renames.ts, owners.ts.)
 */
export function alterDomain(state: ReplayState, stmt: AlterDomainStmt): void {
  const type = state.catalog.types.get(resolveTypeName(state, stringList(stmt.typeName)));
  if (type?.kind !== 'domain') return;
  type.constraints ??= new Map();
  switch (stmt.subtype) {
    case 'T':
      type.default = stmt.def ? expressionAfter(state, stmt.def, 0, ['set', 'default'], NO_STOP_KEYWORDS).expression : undefined;
      break;
    case 'O':
    case 'N':
      type.notNull = stmt.subtype === 'O';
      break;
    case 'C':
      if (stmt.def && 'Constraint' in stmt.def) addDomainConstraint(state, type, stmt.def.Constraint);
      break;
    case 'X':
      type.constraints.delete(stmt.name ?? '');
      break;
    case 'V': {
      const constraint = type.constraints.get(stmt.name ?? '');
      if (constraint) {
        constraint.validated = true;
        markChanged(state, constraint);
      }
      break;
    }
    default:
      return;
  }
  markChanged(state, type);
}

/** RENAME CONSTRAINT of a domain. */
export function renameDomainConstraint(state: ReplayState, names: string[], oldName: string, newName: string): void {
  const type = state.catalog.types.get(resolveTypeName(state, names));
  const constraint = type?.constraints?.get(oldName);
  if (!type?.constraints || !constraint) return;
  type.constraints.delete(oldName);
  constraint.name = newName;
  type.constraints.set(newName, constraint);
  markChanged(state, constraint);
  markChanged(state, type);
}

const NO_STOP_KEYWORDS: ReadonlySet<string> = new Set();

/** A constraint of CREATE DOMAIN or ALTER DOMAIN ADD: a CHECK is named `<domain>_check`, `_check1`, ... as PostgreSQL names it. */
function addDomainConstraint(state: ReplayState, type: TypeDef, node: ConstraintNode): void {
  const constraints = (type.constraints ??= new Map());
  switch (node.contype) {
    case 'CONSTR_NOTNULL':
    case 'CONSTR_NULL':
      type.notNull = node.contype === 'CONSTR_NOTNULL';
      return;
    case 'CONSTR_DEFAULT':
      type.default = columnDefaultExpression(state, node.raw_expr, node.location);
      return;
    case 'CONSTR_CHECK': {
      const name = node.conname ?? chooseName(type.name, undefined, 'check', (candidate) => constraints.has(candidate));
      const constraint: Constraint = {
        name,
        kind: 'check',
        columns: [],
        check: expressionInParentheses(state, node.raw_expr, node.location, ['check']),
        validated: !node.skip_validation,
        origin: originHere(state),
      };
      constraints.set(name, constraint);
      return;
    }
    default:
      return;
  }
}

/** ALTER TYPE ... ADD VALUE [IF NOT EXISTS] [BEFORE | AFTER], ALTER TYPE ... RENAME VALUE. */
export function alterEnum(state: ReplayState, stmt: AlterEnumStmt): void {
  const type = state.catalog.types.get(resolveTypeName(state, stringList(stmt.typeName)));
  if (!type?.values || !stmt.newVal) return;
  if (stmt.oldVal) {
    const position = type.values.indexOf(stmt.oldVal);
    if (position >= 0) type.values[position] = stmt.newVal;
  } else if (!type.values.includes(stmt.newVal)) {
    const neighbor = stmt.newValNeighbor ? type.values.indexOf(stmt.newValNeighbor) : -1;
    if (neighbor < 0) type.values.push(stmt.newVal);
    else type.values.splice(stmt.newValIsAfter ? neighbor + 1 : neighbor, 0, stmt.newVal);
  }
  markChanged(state, type);
}

function addType(state: ReplayState, names: string[], shape: Pick<TypeDef, 'kind' | 'values' | 'attributes' | 'baseType'>): TypeDef | undefined {
  const name = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? names[names.length - 2] : state.searchPath[0] ?? 'public';
  const qualified = `${schema}.${name}`;
  const existing = state.catalog.types.get(qualified);
  if (existing) {
    reportAlreadyExists(state, shape.kind === 'domain' ? 'domain' : 'type', qualified, qualified, existing);
    return undefined;
  }
  const type: TypeDef = { schema, name, ...shape, owner: state.currentRole, platform: false, origin: originHere(state) };
  state.catalog.types.set(qualified, type);
  recordCreated(state, objectKey.type(qualified));
  return type;
}
