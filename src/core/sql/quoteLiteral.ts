/**
 * Literal quoting as PostgreSQL's `quote_literal` does it: single quotes doubled, and the `E''`
 * form when the text has a backslash, so the literal means the same with any
 * `standard_conforming_strings`.
 */

/** `it's` → `'it''s'`, `a\b` → `E'a\\b'`. */
export function quoteLiteral(text: string): string {
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}
