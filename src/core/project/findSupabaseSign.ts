/**
 * Looks in migration texts for what only a Supabase project writes: calls of auth.uid(),
 * auth.jwt(), auth.role() or auth.email(), references to auth.users, and grants or policies for
 * the API roles (`to authenticated`, `from anon`, `to service_role`). A project whose folder
 * layout says nothing (`pgreview check db/migrations`) is then reviewed with the Supabase
 * profile instead of going quiet on every exposure rule. Comments and strings do not count: the
 * texts are read as tokens.
 */
import type { MigrationFile } from '../analyze';
import { tokenize, type SqlToken } from '../sql/statementTokens';

/** The first sign found: the file and what it does, `calls auth.uid()`. */
export interface SupabaseSign {
  path: string;
  description: string;
}

/** The first Supabase sign in the files, in their order, or undefined. */
export function findSupabaseSign(files: readonly MigrationFile[]): SupabaseSign | undefined {
  for (const file of files) {
    const description = signInText(file.text);
    if (description) return { path: file.path, description };
  }
  return undefined;
}

/**
 * The editor loads the project on every analysis: a file's answer is kept by its text, so only
 * edited files are read again. Cleared when it grows past a project's worth of files.
 */
const signByText = new Map<string, string | null>();
const MAX_REMEMBERED_TEXTS = 2000;

function signInText(text: string): string | undefined {
  let sign = signByText.get(text);
  if (sign === undefined) {
    sign = null;
    const tokens = tokenize(text);
    for (let i = 0; i < tokens.length && sign === null; i++) sign = signAt(tokens, i) ?? null;
    if (signByText.size >= MAX_REMEMBERED_TEXTS) signByText.clear();
    signByText.set(text, sign);
  }
  return sign ?? undefined;
}

const AUTH_FUNCTIONS: ReadonlySet<string> = new Set(['uid', 'jwt', 'role', 'email']);

function signAt(tokens: SqlToken[], i: number): string | undefined {
  const word = tokens[i].keyword;
  if (word === 'auth' && tokens[i + 1]?.text === '.') {
    const member = tokens[i + 2]?.keyword;
    if (member && AUTH_FUNCTIONS.has(member) && tokens[i + 3]?.text === '(') return `calls auth.${member}()`;
    if (member === 'users') return 'references auth.users';
    return undefined;
  }
  if (word !== 'authenticated' && word !== 'anon' && word !== 'service_role') return undefined;
  const previous = tokens[i - 1]?.keyword ?? tokens[i - 1]?.text;
  // `anon` is a plausible column name: only a role position counts for it (`to anon`, `from anon`).
  const isRolePosition = previous === 'to' || previous === 'from' || (previous === ',' && word !== 'anon');
  return isRolePosition ? `names the role ${word} (${previous === 'from' ? 'from' : 'to'} ${word})` : undefined;
}
