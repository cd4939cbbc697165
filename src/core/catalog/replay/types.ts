/** CREATE TYPE (enum, composite, range), CREATE DOMAIN and ALTER TYPE ... ADD / RENAME VALUE. */
import type { AlterEnumStmt, CompositeTypeStmt, CreateDomainStmt, CreateEnumStmt, CreateRangeStmt } from '@pgsql/types';
import { objectKey, type TypeDef } from '../model';
import { qualifyForCreate, resolveTypeName, splitQualified, stringList, typeText } from './names';
import { recordCreated } from './references';
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

/** CREATE DOMAIN name AS base_type. */
export function createDomain(state: ReplayState, stmt: CreateDomainStmt): void {
  addType(state, stringList(stmt.domainname), { kind: 'domain', baseType: typeText(state, stmt.typeName) });
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

function addType(state: ReplayState, names: string[], shape: Pick<TypeDef, 'kind' | 'values' | 'attributes' | 'baseType'>): void {
  const name = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? names[names.length - 2] : state.searchPath[0] ?? 'public';
  const qualified = `${schema}.${name}`;
  if (state.catalog.types.has(qualified)) return;
  state.catalog.types.set(qualified, { schema, name, ...shape, platform: false, origin: originHere(state) });
  recordCreated(state, objectKey.type(qualified));
}
