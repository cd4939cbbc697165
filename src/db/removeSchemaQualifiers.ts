import { tokenize, type SqlToken } from '../core/sql/statementTokens';

/**
 * Removes the schema from qualified names that PostgreSQL printed only because the connecting role
 * could not see the schema. PostgreSQL's deparser (`pg_get_expr`, `pg_get_viewdef`, `format_type`,
 * ruleutils.c) leaves a name bare when its schema is on the effective search_path, and the effective
 * path skips a schema the role has no USAGE on (`recomputeNamespacePath` in namespace.c), however
 * the path is set. So a read-only role without USAGE on public reads `public.is_member(vendor_id)`
 * where the shadow, and any other role, reads `is_member(vendor_id)`.
 *
 * The rewrite works on tokens (core's SQL tokenizer): string literals and quoted identifiers are
 * copied as they are, and only a name's first part (`public.` in `public.members`, `'x'::public.mood`) or an operator's
 * schema (`OPERATOR(public.===)` becomes `===`) is removed. It gives what PostgreSQL prints for a
 * role that may use the schema, except where a bare name would mean another object (a
 * `public.now()` that PostgreSQL qualifies because `pg_catalog.now()` comes first); telling those
 * apart needs the server's name lookup, which the role cannot use.
 */
export function removeSchemaQualifiers(text: string, schemas: ReadonlySet<string>): string {
  if (schemas.size === 0) return text;
  const tokens = tokenize(text);
  const isHiddenSchema = (index: number): boolean => {
    const token = tokens[index];
    return token !== undefined && isName(token) && schemas.has(nameValue(token));
  };
  const touches = (left: number, right: number): boolean => tokens[left]?.end === tokens[right]?.start;
  const isDot = (index: number): boolean => tokens[index]?.text === '.';
  let out = '';
  let copied = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    // `schema.name`, where the schema is the name's first part (not `alias.column` of `t.schema.x`).
    const startsName = !(isDot(index - 1) && touches(index - 1, index));
    if (startsName && isHiddenSchema(index) && isDot(index + 1) && touches(index, index + 1) && tokens[index + 2] && isName(tokens[index + 2]) && touches(index + 1, index + 2)) {
      out += text.slice(copied, token.start);
      copied = tokens[index + 2].start;
      index++;
      continue;
    }
    // `OPERATOR(schema.op)`: PostgreSQL writes a visible operator bare.
    if (token.keyword === 'operator' && tokens[index + 1]?.text === '(' && isHiddenSchema(index + 2) && isDot(index + 3) && tokens[index + 5]?.text === ')') {
      out += text.slice(copied, token.start) + tokens[index + 4].text;
      copied = tokens[index + 5].end;
      index += 5;
    }
  }
  return out + text.slice(copied);
}

/** An identifier token: an unquoted word or a quoted identifier. */
function isName(token: SqlToken): boolean {
  return token.keyword !== undefined || token.text.startsWith('"');
}

/** The name an identifier token stands for: `"My ""x"""` → `My "x"`, `Public` → `public`. */
function nameValue(token: SqlToken): string {
  return token.keyword ?? token.text.slice(1, -1).replace(/""/g, '"');
}
