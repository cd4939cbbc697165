/**
 * pgreview RLS tests: a YAML format (`supabase/tests/*.rls.yaml`, see docs/policy-tests.md) that
 * names identities (a role and JWT claims) and states, per table and command, what each may do.
 * This module parses the files into tests and builds the SQL each test runs; running them is the
 * db layer's job (src/db/runPolicyTests.ts), and exporting them as pgTAP is renderPolicyTests.ts's.
 */
import type * as Yaml from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { MatrixCommand } from './computePolicyMatrix';
import { quoteIdent } from '../sql/quoteIdent';
import { quoteLiteral } from '../sql/quoteLiteral';

let yamlModule: typeof Yaml | undefined;

/**
 * The yaml package, loaded on the first RLS test file rather than at start-up: it is the largest
 * package the engine uses, and most checks read no test file. The extension's build maps it to a
 * bundle of its own (scripts/build.mjs), which activation then never reads.
 */
function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require('yaml') as typeof Yaml;
  return yamlModule;
}

/** The file name pattern of the format, relative to the project root. */
export const POLICY_TEST_FILE_PATTERN = /^supabase\/tests\/(?:.+\/)?[^/]+\.rls\.ya?ml$/;

/** Who runs a test: a database role and the JWT claims PostgREST would set. */
export interface PolicyTestIdentity {
  name: string;
  role: string;
  claims?: Record<string, unknown>;
}

/**
 * What a test expects. `denied`: the statement raises an error (by default any; `error` narrows it
 * to messages that contain the text). `allowed`: it raises none. `rows`: the number of rows seen
 * (select) or changed (insert, update, delete). `rowsWhere`: a select sees exactly the rows for
 * which this SQL predicate is true, judged without RLS.
 */
export interface PolicyTestExpectation {
  denied?: boolean;
  error?: string;
  rows?: number;
  rowsWhere?: string;
}

/** One test: an identity, a statement and what should happen. */
export interface PolicyTest {
  /** As written, or made from the identity, the command and the table: `bob update public.profiles`. */
  name: string;
  /** 1-based line of the test in its file, for messages and editor diagnostics. */
  line: number;
  identity: PolicyTestIdentity;
  /** The command; `sql` for a statement written out in full. */
  command: MatrixCommand | 'sql';
  /** The table, as SQL (`public.bookings`); undefined for `sql` tests. */
  table?: string;
  /** The test's `where` condition, for update, delete and select. */
  where?: string;
  /** The statement the test runs as the identity. */
  sql: string;
  expect: PolicyTestExpectation;
}

/** A parsed test file. */
export interface PolicyTestFile {
  path: string;
  identities: Map<string, PolicyTestIdentity>;
  tests: PolicyTest[];
}

/** A mistake in a test file, at its line. */
export interface PolicyTestProblem {
  path: string;
  line: number;
  message: string;
}

/**
 * Parses a pgreview RLS test file. Never throws: YAML errors and unknown keys come back as
 * problems at their line, and the tests that are well-formed are still returned.
 */
export function parsePolicyTestFile(path: string, text: string): { file: PolicyTestFile; problems: PolicyTestProblem[] } {
  const lineCounter = new (yaml().LineCounter)();
  const document = yaml().parseDocument(text, { lineCounter });
  const problems: PolicyTestProblem[] = [];
  const file: PolicyTestFile = { path, identities: new Map(), tests: [] };
  const lineOf = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  const report = (node: unknown, message: string) => problems.push({ path, line: lineOf(node), message });
  for (const error of document.errors) problems.push({ path, line: error.linePos?.[0].line ?? 1, message: error.message.split('\n')[0] });
  if (problems.length > 0) return { file, problems };

  const root = document.contents;
  if (!yaml().isMap(root)) {
    report(root, 'a pgreview RLS test file is a mapping with "identities" and "tests"');
    return { file, problems };
  }
  checkKeys(root, ['identities', 'tests'], 'the file', report);

  const identities = root.get('identities', true);
  if (identities !== undefined && !yaml().isMap(identities)) report(identities, '"identities" must map names to { role, claims }');
  if (yaml().isMap(identities)) {
    for (const pair of identities.items) {
      const name = yaml().isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value as YamlNode | null;
      if (!yaml().isMap(value)) {
        report(pair.key, `identity "${name}" must be a mapping with "role" and optional "claims"`);
        continue;
      }
      checkKeys(value, ['role', 'claims'], `identity "${name}"`, report);
      const role = value.get('role');
      if (typeof role !== 'string' || role === '') {
        report(value, `identity "${name}" needs a "role" (anon, authenticated, service_role, ...)`);
        continue;
      }
      const claims = value.get('claims', true);
      const claimsValue = claims === undefined ? undefined : (claims as YamlNode).toJSON() as unknown;
      if (claimsValue !== undefined && (claimsValue === null || typeof claimsValue !== 'object' || Array.isArray(claimsValue))) {
        report(claims, `the claims of identity "${name}" must be a mapping, such as { sub: <uuid> }`);
        continue;
      }
      file.identities.set(name, { name, role, claims: claimsValue as Record<string, unknown> | undefined });
    }
  }

  const tests = root.get('tests', true);
  if (!yaml().isSeq(tests)) {
    report(tests ?? root, '"tests" must be a list of tests');
    return { file, problems };
  }
  for (const item of tests.items) {
    const test = parseTest(item as YamlNode, file, lineOf(item), (message) => report(item, message));
    if (test) file.tests.push(test);
  }
  return { file, problems };
}

