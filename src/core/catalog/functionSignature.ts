import type { Func } from './model';
import { quoteQualified } from '../sql/quoteIdent';

/**
 * How SQL names a function in ALTER FUNCTION, GRANT and REVOKE: `public.get_user(uuid)`, with the
 * schema and name quoted when they need it and the input argument types from `Func.key`.
 */
export function functionSignature(fn: Func): string {
  const argumentList = fn.key.slice(fn.key.indexOf('(', fn.schema.length + fn.name.length + 1));
  return `${quoteQualified(fn.schema, fn.name)}${argumentList}`;
}
