/**
 * The pgreview language server: the engine's review of a project's migrations for any editor with
 * an LSP client (Neovim, Helix, Zed, ...). Like the VS Code extension it is a thin layer: the
 * analysis, fixes, hover text and outline come from core; this file turns them into protocol
 * messages. It reviews the first workspace folder the client names. Database features stay out.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
  type DocumentSymbol,
  type InitializeParams,
  type InitializeResult,
  type SymbolInformation,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CatalogsAsOf } from '../core/catalog/catalogsAsOf';
import { objectsDefinedIn, type DefinedObject, type DefinedObjectKind } from '../core/catalog/objectsDefinedIn';
import { PgreviewError } from '../core/errors';
import type { Finding } from '../core/finding';
import { describeNameAt, nameAt } from '../core/report/describeNameAt';
import { describeStatementLocks, statementLocksAt } from '../core/report/describeStatementLocks';
import type { SourceSpan } from '../core/sql/span';
import { loadParser } from '../core/sql/parser';
import { codeActionsFor } from './codeActions';
import { parseLspSettings, type LspSettings } from './lspSettings';
import { ProjectSession, type ProjectSnapshot } from './projectSession';
import { diagnosticOf, rangeOfSpan } from './protocolValues';

export interface LanguageServerOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  version: string;
}

/** Files whose creation, deletion or change may change which migrations there are, or how they are read. */
const WATCHED_GLOBS = ['**/*.sql', '**/pgreview.json', '**/config.toml', '**/atlas.sum', '**/sqitch.plan', '**/_journal.json'];

