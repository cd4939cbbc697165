/**
 * `--since REF`: the migrations a branch adds or changes, from git. Pending are the migration files
 * that differ from the point where the branch left REF (their merge base), committed or not, and
 * the untracked ones: what a pull request against REF would apply.
 */
import { execFile } from 'node:child_process';
import { throwIfCancelled, type CancellationToken } from '../core/cancellation';
import { InputError, PgreviewError } from '../core/errors';
import type { PendingMigrations } from '../core/safety/pendingMigrations';

export interface GitOptions {
  /** The git executable; `git` from PATH unless told. */
  git?: string;
  /** What asks, for messages: `--since` (the default) or a setting's name. */
  purpose?: string;
  token?: CancellationToken;
}

/**
 * The migrations among `migrationPaths` (relative to `projectDir`, forward slashes) that were
 * added or changed since `ref`: committed on this branch after its merge base with `ref`, staged,
 * unstaged, or untracked (and not ignored). A rename counts as an added file. `projectDir` may be
 * a folder inside the repository. Throws an InputError when git is missing, the folder is not in a
 * repository, or `ref` names no commit.
 */
export async function pendingSinceGitRef(projectDir: string, ref: string, migrationPaths: readonly string[], options: GitOptions = {}): Promise<PendingMigrations> {
  const changed = await filesChangedSince(projectDir, ref, options);
  return { paths: new Set(migrationPaths.filter((path) => changed.has(path))), source: `added or changed since ${ref}` };
}

/** The files under `projectDir` (relative to it) added or changed since `ref`'s merge base, and the untracked ones. */
export async function filesChangedSince(projectDir: string, ref: string, options: GitOptions = {}): Promise<Set<string>> {
  // A ref that starts with `-` would be read as an option.
  const purpose = options.purpose ?? '--since';
  if (ref === '' || ref.startsWith('-')) throw new InputError(`${purpose} needs a git ref (a branch, tag or commit), got "${ref}"`);
  const commit = await runGit(projectDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], options, () => `unknown git ref "${ref}" for ${purpose}: no branch, tag or commit of that name (fetch it first, e.g. git fetch origin main)`);
  // The merge base: changes REF gained after the branch left it are not this branch's. Without
  // one (unrelated histories, or no HEAD yet) REF itself is the base.
  const base = (await runGit(projectDir, ['merge-base', commit.trim(), 'HEAD'], options).catch(() => commit)).trim();
  // --relative keeps the files under the working directory, relative to it; --no-renames lists a
  // renamed file under its new name as added; deleted files are no migrations to judge.
  const diff = await runGit(projectDir, ['diff', '--name-only', '-z', '--relative', '--no-renames', '--diff-filter=d', base, '--'], options);
  const untracked = await runGit(projectDir, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.'], options);
  return new Set([...splitNul(diff), ...splitNul(untracked)]);
}

/** What git says for an editor's project folder: the files changed since a ref, or why it cannot say. */
export interface GitChanges {
  changed?: Set<string>;
  /** Why git cannot say: not a git repository, an unknown ref in pgreview.pendingSince, git missing. */
  reason?: string;
}

/** The pending migrations of an editor's project, or, when every migration counts as pending, why. */
export interface PendingState {
  pending: PendingMigrations | undefined;
  /** Why no list: not a git repository, an unknown ref in pgreview.pendingSince, git missing. */
  reason?: string;
}

/**
 * What git says for an editor's project folder, with `pgreview.pendingSince` (undefined: HEAD, so
 * the uncommitted and untracked files). An editor asks once per file or setting change, not per
 * keystroke, and a folder git cannot judge is a reason to show, not an error.
 */
export async function readGitChanges(folder: string, since: string | undefined): Promise<GitChanges> {
  try {
    return { changed: await filesChangedSince(folder, since ?? 'HEAD', { purpose: 'pgreview.pendingSince' }) };
  } catch (error) {
    if (error instanceof PgreviewError) return { reason: error.message };
    throw error;
  }
}

/**
 * The pending migrations of an editor's project: those among `paths` git calls changed, and those
 * with unsaved edits (`unsaved`), which git cannot see yet. Without git's answer every migration
 * is pending, and the state says why.
 */
export function pendingInEditor(paths: readonly string[], changes: GitChanges, unsaved: ReadonlySet<string>, since: string | undefined): PendingState {
  const { changed, reason } = changes;
  if (!changed) return { pending: undefined, reason };
  const source = since ? `added or changed since ${since}` : 'not committed yet';
  return { pending: { paths: new Set(paths.filter((path) => changed.has(path) || unsaved.has(path))), source } };
}

/** Which migrations the safety rules judge: `2 pending migrations (not committed yet): a.sql, b.sql.` */
export function describePending(state: PendingState): string {
  const { pending, reason } = state;
  if (!pending) return `Every migration counts as pending, and only tables created in the same file as new${reason ? ` (${reason})` : ''}.`;
  const paths = [...pending.paths];
  const names = paths.slice(0, 5).map((path) => path.split('/').pop()).join(', ');
  const more = paths.length > 5 ? `, and ${paths.length - 5} more` : '';
  return `${paths.length} pending ${paths.length === 1 ? 'migration' : 'migrations'} (${pending.source})${paths.length > 0 ? `: ${names}${more}` : ''}.`;
}

/**
 * Runs git in `cwd` and returns its standard output. `onFailure` gives the message for a git that
 * ran and failed; without it, git's own first error line is quoted.
 */
function runGit(cwd: string, args: string[], options: GitOptions, onFailure?: () => string): Promise<string> {
  throwIfCancelled(options.token);
  const git = options.git ?? 'git';
  const purpose = options.purpose ?? '--since';
  return new Promise((resolve, reject) => {
    // GIT_OPTIONAL_LOCKS=0: reading never takes the index lock, so a git command the user runs at the same time is not refused.
    const env = { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
    execFile(git, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return reject(new InputError(`${purpose} needs git, and ${git === 'git' ? 'git is not installed (or not on PATH)' : `${git} was not found`}`, { cause: error }));
      const said = stderr.trim().split('\n')[0] ?? '';
      if (/not a git repository/i.test(said)) return reject(new InputError(`${purpose} needs a git repository, and ${cwd} is not in one`, { cause: error }));
      const message = onFailure?.();
      reject(new InputError(message || `git ${args[0]} failed: ${said || error.message}`, { cause: error }));
    });
  });
}

function splitNul(output: string): string[] {
  return output.split('\0').filter((path) => path !== '');
}
