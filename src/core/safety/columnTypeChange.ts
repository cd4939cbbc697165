/**
 * What ALTER COLUMN ... TYPE does to the rows already stored: the one judgement behind both the
 * lock hover (statementLocks) and the column_type_change_rewrite rule, so the two never disagree.
 * The cases are checked on PostgreSQL in test/db/columnSafety.test.ts and test/db/lockModes.test.ts.
 */
import type { ColumnDef, Node } from '@pgsql/types';
import type { Column } from '../catalog/model';
import { columnTypeText, userTypeOf } from './existingTableAlter';
import type { TableWork } from './locks';
import type { MigrationStatement } from './migrationStatement';

/**
 * The work one ALTER COLUMN ... TYPE does to a table: 'rewrite' when USING computes new values or
 * the cast is not binary-coercible, 'none' when PostgreSQL keeps the stored values (it may still
 * re-check CHECKs and rebuild expression indexes, which the rule reports). Undefined when a type is
 * one pgreview does not know (an extension's type such as citext, a domain, a composite).
 */
export function typeChangeWork(migration: MigrationStatement, column: Column, def: ColumnDef): TableWork | undefined {
  if (!usingKeepsValue(def, column.name)) return 'rewrite';
  return storedValuesWork(migration, column.type, columnTypeText(migration, def.typeName), def);
}

/** True when the change has no USING, or a USING that only names the column or casts it: the value stays the same. */
export function usingKeepsValue(def: ColumnDef, columnName: string): boolean {
  return def.raw_default === undefined || namesOnlyColumn(def.raw_default, columnName);
}

/** `col` or `col::type`: the column's own value. */
export function namesOnlyColumn(expression: Node, columnName: string): boolean {
  if ('TypeCast' in expression) return expression.TypeCast.arg !== undefined && namesOnlyColumn(expression.TypeCast.arg, columnName);
  if (!('ColumnRef' in expression)) return false;
  const fields = expression.ColumnRef.fields ?? [];
  const last = fields.length === 1 ? fields[0] : undefined;
  return last !== undefined && 'String' in last && last.String.sval === columnName;
}

/**
 * What changing `oldType` to `newType` does to the stored rows: PostgreSQL keeps them ('none')
 * when the cast is binary-coercible and the new type modifier admits every old value (the
 * length, precision and scale support functions reduce the coercion to a relabel, and
 * ATColumnChangeRequiresRewrite then finds only the column), and rewrites them otherwise.
 */
function storedValuesWork(migration: MigrationStatement, oldType: string, newType: string, def: ColumnDef): TableWork | undefined {
  if (oldType === newType) return 'none';
  const before = parseFormattedType(oldType);
  const after = parseFormattedType(newType);
  const isKnown = (type: FormattedType, userKind: string | undefined) => BUILTIN_TYPES.has(type.base) || userKind === 'enum';
  const oldUserKind = migration.catalog.types.get(before.base.includes('.') ? before.base : `public.${before.base}`)?.kind;
  if (!isKnown(before, oldUserKind) || !isKnown(after, userTypeOf(migration, def.typeName)?.kind)) return undefined;
  // An array's elements are coerced one by one (ArrayCoerceExpr), which is never a relabel.
  if (before.array || after.array) return 'rewrite';
  if (before.base === after.base) return modifierAdmitsOld(before, after) ? 'none' : 'rewrite';
  if (before.base === 'character varying' && after.base === 'text') return 'none';
  if (before.base === 'text' && after.base === 'character varying' && after.modifiers.length === 0) return 'none';
  return 'rewrite';
}

/** Types whose length, precision or scale support function turns a widening into a relabel (varchar_support, numeric_support, ...). */
const WIDENABLE_TYPES: ReadonlySet<string> = new Set([
  'character varying', 'bit varying', 'numeric', 'timestamp without time zone', 'timestamp with time zone',
  'time without time zone', 'time with time zone', 'interval',
]);

/** True when the new modifier of one type admits every value of the old: none, or a larger length or precision (at the same numeric scale). */
function modifierAdmitsOld(before: FormattedType, after: FormattedType): boolean {
  if (!WIDENABLE_TYPES.has(before.base)) return false;
  if (after.modifiers.length === 0) return true;
  if (before.modifiers.length === 0) return false;
  if (before.base === 'numeric') return after.modifiers[1] === before.modifiers[1] && after.modifiers[0] >= before.modifiers[0];
  return after.modifiers[0] >= before.modifiers[0];
}

/** The built-in types (as format_type prints them, without modifiers) whose casts pgreview judges. */
const BUILTIN_TYPES: ReadonlySet<string> = new Set([
  'smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric', 'money', 'boolean', 'text',
  'character varying', 'character', 'bytea', 'uuid', 'json', 'jsonb', 'xml', 'date', 'time without time zone',
  'time with time zone', 'timestamp without time zone', 'timestamp with time zone', 'interval', 'bit',
  'bit varying', 'inet', 'cidr', 'macaddr', 'tsvector',
]);

interface FormattedType {
  /** The name without modifiers: `character varying`, `timestamp with time zone`. */
  base: string;
  modifiers: number[];
  array: boolean;
}

/**
 * Splits a type as the catalog spells it (format_type: `character varying(20)`,
 * `timestamp(3) with time zone`, `numeric(10,2)[]`) into its name and modifiers.
 */
function parseFormattedType(type: string): FormattedType {
  const array = type.endsWith('[]');
  const text = array ? type.slice(0, -2) : type;
  const open = text.indexOf('(');
  const close = text.indexOf(')', open);
  if (open < 0 || close < 0) return { base: text, modifiers: [], array };
  const modifiers = text.slice(open + 1, close).split(',').map(Number);
  // `timestamp(3) with time zone`: the precision sits after the first word.
  const base = `${text.slice(0, open)}${text.slice(close + 1)}`;
  return { base, modifiers: modifiers.some(Number.isNaN) ? [] : modifiers, array };
}