/** Starts the server on a pair of streams; it ends the process when the client says `exit` or the input closes. */
export async function startLanguageServer(options: LanguageServerOptions): Promise<Connection> {
  await loadParser();
  const connection = createConnection(options.input, options.output);
  const documents = new TextDocuments(TextDocument);
  let capabilities: ClientCapabilities = {};
  let settings: LspSettings = parseLspSettings(undefined);
  let session: ProjectSession | undefined;
  let catalogs: CatalogsAsOf | undefined;
  /** What was last published per URI, so that an unchanged file is not sent again on every keystroke. */
  const published = new Map<string, string>();
  let lastNotes = '';
  let lastError = '';

  const publish = (snapshot: ProjectSnapshot): void => {
    if (!session) return;
    const current = session;
    const byPath = new Map<string, Diagnostic[]>(snapshot.paths.map((path) => [path, []]));
    for (const finding of snapshot.findings) {
      // Findings without a place in a migration (objects only a database has) are not diagnostics.
      const diagnostics = finding.span && byPath.get(finding.span.file);
      if (diagnostics) diagnostics.push(diagnosticOf(finding as Finding & { span: SourceSpan }, (path) => current.uriOf(path)));
    }
    const stale = new Set(published.keys());
    for (const [path, diagnostics] of byPath) {
      const uri = current.uriOf(path);
      stale.delete(uri);
      const text = JSON.stringify(diagnostics);
      if (published.get(uri) === text) continue;
      published.set(uri, text);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of stale) {
      published.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    const notes = snapshot.problems.map((problem) => `${problem.file ? `${problem.file}: ` : ''}${problem.message}`).join('\n');
    if (notes !== lastNotes && notes) connection.console.warn(notes);
    lastNotes = notes;
    lastError = '';
    connection.console.log(`analysed ${snapshot.paths.length} migration files in ${snapshot.durationMs.toFixed(0)} ms: ${snapshot.findings.length} findings`);
  };

  const readSettings = async (): Promise<void> => {
    if (!capabilities.workspace?.configuration || !session) return;
    let value: unknown;
    try {
      [value] = (await connection.workspace.getConfiguration([{ scopeUri: pathToFileURL(session.root).href, section: 'pgreview' }])) as unknown[];
    } catch (error) {
      // A client that fails to answer leaves the settings as they were; the review goes on.
      connection.console.warn(`pgreview: workspace/configuration failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // A client without pgreview settings answers null: the initialization options (or defaults) stay.
    if (value !== null && value !== undefined) settings = parseLspSettings(value);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities;
    settings = parseLspSettings(params.initializationOptions);
    const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    if (rootUri?.startsWith('file:')) {
      session = new ProjectSession(fileURLToPath(rootUri), {
        openDocuments: () => documents.all().map((document) => ({ uri: document.uri, text: document.getText(), version: document.version })),
        settings: () => settings,
        onSnapshot: publish,
        onError: (error) => {
          const message = error instanceof PgreviewError ? error.message : `the analysis failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
          connection.console.error(message);
          // The same error comes back on every keystroke (a broken pgreview.json): it pops up once.
          if (message !== lastError) void connection.window.showErrorMessage(`pgreview: ${message.split('\n')[0]}`);
          lastError = message;
        },
      });
      const current = session;
      catalogs = new CatalogsAsOf((state) => current.checkpointFor(state));
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        documentSymbolProvider: true,
      },
      serverInfo: { name: 'pgreview', version: options.version },
    };
  });

  connection.onInitialized(async () => {
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'pgreview' });
    }
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
    }
    await readSettings();
    void session?.start();
  });

  connection.onDidChangeConfiguration(async (params) => {
    const pushed = (params.settings as Record<string, unknown> | null | undefined)?.pgreview;
    if (pushed !== undefined && pushed !== null) settings = parseLspSettings(pushed);
    else await readSettings();
    session?.schedule();
  });

  connection.onDidChangeWatchedFiles(() => session?.filesChanged());

  // Opening a document also reports its content: a re-run reads the editor's text from then on.
  documents.onDidChangeContent((event) => {
    if (session?.pathOf(event.document.uri) !== undefined) session.schedule();
  });
  documents.onDidClose((event) => {
    if (session?.pathOf(event.document.uri) !== undefined) session.schedule();
  });
  // A SQL file opened or saved that no run listed may be new (a fix migration the client just
  // created, say), and not every client watches files for the server: the folder is listed again.
  const listAgainIfNew = (uri: string): void => {
    const path = session?.pathOf(uri);
    if (session?.current && path?.endsWith('.sql') && !session.current.paths.includes(path)) session.filesChanged();
  };
  documents.onDidOpen((event) => listAgainIfNew(event.document.uri));
  documents.onDidSave((event) => listAgainIfNew(event.document.uri));

  connection.onCodeAction((params) => {
    const snapshot = session?.current;
    const document = documents.get(params.textDocument.uri);
    const path = session?.pathOf(params.textDocument.uri);
    if (!session || !snapshot || !document || path === undefined) return [];
    const current = session;
    const workspaceEdit = capabilities.workspace?.workspaceEdit;
    const canCreateFiles = workspaceEdit?.resourceOperations?.includes('create') ?? false;
    return codeActionsFor(params, {
      snapshot,
      path,
      text: document.getText(),
      version: document.version,
      uriOf: (relative) => current.uriOf(relative),
      openVersion: (relative) => documents.get(current.uriOf(relative))?.version,
      exists: (relative) => documents.get(current.uriOf(relative)) !== undefined || existsSync(join(current.root, relative)),
      documentChanges: (workspaceEdit?.documentChanges ?? false) || canCreateFiles,
      canCreateFiles,
      now: new Date(),
    });
  });

  connection.onHover((params, token) => {
    const snapshot = session?.current;
    const document = documents.get(params.textDocument.uri);
    if (!session || !snapshot || !document || !catalogs) return null;
    const { line, character } = params.position;
    const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
    const name = nameAt(lineText, character);
    const path = session.pathOf(params.textDocument.uri);
    const markdown = name && describeNameAt(snapshot, catalogs, name.text, path, token);
    // The locks of the statement under the cursor, when the analysis read this very text.
    const analysed = path === undefined ? undefined : snapshot.analysis.files.find((file) => file.path === path);
    const locks = analysed && analysed.text === document.getText() ? statementLocksAt(snapshot.analysis, analysed.path, document.offsetAt(params.position)) : undefined;
    if (locks) {
      const value = [markdown, describeStatementLocks(locks)].filter((part) => part !== undefined && part !== '').join('\n\n---\n\n');
      const range = name && markdown !== undefined ? { start: { line, character: name.start }, end: { line, character: name.end } } : rangeOfSpan(locks.span);
      return { contents: { kind: 'markdown', value }, range };
    }
    if (!name || markdown === undefined) return null;
    return { contents: { kind: 'markdown', value: markdown }, range: { start: { line, character: name.start }, end: { line, character: name.end } } };
  });

  connection.onDocumentSymbol((params, token) => {
    const snapshot = session?.current;
    const path = session?.pathOf(params.textDocument.uri);
    const index = path === undefined ? -1 : (snapshot?.analysis.files.findIndex((file) => file.path === path) ?? -1);
    if (!snapshot || !catalogs || path === undefined || index < 0) return [];
    const objects = objectsDefinedIn(catalogs.after(snapshot, index, token), path);
    return capabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport ? documentSymbols(objects) : symbolInformation(objects, params.textDocument.uri);
  });

  connection.onShutdown(() => session?.dispose());

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** The outline: tables and views with the policies and indexes the file made on them; the rest at the top. */
function documentSymbols(objects: readonly DefinedObject[]): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  const relations = new Map<string, DocumentSymbol>();
  for (const object of objects) {
    const parent = object.parent === undefined ? undefined : relations.get(object.parent);
    const range = rangeOfSpan(object.span);
    const symbol: DocumentSymbol = {
      name: object.name,
      detail: object.parent !== undefined && !parent ? `${kindLabel(object.kind)} on ${object.parent}` : kindLabel(object.kind),
      kind: SYMBOL_KINDS[object.kind],
      range,
      selectionRange: range,
    };
    if (parent) (parent.children ??= []).push(symbol);
    else symbols.push(symbol);
    if (object.parent === undefined) relations.set(object.name, symbol);
  }
  return symbols;
}

/** The outline as a flat list, for clients without hierarchical document symbols. */
function symbolInformation(objects: readonly DefinedObject[], uri: string): SymbolInformation[] {
  return objects.map((object) => ({ name: object.name, kind: SYMBOL_KINDS[object.kind], location: { uri, range: rangeOfSpan(object.span) }, containerName: object.parent }));
}

const SYMBOL_KINDS: Record<DefinedObjectKind, SymbolKind> = {
  table: SymbolKind.Struct,
  view: SymbolKind.Interface,
  materialized_view: SymbolKind.Interface,
  function: SymbolKind.Function,
  policy: SymbolKind.Property,
  index: SymbolKind.Key,
};

function kindLabel(kind: DefinedObjectKind): string {
  return kind.replace('_', ' ');
}
