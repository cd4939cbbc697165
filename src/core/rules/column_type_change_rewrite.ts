import type { ColumnDef, Node } from '@pgsql/types';
import type { Column, Index, Table } from '../catalog/model';
import { alterOfExistingTable, columnFindingPlace, columnTypeText, userTypeOf, type ExistingTableAlter } from '../safety/existingTableAlter';
import { describeLock, type TableWork } from '../safety/locks';
import type { MigrationStatement } from '../safety/migrationStatement';
import { expressionFacts } from '../sql/expressionFacts';
import type { RuleReport } from './defineRule';
import { defineRule } from './defineRule';

export default defineRule({
  id: 'column_type_change_rewrite',
  name: 'Column Type Change Rewrite',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration changes the type of a column of a table that already holds rows in a way that is not binary-coercible, so PostgreSQL rewrites the whole table and its indexes (or re-reads every row to re-check a CHECK or rebuild an expression index) while reads and writes wait.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration) {
    const alter = alterOfExistingTable(migration);
    if (!alter) return [];
    const reports: RuleReport[] = [];
    for (const command of alter.commands) {
      const def = command.subtype === 'AT_AlterColumnType' && command.def && 'ColumnDef' in command.def ? command.def.ColumnDef : undefined;
      const column = command.name ? alter.table.columns.get(command.name) : undefined;
      if (!def?.typeName || !column) continue;
      const report = judgeTypeChange(migration, alter, def, column);
      if (report) reports.push(report);
    }
    return reports;
  },
});

/** The finding on one ALTER COLUMN ... TYPE, or undefined when it rewrites and scans nothing (or when it cannot tell). */
function judgeTypeChange(migration: MigrationStatement, alter: ExistingTableAlter, def: ColumnDef, column: Column): RuleReport | undefined {
  const newType = columnTypeText(migration, def.typeName);
  const change = `ALTER COLUMN ${column.name} TYPE ${newType} on ${alter.qualified} (was ${column.type})`;
  const place = columnFindingPlace(migration, alter, column.name, def.location);
  const lock = (work: TableWork) => describeLock({ table: alter.qualified, mode: 'ACCESS EXCLUSIVE', work });
  if (def.raw_default && !isSameColumn(def.raw_default, column.name)) {
    return { ...place, message: `${change} computes every row anew from its USING expression, so the ALTER TABLE ${lock('rewrite')}. ${NEW_COLUMN_ADVICE}` };
  }
  const work = typeChangeWork(migration, column.type, newType, def);
  if (work === 'rewrite') {
    const zoneChange = column.type.startsWith('timestamp') && newType.startsWith('timestamp') && column.type.endsWith(' with time zone') !== newType.endsWith(' with time zone');
    const timeZone = zoneChange
      ? ' (PostgreSQL 12+ skips the rewrite only when the session time zone is UTC, which a migration file does not tell, and still rebuilds the indexes)'
      : '';
    return { ...place, message: `${change} is not binary-coercible${timeZone}, so the ALTER TABLE ${lock('rewrite')}. ${NEW_COLUMN_ADVICE}` };
  }
  if (work !== 'none') return undefined;
  const rereads = rereadsOfKeptColumn(alter.table, column.name);
  if (rereads.length === 0) return undefined;
  return {
    ...place,
    message: `${change} keeps the stored values, but PostgreSQL ${rereads.join(' and ')}, so the ALTER TABLE ${lock('scan')}. Drop them first and add them back without the long lock: a CHECK NOT VALID, then VALIDATE in a later migration; an index with CREATE INDEX CONCURRENTLY.`,
  };
}

/**
 * What PostgreSQL reads every row for when a column's type changes and its values stay: it re-adds
 * the CHECK constraints on the column and validates the validated ones again, and it rebuilds the
 * expression and partial indexes that use the column, whose compatibility it does not assess
 * (ATPostAlterTypeCleanup, CheckIndexCompatible in indexcmds.c). A plain index on the column is kept.
 */
function rereadsOfKeptColumn(table: Table, column: string): string[] {
  const checks = [...table.constraints.values()].filter((constraint) => constraint.kind === 'check' && constraint.validated && constraint.columns.includes(column)).map((check) => check.name);
  const indexes = [...table.indexes.values()]
    .filter((index) => (index.where !== undefined || index.keys.some((key) => key.expression)) && indexUsesColumn(index, column))
    .map((index) => index.name);
  const rereads: string[] = [];
  if (checks.length > 0) rereads.push(`re-checks ${checks.length === 1 ? 'the CHECK constraint' : 'the CHECK constraints'} ${checks.join(', ')} against every row`);
  if (indexes.length > 0) rereads.push(`rebuilds the expression or partial ${indexes.length === 1 ? 'index' : 'indexes'} ${indexes.join(', ')}`);
  return rereads;
}

function indexUsesColumn(index: Index, column: string): boolean {
  if (index.include.includes(column) || index.keys.some((key) => key.column === column || readsColumn(key.expression?.ast, column))) return true;
  return readsColumn(index.where?.ast, column);
}

function readsColumn(expression: Node | undefined, column: string): boolean {
  return expressionFacts(expression).columnRefs.some((ref) => {
    const fields = ref.fields ?? [];
    const last = fields[fields.length - 1];
    return last !== undefined && 'String' in last && last.String.sval === column;
  });
}

const NEW_COLUMN_ADVICE = 'On a large table, add a column of the new type instead, fill it in batches (a trigger keeps new writes in step), and swap the names in a short migration.';

/** `USING col` or `USING col::type`: the column's own value, which is what no USING means. */
function isSameColumn(expression: Node, name: string): boolean {
  const inner = 'TypeCast' in expression ? expression.TypeCast.arg : expression;
  if (!inner || !('ColumnRef' in inner)) return false;
  const fields = inner.ColumnRef.fields ?? [];
  const last = fields.length === 1 ? fields[0] : undefined;
  return last !== undefined && 'String' in last && last.String.sval === name;
}

/**
 * What changing `oldType` to `newType` does to the stored rows: PostgreSQL keeps them ('none')
 * when the cast is binary-coercible and the new type modifier admits every old value (the
 * length, precision and scale support functions reduce the coercion to a relabel, and
 * ATColumnChangeRequiresRewrite then finds only the column), and rewrites them otherwise.
 * Undefined when a type is one pgreview does not know (an extension's type such as citext, a
 * domain, a composite), where it cannot tell. The cases are checked on PostgreSQL in
 * test/db/columnSafety.test.ts.
 */
function typeChangeWork(migration: MigrationStatement, oldType: string, newType: string, def: ColumnDef): TableWork | undefined {
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