const TEST_KEYS = ['name', 'as', 'select', 'insert', 'update', 'delete', 'sql', 'where', 'values', 'set', 'expect'];
const EXPECT_KEYS = ['denied', 'allowed', 'error', 'rows', 'rows_where'];
const COMMAND_KEYS = ['select', 'insert', 'update', 'delete', 'sql'] as const;

function parseTest(node: YamlNode, file: PolicyTestFile, line: number, report: (message: string) => void): PolicyTest | undefined {
  if (!yaml().isMap(node)) {
    report('each test must be a mapping with "as", a command and "expect"');
    return undefined;
  }
  const unknown = node.items.map((pair) => (yaml().isScalar(pair.key) ? String(pair.key.value) : '')).filter((key) => !TEST_KEYS.includes(key));
  if (unknown.length > 0) {
    report(`unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => `"${key}"`).join(', ')} in a test; use ${TEST_KEYS.join(', ')}`);
    return undefined;
  }
  const identityName = node.get('as');
  const identity = typeof identityName === 'string' ? file.identities.get(identityName) : undefined;
  if (!identity) {
    const known = [...file.identities.keys()];
    report(typeof identityName === 'string'
      ? `unknown identity "${identityName}"${known.length > 0 ? `; the file defines ${known.join(', ')}` : '; define it under "identities"'}`
      : 'a test needs "as: <identity>"');
    return undefined;
  }
  const commands = COMMAND_KEYS.filter((key) => node.has(key));
  if (commands.length !== 1) {
    report(`a test needs exactly one of ${COMMAND_KEYS.join(', ')}${commands.length > 1 ? `, not ${commands.join(' and ')}` : ''}`);
    return undefined;
  }
  const command = commands[0];
  const target = node.get(command);
  if (typeof target !== 'string' || target.trim() === '') {
    report(command === 'sql' ? '"sql" must be the statement to run' : `"${command}" must name a table, such as public.bookings`);
    return undefined;
  }
  const where = node.get('where');
  if (where !== undefined && (typeof where !== 'string' || command === 'insert' || command === 'sql')) {
    report(command === 'insert' || command === 'sql' ? `"where" has no use with ${command}` : '"where" must be an SQL condition');
    return undefined;
  }
  const values = (node.get('values', true) as YamlNode | undefined)?.toJSON() as unknown;
  const set = (node.get('set', true) as YamlNode | undefined)?.toJSON() as unknown;
  if (values !== undefined && (command !== 'insert' || !isRecord(values))) return void report('"values" is a mapping of columns to values, for insert');
  if (set !== undefined && (command !== 'update' || !isRecord(set))) return void report('"set" is a mapping of columns to values, for update');
  if (command === 'insert' && values === undefined) return void report('an insert test needs "values": { column: value, ... }');
  if (command === 'update' && set === undefined) return void report('an update test needs "set": { column: value, ... }');

  const expectNode = node.get('expect', true) as YamlNode | undefined;
  const expect = parseExpectation(expectNode, command, report);
  if (!expect) return undefined;
  const table = command === 'sql' ? undefined : target.trim();
  const sql = command === 'sql'
    ? target.trim().replace(/;\s*$/, '')
    : buildStatement(command, table!, where as string | undefined, (values ?? set) as Record<string, unknown> | undefined);
  const givenName = node.get('name');
  const name = typeof givenName === 'string' && givenName.trim() !== ''
    ? givenName.trim()
    : `${identity.name} ${command === 'sql' ? 'runs SQL' : `${command === 'select' ? 'selects from' : command === 'insert' ? 'inserts into' : command === 'update' ? 'updates' : 'deletes from'} ${table}`}`;
  return { name, line, identity, command, table, where: where as string | undefined, sql, expect };
}

