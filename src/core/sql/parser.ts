/**
 * The one place that loads libpg_query. Loading its WASM is the only IO the core does; it happens
 * once per process, and everything after it is synchronous.
 *
 * We drive the package's emscripten module ourselves rather than through its JS glue
 * (`libpg-query/wasm/index.cjs`): the glue copies the SQL into the WASM heap and reads the result
 * back with JavaScript loops over each byte, which cost as much as a fifth of the parse of a large
 * project. Here the copies are native (`Buffer`), and `parseToJson` hands out the parse tree as
 * the JSON text libpg_query writes, for callers that parse it elsewhere (the CLI's parse worker).
 * The struct layouts below are libpg_query's; the package version is pinned in package.json and
 * `test/unit/parserGlue.test.ts` checks our answers against the package's own glue.
 */
import type { ParseResult } from '@pgsql/types';
import type { ScanResult } from 'libpg-query';
import createModule, { type PgQueryWasmModule } from 'libpg-query/wasm/libpg-query.js';

/** The parser's functions, with the same answers and errors as libpg-query's `parseSync` and `scanSync`. */
export interface PgParser {
  /** Parses SQL into `{ version, stmts }`; throws a `SqlError` on a syntax error. */
  parseSync(sql: string): ParseResult;
  /** Splits SQL into tokens with byte offsets; throws on a lexical error. */
  scanSync(sql: string): ScanResult;
  /**
   * Parses the body of a `CREATE FUNCTION ... LANGUAGE plpgsql` statement into PL/pgSQL's tree
   * (`{ plpgsql_funcs: [{ PLpgSQL_function: ... }] }`), whose SQL is left as text in each
   * `PLpgSQL_expr.query`; throws on an error, as libpg-query's `parsePlPgSQLSync` does.
   */
  parsePlpgsqlSync(createFunction: string): unknown;
}

/** Where and why libpg_query rejected the SQL. `cursorPosition` is 0-based, in code points. */
export interface SqlErrorDetails {
  message: string;
  cursorPosition: number;
  fileName?: string;
  functionName?: string;
  lineNumber?: number;
}

/** A syntax error from libpg_query, shaped like libpg-query's own `SqlError`. */
export class SqlError extends Error {
  readonly sqlDetails: SqlErrorDetails;

  constructor(message: string, details: SqlErrorDetails) {
    super(message);
    this.name = 'SqlError';
    this.sqlDetails = details;
  }
}

let loaded: Promise<void> | undefined;
let wasm: PgQueryWasmModule | undefined;
/** A Buffer over the WASM memory, rebuilt when the memory grows (which detaches the old one). */
let heap: Buffer = Buffer.alloc(0);

/**
 * Loads the PostgreSQL parser. Await it once before calling any other core function.
 *
 * `compiled` is libpg-query's WASM already compiled by the caller, to instantiate synchronously.
 * A worker thread needs that: its asynchronous instantiation waits while the main thread runs the
 * same WASM, so it would start only once the main thread is done. The first call's options win.
 */
export function loadParser(options: { compiled?: WebAssembly.Module } = {}): Promise<void> {
  const { compiled } = options;
  loaded ??= createModule(
    compiled && {
      instantiateWasm(imports: WebAssembly.Imports, receiveInstance: (instance: WebAssembly.Instance) => void) {
        receiveInstance(new WebAssembly.Instance(compiled, imports));
        return {};
      },
    },
  ).then((module) => {
    wasm = module;
  });
  return loaded;
}

const parser: PgParser = {
  parseSync: (sql) => JSON.parse(parseToJson(sql)) as ParseResult,
  scanSync,
  parsePlpgsqlSync,
};

/** The loaded parser; throws if `loadParser()` has not finished. */
export function getParser(): PgParser {
  loadedModule();
  return parser;
}

/**
 * Parses SQL and returns libpg_query's JSON text of `{ version, stmts }`, unparsed, for a caller
 * that sends it elsewhere before `JSON.parse`. Throws a `SqlError` on a syntax error, like
 * `parseSync`.
 */
