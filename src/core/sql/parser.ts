/**
 * The one place that loads libpg_query. Loading its WASM is the only IO the core does; it happens
 * once per process, and everything after it is synchronous.
 */
import * as libpgQuery from 'libpg-query';

let loaded: Promise<void> | undefined;
let ready = false;

/** Loads the PostgreSQL parser. Await it once before calling any other core function. */
export function loadParser(): Promise<void> {
  loaded ??= libpgQuery.loadModule().then(() => {
    ready = true;
  });
  return loaded;
}

/** The loaded parser; throws if `loadParser()` has not finished. */
export function getParser(): typeof libpgQuery {
  if (!ready) throw new Error('The SQL parser is not loaded yet: await loadParser() first.');
  return libpgQuery;
}
