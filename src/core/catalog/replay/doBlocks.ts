/**
 * DO blocks. Real projects write DDL out inside them, to make a migration re-runnable: Drizzle's
 * `do $$ begin alter table ... add constraint ...; exception when duplicate_object then null; end $$`,
 * `if not exists (select from pg_policies ...) then create policy ...; end if;`, `create table`
 * inside `if not exists`. The PL/pgSQL body is parsed (libpg_query has PostgreSQL's PL/pgSQL
 * parser) and its static SQL statements are replayed where they stand in the file, as if written
 * at the top level. Where a branch depends on the database, the replay takes the branch that
 * creates: the THEN of an IF (the guards test whether the object is missing); ELSE, ELSIF and
 * exception handlers are not replayed.
 *
 * A block is guarded by design, so inside it "already exists" and "does not exist" are not
 * reported. EXECUTE of a built string stays unknown: the block is reported as
 * dynamic_sql_not_replayed and later checks that depend on completeness stay quiet
 * (`sawDynamicSql`), except that an EXECUTE that enables RLS on the tables of a schema (the usual
 * `for t in select tablename ... loop execute format('alter table public.%I enable row level
 * security', t)`) is taken as enabling it on every table of that schema that exists at that point.
 */
import type { DoStmt, Node } from '@pgsql/types';
import type { ParsedStatement } from '../../sql/parseSqlFile';
import { tablesToChange } from '../cloneCatalog';
import { getParser } from '../../sql/parser';
import { replayMemoryOf } from './replayMemory';
import type { ReplayState } from './replayState';

/** What a walk over a PL/pgSQL body found. */
interface BodyStatements {
  /** The static SQL statements to replay, in order, as written in the body. */
  sql: string[];
  /** The texts of EXECUTE expressions (`format('...', t)`), which are not replayed. */
  dynamic: string[];
  /**
   * What PERFORM calls pg_cron with (`cron.schedule('purge', ...)`, without PERFORM): replayed as
   * `select <call>`, after the block's static statements, since a migration may schedule its jobs
   * in a DO block (`perform cron.unschedule('purge'); exception when others then null;`).
   */
  cronCalls: string[];
  /** True when something could not be followed: a body that does not parse, a statement not found. */
  incomplete: boolean;
}

/**
 * Replays a DO block's static statements with `replayStatement` (the dispatcher, passed in because
 * it is the module that calls this one); reports what it could not replay.
 */
export function replayDoBlock(state: ReplayState, stmt: DoStmt, replayStatement: (state: ReplayState) => void): void {
  const doStatement = state.statement;
  const options = new Map<string, string>();
  for (const arg of stmt.args ?? []) {
    const element = 'DefElem' in arg ? arg.DefElem : undefined;
    const value = element?.arg && 'String' in element.arg ? element.arg.String.sval : undefined;
    if (element?.defname && value !== undefined) options.set(element.defname, value);
  }
  const body = options.get('as');
  const language = (options.get('language') ?? 'plpgsql').toLowerCase();
  const bodyStart = body === undefined ? -1 : doStatement.text.indexOf(body);
  const found = language === 'plpgsql' && body !== undefined && bodyStart >= 0 ? bodyStatements(body) : { sql: [], dynamic: [], cronCalls: [], incomplete: true };

  let cursor = 0;
  const fileText = state.file.lines.text;
  const wasGuarded = state.insideDoBlock;
  state.insideDoBlock = true;
  try {
    for (const sql of found.sql) {
      const offset = body!.indexOf(sql, cursor);
      if (offset < 0) {
        found.incomplete = true;
        continue;
      }
      cursor = offset + sql.length;
      const start = doStatement.span.start + bodyStart + offset;
      const end = start + sql.length;
      if (fileText.slice(start, end) !== sql) {
        found.incomplete = true;
        continue;
      }
      const inner = innerStatement(state, doStatement, sql, start, end);
      if (!inner) {
        found.incomplete = true;
        continue;
      }
      state.statement = inner;
      replayStatement(state);
    }
    cursor = 0;
    for (const call of found.cronCalls) {
      const offset = body!.indexOf(call, cursor);
      const start = doStatement.span.start + bodyStart + offset;
      const inner = offset >= 0 && fileText.slice(start, start + call.length) === call ? innerStatement(state, doStatement, `select ${call}`, start, start + call.length) : undefined;
      if (!inner) {
        found.incomplete = true;
        continue;
      }
      cursor = offset + call.length;
      state.statement = inner;
      replayStatement(state);
    }
  } finally {
    state.statement = doStatement;
    state.insideDoBlock = wasGuarded;
  }

  for (const text of found.dynamic) enableRlsFromDynamicSql(state, text);
  if (found.dynamic.length === 0 && !found.incomplete) return;
  replayMemoryOf(state.catalog).sawDynamicSql = true;
  state.problems.push({
    rule: 'dynamic_sql_not_replayed',
    message: found.dynamic.length > 0
      ? 'Not replayed: dynamic SQL (EXECUTE in a DO block). Objects it creates or changes are unknown to pgreview.'
      : 'Not replayed: a DO block pgreview could not follow (another language, or a body it could not read). Objects it creates or changes are unknown to pgreview.',
    span: doStatement.span,
  });
}

/** A statement of the body as the replay sees top-level ones: its own parse tree, located in the file. */
function innerStatement(state: ReplayState, doStatement: ParsedStatement, sql: string, start: number, end: number): ParsedStatement | undefined {
  let stmts: { stmt?: Node }[];
  try {
    stmts = (getParser().parseSync(sql).stmts ?? []) as { stmt?: Node }[];
  } catch {
    return undefined;
  }
  if (stmts.length !== 1 || !stmts[0].stmt) return undefined;
  const node = stmts[0].stmt;
  return {
    node,
    kind: Object.keys(node)[0],
    span: state.file.lines.span(start, end),
    text: sql,
    byteBase: state.file.lines.byteOffset(start),
    index: doStatement.index,
  };
}