export function parseToJson(sql: string): string {
  const module = loadedModule();
  if (typeof sql !== 'string') throw new TypeError(`Expected a string, got ${typeof sql}`);
  if (sql === '') throw new Error('Query cannot be empty');
  const query = copyIn(module, sql);
  let result = 0;
  try {
    result = module._wasm_parse_query_raw(query);
    if (!result) throw new Error('Failed to parse query: memory allocation failed');
    const words = module.HEAPU32;
    const tree = words[result >> 2];
    const error = words[(result + 8) >> 2];
    if (error) throw sqlError(module, error);
    if (!tree) throw new Error('No parse tree generated');
    return readString(module, tree);
  } finally {
    module._free(query);
    if (result) module._wasm_free_parse_result(result);
  }
}

function scanSync(sql: string): ScanResult {
  const module = loadedModule();
  if (typeof sql !== 'string') throw new TypeError(`Expected a string, got ${typeof sql}`);
  const query = copyIn(module, sql);
  let result = 0;
  try {
    result = module._wasm_scan(query);
    const text = readString(module, result);
    // The scanner answers an error as plain text where a JSON object would be.
    if (text.startsWith('syntax error') || text.startsWith('deparse error') || text.startsWith('ERROR')) throw new Error(text);
    return JSON.parse(text) as ScanResult;
  } finally {
    module._free(query);
    if (result) module._wasm_free_string(result);
  }
}

function parsePlpgsqlSync(createFunction: string): unknown {
  const module = loadedModule();
  if (typeof createFunction !== 'string') throw new TypeError(`Expected a string, got ${typeof createFunction}`);
  const query = copyIn(module, createFunction);
  let result = 0;
  try {
    result = module._wasm_parse_plpgsql(query);
    const text = readString(module, result);
    // A tree is always a JSON object; anything else is the error message.
    if (!text.startsWith('{')) throw new Error(text);
    return JSON.parse(text) as unknown;
  } finally {
    module._free(query);
    if (result) module._wasm_free_string(result);
  }
}

function loadedModule(): PgQueryWasmModule {
  if (!wasm) throw new Error('The SQL parser is not loaded yet: await loadParser() first.');
  return wasm;
}

/** Copies SQL into the WASM heap as NUL-terminated UTF-8; the caller frees the pointer. */
function copyIn(module: PgQueryWasmModule, sql: string): number {
  const length = Buffer.byteLength(sql, 'utf8');
  const pointer = module._malloc(length + 1);
  const memory = heapOf(module);
  const written = memory.write(sql, pointer, length, 'utf8');
  memory[pointer + written] = 0;
  return pointer;
}

/** The NUL-terminated UTF-8 string at a pointer (memchr and a native decode, not a JS loop). */
function readString(module: PgQueryWasmModule, pointer: number): string {
  if (!pointer) return '';
  const memory = heapOf(module);
  const end = memory.indexOf(0, pointer);
  return memory.toString('utf8', pointer, end < 0 ? memory.length : end);
}

function heapOf(module: PgQueryWasmModule): Buffer {
  const buffer = module.HEAPU8.buffer;
  if (heap.buffer !== buffer) heap = Buffer.from(buffer);
  return heap;
}

/** A `PgQueryError`: `{ char *message; char *funcname; char *filename; int lineno; int cursorpos; char *context; }`. */
function sqlError(module: PgQueryWasmModule, error: number): SqlError {
  const words = module.HEAPU32;
  const messagePointer = words[error >> 2];
  const functionPointer = words[(error + 4) >> 2];
  const filePointer = words[(error + 8) >> 2];
  const lineNumber = words[(error + 12) >> 2] | 0;
  const cursor = words[(error + 16) >> 2] | 0;
  const message = messagePointer ? readString(module, messagePointer) : 'Unknown error';
  return new SqlError(message, {
    message,
    // libpg_query counts from 1, and 0 means "no position".
    cursorPosition: cursor > 0 ? cursor - 1 : 0,
    fileName: filePointer ? readString(module, filePointer) : undefined,
    functionName: functionPointer ? readString(module, functionPointer) : undefined,
    lineNumber: lineNumber > 0 ? lineNumber : undefined,
  });
}
