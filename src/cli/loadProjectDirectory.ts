import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { loadProject, type Project, type ProjectReader } from '../core/project/loadProject';
import type { SeedFile } from '../db/shadowSession';
import { createFileSystemProjectReader } from '../node/fileSystemProjectReader';
import type { CommandContext } from './command';

/**
 * Loads the project a command names (PROJECT_DIR, relative to the working directory): a missing
 * folder or a project without migrations is an InputError; other project problems are printed
 * as warnings. `wrapReader` sees the project's files read (check records them, see checkInputSnapshot.ts).
 */
export function loadProjectDirectory(
  context: CommandContext,
  projectArgument: string,
  options: Parameters<typeof loadProject>[1] = {},
  wrapReader: (reader: ProjectReader) => ProjectReader = (reader) => reader,
): { project: Project; projectDir: string } {
  const projectDir = resolve(context.cwd, projectArgument);
  if (!existsSync(projectDir)) throw new InputError(`project directory not found: ${projectArgument}`);
  if (!statSync(projectDir).isDirectory()) throw new InputError(`not a directory: ${projectArgument} (PROJECT_DIR is the folder that holds the migrations)`);
  const project = loadProject(wrapReader(createFileSystemProjectReader(projectDir)), options, context.token);
  for (const problem of project.problems) {
    if (problem.kind === 'no_migrations') throw new InputError(`${problem.message.replace(/\.$/, '')} (in ${projectArgument})`);
    context.stderr(`pgreview: ${problem.level}: ${problem.file ? `${problem.file}: ` : ''}${problem.message}\n`);
  }
  return { project, projectDir };
}

const PROJECT_SEED_PATH = 'supabase/seed.sql';

/**
 * The seed file for the shadow: `--seed FILE` (relative to the working directory), or the
 * project's supabase/seed.sql when it exists, or none.
 */
export function readSeedFile(context: CommandContext, projectDir: string, seedArgument: string | undefined): SeedFile | undefined {
  if (seedArgument === undefined) {
    // The project's own seed is read as its other files are: a regular file inside the project (an
    // UnreadableFileError names it otherwise). `--seed` reads whatever it is given, as `--config` does.
    const text = createFileSystemProjectReader(projectDir).readFile(PROJECT_SEED_PATH);
    return text === undefined ? undefined : { path: PROJECT_SEED_PATH, text };
  }
  const path = resolve(context.cwd, seedArgument);
  try {
    return { path: seedArgument, text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `seed file not found: ${seedArgument}` : `cannot read the seed file ${seedArgument} (${code ?? String(error)})`, { cause: error });
  }
}
