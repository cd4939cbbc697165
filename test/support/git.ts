/**
 * git for tests that build a repository: run as a test user, with no global or system
 * configuration of the machine (hooks, signing, default branch), so every machine gets the same
 * repository.
 */
import { execFileSync } from 'node:child_process';

/** Runs git in `cwd` and returns its standard output; throws, with git's message, when it fails. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' },
  });
}
