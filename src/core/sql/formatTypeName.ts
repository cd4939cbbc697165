/**
 * Type names as PostgreSQL's `format_type` prints them, so that a column replayed from a
 * migration reads the same as one introspected from a database: `integer`, not `int4`;
 * `character varying(20)`, not `varchar(20)`; `timestamp with time zone`, not `timestamptz`.
 * See src/backend/utils/adt/format_type.c.
 */
import type { Node, TypeName } from '@pgsql/types';

/**
 * Built-in types whose SQL-standard spelling differs from their catalog name. A Map, not an object
 * literal: a user type may be called `constructor` or `toString`.
 */
const STANDARD_NAMES = new Map<string, string>(Object.entries({
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  varbit: 'bit varying',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
  numeric: 'numeric',
  bit: 'bit',
  interval: 'interval',
  // `serial` and friends are not types: the column gets the integer type and a sequence.
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
}));

/** The names `serial` and friends, which CREATE TABLE turns into an integer column with a sequence. */
export const SERIAL_TYPE_NAMES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/**
 * Formats a parsed type name. `resolveSchema` tells which schema an unqualified user type lives in
 * (the replay resolves it along the search path); like `format_type` with the default search path,
 * types in `public` and `pg_catalog` are printed unqualified and others are qualified.
 */
export function formatTypeName(typeName: TypeName | undefined, resolveSchema?: (name: string) => string | undefined): string {
  if (!typeName) return '';
  const names = typeName.names ?? [];
  let schema = names.length > 1 ? nameText(names[names.length - 2]) : undefined;
  const name = names.length > 0 ? nameText(names[names.length - 1]) : '';
  const modifiers = typeName.typmods ? typeName.typmods.map(modifierText) : NO_MODIFIERS;
  const isBuiltin = schema === 'pg_catalog' || (schema === undefined && STANDARD_NAMES.has(name));
  let base: string;
  if (isBuiltin && STANDARD_NAMES.has(name)) {
    base = formatBuiltin(name, modifiers);
  } else {
    if (schema === undefined && resolveSchema) schema = resolveSchema(name);
    const modifierSuffix = modifiers.length > 0 ? `(${modifiers.join(',')})` : '';
    const qualifier = schema && schema !== 'public' && schema !== 'pg_catalog' ? `${quoteTypeIdentifier(schema)}.` : '';
    base = `${qualifier}${quoteTypeIdentifier(name)}${modifierSuffix}`;
  }
  // format_type prints one pair of brackets whatever the number of dimensions.
  return typeName.arrayBounds && typeName.arrayBounds.length > 0 ? `${base}[]` : base;
}

const NO_MODIFIERS: string[] = [];

function nameText(node: Node): string {
  return 'String' in node ? node.String.sval ?? '' : '';
}

function formatBuiltin(name: string, modifiers: string[]): string {
  const standard = STANDARD_NAMES.get(name) ?? name;
  switch (name) {
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'timetz': {
      if (modifiers.length === 0) return standard;
      // `timestamp(3) with time zone`: the precision goes after the first word.
      const space = standard.indexOf(' ');
      return `${standard.slice(0, space)}(${modifiers[0]}) ${standard.slice(space + 1)}`;
    }
    case 'numeric':
      if (modifiers.length === 1) return `numeric(${modifiers[0]},0)`;
      return modifiers.length === 2 ? `numeric(${modifiers[0]},${modifiers[1]})` : 'numeric';
    case 'interval':
      // Interval field restrictions (`interval day to second`) are encoded as bit masks; keep the
      // common case exact and print a precision only when it is the single modifier.
      return modifiers.length === 2 && modifiers[1] !== '' ? `interval(${modifiers[1]})` : 'interval';
    case 'bpchar':
      // A bare `char` is `character(1)`; the grammar already adds that modifier.
      return modifiers.length > 0 ? `character(${modifiers[0]})` : 'character';
    default:
      return modifiers.length > 0 ? `${standard}(${modifiers.join(',')})` : standard;
  }
}

function modifierText(node: Node): string {
  if ('A_Const' in node) {
    const constant = node.A_Const;
    if (constant.ival) return String(constant.ival.ival ?? 0);
    if (constant.sval) return constant.sval.sval ?? '';
    if (constant.fval) return constant.fval.fval ?? '';
    return '';
  }
  if ('ColumnRef' in node) {
    const fields = node.ColumnRef.fields ?? [];
    const last = fields[fields.length - 1];
    return last && 'String' in last ? last.String.sval ?? '' : '';
  }
  return '';
}

/** Quotes a type or schema name the way `quote_identifier` would for the usual cases. */
function quoteTypeIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
