import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * pgreview's folder in the user's cache directory (`$XDG_CACHE_HOME/pgreview`, else
 * ~/.cache/pgreview): the shadow's PGlite snapshots and the check's results are kept there between runs.
 */
export function userCacheDirectory(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'pgreview');
}