function parseExpectation(node: YamlNode | undefined, command: PolicyTest['command'], report: (message: string) => void): PolicyTestExpectation | undefined {
  // `expect: denied` and `expect: allowed` are the short forms.
  if (yaml().isScalar(node) && (node.value === 'denied' || node.value === 'allowed')) return node.value === 'denied' ? { denied: true } : { denied: false };
  if (!yaml().isMap(node)) {
    report('a test needs "expect": denied, allowed, or a mapping with rows, rows_where, error');
    return undefined;
  }
  const keys = node.items.map((pair) => (yaml().isScalar(pair.key) ? String(pair.key.value) : ''));
  const unknown = keys.filter((key) => !EXPECT_KEYS.includes(key));
  if (unknown.length > 0) {
    report(`unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => `"${key}"`).join(', ')} in "expect"; use ${EXPECT_KEYS.join(', ')}`);
    return undefined;
  }
  const expect: PolicyTestExpectation = {};
  const denied = node.get('denied');
  const allowed = node.get('allowed');
  const error = node.get('error');
  const rows = node.get('rows');
  const rowsWhere = node.get('rows_where');
  if (denied !== undefined && typeof denied !== 'boolean') return void report('"denied" is true or false');
  if (allowed !== undefined && typeof allowed !== 'boolean') return void report('"allowed" is true or false');
  if (error !== undefined && typeof error !== 'string') return void report('"error" is text the error message must contain');
  if (rows !== undefined && (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 0)) return void report('"rows" is a whole number of rows');
  if (rowsWhere !== undefined && typeof rowsWhere !== 'string') return void report('"rows_where" is an SQL condition on the table\'s rows');
  if (rowsWhere !== undefined && command !== 'select') return void report('"rows_where" is for select tests: which rows the identity sees');
  if (denied !== undefined) expect.denied = denied;
  if (allowed !== undefined) expect.denied = !allowed;
  if (error !== undefined) expect.denied = true;
  if (expect.denied === true && (rows !== undefined || rowsWhere !== undefined)) return void report('a denied statement has no rows to count');
  if (error !== undefined) expect.error = error;
  if (rows !== undefined) expect.rows = rows;
  if (rowsWhere !== undefined) expect.rowsWhere = rowsWhere;
  if (Object.keys(expect).length === 0) return void report('"expect" is empty: say denied, allowed, rows or rows_where');
  return expect;
}

/**
 * The statement a table test runs. A select returns each row as its text (`t::text`), so rows
 * compare whatever the table's columns; writes use literals, so the test needs no parameters.
 */
function buildStatement(command: MatrixCommand, table: string, where: string | undefined, values: Record<string, unknown> | undefined): string {
  const condition = where ? ` where ${where}` : '';
  switch (command) {
    case 'select':
      return `select t::text as row_text from ${table} t${condition}`;
    case 'insert': {
      const columns = Object.keys(values ?? {});
      return `insert into ${table} (${columns.map(quoteIdent).join(', ')}) values (${columns.map((column) => toSqlLiteral(values![column])).join(', ')})`;
    }
    case 'update':
      return `update ${table} set ${Object.entries(values ?? {}).map(([column, value]) => `${quoteIdent(column)} = ${toSqlLiteral(value)}`).join(', ')}${condition}`;
    case 'delete':
      return `delete from ${table}${condition}`;
  }
}

/**
 * The query that lists the rows a `rows_where` test expects, run without RLS: the same row text as
 * the select, filtered by the test's `where` and by the predicate.
 */
export function buildExpectedRowsQuery(test: PolicyTest): string | undefined {
  if (test.command !== 'select' || test.expect.rowsWhere === undefined || test.table === undefined) return undefined;
  return `select t::text as row_text from ${test.table} t where (${test.expect.rowsWhere})${test.where ? ` and (${test.where})` : ''}`;
}

/** A YAML value as an SQL literal: text quoted, numbers and booleans bare, null, and mappings or lists as JSON text. */
function toSqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return quoteLiteral(value);
  return quoteLiteral(JSON.stringify(value));
}

function checkKeys(map: { items: { key: unknown }[] }, allowed: string[], where: string, report: (node: unknown, message: string) => void): void {
  for (const pair of map.items) {
    const key = yaml().isScalar(pair.key) ? String(pair.key.value) : '';
    if (!allowed.includes(key)) report(pair.key, `unknown key "${key}" in ${where}; use ${allowed.join(', ')}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
