/**
 * A language client for tests and the bench: `node bin/pgreview.js lsp` spawned for real, spoken
 * to over JSON-RPC with vscode-languageserver-protocol, as an editor would. Diagnostics are kept
 * per URI as they come, and `waitForDiagnostics` resolves on the notification that satisfies it
 * (never after a fixed sleep), or fails after a generous bound with what did arrive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  LogMessageNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

const ROOT = join(__dirname, '..', '..');

export interface LspClient {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** The last diagnostics published per URI. */
  diagnostics: Map<string, Diagnostic[]>;
  /** The server's `window/logMessage` messages, in order. */
  logs: string[];
  /** Standard error of the server, for failure messages. */
  stderr(): string;
  /** The `file:` URI of a path inside the project (the first workspace folder, unless `folder` names another). */
  uriOf(path: string, folder?: string): string;
  /**
   * Resolves with the diagnostics of `uri` once a notification for it satisfies `accept` (the
   * current ones count too). Rejects after `timeoutMs`, showing what was last published.
   */
  waitForDiagnostics(uri: string, accept: (diagnostics: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  /** Resolves once the server's log messages so far satisfy `accept`; rejects after `timeoutMs`, showing them. */
  waitForLogs(accept: (logs: readonly string[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Sends shutdown and exit, and resolves with the server's exit code. */
  stop(): Promise<number | null>;
}

/** What the client says it can do: a capable editor, as Neovim or VS Code. */
export const CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, workspaceFolders: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
  textDocument: {
    synchronization: { didSave: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
};

/**
 * Starts the server on `project` (one folder, or several: a multi-root workspace) and initializes
 * it; `settings` answers its `workspace/configuration` request for the `pgreview` section, or,
 * given as a function, answers it for each folder's URI (the request's scope).
 */
export async function startLspClient(project: string | readonly string[], settings: unknown = null): Promise<LspClient> {
  const projects = typeof project === 'string' ? [project] : project;
  const child = spawn(process.execPath, ['bin/pgreview.js', 'lsp', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const diagnostics = new Map<string, Diagnostic[]>();
  const waiters = new Set<() => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    diagnostics.set(params.uri, params.diagnostics);
    for (const waiter of [...waiters]) waiter();
  });
  const settingsOf = (scopeUri: string | undefined): unknown => (typeof settings === 'function' ? (settings as (scopeUri: string | undefined) => unknown)(scopeUri) : settings);
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'pgreview' ? settingsOf(item.scopeUri) : null)));
  const logs: string[] = [];
  connection.onNotification(LogMessageNotification.type, (params) => {
    logs.push(params.message);
    for (const waiter of [...waiters]) waiter();
  });
  /** Resolves with what `found` returns once it returns something, checked now and on every notification. */
  const waitUntil = <T>(found: () => T | undefined, timeoutMs: number, failure: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const value = found();
        if (value === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(failure()));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  connection.listen();
  const folderUris = projects.map((folder) => pathToFileURL(folder).href);
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: folderUris[0],
    workspaceFolders: folderUris.map((uri, index) => ({ uri, name: basename(projects[index]) })),
    capabilities: CLIENT_CAPABILITIES,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    process: child,
    diagnostics,
    logs,
    stderr: () => stderr,
    uriOf: (path, folder = projects[0]) => pathToFileURL(join(folder, path)).href,
    waitForDiagnostics(uri, accept, timeoutMs = 60_000) {
      return waitUntil(() => {
        const current = diagnostics.get(uri);
        return current && accept(current) ? current : undefined;
      }, timeoutMs, () => {
        const last = diagnostics.get(uri)?.map((diagnostic) => `${diagnostic.code} ${diagnostic.range.start.line}:${diagnostic.range.start.character}`);
        return `no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(last)}\nserver stderr:\n${stderr}`;
      });
    },
    async waitForLogs(accept, timeoutMs = 60_000) {
      await waitUntil(() => (accept(logs) ? true : undefined), timeoutMs, () => `no matching log messages within ${timeoutMs} ms; logs:\n${logs.join('\n')}\nserver stderr:\n${stderr}`);
    },
    async stop() {
      if (child.exitCode === null) {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      }
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}