/** Parses the body as the function PL/pgSQL compiles for a DO block, and collects its statements. */
function bodyStatements(body: string): BodyStatements {
  const found: BodyStatements = { sql: [], dynamic: [], cronCalls: [], incomplete: false };
  let tag = 'pgreview';
  while (body.includes(`$${tag}$`)) tag += '_';
  let parsed: { plpgsql_funcs?: { PLpgSQL_function?: Record<string, unknown> }[] };
  try {
    parsed = getParser().parsePlpgsqlSync(`create function pgreview_do_block() returns void language plpgsql as $${tag}$${body}$${tag}$`) as typeof parsed;
  } catch {
    return { ...found, incomplete: true };
  }
  const action = parsed.plpgsql_funcs?.[0]?.PLpgSQL_function?.action;
  if (!action) return { ...found, incomplete: true };
  collect(action, found);
  return found;
}

/** PL/pgSQL statements whose bodies hold statements that run on every path through them. */
const BODY_FIELDS: Record<string, string[]> = {
  PLpgSQL_stmt_block: ['body'],
  // The branch that creates: IF NOT EXISTS (...) THEN create ...
  PLpgSQL_stmt_if: ['then_body'],
  PLpgSQL_stmt_loop: ['body'],
  PLpgSQL_stmt_while: ['body'],
  PLpgSQL_stmt_fori: ['body'],
  PLpgSQL_stmt_fors: ['body'],
  PLpgSQL_stmt_foreach_a: ['body'],
};

/** Statements that run SQL built at run time. */
const DYNAMIC_STATEMENTS = new Set(['PLpgSQL_stmt_dynexecute', 'PLpgSQL_stmt_dynfors']);

/** Statements that change nothing in the schema, or only variables. */
const IGNORED_STATEMENTS = new Set([
  'PLpgSQL_stmt_assign', 'PLpgSQL_stmt_perform', 'PLpgSQL_stmt_raise', 'PLpgSQL_stmt_return', 'PLpgSQL_stmt_exit',
  'PLpgSQL_stmt_getdiag', 'PLpgSQL_stmt_assert', 'PLpgSQL_stmt_commit', 'PLpgSQL_stmt_rollback', 'PLpgSQL_stmt_call',
]);

function collect(node: unknown, found: BodyStatements): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const [type] = Object.keys(node);
  const fields = (node as Record<string, Record<string, unknown>>)[type];
  if (type === 'PLpgSQL_stmt_execsql') {
    const query = expressionText(fields.sqlstmt);
    if (query === undefined) found.incomplete = true;
    else found.sql.push(query);
    return;
  }
  if (DYNAMIC_STATEMENTS.has(type)) {
    found.dynamic.push(expressionText(fields.query) ?? '');
    // A FOR over dynamic SQL may also run static statements in its body.
    if (fields.body) collect(fields.body, found);
    return;
  }
  const bodies = BODY_FIELDS[type];
  if (bodies) {
    for (const field of bodies) collect(fields[field], found);
    // Loops and IFs may hide EXECUTE in branches the replay does not take: they still count.
    if (type === 'PLpgSQL_stmt_if') noteDynamicIn([fields.elsif_list, fields.else_body], found);
    return;
  }
  if (type === 'PLpgSQL_stmt_perform') {
    // PL/pgSQL keeps `perform x` as `SELECT x`.
    const call = expressionText(fields.expr)?.replace(/^SELECT /, '');
    if (call?.includes('cron')) found.cronCalls.push(call);
    return;
  }
  if (IGNORED_STATEMENTS.has(type)) return;
  // CASE, cursors, anything else: not followed; EXECUTE inside them is still seen.
  noteDynamicIn(fields, found);
  if (containsType(fields, 'PLpgSQL_stmt_execsql')) found.incomplete = true;
}

/** Records the EXECUTEs inside branches that are not replayed, so the block is still reported. */
function noteDynamicIn(node: unknown, found: BodyStatements): void {
  if (Array.isArray(node)) {
    for (const item of node) noteDynamicIn(item, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (DYNAMIC_STATEMENTS.has(key)) found.dynamic.push(expressionText((value as Record<string, unknown>).query) ?? '');
    noteDynamicIn(value, found);
  }
}

function containsType(node: unknown, type: string): boolean {
  if (Array.isArray(node)) return node.some((item) => containsType(item, type));
  if (node === null || typeof node !== 'object') return false;
  return Object.entries(node).some(([key, value]) => key === type || containsType(value, type));
}

function expressionText(expression: unknown): string | undefined {
  const query = (expression as { PLpgSQL_expr?: { query?: string } } | undefined)?.PLpgSQL_expr?.query;
  return typeof query === 'string' ? query : undefined;
}

const DYNAMIC_RLS_ENABLE = /alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?(?:("?)([a-z_][a-z0-9_$]*)\1\s*\.\s*)?%[iIsL]\s+enable\s+row\s+level\s+security/i;

/**
 * `execute format('alter table public.%I enable row level security', t)`: RLS is taken as enabled
 * on every table of that schema (the search path's first without one) that exists now.
 */
function enableRlsFromDynamicSql(state: ReplayState, text: string): void {
  const match = DYNAMIC_RLS_ENABLE.exec(text);
  if (!match) return;
  const schema = match[2] ?? state.searchPath[0] ?? 'public';
  for (const table of tablesToChange(state.catalog, (candidate) => candidate.schema === schema && !candidate.platform && !candidate.rlsEnabled)) {
    table.rlsEnabled = true;
    table.rlsChangedAt = state.statement.span;
  }
}
