/**
 * The emscripten factory inside libpg-query (`wasm/libpg-query.js`), which `parser.ts` drives
 * directly instead of the package's JS glue. Only the members we use are declared; the package
 * version is pinned and `test/unit/parserGlue.test.ts` checks them against it.
 */
declare module 'libpg-query/wasm/libpg-query.js' {
  /** The instantiated module: the WASM heap views and the C functions of libpg_query's wrapper. */
  export interface PgQueryWasmModule {
    /** Replaced when the WASM memory grows: read it again after every call into the module. */
    HEAPU8: Uint8Array;
    HEAPU32: Uint32Array;
    _malloc(size: number): number;
    _free(pointer: number): void;
    /** Returns a `PgQueryParseResult *`: `{ char *parse_tree; char *stderr_buffer; PgQueryError *error; }`. */
    _wasm_parse_query_raw(query: number): number;
    _wasm_free_parse_result(result: number): void;
    /** Returns a NUL-terminated JSON string, or an error message. */
    _wasm_scan(query: number): number;
    /** Parses a CREATE FUNCTION ... LANGUAGE plpgsql; returns a NUL-terminated JSON string, or an error message. */
    _wasm_parse_plpgsql(query: number): number;
    _wasm_free_string(pointer: number): void;
  }
  const factory: (moduleArg?: object) => Promise<PgQueryWasmModule>;
  export default factory;
}
