import type { FuncCall } from '@pgsql/types';
import { functionCallName } from './functionCallName';

/** The Supabase functions that read the request's JWT claims. */
export const AUTH_FUNCTIONS: ReadonlySet<string> = new Set(['auth.uid', 'auth.jwt', 'auth.role', 'auth.email']);

/**
 * True for a call of `auth.uid()`, `auth.jwt()`, `auth.role()` or `auth.email()`. Only the
 * qualified form counts: an unqualified `uid()` would resolve through the search path, and the
 * auth schema is never on it in a migration.
 */
export function isAuthFunctionCall(call: FuncCall): boolean {
  return AUTH_FUNCTIONS.has(functionCallName(call));
}
