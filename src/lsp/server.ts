/**
 * The pgreview language server: the engine's review of a project's migrations for any editor with
 * an LSP client (Neovim, Helix, Zed, ...). Like the VS Code extension it is a thin layer: the
 * analysis, fixes, hover text and outline come from core; this file turns them into protocol
 * messages. Each workspace folder is its own project, with its own settings (`workspace/configuration`
 * scoped to the folder); folders the client adds or removes later are followed. Database features
 * stay out.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
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
  type WorkspaceFolder,
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
import { describePending } from '../node/gitPendingMigrations';
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

/** One workspace folder, reviewed as its own project. */
interface FolderReview {
  /** The folder's URI as the client names it. */
  uri: string;
  name: string;
  session: ProjectSession;
  catalogs: CatalogsAsOf;
  settings: LspSettings;
  /** What was last published per URI, so that an unchanged file is not sent again on every keystroke. */
  published: Map<string, string>;
  lastNotes: string;
  lastPending: string;
  lastError: string;
}

/** Starts the server on a pair of streams; it ends the process when the client says `exit` or the input closes. */
export async function startLanguageServer(options: LanguageServerOptions): Promise<Connection> {
  await loadParser();
  const connection = createConnection(options.input, options.output);
  const documents = new TextDocuments(TextDocument);
  let capabilities: ClientCapabilities = {};
  /** The initialization options: every folder's settings until the client answers for it. */
  let initialSettings: LspSettings = parseLspSettings(undefined);
  /** Every workspace folder, by URI; a document belongs to the innermost folder that holds it. */
  const folders = new Map<string, FolderReview>();
  let initialized = false;

  const reviewOf = (uri: string): FolderReview | undefined => {
    let found: FolderReview | undefined;
    for (const review of folders.values()) {
      if (review.session.pathOf(uri) !== undefined && (!found || review.session.root.length > found.session.root.length)) found = review;
    }
    return found;
  };
  /** The folder's name in messages, when there is more than one folder to tell apart. */
  const labelOf = (review: FolderReview): string => (folders.size > 1 ? ` (${review.name})` : '');

  const publish = (review: FolderReview, snapshot: ProjectSnapshot): void => {
    const { session, published } = review;
    // Which migrations the safety rules judged, as VS Code's status bar says it: when it changes,
    // and before the diagnostics it explains.
    const pending = describePending(snapshot.pending);
    if (pending !== review.lastPending) connection.console.info(`${pending.slice(0, -1)}${labelOf(review)}.`);
    review.lastPending = pending;
    const byPath = new Map<string, Diagnostic[]>(snapshot.paths.map((path) => [path, []]));
    for (const finding of snapshot.findings) {
      // Findings without a place in a migration (objects only a database has) are not diagnostics.
      const diagnostics = finding.span && byPath.get(finding.span.file);
      if (diagnostics) diagnostics.push(diagnosticOf(finding as Finding & { span: SourceSpan }, (path) => session.uriOf(path)));
    }
    const stale = new Set(published.keys());
    for (const [path, diagnostics] of byPath) {
      const uri = session.uriOf(path);
      // A file of a workspace folder nested in this one is that folder's to publish.
      if (reviewOf(uri) !== review) continue;
      stale.delete(uri);
      const text = JSON.stringify(diagnostics);
      if (published.get(uri) === text) continue;
      published.set(uri, text);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of stale) {
      published.delete(uri);
      // A folder added inside this one that has published the file owns its diagnostics now: an
      // empty list from here would clear them. Otherwise (a file gone) they are taken back.
      const owner = reviewOf(uri);
      if (owner && owner !== review && owner.published.has(uri)) continue;
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    const notes = snapshot.problems.map((problem) => `${problem.file ? `${problem.file}: ` : ''}${problem.message}`).join('\n');
    if (notes !== review.lastNotes && notes) connection.console.warn(notes);
    review.lastNotes = notes;
    review.lastError = '';
    connection.console.log(`analysed ${snapshot.paths.length} migration files${labelOf(review)} in ${snapshot.durationMs.toFixed(0)} ms: ${snapshot.findings.length} findings`);
  };

  const reportError = (review: FolderReview, error: unknown): void => {
    const message = error instanceof PgreviewError ? error.message : `the analysis failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    connection.console.error(`${message}${labelOf(review)}`);
    // The same error comes back on every keystroke (a broken pgreview.json): it pops up once.
    if (message !== review.lastError) void connection.window.showErrorMessage(`pgreview${labelOf(review)}: ${message.split('\n')[0]}`);
    review.lastError = message;
  };

  /** Reads a folder's `pgreview` settings from the client (resource-scoped, as in VS Code). */
  const readSettings = async (review: FolderReview): Promise<void> => {
    if (!capabilities.workspace?.configuration) return;
    let value: unknown;
    try {
      [value] = (await connection.workspace.getConfiguration([{ scopeUri: review.uri, section: 'pgreview' }])) as unknown[];
    } catch (error) {
      // A client that fails to answer leaves the settings as they were; the review goes on.
      connection.console.warn(`pgreview: workspace/configuration failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // A client without pgreview settings answers null: the initialization options (or defaults) stay.
    if (value !== null && value !== undefined) review.settings = parseLspSettings(value);
  };

  /** Reviews a workspace folder from now on: after initialization, its settings are read and it runs. */
  const addFolder = (folder: WorkspaceFolder): void => {
    if (!folder.uri.startsWith('file:') || folders.has(folder.uri)) return;
    const session = new ProjectSession(fileURLToPath(folder.uri), {
      openDocuments: () => documents.all().map((document) => ({ uri: document.uri, text: document.getText(), version: document.version })),
      settings: () => review.settings,
      onSnapshot: (snapshot) => publish(review, snapshot),
      onError: (error) => reportError(review, error),
    });
    const catalogs = new CatalogsAsOf((state) => session.checkpointFor(state));
    const review: FolderReview = { uri: folder.uri, name: folder.name, session, catalogs, settings: initialSettings, published: new Map(), lastNotes: '', lastPending: '', lastError: '' };
    folders.set(folder.uri, review);
    if (initialized) void startFolder(review);
  };

  const startFolder = async (review: FolderReview): Promise<void> => {
    await readSettings(review);
    if (folders.get(review.uri) === review) await review.session.start();
  };

  /** Stops reviewing a folder, and takes back the diagnostics it published. */
  const removeFolder = (uri: string): void => {
    const review = folders.get(uri);
    if (!review) return;
    review.session.dispose();
    folders.delete(uri);
    for (const published of review.published.keys()) void connection.sendDiagnostics({ uri: published, diagnostics: [] });
    // The folders it held files of (an outer one) publish them again.
    for (const other of folders.values()) other.session.schedule();
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities;
    initialSettings = parseLspSettings(params.initializationOptions);
    const rootUri = params.rootUri ?? (params.rootPath ? pathToFileURL(params.rootPath).href : undefined);
    const workspaceFolders = params.workspaceFolders ?? (rootUri ? [{ uri: rootUri, name: basename(fileURLToPath(rootUri)) }] : []);
    for (const folder of workspaceFolders) addFolder(folder);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        documentSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
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
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) removeFolder(folder.uri);
        for (const folder of event.added) addFolder(folder);
      });
    }
    initialized = true;
    await Promise.all([...folders.values()].map(startFolder));
  });

  connection.onDidChangeConfiguration(async (params) => {
    const pushed = (params.settings as Record<string, unknown> | null | undefined)?.pgreview;
    await Promise.all(
      [...folders.values()].map(async (review) => {
        // Settings pushed with the notification are the whole client's; a client that pushes none is asked per folder.
        if (pushed !== undefined && pushed !== null) review.settings = parseLspSettings(pushed);
        else await readSettings(review);
        review.session.schedule();
      }),
    );
  });

  connection.onDidChangeWatchedFiles((params) => {
    const changed = new Set(params.changes.map((change) => reviewOf(change.uri)));
    // A file no folder holds (the client watches more than the folders) changes nothing reviewed.
    for (const review of folders.values()) if (changed.has(review)) review.session.filesChanged();
  });

  // Opening a document also reports its content: a re-run reads the editor's text from then on.
  documents.onDidChangeContent((event) => reviewOf(event.document.uri)?.session.schedule());
  documents.onDidClose((event) => reviewOf(event.document.uri)?.session.schedule());
  // A SQL file opened or saved that no run listed may be new (a fix migration the client just
  // created, say), and not every client watches files for the server: the folder is listed again.
  const listAgainIfNew = (uri: string): boolean => {
    const session = reviewOf(uri)?.session;
    const path = session?.pathOf(uri);
    if (!session?.current || !path?.endsWith('.sql') || session.current.paths.includes(path)) return false;
    session.filesChanged();
    return true;
  };
  documents.onDidOpen((event) => listAgainIfNew(event.document.uri));
  documents.onDidSave((event) => {
    if (!listAgainIfNew(event.document.uri)) reviewOf(event.document.uri)?.session.fileSaved();
  });

  connection.onCodeAction((params) => {
    const session = reviewOf(params.textDocument.uri)?.session;
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
    const review = reviewOf(params.textDocument.uri);
    const session = review?.session;
    const snapshot = session?.current;
    const document = documents.get(params.textDocument.uri);
    if (!review || !session || !snapshot || !document) return null;
    const { line, character } = params.position;
    const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
    const name = nameAt(lineText, character);
    const path = session.pathOf(params.textDocument.uri);
    const markdown = name && describeNameAt(snapshot, review.catalogs, name.text, path, token);
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
    const review = reviewOf(params.textDocument.uri);
    const snapshot = review?.session.current;
    const path = review?.session.pathOf(params.textDocument.uri);
    const index = path === undefined ? -1 : (snapshot?.analysis.files.findIndex((file) => file.path === path) ?? -1);
    if (!review || !snapshot || path === undefined || index < 0) return [];
    const objects = objectsDefinedIn(review.catalogs.after(snapshot, index, token), path);
    return capabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport ? documentSymbols(objects) : symbolInformation(objects, params.textDocument.uri);
  });

  connection.onShutdown(() => {
    for (const review of folders.values()) review.session.dispose();
  });

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
