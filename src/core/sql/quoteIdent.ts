/**
 * Identifier quoting for the SQL that fixes generate, as PostgreSQL's `quote_ident` does it:
 * a name stays bare only when it is lower case, made of identifier characters, and not a keyword
 * that would need quotes (`user`, `order`, `select`).
 */

/** `bookings` → `bookings`, `User Profiles` → `"User Profiles"`, `user` → `"user"`. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !KEYWORDS_NEEDING_QUOTES.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `public.bookings` from a schema and a name, each quoted when needed. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * PostgreSQL 18's keywords that `quote_ident` quotes: the column-name, type-function-name and
 * reserved ones of kwlist.h (unreserved keywords stay bare). A static table, because asking the
 * scanner costs a WASM call per name; test/unit/quoteIdent.test.ts checks it against the
 * scanner's keyword kinds, so a parser upgrade that changes the keywords fails there.
 */
export const KEYWORDS_NEEDING_QUOTES: ReadonlySet<string> = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'authorization',
  'between', 'bigint', 'binary', 'bit', 'boolean', 'both', 'case', 'cast', 'char', 'character',
  'check', 'coalesce', 'collate', 'collation', 'column', 'concurrently', 'constraint', 'create',
  'cross', 'current_catalog', 'current_date', 'current_role', 'current_schema', 'current_time',
  'current_timestamp', 'current_user', 'dec', 'decimal', 'default', 'deferrable', 'desc',
  'distinct', 'do', 'else', 'end', 'except', 'exists', 'extract', 'false', 'fetch', 'float', 'for',
  'foreign', 'freeze', 'from', 'full', 'grant', 'greatest', 'group', 'grouping', 'having', 'ilike',
  'in', 'initially', 'inner', 'inout', 'int', 'integer', 'intersect', 'interval', 'into', 'is',
  'isnull', 'join', 'json', 'json_array', 'json_arrayagg', 'json_exists', 'json_object',
  'json_objectagg', 'json_query', 'json_scalar', 'json_serialize', 'json_table', 'json_value',
  'lateral', 'leading', 'least', 'left', 'like', 'limit', 'localtime', 'localtimestamp',
  'merge_action', 'national', 'natural', 'nchar', 'none', 'normalize', 'not', 'notnull', 'null',
  'nullif', 'numeric', 'offset', 'on', 'only', 'or', 'order', 'out', 'outer', 'overlaps', 'overlay',
  'placing', 'position', 'precision', 'primary', 'real', 'references', 'returning', 'right', 'row',
  'select', 'session_user', 'setof', 'similar', 'smallint', 'some', 'substring', 'symmetric',
  'system_user', 'table', 'tablesample', 'then', 'time', 'timestamp', 'to', 'trailing', 'treat',
  'trim', 'true', 'union', 'unique', 'user', 'using', 'values', 'varchar', 'variadic', 'verbose',
  'when', 'where', 'window', 'with', 'xmlattributes', 'xmlconcat', 'xmlelement', 'xmlexists',
  'xmlforest', 'xmlnamespaces', 'xmlparse', 'xmlpi', 'xmlroot', 'xmlserialize', 'xmltable',
]);
