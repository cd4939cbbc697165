/**
 * `pgreview baseline [--profile supabase]`: prints the SQL that makes a plain PostgreSQL database
 * look like a fresh Supabase project (roles, auth/storage/extensions schemas, auth.users, the auth
 * functions, default privileges), the same SQL the shadow database starts from. With it, the
 * migrations and the alignment SQL of `diff --format sql` apply to a database that is not
 * Supabase's, such as a local `postgres` in Docker or a CI service container.
 */
import { InputError } from '../../core/errors';
import { supabaseBaselineSql } from '../../db/supabaseBaselineSql';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { parseCommandArgs, readChoice } from '../parseCommandArgs';

const PROFILES = ['supabase'] as const;

const baseline: Command = {
  help: [
    'Usage: pgreview baseline [--profile supabase]',
    '',
    'Prints the SQL that makes a plain PostgreSQL database look like a fresh Supabase project before',
    'its first migration: the anon, authenticated and service_role roles, the auth, storage and',
    'extensions schemas, auth.users, auth.uid() and friends, and the default privileges on public.',
    'It is idempotent. Apply it once, then the migrations:',
    '',
    '  pgreview baseline | psql "$DATABASE_URL" -v ON_ERROR_STOP=1',
    '',
    'Options:',
    '  --profile supabase   The platform to imitate (only supabase has a baseline; plain PostgreSQL needs none)',
    '  -h, --help           Show this help',
    '',
    'Exit codes: 0 success, 2 usage error.',
    '',
  ].join('\n'),
  run: runBaseline,
};
export default baseline;

async function runBaseline(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { profile: { type: 'string' } }, 'baseline');
  if (positionals.length > 0) throw new InputError(`baseline takes no arguments, got: ${positionals.join(' ')}`);
  if (values.profile === 'postgres') throw new InputError('the postgres profile needs no baseline: the migrations apply to a plain PostgreSQL as they are');
  readChoice(values.profile, PROFILES, 'supabase', '--profile');
  context.stdout(`-- The Supabase platform baseline, printed by pgreview baseline: apply it before the migrations.\n${supabaseBaselineSql.trim()}\n`);
  return EXIT_CODE.ok;
}
