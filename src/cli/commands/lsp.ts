/**
 * `pgreview lsp`: the language server (src/lsp) over stdio, for editors with an LSP client.
 * The protocol owns standard output; anything else goes to standard error.
 */
import { InputError } from '../../core/errors';
import { startLanguageServer } from '../../lsp/server';
import { type Command, type CommandContext } from '../command';
import { parseCommandArgs } from '../parseCommandArgs';

const lsp: Command = {
  help: [
    'Usage: pgreview lsp [--stdio]',
    '',
    'Starts the pgreview language server on standard input and output, for editors with an LSP',
    'client (Neovim, Helix, Zed, ...). It reviews the migrations of the workspace folder the client',
    'opens: diagnostics for every migration, quick fixes, fix migrations, ignore comments, hover on',
    'tables, policies and functions, and document symbols. Settings come from the client',
    '(workspace/configuration, section "pgreview"), with the keys of the VS Code extension.',
    'See README.md, "Other editors (LSP)".',
    '',
    'Options:',
    '  --stdio      Talk over standard input and output (the default and only transport)',
    '  -h, --help   Show this help',
    '',
  ].join('\n'),
  run: runLanguageServer,
};
export default lsp;

async function runLanguageServer(args: string[], context: CommandContext): Promise<number> {
  const { positionals } = parseCommandArgs(args, { stdio: { type: 'boolean' } }, 'lsp');
  if (positionals.length > 0) throw new InputError(`lsp takes no arguments, got: ${positionals.join(' ')}`);
  // A stray console.log would corrupt the protocol on standard output.
  console.log = console.info = console.debug = (...values: unknown[]) => context.stderr(`${values.map(String).join(' ')}\n`);
  await startLanguageServer({ input: process.stdin, output: process.stdout, version: context.version });
  // The server ends the process itself on `exit`, or when the client closes its input.
  return new Promise<number>(() => undefined);
}
