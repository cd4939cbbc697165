import { functionSignature } from '../catalog/functionSignature';
import { objectKey, type Func } from '../catalog/model';
import { API_ROLES, hasGrantedPrivilege } from '../catalog/privileges';
import { getParser } from '../sql/parser';
import { tokenize } from '../sql/statementTokens';
import { walkNodes } from '../sql/walkNodes';
import { defineRule, type RuleReport } from './defineRule';
import { listExposedSecurityDefinerFunctions } from './listExposedSecurityDefinerFunctions';

export default defineRule({
  id: 'security_definer_function_in_exposed_schema_without_auth_check',
  name: 'Security Definer Function in Exposed Schema Without Auth Check',
  level: 'info',
  category: 'security',
  needs: 'G',
  description: 'A SECURITY DEFINER function that the API can call never reads auth.uid(), auth.jwt() or the request\'s JWT claims, so it cannot tell who calls it and acts for anyone with its owner\'s rights.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const fn of listExposedSecurityDefinerFunctions(catalog, context)) {
      const callers = API_ROLES.filter((role) => hasGrantedPrivilege(catalog, fn.grants, role, 'EXECUTE'));
      if (callers.length === 0 || readsCaller(fn) !== false) continue;
      const signature = functionSignature(fn);
      reports.push({
        object: fn.key,
        objectKey: objectKey.function(fn.key),
        message: `SECURITY DEFINER function ${fn.key} can be called by ${callers.join(' and ')} from the API but never checks who the caller is (auth.uid(), auth.jwt()).`,
        span: fn.origin.definedAt ?? fn.origin.changedAt,
        suggestions: [
          {
            title: `Let only the server call ${fn.key}`,
            sql: `revoke execute on function ${signature} from public, anon, authenticated;\ngrant execute on function ${signature} to service_role;\n`,
          },
        ],
      });
    }
    return reports;
  },
});

const AUTH_FUNCTIONS = new Set(['uid', 'jwt', 'role', 'email']);

/**
 * Whether the body reads who is calling: auth.uid(), auth.jwt(), auth.role(), auth.email(), or
 * `current_setting('request.jwt...')`. A SQL body is parsed and its function calls inspected. Other
 * languages (plpgsql) are read through tokens (our lexer's, then the scanner's), which skip
 * comments and keep string literals whole, so a mention in a comment or a message does not count.
 * Undefined when the body is unknown or unreadable: the rule then stays silent.
 */
function readsCaller(fn: Func): boolean | undefined {
  if (fn.body === undefined) return undefined;
  // Bodies are parsed again on every check otherwise; the same body always gives the same answer.
  const key = `${fn.language}\u0000${fn.body}`;
  if (verdictsByBody.has(key)) return verdictsByBody.get(key);
  if (verdictsByBody.size > 10_000) verdictsByBody.clear();
  const verdict = readBodyForCaller(fn.language, fn.body);
  verdictsByBody.set(key, verdict);
  return verdict;
}

const verdictsByBody = new Map<string, boolean | undefined>();

function readBodyForCaller(language: string, body: string): boolean | undefined {
  if (language === 'sql') {
    try {
      return parsedSqlReadsCaller(getParser().parseSync(body));
    } catch {
      // A body that does not parse on its own (it may name objects created later) falls back to tokens.
    }
  }
  // Our lexer finds the usual `auth.uid()` without a WASM call. Only when it finds nothing does the
  // scanner decide, since a body the scanner rejects leaves the rule silent rather than reporting.
  if (tokensReadCaller(tokenize(body), (token) => token.keyword ?? unquoteIdentifier(token.text))) return true;
  try {
    const tokens = getParser().scanSync(body).tokens as { text: string; tokenName: string }[];
    return tokensReadCaller(tokens, (token) => (token.tokenName === 'IDENT' ? unquoteIdentifier(token.text) : token.text.toLowerCase()));
  } catch {
    return undefined;
  }
}

function parsedSqlReadsCaller(tree: unknown): boolean {
  let found = false;
  walkNodes(tree, (node) => {
    if (found) return false;
    if (node.type !== 'FuncCall') return;
    const name = ((node.fields.funcname ?? []) as { String?: { sval?: string } }[]).map((part) => part.String?.sval ?? '');
    const firstArgument = (node.fields.args as { A_Const?: { sval?: { sval?: string } } }[] | undefined)?.[0]?.A_Const?.sval?.sval;
    found = isAuthFunction(name) || (isCurrentSetting(name) && firstArgument?.startsWith('request.jwt') === true);
  });
  return found;
}

/** `wordOf` gives a token as the parser folds it: an unquoted word in lower case, a quoted name unquoted. */
function tokensReadCaller<T extends { text: string }>(tokens: T[], wordOf: (token: T) => string): boolean {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const word = wordOf(tokens[i]);
    if (word === 'auth' && wordOf(tokens[i + 1]) === '.' && i + 2 < tokens.length && AUTH_FUNCTIONS.has(wordOf(tokens[i + 2]))) return true;
    if (word === 'current_setting' && wordOf(tokens[i + 1]) === '(' && /^'request\.jwt/.test(tokens[i + 2]?.text ?? '')) return true;
  }
  return false;
}

function isAuthFunction(name: string[]): boolean {
  return name.length === 2 && name[0] === 'auth' && AUTH_FUNCTIONS.has(name[1]);
}

function isCurrentSetting(name: string[]): boolean {
  return name[name.length - 1] === 'current_setting' && (name.length === 1 || name[0] === 'pg_catalog');
}

function unquoteIdentifier(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}
