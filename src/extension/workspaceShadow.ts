/**
 * The PGlite shadow that "Run Statement as Role…" and "Run RLS Tests" run on: the workspace's
 * migrations applied, then supabase/seed.sql loaded (`openShadowSession`). Opening one takes
 * seconds, so the session is kept while the migrations and the seed are unchanged; every
 * statement the simulator runs is rolled back, so the data stays the seed's. Work on the shadow is
 * serialised, because a PGlite instance has one connection and the simulator's transactions must
 * not interleave.
 */
import * as vscode from 'vscode';
import { throwIfCancelled, type CancellationToken } from '../core/cancellation';
import { printableMessage } from '../core/report/printableMessage';
import { openShadowSession, type SeedFile, type ShadowSession } from '../db/shadowSession';
import { createFileSystemProjectReader } from '../node/fileSystemProjectReader';
import type { AnalysisSnapshot } from './workspaceAnalysis';

const SEED_PATH = 'supabase/seed.sql';

export class WorkspaceShadow implements vscode.Disposable {
  private cached: { snapshot: AnalysisSnapshot; seedText: string | undefined; session: Promise<ShadowSession> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly cacheDirectory: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Runs `work` on a shadow of the snapshot's migrations and the current seed, after any work
   * already queued. The shadow is reopened when the snapshot or the seed changed.
   */
  use<T>(snapshot: AnalysisSnapshot, token: CancellationToken, work: (session: ShadowSession) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      throwIfCancelled(token);
      const session = await this.session(snapshot, token);
      throwIfCancelled(token);
      return work(session);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    this.closeCached();
  }

  private async session(snapshot: AnalysisSnapshot, token: CancellationToken): Promise<ShadowSession> {
    const seed = await readSeed(snapshot.root);
    if (this.cached && this.cached.snapshot === snapshot && this.cached.seedText === seed?.text) {
      try {
        return await this.cached.session;
      } catch {
        // The earlier open failed (or was cancelled): open again below, and report this attempt's error.
      }
    }
    this.closeCached();
    const opening = openShadowSession(snapshot.analysis.files, { config: snapshot.config, cacheDirectory: this.cacheDirectory, seed }, token);
    this.cached = { snapshot, seedText: seed?.text, session: opening };
    try {
      const session = await opening;
      for (const finding of session.findings) {
        this.log.warn(`shadow: ${finding.span ? `${finding.span.file}:${finding.span.line}: ` : ''}the shadow could not apply a statement: ${printableMessage(finding.message)}`);
      }
      this.log.info(`opened a shadow for the simulator (${session.timings.start} start, ${session.statementsApplied} statements${seed ? `, ${SEED_PATH} loaded` : ', no seed'})`);
      return session;
    } catch (error) {
      if (this.cached?.session === opening) this.cached = undefined;
      throw error;
    }
  }

  private closeCached(): void {
    const previous = this.cached;
    this.cached = undefined;
    void previous?.session.then((session) => session.close()).catch(() => undefined);
  }
}

/** supabase/seed.sql as the editor has it (unsaved edits included), or undefined when there is none. */
async function readSeed(root: vscode.Uri): Promise<SeedFile | undefined> {
  const uri = vscode.Uri.joinPath(root, SEED_PATH);
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return { path: SEED_PATH, text: open.getText() };
  if (root.scheme === 'file') {
    // On disk, by the project reader's rules: a named pipe would hang the read, a link out of the project is not read.
    const text = createFileSystemProjectReader(root.fsPath).readFile(SEED_PATH);
    return text === undefined ? undefined : { path: SEED_PATH, text };
  }
  try {
    return { path: SEED_PATH, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    throw error;
  }
}
