/**
 * Removes the schema from qualified names that PostgreSQL printed only because the connecting role
 * could not see the schema. PostgreSQL's deparser (`pg_get_expr`, `pg_get_viewdef`, `format_type`,
 * ruleutils.c) leaves a name bare when its schema is on the effective search_path, and the effective
 * path skips a schema the role has no USAGE on (`recomputeNamespacePath` in namespace.c), however
 * the path is set. So a read-only role without USAGE on public reads `public.is_member(vendor_id)`
 * where the shadow, and any other role, reads `is_member(vendor_id)`.
 *
 * The rewrite works on tokens: string literals and quoted identifiers are copied as they are, and
 * only a name's first part (`public.` in `public.members`, `'x'::public.mood`) or an operator's
 * schema (`OPERATOR(public.===)` becomes `===`) is removed. It gives what PostgreSQL prints for a
 * role that may use the schema, except where a bare name would mean another object (a
 * `public.now()` that PostgreSQL qualifies because `pg_catalog.now()` comes first); telling those
 * apart needs the server's name lookup, which the role cannot use.
 */
export function removeSchemaQualifiers(text: string, schemas: ReadonlySet<string>): string {
  if (schemas.size === 0) return text;
  let out = '';
  let position = 0;
  while (position < text.length) {
    const char = text[position];
    if (char === "'") {
      const end = endOfStringLiteral(text, position);
      out += text.slice(position, end);
      position = end;
      continue;
    }
    if (char === '"' || isIdentifierStart(char)) {
      const end = char === '"' ? endOfQuotedIdentifier(text, position) : endOfBareIdentifier(text, position);
      const word = text.slice(position, end);
      const previous = text[position - 1];
      const startsName = previous === undefined || (previous !== '.' && !isIdentifierPart(previous));
      if (startsName && text[end] === '.' && schemas.has(identifierValue(word))) {
        const after = text[end + 1];
        if (after !== undefined && (after === '"' || isIdentifierStart(after))) {
          position = end + 1;
          continue;
        }
      }
      if (startsName && word.toUpperCase() === 'OPERATOR' && text[end] === '(') {
        const operator = qualifiedOperator(text, end + 1, schemas);
        if (operator) {
          out += operator.name;
          position = operator.end;
          continue;
        }
      }
      out += word;
      position = end;
      continue;
    }
    out += char;
    position++;
  }
  return out;
}

/** `OPERATOR(public.===)` with a schema of `schemas`: the bare operator and where the text goes on. */
function qualifiedOperator(text: string, start: number, schemas: ReadonlySet<string>): { name: string; end: number } | undefined {
  const close = text.indexOf(')', start);
  if (close < 0) return undefined;
  const inside = text.slice(start, close);
  const dot = inside.lastIndexOf('.');
  if (dot <= 0 || !schemas.has(identifierValue(inside.slice(0, dot)))) return undefined;
  return { name: inside.slice(dot + 1), end: close + 1 };
}

function endOfStringLiteral(text: string, start: number): number {
  // E'…' strings escape with backslashes; PostgreSQL prints one only for a string holding a backslash.
  const escapes = /[eE]/.test(text[start - 1] ?? '') && !isIdentifierPart(text[start - 2] ?? '');
  let position = start + 1;
  while (position < text.length) {
    if (escapes && text[position] === '\\') {
      position += 2;
      continue;
    }
    if (text[position] === "'") {
      if (text[position + 1] === "'") {
        position += 2;
        continue;
      }
      return position + 1;
    }
    position++;
  }
  return text.length;
}

function endOfQuotedIdentifier(text: string, start: number): number {
  let position = start + 1;
  while (position < text.length) {
    if (text[position] === '"') {
      if (text[position + 1] === '"') {
        position += 2;
        continue;
      }
      return position + 1;
    }
    position++;
  }
  return text.length;
}

function endOfBareIdentifier(text: string, start: number): number {
  let position = start + 1;
  while (position < text.length && isIdentifierPart(text[position])) position++;
  return position;
}

/** The name an identifier token stands for: `"My ""x"""` → `My "x"`, `public` → `public`. */
function identifierValue(word: string): string {
  return word.startsWith('"') ? word.slice(1, -1).replace(/""/g, '"') : word.toLowerCase();
}

function isIdentifierStart(char: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(char);
}

function isIdentifierPart(char: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uffff]/.test(char);
}
