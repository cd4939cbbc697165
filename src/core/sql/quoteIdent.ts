/**
 * Identifier quoting for the SQL that fixes generate, as PostgreSQL's `quote_ident` does it:
 * a name stays bare only when it is lower case, made of identifier characters, and not a keyword
 * that would need quotes (`user`, `order`, `select`).
 */
import { getParser } from './parser';

/** `bookings` → `bookings`, `User Profiles` → `"User Profiles"`, `user` → `"user"`. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !isKeywordNeedingQuotes(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `public.bookings` from a schema and a name, each quoted when needed. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * PostgreSQL's `quote_ident` leaves only unreserved keywords bare; column-name, type-function-name
 * and reserved keywords are quoted. The scanner's keyword kind says which one a word is.
 */
function isKeywordNeedingQuotes(name: string): boolean {
  let needsQuotes = keywordVerdicts.get(name);
  if (needsQuotes === undefined) {
    // Scanning costs a WASM call; fixes quote the same few hundred names over and over.
    const [token] = getParser().scanSync(name).tokens as { keywordKind: number }[];
    needsQuotes = token !== undefined && token.keywordKind > 1;
    keywordVerdicts.set(name, needsQuotes);
  }
  return needsQuotes;
}

const keywordVerdicts = new Map<string, boolean>();
