/**
 * The `pgreview` command line: a table of commands, global `--help` and `--version`, Ctrl-C
 * turned into a cancellation token, and one `reportError` for every failure.
 */
import { version } from '../../package.json';
import { EXIT_CODE, tokenFromAbortSignal, type CommandContext, type CommandEntry } from './command';
import { reportError } from './reportError';

/** Every command. Adding one: an entry here. */
const commands: readonly CommandEntry[] = [
  { name: 'check', summary: 'Review the migrations of a project and report findings', load: () => import('./commands/check') },
  { name: 'diff', summary: 'Compare the migrations with a database (or two databases) and render the SQL that aligns them', load: () => import('./commands/diff') },
  { name: 'inspect', summary: 'Print the catalog of a live database (tables, policies, functions, ...)', load: () => import('./commands/inspect') },
  { name: 'policies', summary: 'Show the RLS policy matrix: what each role may do with each exposed table', load: () => import('./commands/policies') },
  { name: 'simulate', summary: 'Run one statement as a role with JWT claims (rolled back) and show what RLS let through', load: () => import('./commands/simulate') },
  { name: 'baseline', summary: 'Print the SQL that makes a plain PostgreSQL look like a fresh Supabase project, to apply before the migrations', load: () => import('./commands/baseline') },
  { name: 'history', summary: "Compare the database's migration history table with the migration files: applied, pending, changed, missing", load: () => import('./commands/history') },
  { name: 'fix', summary: 'Write one new migration with the fixes that need no choice, grouped by rule (applies nothing)', load: () => import('./commands/fix') },
  { name: 'lsp', summary: 'Start the language server (LSP over stdio) for Neovim, Helix, Zed and other editors', load: () => import('./commands/lsp') },
  { name: 'test', summary: 'Run the RLS tests in supabase/tests/*.rls.yaml on the shadow database with the seed', load: () => import('./commands/test') },
];

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
async function runCli(argv: string[], context: CommandContext): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    context.stderr(mainHelp());
    return EXIT_CODE.input;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    context.stdout(mainHelp());
    return EXIT_CODE.ok;
  }
  if (name === '--version' || name === '-v') {
    context.stdout(`${context.version}\n`);
    return EXIT_CODE.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  try {
    if (!command) {
      context.stderr(`pgreview: unknown command "${name}"; commands: ${commands.map((entry) => entry.name).join(', ')} (see pgreview --help)\n`);
      return EXIT_CODE.input;
    }
    const { default: implementation } = await command.load();
    if (args.includes('--help') || args.includes('-h')) {
      context.stdout(implementation.help);
      return EXIT_CODE.ok;
    }
    return await implementation.run(args, context);
  } catch (error) {
    return reportError(error, context.stderr);
  }
}

function mainHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: pgreview <command> [options]',
    '',
    'Reviews PostgreSQL and Supabase schemas in migration files.',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  -h, --help     Show help (pgreview <command> --help for a command)',
    '  -v, --version  Show the version',
    '',
  ].join('\n');
}

/** The process glue: this module is the bundle's entry (bin/pgreview.js requires it), so it runs on load. */
function main(): void {
  const controller = new AbortController();
  // The first Ctrl-C asks the running command to stop at its next check; a second one falls
  // back to Node's default and ends the process at once. SIGTERM (a CI timeout, `timeout`,
  // `docker stop`) does the same, so that `diff --shadow` still puts the shadow server back.
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  // `pgreview check | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT_CODE.ok);
  });
  const context: CommandContext = {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    token: tokenFromAbortSignal(controller.signal),
    version,
  };
  void runCli(process.argv.slice(2), context).then((code) => {
    // exitCode, not exit(): a report piped to another program must finish writing first.
    process.exitCode = code;
  });
}

main();
