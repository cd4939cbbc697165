/**
 * The SQL statements a function's body runs, parsed: what a rule reads to know which relations a
 * function uses, since PostgreSQL keeps a body as text and records no dependency on what it names.
 */
import type { Node } from '@pgsql/types';
import type { Func } from '../catalog/model';
import { getParser } from './parser';
import { quoteIdent } from './quoteIdent';
import { walkNodes } from './walkNodes';

/**
 * The statements of a SQL or PL/pgSQL function's body. SQL bodies are parsed as they are; PL/pgSQL
 * bodies through PL/pgSQL's parser, whose statements and expressions are SQL text parsed in turn.
 * Parts that do not parse are left out, and other languages (and procedures, aggregates) give
 * none. Parsed once per process for each body and signature.
 */
export function functionBodyStatements(func: Func): readonly Node[] {
  if (func.body === undefined || func.kind !== 'function' || (func.language !== 'sql' && func.language !== 'plpgsql')) return NONE;
  const key = `${func.language}\0${func.returns ?? ''}\0${func.arguments.map((argument) => `${argument.mode} ${argument.name ?? ''} ${argument.type}`).join(',')}\0${func.body}`;
  let statements = statementsByBody.get(key);
  if (!statements) {
    if (statementsByBody.size > 10_000) statementsByBody.clear();
    statements = func.language === 'sql' ? parseStatements(func.body) : plpgsqlStatements(func);
    statementsByBody.set(key, statements);
  }
  return statements;
}

const NONE: readonly Node[] = [];

const statementsByBody = new Map<string, Node[]>();

/** The statements of some SQL, none when it does not parse on its own (a SQL-standard body, say). */
function parseStatements(sql: string): Node[] {
  try {
    return (getParser().parseSync(sql).stmts ?? []).flatMap((statement) => (statement.stmt ? [statement.stmt] : []));
  } catch {
    return [];
  }
}

const PLPGSQL_BODY_TAG = '$pgreview_body$';

/**
 * The SQL a PL/pgSQL body runs. PL/pgSQL's parser takes a whole CREATE FUNCTION (the signature
 * decides what RETURN may say), so one is rebuilt around the body. Each `PLpgSQL_expr` holds a
 * statement (parse mode 0), an expression (2: `exists (select ...)`, run as `select <expression>`)
 * or an assignment (3 to 5: `n := (select ...)`, whose right side is the expression).
 */
function plpgsqlStatements(func: Func): Node[] {
  if (func.body === undefined || func.body.includes(PLPGSQL_BODY_TAG)) return [];
  const parameters = func.arguments
    .filter((argument) => argument.mode !== 'table')
    .map((argument) => [argument.mode === 'in' ? '' : argument.mode, argument.name ? quoteIdent(argument.name) : '', argument.type].filter((part) => part !== '').join(' '));
  const statement = `create function pgreview_body(${parameters.join(', ')}) returns ${func.returns ?? 'void'} language plpgsql as ${PLPGSQL_BODY_TAG}${func.body}${PLPGSQL_BODY_TAG}`;
  let tree: unknown;
  try {
    tree = getParser().parsePlpgsqlSync(statement);
  } catch {
    return [];
  }
  const statements: Node[] = [];
  walkNodes(tree, (node) => {
    if (node.type !== 'PLpgSQL_expr' || typeof node.fields.query !== 'string') return;
    const { query, parseMode } = node.fields as { query: string; parseMode?: number };
    if (!parseMode) statements.push(...parseStatements(query));
    else if (parseMode === 2) statements.push(...parseStatements(`select ${query}`));
    else if (query.includes(':=')) statements.push(...parseStatements(`select ${query.slice(query.indexOf(':=') + 2)}`));
  });
  return statements;
}

