"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// .bench3-tmp.ts
var import_node_fs = require("node:fs");
var import_node_path = require("node:path");

// src/core/sql/parser.ts
var libpgQuery = __toESM(require("libpg-query"));
var loaded;
var ready = false;
function loadParser() {
  loaded ??= libpgQuery.loadModule().then(() => {
    ready = true;
  });
  return loaded;
}
function getParser() {
  if (!ready) throw new Error("The SQL parser is not loaded yet: await loadParser() first.");
  return libpgQuery;
}

// src/core/sql/span.ts
var LineIndex = class {
  constructor(file, text) {
    this.file = file;
    this.text = text;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    if (/[^\x00-\x7f]/.test(text)) {
      const table = new Uint32Array(text.length + 1);
      let bytes = 0;
      for (let i = 0; i < text.length; i++) {
        table[i] = bytes;
        const code = text.charCodeAt(i);
        if (code < 128) bytes += 1;
        else if (code < 2048) bytes += 2;
        else if (code >= 55296 && code <= 56319) {
          bytes += 4;
          table[++i] = bytes;
          continue;
        } else bytes += 3;
      }
      table[text.length] = bytes;
      this.byteAtChar = table;
    }
  }
  file;
  text;
  lineStarts = [0];
  /** UTF-8 byte offset at each UTF-16 index, only for text with non-ASCII characters. */
  byteAtChar;
  /** The UTF-16 offset of a UTF-8 byte offset. */
  charOffset(byteOffset) {
    const table = this.byteAtChar;
    if (!table) return Math.min(byteOffset, this.text.length);
    let low = 0;
    let high = table.length - 1;
    while (low < high) {
      const mid = low + high >> 1;
      if (table[mid] < byteOffset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
  /** The UTF-8 byte offset of a UTF-16 offset. */
  byteOffset(charOffset) {
    return this.byteAtChar ? this.byteAtChar[Math.min(charOffset, this.text.length)] : charOffset;
  }
  /** 1-based line and column of a UTF-16 offset. */
  position(offset) {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = low + high + 1 >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }
  /** The span between two UTF-16 offsets. */
  span(start, end) {
    const from = this.position(start);
    const to = this.position(end);
    return { file: this.file, start, end, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }
  /** The span between two UTF-8 byte offsets. */
  spanFromBytes(byteStart, byteEnd) {
    return this.span(this.charOffset(byteStart), this.charOffset(byteEnd));
  }
  /** The text of a 1-based line, without its line break. */
  lineText(line) {
    const start = this.lineStarts[line - 1];
    if (start === void 0) return "";
    const next = this.lineStarts[line];
    return this.text.slice(start, next === void 0 ? void 0 : next - 1).replace(/\r$/, "");
  }
  get lineCount() {
    return this.lineStarts.length;
  }
};

// src/core/sql/parseSqlFile.ts
function parseSqlFile(path, text) {
  const lines = new LineIndex(path, text);
  const problems = [];
  const sql = blankPsqlMetaCommands(keepDbmateUpSection(text), lines, problems);
  const statements = [];
  const parser = getParser();
  try {
    const result = parser.parseSync(sql);
    for (const raw of result.stmts ?? []) {
      const byteStart = raw.stmt_location ?? 0;
      const byteEnd = raw.stmt_len ? byteStart + raw.stmt_len : lines.byteOffset(sql.length);
      pushStatement(statements, raw.stmt, byteStart, byteEnd, 0, lines, sql);
    }
  } catch (error) {
    if (!isSqlError(error)) throw error;
    parseStatementByStatement(sql, lines, statements, problems, error);
  }
  return { path, text, lines, statements, problems };
}
function parseStatementByStatement(sql, lines, statements, problems, wholeFileError) {
  const parser = getParser();
  const totalBytes = lines.byteOffset(sql.length);
  let chunks;
  try {
    chunks = splitAtSemicolons(parser.scanSync(sql).tokens, totalBytes);
  } catch {
    const cursor = utf16IndexOfCodePoint(sql, wholeFileError.sqlDetails?.cursorPosition ?? 0);
    const prefix = sql.slice(0, cursor);
    try {
      chunks = splitAtSemicolons(parser.scanSync(prefix).tokens, lines.byteOffset(cursor));
      chunks[chunks.length - 1].byteEnd = totalBytes;
    } catch {
      chunks = [{ byteStart: 0, byteEnd: totalBytes }];
    }
  }
  const buffer = Buffer.from(sql, "utf8");
  for (const chunk of chunks) {
    const chunkText = buffer.subarray(chunk.byteStart, chunk.byteEnd).toString("utf8");
    if (!chunkText.trim()) continue;
    try {
      const result = parser.parseSync(chunkText);
      for (const raw of result.stmts ?? []) {
        const byteStart = chunk.byteStart + (raw.stmt_location ?? 0);
        const byteEnd = raw.stmt_len ? byteStart + raw.stmt_len : chunk.byteEnd;
        pushStatement(statements, raw.stmt, byteStart, byteEnd, chunk.byteStart, lines, sql);
      }
    } catch (error) {
      if (!isSqlError(error)) throw error;
      problems.push(syntaxProblem(error, chunkText, chunk.byteStart, chunk.byteEnd, lines));
    }
  }
}
function pushStatement(statements, node, byteStart, byteEnd, byteBase, lines, sql) {
  const start = lines.charOffset(byteStart);
  let end = lines.charOffset(byteEnd);
  while (end > start && /\s/.test(sql[end - 1])) end--;
  statements.push({
    node,
    kind: Object.keys(node)[0],
    span: lines.span(start, end),
    text: sql.slice(start, end),
    byteBase,
    index: statements.length
  });
}
function splitAtSemicolons(tokens, totalBytes) {
  const chunks = [];
  let start = 0;
  for (const token of tokens) {
    if (token.text === ";") {
      chunks.push({ byteStart: start, byteEnd: token.start });
      start = token.end;
    }
  }
  chunks.push({ byteStart: start, byteEnd: totalBytes });
  return chunks;
}
function syntaxProblem(error, chunkText, chunkByteStart, chunkByteEnd, lines) {
  const chunkCharStart = lines.charOffset(chunkByteStart);
  const chunkCharEnd = lines.charOffset(chunkByteEnd);
  const cursor = error.sqlDetails?.cursorPosition;
  let at = chunkCharStart + leadingWhitespace(chunkText);
  if (typeof cursor === "number" && cursor >= 0) at = chunkCharStart + utf16IndexOfCodePoint(chunkText, cursor);
  at = Math.min(at, chunkCharEnd);
  const endOfToken = lines.text.slice(at, chunkCharEnd).search(/[\s;(),]/);
  const end = endOfToken > 0 ? at + endOfToken : Math.min(chunkCharEnd, at + 1);
  const message = (error.sqlDetails?.message ?? error.message).replace(/^syntax error/, "Syntax error");
  return { rule: "syntax_error", message, span: lines.span(at, Math.max(end, at)) };
}
function leadingWhitespace(text) {
  return text.length - text.trimStart().length;
}
function utf16IndexOfCodePoint(text, codePoints) {
  let index = 0;
  for (let seen = 0; seen < codePoints && index < text.length; seen++) {
    const code = text.charCodeAt(index);
    index += code >= 55296 && code <= 56319 ? 2 : 1;
  }
  return index;
}
function isSqlError(error) {
  return error instanceof Error && ("sqlDetails" in error || /syntax error|unterminated|invalid/i.test(error.message));
}
function keepDbmateUpSection(text) {
  if (!/^--\s*migrate:down\b/m.test(text)) return text;
  let keeping = true;
  return text.replace(/[^\n]*(\n|$)/g, (line) => {
    if (/^--\s*migrate:up\b/.test(line)) keeping = true;
    else if (/^--\s*migrate:down\b/.test(line)) keeping = false;
    return keeping ? line : line.replace(/[^\r\n]/g, " ");
  });
}
function blankPsqlMetaCommands(text, lines, problems) {
  if (!/^[ \t]*\\/m.test(text)) return text;
  return text.replace(/^[ \t]*\\[^\r\n]*/gm, (command, offset) => {
    const start = offset + command.indexOf("\\");
    problems.push({
      rule: "psql_meta_command",
      message: `psql meta-command "${command.trim().split(/\s+/)[0]}" skipped: it runs in psql, not on the server, so pgreview does not replay it.`,
      span: lines.span(start, offset + command.length)
    });
    return command.replace(/[^\s]/g, " ");
  });
}

// src/core/catalog/model.ts
function createCatalog(source) {
  return {
    source,
    schemas: /* @__PURE__ */ new Map(),
    tables: /* @__PURE__ */ new Map(),
    views: /* @__PURE__ */ new Map(),
    functions: /* @__PURE__ */ new Map(),
    types: /* @__PURE__ */ new Map(),
    extensions: /* @__PURE__ */ new Map(),
    sequences: /* @__PURE__ */ new Map(),
    roles: /* @__PURE__ */ new Map(),
    defaultPrivileges: [],
    exposedSchemas: [],
    migrationRole: "postgres"
  };
}
var objectKey = {
  schema: (name) => `schema:${name}`,
  table: (qualified) => `table:${qualified}`,
  column: (table, column) => `column:${table}.${column}`,
  constraint: (table, name) => `constraint:${table}/${name}`,
  index: (schema, name) => `index:${schema}.${name}`,
  policy: (table, name) => `policy:${table}/${name}`,
  trigger: (table, name) => `trigger:${table}/${name}`,
  view: (qualified) => `view:${qualified}`,
  function: (key) => `function:${key}`,
  type: (qualified) => `type:${qualified}`,
  extension: (name) => `extension:${name}`,
  sequence: (qualified) => `sequence:${qualified}`,
  role: (name) => `role:${name}`
};

// src/core/catalog/platform.ts
var SUPABASE_MANAGED_SCHEMAS = /* @__PURE__ */ new Set([
  "auth",
  "storage",
  "realtime",
  "extensions",
  "graphql",
  "graphql_public",
  "vault",
  "pgsodium",
  "pgsodium_masks",
  "supabase_functions",
  "supabase_migrations",
  "cron",
  "net",
  "pgmq",
  "pgbouncer",
  "_realtime",
  "_analytics",
  "information_schema",
  "pg_catalog",
  "pg_toast"
]);
var POSTGRES_MANAGED_SCHEMAS = /* @__PURE__ */ new Set(["information_schema", "pg_catalog", "pg_toast"]);
function isManagedSchema(profile, schema) {
  return (profile === "supabase" ? SUPABASE_MANAGED_SCHEMAS : POSTGRES_MANAGED_SCHEMAS).has(schema) || schema.startsWith("pg_temp");
}
var ALL_TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
var API_ROLES = ["anon", "authenticated", "service_role"];
function createBaselineCatalog(config) {
  const catalog = createCatalog("migrations");
  catalog.exposedSchemas = [...config.exposedSchemas];
  addSchema(catalog, "public", false);
  addRole(catalog, { name: "postgres", login: true, bypassRls: config.profile === "supabase", superuser: config.profile !== "supabase" });
  if (config.profile === "supabase") addSupabaseBaseline(catalog);
  return catalog;
}
function addSupabaseBaseline(catalog) {
  addRole(catalog, { name: "anon" });
  addRole(catalog, { name: "authenticated" });
  addRole(catalog, { name: "service_role", bypassRls: true });
  addRole(catalog, { name: "authenticator", login: true, memberOf: [] });
  catalog.roles.get("authenticator").memberOf.push(...API_ROLES);
  catalog.roles.get("postgres").memberOf.push(...API_ROLES);
  addRole(catalog, { name: "supabase_admin", superuser: true, login: true, bypassRls: true });
  addRole(catalog, { name: "supabase_auth_admin", login: true });
  addRole(catalog, { name: "supabase_storage_admin", login: true });
  for (const schema of ["auth", "storage", "extensions", "graphql_public", "realtime"]) addSchema(catalog, schema, true);
  for (const schema of ["public", "extensions", "graphql_public", "auth", "storage"]) {
    const grants = catalog.schemas.get(schema).grants;
    for (const role of API_ROLES) grants.set(role, /* @__PURE__ */ new Set(["USAGE"]));
  }
  for (const grantee of API_ROLES) {
    for (const forRole of ["postgres", "supabase_admin"]) {
      catalog.defaultPrivileges.push(
        { forRole, schema: "public", objectType: "tables", grantee, privileges: new Set(ALL_TABLE_PRIVILEGES) },
        { forRole, schema: "public", objectType: "sequences", grantee, privileges: /* @__PURE__ */ new Set(["USAGE", "SELECT", "UPDATE"]) },
        { forRole, schema: "public", objectType: "functions", grantee, privileges: /* @__PURE__ */ new Set(["EXECUTE"]) }
      );
    }
  }
  const users = platformTable("auth", "users", "supabase_auth_admin", [
    ["instance_id", "uuid"],
    ["id", "uuid", true],
    ["aud", "character varying(255)"],
    ["role", "character varying(255)"],
    ["email", "character varying(255)"],
    ["encrypted_password", "character varying(255)"],
    ["email_confirmed_at", "timestamp with time zone"],
    ["phone", "text"],
    ["raw_app_meta_data", "jsonb"],
    ["raw_user_meta_data", "jsonb"],
    ["is_super_admin", "boolean"],
    ["created_at", "timestamp with time zone"],
    ["updated_at", "timestamp with time zone"],
    ["last_sign_in_at", "timestamp with time zone"],
    ["is_anonymous", "boolean", true]
  ]);
  users.rlsEnabled = true;
  users.constraints.set("users_pkey", { name: "users_pkey", kind: "primary_key", columns: ["id"], validated: true, origin: {} });
  users.indexes.set("users_pkey", { name: "users_pkey", table: "auth.users", unique: true, primary: true, method: "btree", keys: [{ column: "id" }], include: [], valid: true, constraint: "users_pkey", origin: {} });
  users.constraints.set("users_phone_key", { name: "users_phone_key", kind: "unique", columns: ["phone"], validated: true, origin: {} });
  users.indexes.set("users_phone_key", { name: "users_phone_key", table: "auth.users", unique: true, primary: false, method: "btree", keys: [{ column: "phone" }], include: [], valid: true, constraint: "users_phone_key", origin: {} });
  catalog.tables.set("auth.users", users);
  const buckets = platformTable("storage", "buckets", "supabase_storage_admin", [
    ["id", "text", true],
    ["name", "text", true],
    ["owner", "uuid"],
    ["public", "boolean"],
    ["file_size_limit", "bigint"],
    ["allowed_mime_types", "text[]"],
    ["created_at", "timestamp with time zone"],
    ["updated_at", "timestamp with time zone"]
  ]);
  buckets.rlsEnabled = true;
  catalog.tables.set("storage.buckets", buckets);
  const objects = platformTable("storage", "objects", "supabase_storage_admin", [
    ["id", "uuid", true],
    ["bucket_id", "text"],
    ["name", "text"],
    ["owner", "uuid"],
    ["owner_id", "text"],
    ["metadata", "jsonb"],
    ["path_tokens", "text[]"],
    ["created_at", "timestamp with time zone"],
    ["updated_at", "timestamp with time zone"]
  ]);
  objects.rlsEnabled = true;
  catalog.tables.set("storage.objects", objects);
  const messages = platformTable("realtime", "messages", "supabase_realtime_admin", [
    ["id", "uuid", true],
    ["topic", "text", true],
    ["extension", "text", true],
    ["payload", "jsonb"],
    ["event", "text"],
    ["private", "boolean"],
    ["inserted_at", "timestamp without time zone", true]
  ]);
  messages.rlsEnabled = true;
  catalog.tables.set("realtime.messages", messages);
  for (const [name, returns] of [["uid", "uuid"], ["role", "text"], ["email", "text"], ["jwt", "jsonb"]]) {
    addPlatformFunction(catalog, "auth", name, [], returns);
  }
  for (const name of ["foldername", "filename", "extension"]) {
    addPlatformFunction(catalog, "storage", name, ["text"], name === "foldername" ? "text[]" : "text");
  }
  addPlatformFunction(catalog, "realtime", "topic", [], "text");
  for (const name of ["uuid-ossp", "pgcrypto", "pg_stat_statements", "pgjwt"]) {
    catalog.extensions.set(name, { name, schema: "extensions", platform: true, origin: {} });
  }
  catalog.extensions.set("plpgsql", { name: "plpgsql", schema: "pg_catalog", platform: true, origin: {} });
}
function addSchema(catalog, name, platform) {
  catalog.schemas.set(name, { name, owner: platform ? "supabase_admin" : "postgres", grants: /* @__PURE__ */ new Map(), platform, origin: {} });
}
function addRole(catalog, role) {
  catalog.roles.set(role.name, {
    login: false,
    bypassRls: false,
    superuser: false,
    inherit: false,
    memberOf: [],
    platform: true,
    origin: {},
    ...role
  });
}
function platformTable(schema, name, owner, columns) {
  return {
    schema,
    name,
    kind: "table",
    owner,
    columns: new Map(columns.map(([column, type, notNull]) => [column, { name: column, type, notNull: notNull ?? false, origin: {} }])),
    constraints: /* @__PURE__ */ new Map(),
    indexes: /* @__PURE__ */ new Map(),
    policies: /* @__PURE__ */ new Map(),
    triggers: /* @__PURE__ */ new Map(),
    rlsEnabled: false,
    rlsForced: false,
    grants: /* @__PURE__ */ new Map(),
    platform: true,
    origin: {}
  };
}
function addPlatformFunction(catalog, schema, name, argumentTypes, returns) {
  const key = `${schema}.${name}(${argumentTypes.join(", ")})`;
  const fn = {
    schema,
    name,
    key,
    kind: "function",
    arguments: argumentTypes.map((type) => ({ type, mode: "in" })),
    returns,
    language: "sql",
    volatility: "stable",
    securityDefiner: false,
    config: /* @__PURE__ */ new Map([["search_path", "''"]]),
    owner: "supabase_auth_admin",
    grants: /* @__PURE__ */ new Map([["PUBLIC", /* @__PURE__ */ new Set(["EXECUTE"])]]),
    platform: true,
    origin: {}
  };
  catalog.functions.set(key, fn);
}

// src/core/sql/statementTokens.ts
var StatementTokens = class {
  constructor(statement, lines) {
    this.statement = statement;
    this.lines = lines;
    this.tokens = tokenize(statement.text);
  }
  statement;
  lines;
  tokens;
  /** Index of the first token at or after a parse-tree `location` (UTF-8 bytes relative to the parsed chunk). */
  indexAtLocation(location) {
    if (location === void 0 || location < 0) return 0;
    const offset = this.lines.charOffset(location + this.statement.byteBase) - this.statement.span.start;
    let low = 0;
    let high = this.tokens.length;
    while (low < high) {
      const mid = low + high >> 1;
      if (this.tokens[mid].start < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
  /** Index of the first run of keywords `words` (lower case) at depth 0 relative to `from`, or -1. */
  findKeywords(from, words) {
    let depth = 0;
    for (let i = from; i < this.tokens.length; i++) {
      const text = this.tokens[i].text;
      if (text === "(" || text === "[") depth++;
      else if (text === ")" || text === "]") depth--;
      if (depth < 0) return -1;
      if (depth === 0 && this.tokens[i].keyword === words[0] && this.matchesFrom(i, words)) return i;
    }
    return -1;
  }
  matchesFrom(at, words) {
    for (let offset = 1; offset < words.length; offset++) {
      if (this.tokens[at + offset]?.keyword !== words[offset]) return false;
    }
    return true;
  }
  /**
   * The text inside the parentheses that follow the keywords `words` (such as `using` or
   * `with check`), found at or after token `from`: `USING (user_id = auth.uid())` gives
   * `user_id = auth.uid()`.
   */
  parenthesizedAfter(from, words) {
    const at = this.findKeywords(from, words);
    if (at < 0) return void 0;
    return this.parenthesizedAt(at + words.length);
  }
  /** The text inside the parentheses that open at token `open`. */
  parenthesizedAt(open) {
    if (this.tokens[open]?.text !== "(") return void 0;
    const close = this.matchingParenthesis(open);
    if (close < 0) return void 0;
    return { text: this.textOfTokens(open + 1, close - 1), next: close + 1 };
  }
  /**
   * The expression that starts at token `from` and runs to a comma or closing parenthesis at its
   * own depth, to one of `stopKeywords` at its own depth, or to the end of the statement.
   */
  expressionFrom(from, stopKeywords) {
    let depth = 0;
    let i = from;
    for (; i < this.tokens.length; i++) {
      const token = this.tokens[i];
      if (token.text === "(" || token.text === "[") depth++;
      else if (token.text === ")" || token.text === "]") {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (token.text === "," || token.text === ";" || token.keyword && stopKeywords.has(token.keyword))) break;
    }
    return { text: this.textOfTokens(from, i - 1), next: i };
  }
  /** Index of the parenthesis that closes the one at `open`, or -1. */
  matchingParenthesis(open) {
    let depth = 0;
    for (let i = open; i < this.tokens.length; i++) {
      const text = this.tokens[i].text;
      if (text === "(") depth++;
      else if (text === ")" && --depth === 0) return i;
    }
    return -1;
  }
  /** The source text from token `first` to token `last`, inclusive, as written (comments inside kept). */
  textOfTokens(first, last) {
    if (last < first || first >= this.tokens.length) return "";
    return this.statement.text.slice(this.tokens[first].start, this.tokens[Math.min(last, this.tokens.length - 1)].end);
  }
};
var OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";
function isWordStart(code) {
  return code >= 97 && code <= 122 || code >= 65 && code <= 90 || code === 95 || code >= 128;
}
function isWordPart(code) {
  return isWordStart(code) || code >= 48 && code <= 57 || code === 36;
}
function tokenize(text) {
  const tokens = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    const char = text[i];
    const next = text[i + 1];
    if (code === 32 || code === 10 || code === 9 || code === 13 || code === 12) {
      i++;
    } else if (char === "-" && next === "-") {
      while (i < length && text.charCodeAt(i) !== 10) i++;
    } else if (char === "/" && next === "*") {
      let depth = 0;
      while (i < length) {
        if (text[i] === "/" && text[i + 1] === "*") {
          depth++;
          i += 2;
        } else if (text[i] === "*" && text[i + 1] === "/") {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
    } else if (char === "'") {
      const start = i;
      const previous = tokens[tokens.length - 1];
      const escapes = previous !== void 0 && previous.end === i && (previous.text === "e" || previous.text === "E");
      i = endOfQuoted(text, i, "'", escapes);
      if (escapes) {
        tokens.pop();
        tokens.push({ start: start - 1, end: i, text: text.slice(start - 1, i) });
      } else tokens.push({ start, end: i, text: text.slice(start, i) });
    } else if (char === '"') {
      const start = i;
      i = endOfQuoted(text, i, '"', false);
      tokens.push({ start, end: i, text: text.slice(start, i) });
    } else if (char === "$" && i + 1 < length && (isWordStart(text.charCodeAt(i + 1)) || next === "$")) {
      const start = i;
      let tagEnd = i + 1;
      while (tagEnd < length && text[tagEnd] !== "$" && isWordPart(text.charCodeAt(tagEnd))) tagEnd++;
      if (text[tagEnd] === "$") {
        const tag = text.slice(i, tagEnd + 1);
        const close = text.indexOf(tag, tagEnd + 1);
        i = close < 0 ? length : close + tag.length;
      } else i = tagEnd;
      tokens.push({ start, end: i, text: text.slice(start, i) });
    } else if (isWordStart(code)) {
      const start = i;
      while (i < length && isWordPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      tokens.push({ start, end: i, text: word, keyword: word.toLowerCase() });
    } else if (code >= 48 && code <= 57 || char === "$") {
      const start = i++;
      while (i < length && (isWordPart(text.charCodeAt(i)) || text[i] === ".")) i++;
      tokens.push({ start, end: i, text: text.slice(start, i) });
    } else if (char === ":" && next === ":") {
      tokens.push({ start: i, end: i + 2, text: "::" });
      i += 2;
    } else if (OPERATOR_CHARS.includes(char)) {
      const start = i;
      while (i < length && OPERATOR_CHARS.includes(text[i]) && !(text[i] === "-" && text[i + 1] === "-") && !(text[i] === "/" && text[i + 1] === "*")) i++;
      tokens.push({ start, end: i, text: text.slice(start, i) });
    } else {
      tokens.push({ start: i, end: i + 1, text: char });
      i++;
    }
  }
  return tokens;
}
function endOfQuoted(text, start, quote, backslashEscapes) {
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (backslashEscapes && char === "\\") i += 2;
    else if (char === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

// src/core/catalog/replay/expressions.ts
var tokensByStatement = /* @__PURE__ */ new WeakMap();
function tokensOf(state) {
  let tokens = tokensByStatement.get(state.statement);
  if (!tokens) {
    tokens = new StatementTokens(state.statement, state.file.lines);
    tokensByStatement.set(state.statement, tokens);
  }
  return tokens;
}
function expressionInParentheses(state, node, location, words) {
  if (!node) return void 0;
  const tokens = tokensOf(state);
  const slice = tokens.parenthesizedAfter(tokens.indexAtLocation(location), words);
  return { text: slice?.text ?? "", ast: node };
}
var COLUMN_CONSTRAINT_KEYWORDS = /* @__PURE__ */ new Set([
  "not",
  "null",
  "constraint",
  "primary",
  "unique",
  "check",
  "references",
  "default",
  "generated",
  "collate",
  "deferrable",
  "initially"
]);
function expressionAfter(state, node, from, words, stopKeywords) {
  if (!node) return { expression: void 0, next: from };
  const tokens = tokensOf(state);
  const at = tokens.findKeywords(from, words);
  if (at < 0) return { expression: { text: "", ast: node }, next: from };
  const slice = tokens.expressionFrom(at + words.length, stopKeywords);
  return { expression: { text: slice.text, ast: node }, next: slice.next };
}

// src/core/sql/formatTypeName.ts
var STANDARD_NAMES = {
  int2: "smallint",
  int4: "integer",
  int8: "bigint",
  float4: "real",
  float8: "double precision",
  bool: "boolean",
  varchar: "character varying",
  bpchar: "character",
  varbit: "bit varying",
  timestamp: "timestamp without time zone",
  timestamptz: "timestamp with time zone",
  time: "time without time zone",
  timetz: "time with time zone",
  numeric: "numeric",
  bit: "bit",
  interval: "interval",
  // `serial` and friends are not types: the column gets the integer type and a sequence.
  serial: "integer",
  serial4: "integer",
  bigserial: "bigint",
  serial8: "bigint",
  smallserial: "smallint",
  serial2: "smallint"
};
var SERIAL_TYPE_NAMES = /* @__PURE__ */ new Set(["serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"]);
function formatTypeName(typeName, resolveSchema) {
  if (!typeName) return "";
  const names = (typeName.names ?? []).map((node) => "String" in node ? node.String.sval ?? "" : "");
  let schema = names.length > 1 ? names[names.length - 2] : void 0;
  const name = names[names.length - 1] ?? "";
  const modifiers = (typeName.typmods ?? []).map(modifierText);
  const isBuiltin = schema === "pg_catalog" || schema === void 0 && name in STANDARD_NAMES;
  let base;
  if (isBuiltin && name in STANDARD_NAMES) {
    base = formatBuiltin(name, modifiers);
  } else {
    if (schema === void 0 && resolveSchema) schema = resolveSchema(name);
    const modifierSuffix = modifiers.length > 0 ? `(${modifiers.join(",")})` : "";
    const qualifier = schema && schema !== "public" && schema !== "pg_catalog" ? `${quoteTypeIdentifier(schema)}.` : "";
    base = `${qualifier}${quoteTypeIdentifier(name)}${modifierSuffix}`;
  }
  return typeName.arrayBounds && typeName.arrayBounds.length > 0 ? `${base}[]` : base;
}
function formatBuiltin(name, modifiers) {
  const standard = STANDARD_NAMES[name];
  switch (name) {
    case "timestamp":
    case "timestamptz":
    case "time":
    case "timetz": {
      const [word, ...zone] = standard.split(" ");
      return modifiers.length > 0 ? `${word}(${modifiers[0]}) ${zone.join(" ")}` : standard;
    }
    case "numeric":
      if (modifiers.length === 1) return `numeric(${modifiers[0]},0)`;
      return modifiers.length === 2 ? `numeric(${modifiers[0]},${modifiers[1]})` : "numeric";
    case "interval":
      return modifiers.length === 2 && modifiers[1] !== "" ? `interval(${modifiers[1]})` : "interval";
    case "bpchar":
      return modifiers.length > 0 ? `character(${modifiers[0]})` : "character";
    default:
      return modifiers.length > 0 ? `${standard}(${modifiers.join(",")})` : standard;
  }
}
function modifierText(node) {
  if ("A_Const" in node) {
    const constant = node.A_Const;
    if (constant.ival) return String(constant.ival.ival ?? 0);
    if (constant.sval) return constant.sval.sval ?? "";
    if (constant.fval) return constant.fval.fval ?? "";
    return "";
  }
  if ("ColumnRef" in node) {
    const fields = node.ColumnRef.fields ?? [];
    const last = fields[fields.length - 1];
    return last && "String" in last ? last.String.sval ?? "" : "";
  }
  return "";
}
function quoteTypeIdentifier(name) {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

// src/core/catalog/replay/names.ts
function creationSchema(state) {
  return state.searchPath[0] ?? "public";
}
function qualifyForCreate(state, relation) {
  return `${relation.schemaname ?? creationSchema(state)}.${relation.relname}`;
}
function resolveRelation(state, relation) {
  return resolveRelationName(state, relation.schemaname, relation.relname ?? "");
}
function resolveRelationName(state, schema, name) {
  if (schema) return `${schema}.${name}`;
  const catalog = state.catalog;
  for (const candidate of state.searchPath) {
    const qualified = `${candidate}.${name}`;
    if (catalog.tables.has(qualified) || catalog.views.has(qualified) || catalog.sequences.has(qualified)) return qualified;
  }
  return `${creationSchema(state)}.${name}`;
}
function resolveIndexName(state, schema, name, owners) {
  if (schema) return `${schema}.${name}`;
  for (const candidate of state.searchPath) {
    if (owners.has(`${candidate}.${name}`)) return `${candidate}.${name}`;
  }
  return `${creationSchema(state)}.${name}`;
}
function stringList(nodes) {
  return (nodes ?? []).map((node) => "String" in node ? node.String.sval ?? "" : "");
}
function splitQualified(qualified) {
  const dot = qualified.indexOf(".");
  return [qualified.slice(0, dot), qualified.slice(dot + 1)];
}
function typeSchemaOf(state, name) {
  for (const schema of state.searchPath) {
    if (state.catalog.types.has(`${schema}.${name}`)) return schema;
  }
  return void 0;
}
function typeText(state, typeName) {
  return formatTypeName(typeName, (name) => typeSchemaOf(state, name));
}
function resolveTypeName(state, names) {
  if (names.length > 1) return `${names[names.length - 2]}.${names[names.length - 1]}`;
  const name = names[0] ?? "";
  return `${typeSchemaOf(state, name) ?? creationSchema(state)}.${name}`;
}
function roleSpecName(state, node) {
  const spec = node && "RoleSpec" in node ? node.RoleSpec : node;
  if (!spec) return "";
  switch (spec.roletype) {
    case "ROLESPEC_PUBLIC":
      return "PUBLIC";
    case "ROLESPEC_CURRENT_USER":
    case "ROLESPEC_CURRENT_ROLE":
    case "ROLESPEC_SESSION_USER":
      return state.currentRole;
    default:
      return spec.rolename ?? "";
  }
}
function findFunction(state, object) {
  const names = stringList(object?.objname);
  const name = names[names.length - 1] ?? "";
  const explicitSchema = names.length > 1 ? names[names.length - 2] : void 0;
  const schemas = explicitSchema ? [explicitSchema] : state.searchPath;
  if (object?.args_unspecified) {
    for (const schema of schemas) {
      const prefix = `${schema}.${name}(`;
      for (const [key, func] of state.catalog.functions) if (key.startsWith(prefix)) return { key, func };
    }
    return { key: `${explicitSchema ?? creationSchema(state)}.${name}()` };
  }
  const argumentTypes = functionArgumentTypes(state, object);
  for (const schema of schemas) {
    const key = `${schema}.${name}(${argumentTypes})`;
    const func = state.catalog.functions.get(key);
    if (func) return { key, func };
  }
  return { key: `${explicitSchema ?? creationSchema(state)}.${name}(${argumentTypes})` };
}
function functionArgumentTypes(state, object) {
  if (object?.objfuncargs && object.objfuncargs.length > 0) {
    return object.objfuncargs.map((node) => "FunctionParameter" in node ? node.FunctionParameter : void 0).filter((parameter) => parameter && parameter.mode !== "FUNC_PARAM_OUT" && parameter.mode !== "FUNC_PARAM_TABLE").map((parameter) => typeText(state, parameter.argType)).join(", ");
  }
  return (object?.objargs ?? []).map((node) => "TypeName" in node ? typeText(state, node.TypeName) : "").join(", ");
}

// src/core/catalog/privileges.ts
function initialGrants(catalog, objectType, schema, owner) {
  const grants = /* @__PURE__ */ new Map();
  if (objectType === "functions") grants.set("PUBLIC", /* @__PURE__ */ new Set(["EXECUTE"]));
  if (objectType === "types") grants.set("PUBLIC", /* @__PURE__ */ new Set(["USAGE"]));
  for (const entry of catalog.defaultPrivileges) {
    if (!matchesDefault(entry, objectType, schema, owner)) continue;
    const set = grants.get(entry.grantee) ?? /* @__PURE__ */ new Set();
    for (const privilege of entry.privileges) set.add(privilege);
    grants.set(entry.grantee, set);
  }
  for (const entry of catalog.defaultPrivileges) {
    if (entry.privileges.size === 0 && matchesDefault(entry, objectType, schema, owner)) grants.delete(entry.grantee);
  }
  return grants;
}
function matchesDefault(entry, objectType, schema, owner) {
  return entry.objectType === objectType && entry.forRole === owner && (entry.schema === void 0 || entry.schema === schema);
}
function grant(grants, grantee, privileges) {
  const set = grants.get(grantee) ?? /* @__PURE__ */ new Set();
  for (const privilege of privileges) set.add(privilege);
  grants.set(grantee, set);
}
function revoke(grants, grantee, privileges) {
  const set = grants.get(grantee);
  if (!set) return;
  for (const privilege of privileges) set.delete(privilege);
  if (set.size === 0) grants.delete(grantee);
}

// src/core/catalog/replay/chooseName.ts
var MAX_IDENTIFIER_LENGTH = 63;
function makeObjectName(name1, name2, label) {
  let name1Length = name1.length;
  let name2Length = name2 ? name2.length : 0;
  const overhead = (label ? label.length + 1 : 0) + (name2 ? 1 : 0);
  const available = MAX_IDENTIFIER_LENGTH - overhead;
  while (name1Length + name2Length > available) {
    if (name1Length > name2Length) name1Length--;
    else name2Length--;
  }
  let name = name1.slice(0, name1Length);
  if (name2) name += `_${name2.slice(0, name2Length)}`;
  if (label) name += `_${label}`;
  return name;
}
function chooseName(name1, name2, label, isTaken) {
  let candidate = makeObjectName(name1, name2, label);
  for (let pass = 1; isTaken(candidate); pass++) candidate = makeObjectName(name1, name2, `${label}${pass}`);
  return candidate;
}
function columnsAddition(columns) {
  const joined = columns.join("_");
  return joined.length > 0 ? joined.slice(0, MAX_IDENTIFIER_LENGTH) : void 0;
}

// src/core/catalog/replay/replayMemory.ts
var memories = /* @__PURE__ */ new WeakMap();
function replayMemoryOf(catalog) {
  let memory = memories.get(catalog);
  if (!memory) {
    memory = { dropped: /* @__PURE__ */ new Map(), sawDynamicSql: false, indexOwners: /* @__PURE__ */ new Map() };
    for (const [qualified, table] of catalog.tables) {
      for (const index of table.indexes.keys()) memory.indexOwners.set(`${table.schema}.${index}`, qualified);
    }
    for (const [qualified, view] of catalog.views) {
      for (const index of view.indexes.keys()) memory.indexOwners.set(`${view.schema}.${index}`, qualified);
    }
    memories.set(catalog, memory);
  }
  return memory;
}

// src/core/catalog/replay/references.ts
function recordDropped(state, key, renamedTo) {
  replayMemoryOf(state.catalog).dropped.set(key, { span: state.statement.span, renamedTo });
}
function recordCreated(state, key) {
  const dropped = replayMemoryOf(state.catalog).dropped;
  if (dropped.size > 0) dropped.delete(key);
}
function reportMissing(state, kind, qualified, ifExists = false) {
  if (ifExists) return;
  const memory = replayMemoryOf(state.catalog);
  if (memory.sawDynamicSql) return;
  const [schema] = splitQualified(qualified);
  const key = keyOf(kind, qualified);
  const droppedAt = memory.dropped.get(key);
  if (isManagedSchema("supabase", schema) || !state.catalog.schemas.has(schema) && !droppedAt) return;
  for (const extension of state.catalog.extensions.values()) {
    if (extension.schema !== schema) continue;
    if (kind === "function" || kind === "table" && TABLE_CREATING_EXTENSIONS.has(extension.name)) return;
  }
  const last = state.problems[state.problems.length - 1];
  if (last && last.objectKey === key && last.span === state.statement.span) return;
  const what = kind === "function" ? `function ${qualified}` : kind === "column" ? `column ${qualified}` : `table ${qualified}`;
  const place = droppedAt ? `${droppedAt.span.file}:${droppedAt.span.line}` : "";
  const message = !droppedAt ? `This statement refers to ${what}, which no earlier migration creates; the migration will fail here.` : droppedAt.renamedTo ? `This statement refers to ${what}, which was renamed to ${droppedAt.renamedTo} earlier (${place}); the migration will fail here.` : `This statement refers to ${what}, which was dropped earlier (${place}); the migration will fail here.`;
  state.problems.push({ rule: "object_dropped_but_referenced", message, span: state.statement.span, object: qualified, objectKey: key });
}
var TABLE_CREATING_EXTENSIONS = /* @__PURE__ */ new Set(["postgis", "postgis_topology", "postgis_tiger_geocoder", "pgmq", "pg_partman", "timescaledb", "pg_cron"]);
function keyOf(kind, qualified) {
  if (kind === "function") return objectKey.function(qualified);
  if (kind === "table") return objectKey.table(qualified);
  const lastDot = qualified.lastIndexOf(".");
  return objectKey.column(qualified.slice(0, lastDot), qualified.slice(lastDot + 1));
}

// src/core/catalog/replay/relations.ts
function originHere(state) {
  return { definedAt: state.statement.span };
}
function markChanged(state, object) {
  object.origin.changedAt = state.statement.span;
}
function newTable(state, schema, name) {
  const owner = state.currentRole;
  return {
    schema,
    name,
    kind: "table",
    owner,
    columns: /* @__PURE__ */ new Map(),
    constraints: /* @__PURE__ */ new Map(),
    indexes: /* @__PURE__ */ new Map(),
    policies: /* @__PURE__ */ new Map(),
    triggers: /* @__PURE__ */ new Map(),
    rlsEnabled: false,
    rlsForced: false,
    grants: initialGrants(state.catalog, "tables", schema, owner),
    platform: false,
    origin: originHere(state)
  };
}
function registerTable(state, table) {
  const qualified = `${table.schema}.${table.name}`;
  state.catalog.tables.set(qualified, table);
  recordCreated(state, objectKey.table(qualified));
}
function isRelationNameTaken(state, schema, name) {
  const qualified = `${schema}.${name}`;
  const catalog = state.catalog;
  return catalog.tables.has(qualified) || catalog.views.has(qualified) || catalog.sequences.has(qualified) || replayMemoryOf(catalog).indexOwners.has(qualified);
}
function isConstraintNameTaken(table, name) {
  return table.constraints.has(name);
}
function registerIndex(state, owner, index) {
  owner.indexes.set(index.name, index);
  replayMemoryOf(state.catalog).indexOwners.set(`${owner.schema}.${index.name}`, `${owner.schema}.${owner.name}`);
}
function unregisterIndex(state, owner, name) {
  owner.indexes.delete(name);
  replayMemoryOf(state.catalog).indexOwners.delete(`${owner.schema}.${name}`);
}
function createOwnedSequence(state, table, column, options) {
  const named = (options ?? []).flatMap((node) => "DefElem" in node && node.DefElem.defname === "sequence_name" && node.DefElem.arg && "List" in node.DefElem.arg ? [stringList(node.DefElem.arg.List.items)] : [])[0];
  const schema = named && named.length > 1 ? named[named.length - 2] : table.schema;
  const name = named ? named[named.length - 1] : chooseSequenceName(state, table, column);
  const qualified = `${schema}.${name}`;
  const sequence = {
    schema,
    name,
    ownedBy: `${table.schema}.${table.name}.${column}`,
    grants: initialGrants(state.catalog, "sequences", table.schema, state.currentRole),
    platform: false,
    origin: originHere(state)
  };
  state.catalog.sequences.set(qualified, sequence);
  return qualified;
}
function chooseSequenceName(state, table, column) {
  return chooseName(table.name, column, "seq", (name) => isRelationNameTaken(state, table.schema, name));
}
function nextvalDefault(sequence) {
  const [schema, name] = [sequence.slice(0, sequence.indexOf(".")), sequence.slice(sequence.indexOf(".") + 1)];
  return `nextval('${schema === "public" ? name : sequence}'::regclass)`;
}
function tableFor(state, relation, ifExists = false) {
  if (!relation) return void 0;
  const qualified = resolveRelation(state, relation);
  const table = state.catalog.tables.get(qualified);
  if (!table && !state.catalog.views.has(qualified)) reportMissing(state, "table", qualified, ifExists);
  return table;
}

// src/core/catalog/replay/policies.ts
function createPolicy(state, stmt) {
  const table = tableFor(state, stmt.table);
  if (!table || !stmt.policy_name || table.policies.has(stmt.policy_name)) return;
  table.policies.set(stmt.policy_name, {
    name: stmt.policy_name,
    table: `${table.schema}.${table.name}`,
    command: stmt.cmd_name ?? "all",
    permissive: stmt.permissive ?? false,
    roles: policyRoles(state, stmt.roles),
    using: expressionInParentheses(state, stmt.qual, 0, ["using"]),
    withCheck: expressionInParentheses(state, stmt.with_check, 0, ["with", "check"]),
    origin: originHere(state)
  });
}
function alterPolicy(state, stmt) {
  const table = tableFor(state, stmt.table);
  const policy = table?.policies.get(stmt.policy_name ?? "");
  if (!table || !policy) return;
  if (stmt.roles && stmt.roles.length > 0) policy.roles = policyRoles(state, stmt.roles);
  if (stmt.qual) policy.using = expressionInParentheses(state, stmt.qual, 0, ["using"]);
  if (stmt.with_check) policy.withCheck = expressionInParentheses(state, stmt.with_check, 0, ["with", "check"]);
  markChanged(state, policy);
}
function setRowSecurity(state, table, subtype) {
  if (subtype === "AT_EnableRowSecurity") table.rlsEnabled = true;
  else if (subtype === "AT_DisableRowSecurity") table.rlsEnabled = false;
  else if (subtype === "AT_ForceRowSecurity") table.rlsForced = true;
  else if (subtype === "AT_NoForceRowSecurity") table.rlsForced = false;
  table.rlsChangedAt = state.statement.span;
}
function policyRoles(state, roles) {
  if (!roles || roles.length === 0) return ["public"];
  return roles.map((role) => {
    const name = roleSpecName(state, role);
    return name === "PUBLIC" ? "public" : name;
  });
}

// src/core/catalog/replay/indexes.ts
function chooseIndexName(state, table, columnNames, label) {
  const addition = label === "pkey" ? void 0 : columnsAddition(uniqueColumnNames(columnNames));
  return chooseName(table.name, addition, label, (name) => isRelationNameTaken(state, table.schema, name) || "constraints" in table && table.constraints.has(name));
}
function constraintIndex(table, name, primary, keys, include, origin) {
  return {
    name,
    table: `${table.schema}.${table.name}`,
    unique: true,
    primary,
    method: "btree",
    keys,
    include,
    valid: true,
    constraint: name,
    origin
  };
}
function createIndex(state, stmt) {
  if (!stmt.relation) return;
  const qualified = resolveRelation(state, stmt.relation);
  const owner = state.catalog.tables.get(qualified) ?? state.catalog.views.get(qualified);
  if (!owner) {
    reportMissing(state, "table", qualified);
    return;
  }
  const [schema] = splitQualified(qualified);
  if (stmt.idxname && isRelationNameTaken(state, schema, stmt.idxname)) return;
  const tokens = tokensOf(state);
  const elementTexts = indexElementTexts(state, stmt.relation.location);
  const keys = (stmt.indexParams ?? []).map((node, position) => indexKey(node, elementTexts[position]));
  if ("constraints" in owner && !owner.platform) {
    for (const key of keys) if (key.column && !owner.columns.has(key.column)) reportMissing(state, "column", `${qualified}.${key.column}`);
  }
  const label = stmt.primary ? "pkey" : stmt.unique && stmt.isconstraint ? "key" : "idx";
  const name = stmt.idxname ?? chooseIndexName(state, owner, (stmt.indexParams ?? []).map(indexColumnName), label);
  let where;
  if (stmt.whereClause) {
    const at = tokens.findKeywords(0, ["where"]);
    where = { text: at >= 0 ? tokens.expressionFrom(at + 1, /* @__PURE__ */ new Set()).text : "", ast: stmt.whereClause };
  }
  registerIndex(state, owner, {
    name,
    table: qualified,
    unique: Boolean(stmt.unique),
    primary: Boolean(stmt.primary),
    method: stmt.accessMethod ?? "btree",
    keys,
    include: (stmt.indexIncludingParams ?? []).map((node) => "IndexElem" in node ? node.IndexElem.name ?? "" : ""),
    where,
    valid: true,
    origin: originHere(state)
  });
}
function indexElementTexts(state, relationLocation) {
  const tokens = tokensOf(state);
  let open = tokens.indexAtLocation(relationLocation);
  while (open < tokens.tokens.length && tokens.tokens[open].text !== "(") open++;
  const close = tokens.matchingParenthesis(open);
  if (close < 0) return [];
  const texts = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i <= close; i++) {
    const text = tokens.tokens[i].text;
    if (text === "(" || text === "[") depth++;
    else if ((text === ")" || text === "]") && i !== close) depth--;
    if (text === "," && depth === 0 || i === close) {
      texts.push(tokens.textOfTokens(start, i - 1));
      start = i + 1;
    }
  }
  return texts;
}
function indexKey(node, elementText) {
  const element = "IndexElem" in node ? node.IndexElem : {};
  const options = indexKeyOptions(element);
  if (element.name) return options ? { column: element.name, options } : { column: element.name };
  const key = { expression: { text: expressionText(elementText ?? ""), ast: element.expr } };
  if (options) key.options = options;
  return key;
}
function expressionText(elementText) {
  let depth = 0;
  for (let i = 0; i < elementText.length; i++) {
    const char = elementText[i];
    if (char === "'") {
      const end = elementText.indexOf("'", i + 1);
      i = end < 0 ? elementText.length : end;
    } else if (char === "(") depth++;
    else if (char === ")" && --depth === 0) {
      const text = elementText.slice(0, i + 1);
      return text.startsWith("(") ? text.slice(1, -1).trim() : text;
    }
  }
  return elementText;
}
function indexKeyOptions(element) {
  const parts = [];
  if (element.collation && element.collation.length > 0) parts.push(`COLLATE "${stringList(element.collation).join(".")}"`);
  if (element.opclass && element.opclass.length > 0) parts.push(stringList(element.opclass).join("."));
  if (element.ordering === "SORTBY_DESC") parts.push("DESC");
  else if (element.ordering === "SORTBY_ASC") parts.push("ASC");
  if (element.nulls_ordering === "SORTBY_NULLS_FIRST") parts.push("NULLS FIRST");
  else if (element.nulls_ordering === "SORTBY_NULLS_LAST") parts.push("NULLS LAST");
  return parts.length > 0 ? parts.join(" ") : void 0;
}
function indexColumnName(node) {
  const element = "IndexElem" in node ? node.IndexElem : {};
  if (element.name) return element.name;
  if (element.indexcolname) return element.indexcolname;
  return figureName(element.expr) ?? "expr";
}
function figureName(expression) {
  if (!expression) return void 0;
  if ("ColumnRef" in expression) return stringList(expression.ColumnRef.fields).pop();
  if ("FuncCall" in expression) return stringList(expression.FuncCall.funcname).pop();
  if ("TypeCast" in expression) return figureName(expression.TypeCast.arg) ?? stringList(expression.TypeCast.typeName?.names).pop();
  if ("CoalesceExpr" in expression) return "coalesce";
  if ("CaseExpr" in expression) return "case";
  return void 0;
}
function uniqueColumnNames(names) {
  const used = /* @__PURE__ */ new Set();
  return names.map((name) => {
    let candidate = name;
    for (let suffix = 1; used.has(candidate); suffix++) candidate = `${name}${suffix}`;
    used.add(candidate);
    return candidate;
  });
}

// src/core/catalog/replay/tables.ts
function createTable(state, stmt, kind = "table") {
  if (!stmt.relation) return;
  const qualified = qualifyForCreate(state, stmt.relation);
  if (state.catalog.tables.has(qualified) || state.catalog.views.has(qualified)) {
    return;
  }
  const [schema, name] = splitQualified(qualified);
  const table = newTable(state, schema, name);
  table.kind = stmt.partspec ? "partitioned" : kind;
  registerTable(state, table);
  const parents = (stmt.inhRelations ?? []).flatMap((node) => "RangeVar" in node ? [resolveRelation(state, node.RangeVar)] : []);
  if (parents.length > 0) {
    table.partitionOf = parents[0];
    for (const parentName of parents) {
      const parent = state.catalog.tables.get(parentName);
      if (!parent) {
        reportMissing(state, "table", parentName);
        continue;
      }
      copyParent(state, table, parent, Boolean(stmt.partbound));
    }
  }
  const tableConstraints = [];
  for (const element of stmt.tableElts ?? []) {
    if ("ColumnDef" in element) addColumn(state, table, element.ColumnDef, tableConstraints);
    else if ("Constraint" in element) tableConstraints.push(element.Constraint);
    else if ("TableLikeClause" in element) copyLike(state, table, element.TableLikeClause);
  }
  for (const constraint of tableConstraints) addConstraint(state, table, constraint);
}
function addColumn(state, table, def, constraints) {
  const name = def.colname;
  if (!name) return void 0;
  const typeNames = stringList(def.typeName?.names);
  const isSerial = typeNames.length === 1 && SERIAL_TYPE_NAMES.has(typeNames[0]) && !def.typeName?.arrayBounds;
  const column = { name, type: typeText(state, def.typeName), notNull: Boolean(def.is_not_null), origin: originHere(state) };
  table.columns.set(name, column);
  recordCreated(state, objectKey.column(`${table.schema}.${table.name}`, name));
  if (isSerial) {
    column.notNull = true;
    const sequence = createOwnedSequence(state, table, name);
    column.default = { text: nextvalDefault(sequence), ast: void 0 };
  }
  let last;
  for (const node of def.constraints ?? []) {
    if (!("Constraint" in node)) continue;
    const constraint = node.Constraint;
    switch (constraint.contype) {
      case "CONSTR_NOTNULL":
        column.notNull = true;
        break;
      case "CONSTR_NULL":
        column.notNull = false;
        break;
      case "CONSTR_DEFAULT":
        column.default = expressionAfter(state, constraint.raw_expr, tokensOf(state).indexAtLocation(constraint.location), ["default"], COLUMN_CONSTRAINT_KEYWORDS).expression;
        break;
      case "CONSTR_IDENTITY":
        column.identity = constraint.generated_when === "a" ? "always" : "by default";
        column.notNull = true;
        createOwnedSequence(state, table, name, constraint.options);
        break;
      case "CONSTR_GENERATED":
        column.generated = expressionInParentheses(state, constraint.raw_expr, constraint.location, ["as"]);
        break;
      case "CONSTR_PRIMARY":
      case "CONSTR_UNIQUE":
      case "CONSTR_CHECK":
      case "CONSTR_FOREIGN":
      case "CONSTR_EXCLUSION":
        last = { ...constraint, keys: constraint.keys ?? [{ String: { sval: name } }], fk_attrs: [{ String: { sval: name } }] };
        if (constraint.contype === "CONSTR_CHECK") last.columnName = name;
        constraints.push(last);
        break;
      case "CONSTR_ATTR_DEFERRABLE":
        if (last) last.deferrable = true;
        break;
      default:
        break;
    }
  }
  return column;
}
function addConstraint(state, table, node) {
  const qualified = `${table.schema}.${table.name}`;
  const origin = originHere(state);
  const validated = !node.skip_validation;
  switch (node.contype) {
    case "CONSTR_PRIMARY":
    case "CONSTR_UNIQUE": {
      const primary = node.contype === "CONSTR_PRIMARY";
      const columns = stringList(node.keys);
      for (const column of columns) {
        if (!table.columns.has(column) && !table.platform) reportMissing(state, "column", `${qualified}.${column}`);
      }
      if (primary) for (const column of columns) {
        const found = table.columns.get(column);
        if (found) found.notNull = true;
      }
      if (node.indexname) return adoptIndex(state, table, node, primary, columns);
      const name = node.conname ?? chooseIndexName(state, table, columns, primary ? "pkey" : "key");
      const constraint = { name, kind: primary ? "primary_key" : "unique", columns, validated: true, deferrable: node.deferrable || void 0, origin };
      table.constraints.set(name, constraint);
      registerIndex(state, table, constraintIndex(table, name, primary, columns.map((column) => ({ column })), stringList(node.including), origin));
      return constraint;
    }
    case "CONSTR_FOREIGN": {
      const columns = stringList(node.fk_attrs);
      const target = node.pktable ? resolveRelation(state, node.pktable) : "";
      const targetTable = state.catalog.tables.get(target);
      if (!targetTable) reportMissing(state, "table", target);
      let targetColumns = stringList(node.pk_attrs);
      if (targetColumns.length === 0 && targetTable) {
        targetColumns = [...targetTable.constraints.values()].find((constraint2) => constraint2.kind === "primary_key")?.columns ?? [];
      } else if (targetTable && !targetTable.platform) {
        for (const column of targetColumns) if (!targetTable.columns.has(column)) reportMissing(state, "column", `${target}.${column}`);
      }
      const name = node.conname ?? chooseName(table.name, columnsAddition(columns), "fkey", (candidate) => isConstraintNameTaken(table, candidate));
      const constraint = {
        name,
        kind: "foreign_key",
        columns,
        references: { table: target, columns: targetColumns, onDelete: foreignKeyAction(node.fk_del_action), onUpdate: foreignKeyAction(node.fk_upd_action) },
        validated,
        deferrable: node.deferrable || void 0,
        origin
      };
      table.constraints.set(name, constraint);
      return constraint;
    }
    case "CONSTR_CHECK": {
      const referenced = referencedColumns(node.raw_expr);
      const columnName = node.columnName ?? (referenced.length === 1 ? referenced[0] : void 0);
      const name = node.conname ?? chooseName(table.name, columnName, "check", (candidate) => isConstraintNameTaken(table, candidate));
      const constraint = {
        name,
        kind: "check",
        columns: node.columnName ? [columnName] : referenced,
        check: expressionInParentheses(state, node.raw_expr, node.location, ["check"]),
        validated,
        origin
      };
      table.constraints.set(name, constraint);
      return constraint;
    }
    case "CONSTR_EXCLUSION": {
      const elements = (node.exclusions ?? []).map((pair) => "List" in pair ? pair.List.items?.[0] : void 0).filter((item) => item !== void 0);
      const keys = elements.map((element) => "IndexElem" in element && element.IndexElem.name ? { column: element.IndexElem.name } : { expression: { text: "", ast: element } });
      const columns = keys.map((key) => key.column ?? "expr");
      const name = node.conname ?? chooseIndexName(state, table, columns, "excl");
      const constraint = { name, kind: "exclude", columns, validated: true, origin };
      table.constraints.set(name, constraint);
      const index = constraintIndex(table, name, false, keys, stringList(node.including), origin);
      index.method = node.access_method ?? "gist";
      registerIndex(state, table, index);
      return constraint;
    }
    case "CONSTR_NOTNULL": {
      for (const column of stringList(node.keys)) {
        const found = table.columns.get(column);
        if (found) found.notNull = true;
      }
      return void 0;
    }
    default:
      return void 0;
  }
}
function adoptIndex(state, table, node, primary, columns) {
  const index = table.indexes.get(node.indexname);
  if (!index) return void 0;
  const name = node.conname ?? index.name;
  table.indexes.delete(index.name);
  index.name = name;
  index.primary = primary;
  index.unique = true;
  index.constraint = name;
  registerIndex(state, table, index);
  const keyColumns = columns.length > 0 ? columns : index.keys.flatMap((key) => key.column ? [key.column] : []);
  const constraint = { name, kind: primary ? "primary_key" : "unique", columns: keyColumns, validated: true, origin: originHere(state) };
  table.constraints.set(name, constraint);
  return constraint;
}
function createTableAs(state, stmt) {
  const relation = stmt.into?.rel;
  if (!relation) return;
  const qualified = qualifyForCreate(state, relation);
  if (state.catalog.tables.has(qualified)) return;
  const [schema, name] = splitQualified(qualified);
  const table = newTable(state, schema, name);
  const select = stmt.query && "SelectStmt" in stmt.query ? stmt.query.SelectStmt : void 0;
  const sources = (select?.fromClause ?? []).flatMap((node) => "RangeVar" in node ? [resolveRelation(state, node.RangeVar)] : []);
  table.createdFrom = { kind: "as_select", source: sources[0] };
  const explicitNames = stringList(stmt.into?.colNames);
  const sourceTables = sources.map((source) => state.catalog.tables.get(source)).filter((source) => source !== void 0);
  (select?.targetList ?? []).forEach((target, position) => {
    if (!("ResTarget" in target)) return;
    const value = target.ResTarget.val;
    if (value && "ColumnRef" in value && (value.ColumnRef.fields ?? []).some((field) => "A_Star" in field)) {
      for (const source of sourceTables) for (const column of source.columns.values()) {
        table.columns.set(column.name, { name: column.name, type: column.type, notNull: false, origin: originHere(state) });
      }
      return;
    }
    const sourceColumn = value && "ColumnRef" in value ? stringList(value.ColumnRef.fields).pop() : void 0;
    const columnName = explicitNames[position] ?? target.ResTarget.name ?? sourceColumn ?? targetName(value);
    if (!columnName) return;
    const isCount = value && "FuncCall" in value && stringList(value.FuncCall.funcname).pop() === "count";
    const type = isCount ? "bigint" : value && "TypeCast" in value ? typeText(state, value.TypeCast.typeName) : sourceColumn ? sourceTables.map((source) => source.columns.get(sourceColumn)?.type).find((found) => found) ?? "" : "";
    table.columns.set(columnName, { name: columnName, type, notNull: false, origin: originHere(state) });
  });
  registerTable(state, table);
}
function copyLike(state, table, clause) {
  if (!clause.relation) return;
  const sourceName = resolveRelation(state, clause.relation);
  const source = state.catalog.tables.get(sourceName);
  table.createdFrom = { kind: "like", source: sourceName };
  if (!source) {
    reportMissing(state, "table", sourceName);
    return;
  }
  const options = clause.options ?? 0;
  const includes = (bit) => (options & bit) !== 0;
  const defaults = includes(1 << 3);
  const constraints = includes(1 << 2);
  const indexes = includes(1 << 6);
  const identity = includes(1 << 5);
  for (const column of source.columns.values()) {
    table.columns.set(column.name, {
      name: column.name,
      type: column.type,
      notNull: column.notNull,
      default: defaults ? column.default : void 0,
      identity: identity ? column.identity : void 0,
      generated: includes(1 << 4) ? column.generated : void 0,
      origin: originHere(state)
    });
  }
  if (constraints) {
    for (const constraint of source.constraints.values()) {
      if (constraint.kind === "check") table.constraints.set(constraint.name, { ...constraint, origin: originHere(state) });
    }
  }
  if (indexes) copyIndexes(state, table, source);
}
function copyParent(state, table, parent, isPartition) {
  for (const column of parent.columns.values()) {
    if (table.columns.has(column.name)) continue;
    table.columns.set(column.name, { ...column, comment: void 0, origin: originHere(state) });
  }
  for (const constraint of parent.constraints.values()) {
    if (constraint.kind === "check" || isPartition && constraint.kind === "foreign_key") {
      table.constraints.set(constraint.name, { ...constraint, origin: originHere(state) });
    }
  }
  if (isPartition) copyIndexes(state, table, parent);
}
function copyIndexes(state, table, source) {
  for (const index of source.indexes.values()) {
    const columns = index.keys.map((key) => key.column ?? "expr");
    const label = index.primary ? "pkey" : index.constraint ? "key" : "idx";
    const name = chooseIndexName(state, table, columns, label);
    if (index.constraint) {
      const constraint = source.constraints.get(index.constraint);
      if (constraint) table.constraints.set(name, { ...constraint, name, origin: originHere(state) });
    }
    registerIndex(state, table, { ...index, name, table: `${table.schema}.${table.name}`, constraint: index.constraint ? name : void 0, origin: originHere(state) });
  }
}
function referencedColumns(node) {
  const names = [];
  const visit = (value) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== "object") return;
    const record = value;
    if ("ColumnRef" in record) {
      const fields = stringList(record.ColumnRef.fields).filter((field) => field !== "");
      const column = fields[fields.length - 1];
      if (column && !names.includes(column)) names.push(column);
      return;
    }
    for (const key in record) visit(record[key]);
  };
  visit(node);
  return names;
}
function targetName(value) {
  if (!value) return void 0;
  if ("FuncCall" in value) return stringList(value.FuncCall.funcname).pop();
  if ("TypeCast" in value) return targetName(value.TypeCast.arg) ?? stringList(value.TypeCast.typeName?.names).pop();
  if ("CoalesceExpr" in value) return "coalesce";
  return void 0;
}
function foreignKeyAction(action) {
  switch (action) {
    case "c":
      return "cascade";
    case "n":
      return "set null";
    case "d":
      return "set default";
    case "r":
      return "restrict";
    default:
      return void 0;
  }
}

// src/core/catalog/replay/views.ts
function createView(state, stmt) {
  if (!stmt.view) return;
  const qualified = qualifyForCreate(state, stmt.view);
  const existing = state.catalog.views.get(qualified);
  if (existing && !stmt.replace) return;
  const view = buildView(state, qualified, "view", stmt.query, stringList(stmt.aliases));
  applyViewOptions(view, stmt.options ?? [], false);
  if (existing) {
    view.grants = existing.grants;
    view.owner = existing.owner;
    view.comment = existing.comment;
    view.origin = { definedAt: existing.origin.definedAt, changedAt: state.statement.span };
  }
  state.catalog.views.set(qualified, view);
  recordCreated(state, objectKey.table(qualified));
}
function createMaterializedView(state, stmt) {
  const relation = stmt.into?.rel;
  if (!relation) return;
  const qualified = qualifyForCreate(state, relation);
  if (state.catalog.views.has(qualified)) return;
  const view = buildView(state, qualified, "materialized_view", stmt.query, stringList(stmt.into?.colNames));
  state.catalog.views.set(qualified, view);
  recordCreated(state, objectKey.table(qualified));
}
function applyViewOptions(view, options, reset) {
  for (const node of options) {
    if (!("DefElem" in node) || node.DefElem.defname !== "security_invoker") continue;
    view.securityInvoker = reset ? false : isTrue(node.DefElem.arg);
  }
}
function buildView(state, qualified, kind, query, aliases) {
  const [schema, name] = splitQualified(qualified);
  const tokens = tokensOf(state);
  const as = tokens.findKeywords(0, ["as"]);
  let text = as >= 0 ? tokens.textOfTokens(as + 1, tokens.tokens.length - 1) : "";
  text = text.replace(/\s+with\s+(cascaded\s+|local\s+)?check\s+option\s*$/i, "").replace(/\s+with\s+(no\s+)?data\s*$/i, "");
  const owner = state.currentRole;
  return {
    schema,
    name,
    kind,
    owner,
    definition: { text, ast: query },
    securityInvoker: false,
    dependsOn: relationsRead(state, query),
    columns: aliases.length > 0 ? aliases : outputColumns(state, query),
    grants: initialGrants(state.catalog, "tables", schema, owner),
    indexes: /* @__PURE__ */ new Map(),
    platform: false,
    origin: originHere(state)
  };
}
function relationsRead(state, query) {
  const cteNames = /* @__PURE__ */ new Set();
  const rangeVars = [];
  const visit = (value) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== "object") return;
    const record = value;
    if ("CommonTableExpr" in record) cteNames.add(record.CommonTableExpr.ctename ?? "");
    if ("RangeVar" in record) {
      rangeVars.push(record.RangeVar);
      return;
    }
    for (const key in record) visit(record[key]);
  };
  visit(query);
  const relations = [];
  for (const range of rangeVars) {
    if (!range.relname || !range.schemaname && cteNames.has(range.relname)) continue;
    const qualified = resolveRelationName(state, range.schemaname, range.relname);
    if (!relations.includes(qualified)) relations.push(qualified);
  }
  return relations;
}
function outputColumns(state, query) {
  const select = query && "SelectStmt" in query ? query.SelectStmt : void 0;
  const columns = [];
  for (const target of select?.targetList ?? []) {
    if (!("ResTarget" in target)) continue;
    const value = target.ResTarget.val;
    if (target.ResTarget.name) columns.push(target.ResTarget.name);
    else if (value && "ColumnRef" in value) {
      const fields = value.ColumnRef.fields ?? [];
      if (fields.some((field) => "A_Star" in field)) {
        for (const source of relationsRead(state, { SelectStmt: { fromClause: select?.fromClause } })) {
          const table = state.catalog.tables.get(source);
          if (table) columns.push(...table.columns.keys());
        }
      } else {
        const name = stringList(fields).pop();
        if (name) columns.push(name);
      }
    } else if (value && "FuncCall" in value) {
      const name = stringList(value.FuncCall.funcname).pop();
      if (name) columns.push(name);
    }
  }
  return columns;
}
function isTrue(arg) {
  if (!arg) return true;
  if ("Boolean" in arg) return Boolean(arg.Boolean.boolval);
  if ("String" in arg) return ["true", "on", "yes", "1"].includes((arg.String.sval ?? "").toLowerCase());
  if ("Integer" in arg) return (arg.Integer.ival ?? 0) !== 0;
  if ("TypeName" in arg) return ["true", "on", "yes"].includes(stringList(arg.TypeName.names).pop() ?? "");
  return false;
}

// src/core/catalog/replay/alterTable.ts
var NO_STOP_KEYWORDS = /* @__PURE__ */ new Set();
function alterTable(state, stmt) {
  if (!stmt.relation) return;
  const ifExists = Boolean(stmt.missing_ok);
  switch (stmt.objtype) {
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
      return alterView(state, stmt);
    case "OBJECT_SEQUENCE":
      return alterSequenceOwner(state, stmt);
    case "OBJECT_INDEX":
      return;
    default:
      break;
  }
  const qualified = resolveRelation(state, stmt.relation);
  const table = state.catalog.tables.get(qualified);
  if (!table) {
    if (state.catalog.views.has(qualified)) alterView(state, stmt);
    else reportMissing(state, "table", qualified, ifExists);
    return;
  }
  let cursor = 0;
  for (const node of stmt.cmds ?? []) {
    if (!("AlterTableCmd" in node)) continue;
    cursor = applyCommand(state, table, node.AlterTableCmd, cursor);
  }
  markChanged(state, table);
}
function applyCommand(state, table, command, cursor) {
  const qualified = `${table.schema}.${table.name}`;
  const column = command.name ? table.columns.get(command.name) : void 0;
  const needColumn = () => {
    if (column) return true;
    if (!table.platform) reportMissing(state, "column", `${qualified}.${command.name}`, command.missing_ok);
    return false;
  };
  switch (command.subtype) {
    case "AT_AddColumn": {
      const def = command.def && "ColumnDef" in command.def ? command.def.ColumnDef : void 0;
      if (!def?.colname || table.columns.has(def.colname) && command.missing_ok) return cursor;
      const constraints = [];
      addColumn(state, table, def, constraints);
      for (const constraint of constraints) addConstraint(state, table, constraint);
      return cursor;
    }
    case "AT_DropColumn":
      if (!needColumn()) return cursor;
      dropColumn(state, table, command.name);
      return cursor;
    case "AT_ColumnDefault": {
      if (!needColumn()) return cursor;
      if (!command.def) {
        column.default = void 0;
        markChanged(state, column);
        return cursor;
      }
      const found = expressionAfter(state, command.def, cursor, ["set", "default"], NO_STOP_KEYWORDS);
      column.default = found.expression;
      markChanged(state, column);
      return found.next;
    }
    case "AT_SetNotNull":
    case "AT_DropNotNull":
      if (!needColumn()) return cursor;
      column.notNull = command.subtype === "AT_SetNotNull";
      markChanged(state, column);
      return cursor;
    case "AT_AlterColumnType": {
      if (!needColumn()) return cursor;
      const def = command.def && "ColumnDef" in command.def ? command.def.ColumnDef : void 0;
      if (def?.typeName) column.type = typeText(state, def.typeName);
      markChanged(state, column);
      return cursor;
    }
    case "AT_AddIdentity":
      if (!needColumn()) return cursor;
      column.identity = identityOf(command.def);
      column.notNull = true;
      createOwnedSequence(state, table, column.name, command.def && "Constraint" in command.def ? command.def.Constraint.options : void 0);
      return cursor;
    case "AT_DropIdentity":
      if (column) column.identity = void 0;
      return cursor;
    case "AT_SetExpression":
    case "AT_DropExpression":
      if (column && command.subtype === "AT_DropExpression") column.generated = void 0;
      return cursor;
    case "AT_AddConstraint":
    case "AT_AddIndexConstraint": {
      const def = command.def && "Constraint" in command.def ? command.def.Constraint : void 0;
      if (!def) return cursor;
      if (def.conname && table.constraints.has(def.conname)) return cursor;
      addConstraint(state, table, def);
      return cursor;
    }
    case "AT_ValidateConstraint": {
      const constraint = table.constraints.get(command.name ?? "");
      if (constraint) {
        constraint.validated = true;
        markChanged(state, constraint);
      }
      return cursor;
    }
    case "AT_DropConstraint": {
      const name = command.name ?? "";
      if (!table.constraints.has(name)) return cursor;
      dropConstraint(state, table, name);
      return cursor;
    }
    case "AT_EnableRowSecurity":
    case "AT_DisableRowSecurity":
    case "AT_ForceRowSecurity":
    case "AT_NoForceRowSecurity":
      setRowSecurity(state, table, command.subtype);
      return cursor;
    case "AT_ChangeOwner":
      table.owner = roleSpecName(state, command.newowner);
      return cursor;
    case "AT_EnableTrig":
    case "AT_EnableAlwaysTrig":
    case "AT_EnableReplicaTrig":
    case "AT_DisableTrig": {
      const trigger = table.triggers.get(command.name ?? "");
      if (trigger) trigger.enabled = command.subtype !== "AT_DisableTrig";
      return cursor;
    }
    case "AT_EnableTrigAll":
    case "AT_EnableTrigUser":
    case "AT_DisableTrigAll":
    case "AT_DisableTrigUser":
      for (const trigger of table.triggers.values()) trigger.enabled = command.subtype.startsWith("AT_Enable");
      return cursor;
    case "AT_AttachPartition": {
      const partition = command.def && "PartitionCmd" in command.def ? command.def.PartitionCmd.name : void 0;
      if (!partition) return cursor;
      const child = state.catalog.tables.get(resolveRelation(state, partition));
      if (child) child.partitionOf = qualified;
      else reportMissing(state, "table", resolveRelation(state, partition));
      return cursor;
    }
    case "AT_DetachPartition": {
      const partition = command.def && "PartitionCmd" in command.def ? command.def.PartitionCmd.name : void 0;
      const child = partition ? state.catalog.tables.get(resolveRelation(state, partition)) : void 0;
      if (child) child.partitionOf = void 0;
      return cursor;
    }
    case "AT_AddInherit": {
      const parent = command.def && "RangeVar" in command.def ? resolveRelation(state, command.def.RangeVar) : void 0;
      if (parent) table.partitionOf = parent;
      return cursor;
    }
    case "AT_DropInherit":
      table.partitionOf = void 0;
      return cursor;
    default:
      return cursor;
  }
}
function dropColumn(state, table, name) {
  const qualified = `${table.schema}.${table.name}`;
  table.columns.delete(name);
  recordDropped(state, objectKey.column(qualified, name));
  for (const constraint of [...table.constraints.values()]) {
    if (constraint.columns.includes(name)) dropConstraint(state, table, constraint.name);
  }
  for (const index of [...table.indexes.values()]) {
    if (index.keys.some((key) => key.column === name) || index.include.includes(name)) unregisterIndex(state, table, index.name);
  }
  for (const [sequenceName, sequence] of state.catalog.sequences) {
    if (sequence.ownedBy === `${qualified}.${name}`) state.catalog.sequences.delete(sequenceName);
  }
}
function dropConstraint(state, table, name) {
  table.constraints.delete(name);
  const index = table.indexes.get(name);
  if (index?.constraint === name) unregisterIndex(state, table, name);
}
function alterView(state, stmt) {
  const view = state.catalog.views.get(resolveRelation(state, stmt.relation));
  if (!view) return;
  for (const node of stmt.cmds ?? []) {
    if (!("AlterTableCmd" in node)) continue;
    const command = node.AlterTableCmd;
    if (command.subtype === "AT_ChangeOwner") view.owner = roleSpecName(state, command.newowner);
    else if (command.subtype === "AT_SetRelOptions" || command.subtype === "AT_ResetRelOptions") {
      applyViewOptions(view, listOf(command.def), command.subtype === "AT_ResetRelOptions");
    }
  }
  markChanged(state, view);
}
function alterSequenceOwner(state, stmt) {
  const sequence = state.catalog.sequences.get(resolveRelation(state, stmt.relation));
  if (sequence) markChanged(state, sequence);
}
function identityOf(def) {
  return def && "Constraint" in def && def.Constraint.generated_when === "a" ? "always" : "by default";
}
function listOf(node) {
  return node && "List" in node ? node.List.items ?? [] : [];
}

// src/core/catalog/replay/comments.ts
function commentOn(state, stmt) {
  const comment = stmt.comment ?? void 0;
  const catalog = state.catalog;
  switch (stmt.objtype) {
    case "OBJECT_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_FOREIGN_TABLE": {
      const qualified = relationName(state, namesOf(stmt.object));
      const target = catalog.tables.get(qualified) ?? catalog.views.get(qualified);
      if (!target) return reportMissing(state, "table", qualified);
      target.comment = comment;
      return markChanged(state, target);
    }
    case "OBJECT_COLUMN": {
      const names = namesOf(stmt.object);
      const column = names.pop() ?? "";
      const qualified = relationName(state, names);
      const table = catalog.tables.get(qualified);
      if (!table) {
        if (!catalog.views.has(qualified)) reportMissing(state, "table", qualified);
        return;
      }
      const found = table.columns.get(column);
      if (!found) return table.platform ? void 0 : reportMissing(state, "column", `${qualified}.${column}`);
      found.comment = comment;
      return markChanged(state, found);
    }
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE":
    case "OBJECT_ROUTINE": {
      const { key, func } = findFunction(state, stmt.object && "ObjectWithArgs" in stmt.object ? stmt.object.ObjectWithArgs : void 0);
      if (!func) return reportMissing(state, "function", key);
      func.comment = comment;
      return markChanged(state, func);
    }
    case "OBJECT_SCHEMA": {
      const schema = catalog.schemas.get(stmt.object && "String" in stmt.object ? stmt.object.String.sval ?? "" : "");
      if (!schema) return;
      schema.comment = comment;
      return markChanged(state, schema);
    }
    case "OBJECT_POLICY": {
      const names = namesOf(stmt.object);
      const policyName = names.pop() ?? "";
      const qualified = relationName(state, names);
      const table = catalog.tables.get(qualified);
      if (!table) return reportMissing(state, "table", qualified);
      const policy = table.policies.get(policyName);
      if (policy) markChanged(state, policy);
      return;
    }
    default:
      return;
  }
}
function namesOf(object) {
  return object && "List" in object ? stringList(object.List.items) : [];
}
function relationName(state, names) {
  const name = names.pop() ?? "";
  return resolveRelationName(state, names.pop(), name);
}

// src/core/catalog/replay/drops.ts
function dropObjects(state, stmt) {
  const cascade = stmt.behavior === "DROP_CASCADE";
  const ifExists = Boolean(stmt.missing_ok);
  for (const object of stmt.objects ?? []) {
    switch (stmt.removeType) {
      case "OBJECT_TABLE":
      case "OBJECT_FOREIGN_TABLE": {
        const qualified = relationOf(state, object);
        if (state.catalog.tables.has(qualified)) dropTable(state, qualified, cascade);
        else reportMissing(state, "table", qualified, ifExists);
        break;
      }
      case "OBJECT_VIEW":
      case "OBJECT_MATVIEW": {
        const qualified = relationOf(state, object);
        if (state.catalog.views.has(qualified)) dropView(state, qualified, cascade);
        break;
      }
      case "OBJECT_INDEX": {
        const names = namesOf2(object);
        const memory = replayMemoryOf(state.catalog);
        const qualified = resolveIndexName(state, names.length > 1 ? names[0] : void 0, names[names.length - 1] ?? "", memory.indexOwners);
        const ownerName = memory.indexOwners.get(qualified);
        const owner = ownerName ? state.catalog.tables.get(ownerName) ?? state.catalog.views.get(ownerName) : void 0;
        if (owner) {
          unregisterIndex(state, owner, qualified.slice(qualified.indexOf(".") + 1));
          markChanged(state, owner);
        }
        break;
      }
      case "OBJECT_SEQUENCE":
        state.catalog.sequences.delete(relationOf(state, object));
        break;
      case "OBJECT_FUNCTION":
      case "OBJECT_PROCEDURE":
      case "OBJECT_ROUTINE":
      case "OBJECT_AGGREGATE": {
        const { key, func } = findFunction(state, "ObjectWithArgs" in object ? object.ObjectWithArgs : void 0);
        if (func) {
          state.catalog.functions.delete(key);
          recordDropped(state, objectKey.function(key));
        } else reportMissing(state, "function", key, ifExists);
        break;
      }
      case "OBJECT_POLICY":
      case "OBJECT_TRIGGER": {
        const names = namesOf2(object);
        const name = names.pop() ?? "";
        const qualified = resolveRelationName(state, names.length > 1 ? names[0] : void 0, names[names.length - 1] ?? "");
        const table = state.catalog.tables.get(qualified);
        if (!table) {
          reportMissing(state, "table", qualified, ifExists);
          break;
        }
        if (stmt.removeType === "OBJECT_POLICY") table.policies.delete(name);
        else table.triggers.delete(name);
        markChanged(state, table);
        break;
      }
      case "OBJECT_TYPE":
      case "OBJECT_DOMAIN": {
        const names = "TypeName" in object ? stringList(object.TypeName.names) : namesOf2(object);
        state.catalog.types.delete(resolveTypeName(state, names));
        break;
      }
      case "OBJECT_SCHEMA": {
        const schema = "String" in object ? object.String.sval ?? "" : "";
        if (cascade) dropSchemaContents(state, schema);
        state.catalog.schemas.delete(schema);
        break;
      }
      case "OBJECT_EXTENSION":
        state.catalog.extensions.delete("String" in object ? object.String.sval ?? "" : "");
        break;
      default:
        break;
    }
  }
}
function dropRoles(state, stmt) {
  for (const node of stmt.roles ?? []) state.catalog.roles.delete(roleSpecName(state, node));
}
function dropTable(state, qualified, cascade) {
  const catalog = state.catalog;
  const table = catalog.tables.get(qualified);
  if (!table) return;
  catalog.tables.delete(qualified);
  recordDropped(state, objectKey.table(qualified));
  for (const index of [...table.indexes.keys()]) unregisterIndex(state, table, index);
  for (const [name, sequence] of catalog.sequences) {
    if (sequence.ownedBy?.startsWith(`${qualified}.`)) catalog.sequences.delete(name);
  }
  for (const [name, child] of [...catalog.tables]) {
    if (child.partitionOf === qualified) {
      if (table.kind === "partitioned") dropTable(state, name, cascade);
      else if (cascade) dropTable(state, name, cascade);
    }
  }
  if (!cascade) return;
  for (const other of catalog.tables.values()) {
    for (const constraint of [...other.constraints.values()]) {
      if (constraint.references?.table === qualified) other.constraints.delete(constraint.name);
    }
  }
  dropDependentViews(state, qualified);
}
function dropView(state, qualified, cascade) {
  const view = state.catalog.views.get(qualified);
  if (!view) return;
  state.catalog.views.delete(qualified);
  recordDropped(state, objectKey.table(qualified));
  for (const index of [...view.indexes.keys()]) unregisterIndex(state, view, index);
  if (cascade) dropDependentViews(state, qualified);
}
function dropDependentViews(state, qualified) {
  for (const [name, view] of [...state.catalog.views]) {
    if (view.dependsOn.includes(qualified)) dropView(state, name, true);
  }
}
function dropSchemaContents(state, schema) {
  const catalog = state.catalog;
  for (const [name, table] of [...catalog.tables]) if (table.schema === schema) dropTable(state, name, true);
  for (const [name, view] of [...catalog.views]) if (view.schema === schema) dropView(state, name, true);
  for (const [key, func] of [...catalog.functions]) {
    if (func.schema === schema) {
      catalog.functions.delete(key);
      recordDropped(state, objectKey.function(key));
    }
  }
  for (const [name, type] of [...catalog.types]) if (type.schema === schema) catalog.types.delete(name);
  for (const [name, sequence] of [...catalog.sequences]) if (sequence.schema === schema) catalog.sequences.delete(name);
  for (const [name, extension] of [...catalog.extensions]) if (extension.schema === schema) catalog.extensions.delete(name);
}
function namesOf2(object) {
  return "List" in object ? stringList(object.List.items) : "String" in object ? [object.String.sval ?? ""] : [];
}
function relationOf(state, object) {
  const names = namesOf2(object);
  return resolveRelationName(state, names.length > 1 ? names[names.length - 2] : void 0, names[names.length - 1] ?? "");
}

// src/core/catalog/replay/extensions.ts
function createExtension(state, stmt) {
  const name = stmt.extname;
  if (!name || state.catalog.extensions.has(name)) return;
  let schema = creationSchema(state);
  let version;
  for (const node of stmt.options ?? []) {
    if (!("DefElem" in node)) continue;
    const value = node.DefElem.arg && "String" in node.DefElem.arg ? node.DefElem.arg.String.sval : void 0;
    if (node.DefElem.defname === "schema" && value) schema = value;
    else if (node.DefElem.defname === "new_version" && value) version = value;
  }
  state.catalog.extensions.set(name, { name, schema, version, platform: false, origin: originHere(state) });
}
function alterExtension(state, stmt) {
  const extension = state.catalog.extensions.get(stmt.extname ?? "");
  if (!extension) return;
  for (const node of stmt.options ?? []) {
    if ("DefElem" in node && node.DefElem.defname === "new_version" && node.DefElem.arg && "String" in node.DefElem.arg) {
      extension.version = node.DefElem.arg.String.sval;
    }
  }
  markChanged(state, extension);
}

// src/core/catalog/replay/functions.ts
function createFunction(state, stmt) {
  const names = stringList(stmt.funcname);
  const name = names[names.length - 1] ?? "";
  const schema = names.length > 1 ? names[names.length - 2] : creationSchema(state);
  const parameters = (stmt.parameters ?? []).flatMap((node) => "FunctionParameter" in node ? [node.FunctionParameter] : []);
  const argumentList = parameters.map((parameter) => functionArgument(state, parameter));
  const inputTypes = argumentList.filter((argument) => argument.mode !== "out" && argument.mode !== "table").map((argument) => argument.type);
  const key = `${schema}.${name}(${inputTypes.join(", ")})`;
  const existing = state.catalog.functions.get(key);
  if (existing && !stmt.replace) return;
  const owner = existing?.owner ?? state.currentRole;
  const func = {
    schema,
    name,
    key,
    kind: stmt.is_procedure ? "procedure" : "function",
    arguments: argumentList,
    returns: returnsText(state, stmt, argumentList),
    language: "sql",
    volatility: "volatile",
    securityDefiner: false,
    config: /* @__PURE__ */ new Map(),
    owner,
    grants: existing?.grants ?? initialGrants(state.catalog, "functions", schema, owner),
    comment: existing?.comment,
    platform: false,
    origin: existing ? { definedAt: existing.origin.definedAt, changedAt: state.statement.span } : originHere(state)
  };
  for (const node of stmt.options ?? []) {
    if ("DefElem" in node) applyFunctionOption(func, node.DefElem);
  }
  if (!func.body && stmt.sql_body) func.body = state.statement.text.slice(state.statement.text.search(/\bbegin\s+atomic\b|\breturn\b/i));
  state.catalog.functions.set(key, func);
  recordCreated(state, objectKey.function(key));
}
function alterFunction(state, stmt) {
  const { key, func } = findFunction(state, stmt.func);
  if (!func) {
    reportMissing(state, "function", key);
    return;
  }
  for (const node of stmt.actions ?? []) {
    if ("DefElem" in node) applyFunctionOption(func, node.DefElem);
  }
  markChanged(state, func);
}
function setFunctionOwner(state, object, owner) {
  const target = object && "ObjectWithArgs" in object ? object.ObjectWithArgs : void 0;
  const { key, func } = findFunction(state, target);
  if (!func) {
    reportMissing(state, "function", key);
    return;
  }
  func.owner = roleSpecName(state, owner);
  markChanged(state, func);
}
function applyFunctionOption(func, option) {
  const arg = option.arg;
  switch (option.defname) {
    case "language":
      func.language = arg && "String" in arg ? (arg.String.sval ?? "").toLowerCase() : func.language;
      break;
    case "volatility":
      func.volatility = arg && "String" in arg ? arg.String.sval : "volatile";
      break;
    case "security":
      func.securityDefiner = Boolean(arg && "Boolean" in arg && arg.Boolean.boolval);
      break;
    case "as": {
      const parts = arg && "List" in arg ? stringList(arg.List.items) : [];
      func.body = parts[0];
      break;
    }
    case "set":
      if (arg && "VariableSetStmt" in arg) applyConfig(func, arg.VariableSetStmt);
      break;
    default:
      break;
  }
}
function applyConfig(func, set) {
  const name = set.name ?? "";
  switch (set.kind) {
    case "VAR_SET_VALUE":
      func.config.set(name, configValueText(set.args ?? []));
      break;
    case "VAR_SET_CURRENT":
      func.config.set(name, "FROM CURRENT");
      break;
    case "VAR_SET_DEFAULT":
    case "VAR_RESET":
      func.config.delete(name);
      break;
    case "VAR_RESET_ALL":
      func.config.clear();
      break;
    default:
      break;
  }
}
function configValueText(args) {
  return args.map((node) => {
    if (!("A_Const" in node)) return "";
    const constant = node.A_Const;
    if (constant.sval) {
      const value = constant.sval.sval ?? "";
      return /^[a-z_][a-z0-9_$]*$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
    }
    if (constant.ival) return String(constant.ival.ival ?? 0);
    if (constant.fval) return constant.fval.fval ?? "";
    if (constant.boolval) return String(Boolean(constant.boolval.boolval));
    return "";
  }).join(", ");
}
function functionArgument(state, parameter) {
  const argument = { type: typeText(state, parameter.argType), mode: parameterMode(parameter.mode) };
  if (parameter.name) argument.name = parameter.name;
  if (parameter.defexpr) argument.default = parameterDefaultText(state, parameter);
  return argument;
}
function parameterDefaultText(state, parameter) {
  const tokens = tokensOf(state);
  let depth = 0;
  for (let i = tokens.indexAtLocation(parameter.location); i < tokens.tokens.length; i++) {
    const token = tokens.tokens[i];
    if (token.text === "(") depth++;
    else if (token.text === ")" && --depth < 0) break;
    else if (depth === 0 && token.text === ",") break;
    else if (depth === 0 && (token.keyword === "default" || token.text === "=")) return tokens.expressionFrom(i + 1, NO_STOP_KEYWORDS2).text;
  }
  return "";
}
var NO_STOP_KEYWORDS2 = /* @__PURE__ */ new Set();
function parameterMode(mode) {
  switch (mode) {
    case "FUNC_PARAM_OUT":
      return "out";
    case "FUNC_PARAM_INOUT":
      return "inout";
    case "FUNC_PARAM_VARIADIC":
      return "variadic";
    case "FUNC_PARAM_TABLE":
      return "table";
    default:
      return "in";
  }
}
function returnsText(state, stmt, argumentList) {
  if (stmt.is_procedure) return void 0;
  const tableColumns = argumentList.filter((argument) => argument.mode === "table");
  if (tableColumns.length > 0) return `TABLE(${tableColumns.map((column) => `${column.name ?? ""} ${column.type}`.trim()).join(", ")})`;
  if (!stmt.returnType) return void 0;
  const type = typeText(state, stmt.returnType);
  return stmt.returnType.setof ? `SETOF ${type}` : type;
}

// src/core/catalog/replay/grants.ts
var ALL_PRIVILEGES = {
  tables: ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"],
  sequences: ["USAGE", "SELECT", "UPDATE"],
  functions: ["EXECUTE"],
  types: ["USAGE"],
  schemas: ["USAGE", "CREATE"]
};
function grantOrRevoke(state, stmt) {
  const objectType = privilegeObjectType(stmt.objtype);
  if (!objectType) return;
  const privileges = privilegeList(stmt.privileges, objectType);
  if (privileges === void 0) return;
  const grantees = (stmt.grantees ?? []).map((node) => roleSpecName(state, node));
  for (const target of grantTargets(state, stmt, objectType)) {
    for (const grantee of grantees) {
      if (stmt.is_grant) grant(target.grants, grantee, privileges);
      else revoke(target.grants, grantee, privileges);
    }
    markChanged(state, target);
  }
}
function alterDefaultPrivileges(state, stmt) {
  const action = stmt.action;
  const objectType = action ? privilegeObjectType(action.objtype) : void 0;
  if (!action || !objectType) return;
  const privileges = privilegeList(action.privileges, objectType);
  if (!privileges) return;
  let forRoles = [state.currentRole];
  let schemas = [void 0];
  for (const node of stmt.options ?? []) {
    if (!("DefElem" in node)) continue;
    const items = node.DefElem.arg && "List" in node.DefElem.arg ? node.DefElem.arg.List.items ?? [] : [];
    if (node.DefElem.defname === "roles") forRoles = items.map((item) => roleSpecName(state, item));
    else if (node.DefElem.defname === "schemas") schemas = stringList(items);
  }
  const grantees = (action.grantees ?? []).map((node) => roleSpecName(state, node));
  const entries = state.catalog.defaultPrivileges;
  for (const forRole of forRoles) {
    for (const schema of schemas) {
      for (const grantee of grantees) {
        if (action.is_grant) {
          const entry = entries.find((found) => found.forRole === forRole && found.schema === schema && found.objectType === objectType && found.grantee === grantee && found.privileges.size > 0);
          if (entry) for (const privilege of privileges) entry.privileges.add(privilege);
          else entries.push({ forRole, schema, objectType, grantee, privileges: new Set(privileges) });
          continue;
        }
        for (let i = entries.length - 1; i >= 0; i--) {
          const entry = entries[i];
          if (entry.forRole !== forRole || entry.schema !== schema || entry.objectType !== objectType || entry.grantee !== grantee || entry.privileges.size === 0) continue;
          for (const privilege of privileges) entry.privileges.delete(privilege);
          if (entry.privileges.size === 0) entries.splice(i, 1);
        }
        const builtin = objectType === "functions" ? "EXECUTE" : objectType === "types" ? "USAGE" : void 0;
        if (schema === void 0 && grantee === "PUBLIC" && builtin && privileges.includes(builtin)) {
          entries.push({ forRole, schema, objectType, grantee, privileges: /* @__PURE__ */ new Set() });
        }
      }
    }
  }
}
function grantOrRevokeRole(state, stmt) {
  const granted = (stmt.granted_roles ?? []).map((node) => "AccessPriv" in node ? node.AccessPriv.priv_name ?? "" : roleSpecName(state, node));
  for (const node of stmt.grantee_roles ?? []) {
    const member = state.catalog.roles.get(roleSpecName(state, node));
    if (!member) continue;
    for (const role of granted) {
      if (stmt.is_grant && !member.memberOf.includes(role)) member.memberOf.push(role);
      else if (!stmt.is_grant) member.memberOf = member.memberOf.filter((existing) => existing !== role);
    }
    member.origin.changedAt = state.statement.span;
  }
}
function grantTargets(state, stmt, objectType) {
  const catalog = state.catalog;
  const targets = [];
  if (stmt.targtype === "ACL_TARGET_ALL_IN_SCHEMA") {
    const schemas = new Set(stringList(stmt.objects));
    if (objectType === "tables") {
      for (const table of catalog.tables.values()) if (schemas.has(table.schema)) targets.push(table);
      for (const view of catalog.views.values()) if (schemas.has(view.schema)) targets.push(view);
    } else if (objectType === "sequences") {
      for (const sequence of catalog.sequences.values()) if (schemas.has(sequence.schema)) targets.push(sequence);
    } else if (objectType === "functions") {
      const kind = stmt.objtype === "OBJECT_PROCEDURE" ? "procedure" : stmt.objtype === "OBJECT_FUNCTION" ? "function" : void 0;
      for (const func of catalog.functions.values()) if (schemas.has(func.schema) && (!kind || func.kind === kind)) targets.push(func);
    }
    return targets;
  }
  for (const node of stmt.objects ?? []) {
    if (objectType === "schemas") {
      const schema = catalog.schemas.get("String" in node ? node.String.sval ?? "" : "");
      if (schema) targets.push(schema);
    } else if (objectType === "functions") {
      const { key, func } = findFunction(state, "ObjectWithArgs" in node ? node.ObjectWithArgs : void 0);
      if (func) targets.push(func);
      else reportMissing(state, "function", key);
    } else if (objectType === "tables" || objectType === "sequences") {
      const range = "RangeVar" in node ? node.RangeVar : void 0;
      if (!range?.relname) continue;
      const qualified = resolveRelationName(state, range.schemaname, range.relname);
      const target = catalog.tables.get(qualified) ?? catalog.views.get(qualified) ?? catalog.sequences.get(qualified);
      if (target) targets.push(target);
      else if (objectType === "tables") reportMissing(state, "table", qualified);
    }
  }
  return targets;
}
function privilegeObjectType(objtype) {
  switch (objtype) {
    case "OBJECT_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_FOREIGN_TABLE":
      return "tables";
    case "OBJECT_SEQUENCE":
      return "sequences";
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE":
    case "OBJECT_ROUTINE":
      return "functions";
    case "OBJECT_TYPE":
    case "OBJECT_DOMAIN":
      return "types";
    case "OBJECT_SCHEMA":
      return "schemas";
    default:
      return void 0;
  }
}
function privilegeList(nodes, objectType) {
  if (!nodes || nodes.length === 0) return ALL_PRIVILEGES[objectType];
  const privileges = [];
  for (const node of nodes) {
    if (!("AccessPriv" in node)) continue;
    const access = node.AccessPriv;
    if (access.cols && access.cols.length > 0) continue;
    if (!access.priv_name || access.priv_name === "all") return ALL_PRIVILEGES[objectType];
    privileges.push(access.priv_name.toUpperCase());
  }
  return privileges.length > 0 ? privileges : void 0;
}

// src/core/catalog/replay/owners.ts
function alterOwner(state, stmt) {
  const owner = roleSpecName(state, stmt.newowner);
  switch (stmt.objectType) {
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE":
    case "OBJECT_ROUTINE":
      return setFunctionOwner(state, stmt.object, stmt.newowner);
    case "OBJECT_SCHEMA": {
      const schema = state.catalog.schemas.get(stmt.object && "String" in stmt.object ? stmt.object.String.sval ?? "" : "");
      if (!schema) return;
      schema.owner = owner;
      return markChanged(state, schema);
    }
    case "OBJECT_TYPE":
    case "OBJECT_DOMAIN": {
      const names = stmt.object && "List" in stmt.object ? stringList(stmt.object.List.items) : [];
      const type = state.catalog.types.get(resolveTypeName(state, names));
      if (type) markChanged(state, type);
      return;
    }
    default:
      return;
  }
}

// src/core/catalog/replay/renames.ts
function renameObject(state, stmt) {
  const newName = stmt.newname ?? "";
  const ifExists = Boolean(stmt.missing_ok);
  const catalog = state.catalog;
  switch (stmt.renameType) {
    case "OBJECT_TABLE":
    case "OBJECT_FOREIGN_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_SEQUENCE": {
      if (!stmt.relation) return;
      const qualified = resolveRelation(state, stmt.relation);
      const schema = qualified.slice(0, qualified.indexOf("."));
      if (catalog.tables.has(qualified)) moveTable(state, qualified, schema, newName);
      else if (catalog.views.has(qualified)) moveView(state, qualified, schema, newName);
      else if (catalog.sequences.has(qualified)) moveSequence(state, qualified, schema, newName);
      else reportMissing(state, "table", qualified, ifExists);
      return;
    }
    case "OBJECT_COLUMN": {
      if (!stmt.relation) return;
      const qualified = resolveRelation(state, stmt.relation);
      const table = catalog.tables.get(qualified);
      const view = catalog.views.get(qualified);
      if (view) {
        view.columns = view.columns.map((column) => column === stmt.subname ? newName : column);
        return markChanged(state, view);
      }
      if (!table) return reportMissing(state, "table", qualified, ifExists);
      if (!table.columns.has(stmt.subname ?? "")) return table.platform ? void 0 : reportMissing(state, "column", `${qualified}.${stmt.subname}`, ifExists);
      renameColumn(state, table, stmt.subname, newName);
      return markChanged(state, table);
    }
    case "OBJECT_TABCONSTRAINT": {
      const table = stmt.relation ? catalog.tables.get(resolveRelation(state, stmt.relation)) : void 0;
      const constraint = table?.constraints.get(stmt.subname ?? "");
      if (!table || !constraint) return;
      table.constraints.delete(constraint.name);
      const index = table.indexes.get(constraint.name);
      constraint.name = newName;
      table.constraints.set(newName, constraint);
      if (index?.constraint) renameIndexOn(state, table, index.name, newName);
      markChanged(state, constraint);
      return markChanged(state, table);
    }
    case "OBJECT_INDEX": {
      if (!stmt.relation) return;
      const owners = replayMemoryOf(catalog).indexOwners;
      const qualified = resolveIndexName(state, stmt.relation.schemaname, stmt.relation.relname ?? "", owners);
      const ownerName = owners.get(qualified);
      const owner = ownerName ? catalog.tables.get(ownerName) ?? catalog.views.get(ownerName) : void 0;
      if (!owner) return;
      const oldName = qualified.slice(qualified.indexOf(".") + 1);
      renameIndexOn(state, owner, oldName, newName);
      if ("constraints" in owner) {
        const constraint = owner.constraints.get(oldName);
        if (constraint && owner.indexes.get(newName)?.constraint) {
          owner.constraints.delete(oldName);
          constraint.name = newName;
          owner.constraints.set(newName, constraint);
        }
      }
      return markChanged(state, owner);
    }
    case "OBJECT_POLICY":
    case "OBJECT_TRIGGER": {
      const qualified = stmt.relation ? resolveRelation(state, stmt.relation) : "";
      const table = catalog.tables.get(qualified);
      if (!table) return reportMissing(state, "table", qualified, ifExists);
      const members = stmt.renameType === "OBJECT_POLICY" ? table.policies : table.triggers;
      const member = members.get(stmt.subname ?? "");
      if (!member) return;
      members.delete(member.name);
      member.name = newName;
      members.set(newName, member);
      markChanged(state, member);
      return markChanged(state, table);
    }
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE":
    case "OBJECT_ROUTINE":
      return moveFunction(state, stmt.object, void 0, newName);
    case "OBJECT_TYPE":
    case "OBJECT_DOMAIN": {
      const qualified = resolveTypeName(state, namesOf3(stmt.object));
      const type = catalog.types.get(qualified);
      if (!type) return;
      catalog.types.delete(qualified);
      type.name = newName;
      catalog.types.set(`${type.schema}.${newName}`, type);
      return markChanged(state, type);
    }
    case "OBJECT_SCHEMA": {
      const schema = catalog.schemas.get(stmt.subname ?? "");
      if (!schema) return;
      catalog.schemas.delete(schema.name);
      const oldName = schema.name;
      schema.name = newName;
      catalog.schemas.set(newName, schema);
      moveSchemaContents(state, oldName, newName);
      return markChanged(state, schema);
    }
    case "OBJECT_ROLE": {
      const role = catalog.roles.get(stmt.subname ?? "");
      if (!role) return;
      catalog.roles.delete(role.name);
      role.name = newName;
      catalog.roles.set(newName, role);
      return;
    }
    default:
      return;
  }
}
function setObjectSchema(state, stmt) {
  const newSchema = stmt.newschema ?? "";
  const catalog = state.catalog;
  switch (stmt.objectType) {
    case "OBJECT_TABLE":
    case "OBJECT_FOREIGN_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_SEQUENCE": {
      if (!stmt.relation) return;
      const qualified = resolveRelation(state, stmt.relation);
      const name = stmt.relation.relname ?? "";
      if (catalog.tables.has(qualified)) moveTable(state, qualified, newSchema, name);
      else if (catalog.views.has(qualified)) moveView(state, qualified, newSchema, name);
      else if (catalog.sequences.has(qualified)) moveSequence(state, qualified, newSchema, name);
      else reportMissing(state, "table", qualified, Boolean(stmt.missing_ok));
      return;
    }
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE":
    case "OBJECT_ROUTINE":
      return moveFunction(state, stmt.object, newSchema, void 0);
    case "OBJECT_EXTENSION": {
      const extension = catalog.extensions.get(stmt.object && "String" in stmt.object ? stmt.object.String.sval ?? "" : "");
      if (!extension) return;
      extension.schema = newSchema;
      return markChanged(state, extension);
    }
    case "OBJECT_TYPE":
    case "OBJECT_DOMAIN": {
      const qualified = resolveTypeName(state, namesOf3(stmt.object));
      const type = catalog.types.get(qualified);
      if (!type) return;
      catalog.types.delete(qualified);
      type.schema = newSchema;
      catalog.types.set(`${newSchema}.${type.name}`, type);
      return markChanged(state, type);
    }
    default:
      return;
  }
}
function moveTable(state, qualified, schema, name) {
  const catalog = state.catalog;
  const table = catalog.tables.get(qualified);
  const target = `${schema}.${name}`;
  const owners = replayMemoryOf(catalog).indexOwners;
  for (const index of table.indexes.keys()) owners.delete(`${table.schema}.${index}`);
  catalog.tables.delete(qualified);
  recordDropped(state, objectKey.table(qualified), target);
  table.schema = schema;
  table.name = name;
  catalog.tables.set(target, table);
  recordCreated(state, objectKey.table(target));
  for (const index of table.indexes.values()) registerIndex(state, table, index);
  for (const index of table.indexes.values()) index.table = target;
  for (const policy of table.policies.values()) policy.table = target;
  for (const trigger of table.triggers.values()) trigger.table = target;
  for (const other of catalog.tables.values()) {
    if (other.partitionOf === qualified) other.partitionOf = target;
    for (const constraint of other.constraints.values()) {
      if (constraint.references?.table === qualified) constraint.references.table = target;
    }
  }
  renameInViews(state, qualified, target);
  for (const sequence of catalog.sequences.values()) {
    if (sequence.ownedBy?.startsWith(`${qualified}.`)) sequence.ownedBy = `${target}.${sequence.ownedBy.slice(qualified.length + 1)}`;
  }
  markChanged(state, table);
}
function moveView(state, qualified, schema, name) {
  const catalog = state.catalog;
  const view = catalog.views.get(qualified);
  const target = `${schema}.${name}`;
  const owners = replayMemoryOf(catalog).indexOwners;
  for (const index of view.indexes.keys()) owners.delete(`${view.schema}.${index}`);
  catalog.views.delete(qualified);
  recordDropped(state, objectKey.table(qualified), target);
  view.schema = schema;
  view.name = name;
  catalog.views.set(target, view);
  recordCreated(state, objectKey.table(target));
  for (const index of view.indexes.values()) {
    index.table = target;
    registerIndex(state, view, index);
  }
  renameInViews(state, qualified, target);
  markChanged(state, view);
}
function moveSequence(state, qualified, schema, name) {
  const sequence = state.catalog.sequences.get(qualified);
  state.catalog.sequences.delete(qualified);
  sequence.schema = schema;
  sequence.name = name;
  state.catalog.sequences.set(`${schema}.${name}`, sequence);
  markChanged(state, sequence);
}
function moveFunction(state, object, newSchema, newName) {
  const { key, func } = findFunction(state, object && "ObjectWithArgs" in object ? object.ObjectWithArgs : void 0);
  if (!func) return reportMissing(state, "function", key);
  state.catalog.functions.delete(key);
  func.schema = newSchema ?? func.schema;
  func.name = newName ?? func.name;
  func.key = `${func.schema}.${func.name}(${key.slice(key.indexOf("(") + 1, -1)})`;
  recordDropped(state, objectKey.function(key), func.key);
  state.catalog.functions.set(func.key, func);
  recordCreated(state, objectKey.function(func.key));
  for (const table of state.catalog.tables.values()) {
    for (const trigger of table.triggers.values()) if (trigger.function === key) trigger.function = func.key;
  }
  markChanged(state, func);
}
function renameColumn(state, table, oldName, newName) {
  const qualified = `${table.schema}.${table.name}`;
  const renamed = /* @__PURE__ */ new Map();
  for (const [name, column] of table.columns) {
    if (name === oldName) {
      column.name = newName;
      renamed.set(newName, column);
    } else renamed.set(name, column);
  }
  table.columns = renamed;
  recordDropped(state, objectKey.column(qualified, oldName), newName);
  recordCreated(state, objectKey.column(qualified, newName));
  const swap = (columns) => columns.map((column) => column === oldName ? newName : column);
  for (const constraint of table.constraints.values()) constraint.columns = swap(constraint.columns);
  for (const index of table.indexes.values()) {
    for (const key of index.keys) if (key.column === oldName) key.column = newName;
    index.include = swap(index.include);
  }
  for (const other of state.catalog.tables.values()) {
    for (const constraint of other.constraints.values()) {
      if (constraint.references?.table === qualified) constraint.references.columns = swap(constraint.references.columns);
    }
  }
  for (const sequence of state.catalog.sequences.values()) {
    if (sequence.ownedBy === `${qualified}.${oldName}`) sequence.ownedBy = `${qualified}.${newName}`;
  }
}
function renameIndexOn(state, owner, oldName, newName) {
  const index = owner.indexes.get(oldName);
  if (!index) return;
  unregisterIndex(state, owner, oldName);
  index.name = newName;
  if (index.constraint) index.constraint = newName;
  registerIndex(state, owner, index);
}
function renameInViews(state, from, to) {
  for (const view of state.catalog.views.values()) {
    view.dependsOn = view.dependsOn.map((name) => name === from ? to : name);
  }
}
function moveSchemaContents(state, from, to) {
  const catalog = state.catalog;
  for (const [qualified, table] of [...catalog.tables]) if (table.schema === from) moveTable(state, qualified, to, table.name);
  for (const [qualified, view] of [...catalog.views]) if (view.schema === from) moveView(state, qualified, to, view.name);
  for (const [qualified, sequence] of [...catalog.sequences]) if (sequence.schema === from) moveSequence(state, qualified, to, sequence.name);
  for (const [key, func] of [...catalog.functions]) {
    if (func.schema !== from) continue;
    catalog.functions.delete(key);
    func.schema = to;
    func.key = `${to}.${key.slice(from.length + 1)}`;
    catalog.functions.set(func.key, func);
  }
  for (const [qualified, type] of [...catalog.types]) {
    if (type.schema !== from) continue;
    catalog.types.delete(qualified);
    type.schema = to;
    catalog.types.set(`${to}.${type.name}`, type);
  }
  for (const extension of catalog.extensions.values()) if (extension.schema === from) extension.schema = to;
}
function namesOf3(object) {
  return object && "List" in object ? stringList(object.List.items) : [];
}

// src/core/catalog/replay/roles.ts
function createRole(state, stmt) {
  const name = stmt.role;
  if (!name || state.catalog.roles.has(name)) return;
  const role = {
    name,
    login: stmt.stmt_type === "ROLESTMT_USER",
    bypassRls: false,
    superuser: false,
    inherit: true,
    memberOf: [],
    platform: false,
    origin: originHere(state)
  };
  applyRoleOptions(state, role, stmt.options);
  state.catalog.roles.set(name, role);
}
function alterRole(state, stmt) {
  const role = state.catalog.roles.get(roleSpecName(state, stmt.role));
  if (!role) return;
  applyRoleOptions(state, role, stmt.options);
  markChanged(state, role);
}
function applyRoleOptions(state, role, options) {
  for (const node of options ?? []) {
    if (!("DefElem" in node)) continue;
    const arg = node.DefElem.arg;
    const enabled = !arg || ("Boolean" in arg ? Boolean(arg.Boolean.boolval) : "Integer" in arg ? (arg.Integer.ival ?? 0) !== 0 : true);
    switch (node.DefElem.defname) {
      case "canlogin":
        role.login = enabled;
        break;
      case "bypassrls":
        role.bypassRls = enabled;
        break;
      case "superuser":
        role.superuser = enabled;
        break;
      case "inherit":
        role.inherit = enabled;
        break;
      case "addroleto": {
        const items = arg && "List" in arg ? arg.List.items ?? [] : [];
        for (const item of items) role.memberOf.push(roleSpecName(state, item));
        break;
      }
      default:
        break;
    }
  }
}

// src/core/catalog/replay/schemas.ts
function createSchema(state, stmt) {
  const owner = stmt.authrole ? roleSpecName(state, stmt.authrole) : state.currentRole;
  const name = stmt.schemaname ?? owner;
  if (state.catalog.schemas.has(name)) return;
  state.catalog.schemas.set(name, { name, owner, grants: initialGrants(state.catalog, "schemas", name, owner), platform: false, origin: originHere(state) });
}

// src/core/catalog/replay/sequences.ts
function createSequence(state, stmt) {
  if (!stmt.sequence) return;
  const qualified = qualifyForCreate(state, stmt.sequence);
  if (state.catalog.sequences.has(qualified)) return;
  const [schema, name] = splitQualified(qualified);
  state.catalog.sequences.set(qualified, {
    schema,
    name,
    ownedBy: ownedBy(state, stmt.options),
    grants: initialGrants(state.catalog, "sequences", schema, state.currentRole),
    platform: false,
    origin: originHere(state)
  });
}
function alterSequence(state, stmt) {
  if (!stmt.sequence) return;
  const sequence = state.catalog.sequences.get(resolveRelation(state, stmt.sequence));
  if (!sequence) return;
  const owner = ownedBy(state, stmt.options);
  if (owner !== void 0 || hasOwnedBy(stmt.options)) sequence.ownedBy = owner;
  markChanged(state, sequence);
}
function ownedBy(state, options) {
  for (const node of options ?? []) {
    if (!("DefElem" in node) || node.DefElem.defname !== "owned_by") continue;
    const parts = node.DefElem.arg && "List" in node.DefElem.arg ? stringList(node.DefElem.arg.List.items) : [];
    if (parts.length === 1 && parts[0].toLowerCase() === "none") return void 0;
    const column = parts.pop() ?? "";
    const table = resolveRelation(state, { relname: parts.pop(), schemaname: parts.pop() });
    return `${table}.${column}`;
  }
  return void 0;
}
function hasOwnedBy(options) {
  return (options ?? []).some((node) => "DefElem" in node && node.DefElem.defname === "owned_by");
}

// src/core/catalog/replay/replayState.ts
var DEFAULT_SEARCH_PATH = ["public"];

// src/core/catalog/replay/session.ts
function setVariable(state, stmt) {
  const name = (stmt.name ?? "").toLowerCase();
  const reset = stmt.kind === "VAR_RESET" || stmt.kind === "VAR_SET_DEFAULT" || stmt.kind === "VAR_RESET_ALL";
  if (name === "search_path" || stmt.kind === "VAR_RESET_ALL") {
    state.searchPath = reset ? [...DEFAULT_SEARCH_PATH] : parseSearchPath((stmt.args ?? []).map(constantText));
  }
  if (name === "role" || name === "session_authorization" || stmt.kind === "VAR_RESET_ALL") {
    const role = (stmt.args ?? []).map(constantText)[0];
    state.currentRole = reset || !role || role.toLowerCase() === "none" ? state.catalog.migrationRole : role;
  }
}
function applySetConfigCall(state, node) {
  const select = "SelectStmt" in node ? node.SelectStmt : void 0;
  const target = select?.targetList?.[0];
  const value = target && "ResTarget" in target ? target.ResTarget.val : void 0;
  if (!value || !("FuncCall" in value)) return;
  const names = (value.FuncCall.funcname ?? []).map(constantText);
  if (names[names.length - 1] !== "set_config") return;
  const [setting, newValue] = (value.FuncCall.args ?? []).map(constantText);
  if (setting === "search_path" && newValue !== void 0) state.searchPath = parseSearchPath(newValue.split(","));
}
function parseSearchPath(entries) {
  return entries.map((entry) => entry.trim().replace(/^"(.*)"$/, "$1")).filter((entry) => entry !== "" && entry !== "$user");
}
function constantText(node) {
  if ("A_Const" in node) return node.A_Const.sval?.sval ?? (node.A_Const.ival ? String(node.A_Const.ival.ival ?? 0) : "");
  if ("String" in node) return node.String.sval ?? "";
  return "";
}

// src/core/catalog/replay/triggers.ts
var TRIGGER_TYPE_BEFORE = 1 << 1;
var TRIGGER_TYPE_INSTEAD = 1 << 6;
var TRIGGER_EVENTS = [[1 << 2, "insert"], [1 << 4, "update"], [1 << 3, "delete"], [1 << 5, "truncate"]];
function createTrigger(state, stmt) {
  const table = tableFor(state, stmt.relation);
  if (!table || !stmt.trigname) return;
  if (table.triggers.has(stmt.trigname) && !stmt.replace) return;
  const names = stringList(stmt.funcname);
  const name = names[names.length - 1] ?? "";
  const schemas = names.length > 1 ? [names[names.length - 2]] : state.searchPath;
  let functionKey = `${schemas[0] ?? "public"}.${name}()`;
  const found = schemas.map((schema) => `${schema}.${name}()`).find((key) => state.catalog.functions.has(key));
  if (found) functionKey = found;
  else reportMissing(state, "function", functionKey);
  const timing = stmt.timing ?? 0;
  const trigger = {
    name: stmt.trigname,
    table: `${table.schema}.${table.name}`,
    function: functionKey,
    timing: timing & TRIGGER_TYPE_INSTEAD ? "instead of" : timing & TRIGGER_TYPE_BEFORE ? "before" : "after",
    events: TRIGGER_EVENTS.filter(([bit]) => ((stmt.events ?? 0) & bit) !== 0).map(([, event]) => event),
    forEach: stmt.row ? "row" : "statement",
    when: expressionInParentheses(state, stmt.whenClause, 0, ["when"]),
    enabled: true,
    origin: originHere(state)
  };
  table.triggers.set(trigger.name, trigger);
}

// src/core/catalog/replay/types.ts
function createEnum(state, stmt) {
  addType(state, stringList(stmt.typeName), { kind: "enum", values: stringList(stmt.vals) });
}
function createCompositeType(state, stmt) {
  if (!stmt.typevar) return;
  const qualified = qualifyForCreate(state, stmt.typevar);
  const attributes = (stmt.coldeflist ?? []).flatMap((node) => "ColumnDef" in node ? [{ name: node.ColumnDef.colname ?? "", type: typeText(state, node.ColumnDef.typeName) }] : []);
  addType(state, splitQualified(qualified), { kind: "composite", attributes });
}
function createRangeType(state, stmt) {
  addType(state, stringList(stmt.typeName), { kind: "range" });
}
function createDomain(state, stmt) {
  addType(state, stringList(stmt.domainname), { kind: "domain", baseType: typeText(state, stmt.typeName) });
}
function alterEnum(state, stmt) {
  const type = state.catalog.types.get(resolveTypeName(state, stringList(stmt.typeName)));
  if (!type?.values || !stmt.newVal) return;
  if (stmt.oldVal) {
    const position = type.values.indexOf(stmt.oldVal);
    if (position >= 0) type.values[position] = stmt.newVal;
  } else if (!type.values.includes(stmt.newVal)) {
    const neighbor = stmt.newValNeighbor ? type.values.indexOf(stmt.newValNeighbor) : -1;
    if (neighbor < 0) type.values.push(stmt.newVal);
    else type.values.splice(stmt.newValIsAfter ? neighbor + 1 : neighbor, 0, stmt.newVal);
  }
  markChanged(state, type);
}
function addType(state, names, shape) {
  const name = names[names.length - 1] ?? "";
  const schema = names.length > 1 ? names[names.length - 2] : state.searchPath[0] ?? "public";
  const qualified = `${schema}.${name}`;
  if (state.catalog.types.has(qualified)) return;
  state.catalog.types.set(qualified, { schema, name, ...shape, platform: false, origin: originHere(state) });
  recordCreated(state, objectKey.type(qualified));
}

// src/core/catalog/replay/replayStatement.ts
function replayStatement(state) {
  const node = state.statement.node;
  if ("CreateStmt" in node) return createTable(state, node.CreateStmt);
  if ("CreateForeignTableStmt" in node) return node.CreateForeignTableStmt.base ? createTable(state, node.CreateForeignTableStmt.base, "foreign") : void 0;
  if ("AlterTableStmt" in node) return alterTable(state, node.AlterTableStmt);
  if ("CreateTableAsStmt" in node) {
    const stmt = node.CreateTableAsStmt;
    return stmt.objtype === "OBJECT_MATVIEW" ? createMaterializedView(state, stmt) : createTableAs(state, stmt);
  }
  if ("IndexStmt" in node) return createIndex(state, node.IndexStmt);
  if ("CreatePolicyStmt" in node) return createPolicy(state, node.CreatePolicyStmt);
  if ("AlterPolicyStmt" in node) return alterPolicy(state, node.AlterPolicyStmt);
  if ("CreateFunctionStmt" in node) return createFunction(state, node.CreateFunctionStmt);
  if ("AlterFunctionStmt" in node) return alterFunction(state, node.AlterFunctionStmt);
  if ("ViewStmt" in node) return createView(state, node.ViewStmt);
  if ("CreateTrigStmt" in node) return createTrigger(state, node.CreateTrigStmt);
  if ("GrantStmt" in node) return grantOrRevoke(state, node.GrantStmt);
  if ("GrantRoleStmt" in node) return grantOrRevokeRole(state, node.GrantRoleStmt);
  if ("AlterDefaultPrivilegesStmt" in node) return alterDefaultPrivileges(state, node.AlterDefaultPrivilegesStmt);
  if ("DropStmt" in node) return dropObjects(state, node.DropStmt);
  if ("RenameStmt" in node) return renameObject(state, node.RenameStmt);
  if ("AlterObjectSchemaStmt" in node) return setObjectSchema(state, node.AlterObjectSchemaStmt);
  if ("AlterOwnerStmt" in node) return alterOwner(state, node.AlterOwnerStmt);
  if ("CommentStmt" in node) return commentOn(state, node.CommentStmt);
  if ("CreateSchemaStmt" in node) return createSchema(state, node.CreateSchemaStmt);
  if ("CreateExtensionStmt" in node) return createExtension(state, node.CreateExtensionStmt);
  if ("AlterExtensionStmt" in node) return alterExtension(state, node.AlterExtensionStmt);
  if ("CreateSeqStmt" in node) return createSequence(state, node.CreateSeqStmt);
  if ("AlterSeqStmt" in node) return alterSequence(state, node.AlterSeqStmt);
  if ("CreateEnumStmt" in node) return createEnum(state, node.CreateEnumStmt);
  if ("AlterEnumStmt" in node) return alterEnum(state, node.AlterEnumStmt);
  if ("CompositeTypeStmt" in node) return createCompositeType(state, node.CompositeTypeStmt);
  if ("CreateDomainStmt" in node) return createDomain(state, node.CreateDomainStmt);
  if ("CreateRangeStmt" in node) return createRangeType(state, node.CreateRangeStmt);
  if ("CreateRoleStmt" in node) return createRole(state, node.CreateRoleStmt);
  if ("AlterRoleStmt" in node) return alterRole(state, node.AlterRoleStmt);
  if ("DropRoleStmt" in node) return dropRoles(state, node.DropRoleStmt);
  if ("VariableSetStmt" in node) return setVariable(state, node.VariableSetStmt);
  if ("SelectStmt" in node) {
    if (state.statement.text.includes("set_config")) applySetConfigCall(state, node);
    return;
  }
  if ("DoStmt" in node) {
    replayMemoryOf(state.catalog).sawDynamicSql = true;
    state.problems.push({
      rule: "dynamic_sql_not_replayed",
      message: "Not replayed: dynamic SQL (a DO block). Objects it creates or changes are unknown to pgreview.",
      span: state.statement.span
    });
  }
}

// node_modules/smol-toml/dist/stringify.js
var HAS_WELLFORMED = !!"".isWellFormed;

// src/core/config.ts
var SUPABASE_DEFAULT_EXPOSED_SCHEMAS = ["public", "graphql_public"];
function defaultConfig(profile = "supabase") {
  return { profile, exposedSchemas: profile === "supabase" ? [...SUPABASE_DEFAULT_EXPOSED_SCHEMAS] : [], rules: {} };
}

// .bench3-tmp.ts
(async () => {
  await loadParser();
  const dir = ".bench/project/supabase/migrations";
  const parsed = (0, import_node_fs.readdirSync)(dir).sort().map((n) => parseSqlFile(n, (0, import_node_fs.readFileSync)((0, import_node_path.join)(dir, n), "utf8")));
  const kinds = /* @__PURE__ */ new Map();
  for (let run = 0; run < 40; run++) {
    kinds.clear();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const catalog = createBaselineCatalog(defaultConfig("supabase"));
    for (const file of parsed) {
      const state = { catalog, searchPath: [...DEFAULT_SEARCH_PATH], currentRole: "postgres", file, statement: file.statements[0], problems: [] };
      for (const statement of file.statements) {
        state.statement = statement;
        replayStatement(state);
      }
    }
    const used = process.cpuUsage(cpu);
    console.log(`run ${run}: cpu ${((used.user + used.system) / 1e3).toFixed(0)} ms wall ${(performance.now() - start).toFixed(0)} ms`, [...kinds].map(([k, v]) => `${k}=${(v / 1e3).toFixed(0)}`).join(" "));
  }
})();
/*! Bundled license information:

smol-toml/dist/error.js:
smol-toml/dist/primitive.js:
smol-toml/dist/date.js:
smol-toml/dist/extract.js:
smol-toml/dist/util.js:
smol-toml/dist/struct.js:
smol-toml/dist/parse.js:
smol-toml/dist/stringify.js:
smol-toml/dist/index.js:
  (*!
   * Copyright (c) Squirrel Chat et al., All rights reserved.
   * SPDX-License-Identifier: BSD-3-Clause
   *
   * Redistribution and use in source and binary forms, with or without
   * modification, are permitted provided that the following conditions are met:
   *
   * 1. Redistributions of source code must retain the above copyright notice, this
   *    list of conditions and the following disclaimer.
   * 2. Redistributions in binary form must reproduce the above copyright notice,
   *    this list of conditions and the following disclaimer in the
   *    documentation and/or other materials provided with the distribution.
   * 3. Neither the name of the copyright holder nor the names of its contributors
   *    may be used to endorse or promote products derived from this software without
   *    specific prior written permission.
   *
   * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
   * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
   * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
   * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
   * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
   * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
   * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
   * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
   * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
   * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
   *)
*/
//# sourceMappingURL=.bench3-tmp.js.map
