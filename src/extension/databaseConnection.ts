/**
 * The connected database: which profile, the resolved connection options and the catalog read at
 * connect time. Passwords live in SecretStorage, keyed by profile name, and nowhere else: not in
 * settings, not in the log, not in a message.
 */
import * as vscode from 'vscode';
import type { CancellationToken } from '../core/cancellation';
import type { Catalog } from '../core/catalog/model';
import type { ResolvedConfig } from '../core/config';
import type { MigrationLayout } from '../core/discovery/discoverMigrations';
import type { MigrationHistory } from '../core/history/matchMigrationHistory';
import { resolveConnectionOptions, type ConnectionOptions } from '../db/connection';
import { introspectDatabase } from '../db/introspect';
import { readMigrationHistoryFrom } from '../db/readMigrationHistory';
import type { ConnectionProfileSetting } from './settings';

/** A live connection: nothing stays open between commands, so this is what a new session needs. */
export interface ConnectedDatabase {
  profile: ConnectionProfileSetting;
  options: ConnectionOptions;
  /** The database's catalog, read when connecting (and again by each diff). */
  catalog: Catalog;
  /** `user@host/database`: the status bar's name for it. */
  label: string;
  connectedAt: Date;
  /** The migration runner's history, read when connecting: it decides which migrations are pending. */
  history: MigrationHistory | undefined;
  /** Why there is no history (no table, no permission), for the log. */
  noHistoryReason?: string;
}

export class DatabaseConnection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConnectedDatabase | undefined>();
  private connected: ConnectedDatabase | undefined;

  /** Fires after a connect (with the database) and a disconnect (with undefined). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {}

  get current(): ConnectedDatabase | undefined {
    return this.connected;
  }

  /** The password stored for a profile, if any. */
  storedPassword(profileName: string): Thenable<string | undefined> {
    return this.secrets.get(secretKey(profileName));
  }

  storePassword(profileName: string, password: string): Thenable<void> {
    return this.secrets.store(secretKey(profileName), password);
  }

  forgetPassword(profileName: string): Thenable<void> {
    return this.secrets.delete(secretKey(profileName));
  }

  /**
   * Resolves the profile's options and proves them with a read-only introspection. A failure
   * throws the engine's typed error (its message names the target, never the password) and leaves
   * the previous state untouched.
   */
  async connect(
    profile: ConnectionProfileSetting,
    password: string | undefined,
    config: ResolvedConfig,
    statementTimeoutMs: number,
    token?: CancellationToken,
    layout?: MigrationLayout,
  ): Promise<ConnectedDatabase> {
    const options = resolveProfileOptions(profile, password, statementTimeoutMs);
    const introspection = await introspectDatabase(options, { config }, token);
    const reading = await readMigrationHistoryFrom(options, layout, token);
    this.connected = {
      profile,
      options,
      catalog: introspection.catalog,
      label: `${options.user}@${options.host}/${options.database}`,
      connectedAt: new Date(),
      history: reading.history,
      ...(reading.history ? {} : { noHistoryReason: reading.reason }),
    };
    this.changed.fire(this.connected);
    return this.connected;
  }

  /**
   * Reads the migration history again (after a deploy, say) and keeps it. Undefined when no
   * database is connected, or when another connect (or a disconnect) came while it read: the
   * history is the first database's, and is dropped. `{ history: undefined }`: no history table.
   */
  async readHistoryAgain(layout: MigrationLayout | undefined, token?: CancellationToken): Promise<{ history: MigrationHistory | undefined } | undefined> {
    const connected = this.connected;
    if (!connected) return undefined;
    const history = (await readMigrationHistoryFrom(connected.options, layout, token)).history;
    return this.updateHistory(history, connected.options) ? { history } : undefined;
  }

  /**
   * Keeps the newest history read from the connected database (a diff and Refresh read it again),
   * when it was read with `readWith`, the options of the connection still current (each connect
   * resolves new ones); false when the connection changed meanwhile and the history was dropped.
   */
  updateHistory(history: MigrationHistory | undefined, readWith: ConnectionOptions): boolean {
    if (this.connected?.options !== readWith) return false;
    this.connected = { ...this.connected, history };
    return true;
  }

  /** Keeps the newest catalog read from the connected database (a diff reads it again). */
  updateCatalog(catalog: Catalog): void {
    if (this.connected) this.connected = { ...this.connected, catalog };
  }

  disconnect(): boolean {
    const was = this.connected !== undefined;
    this.connected = undefined;
    if (was) this.changed.fire(undefined);
    return was;
  }

  dispose(): void {
    this.connected = undefined;
    this.changed.dispose();
  }
}

/**
 * The connection options of a profile, resolved by the engine's libpq rules from an environment
 * that holds only the profile: a `DATABASE_URL` or `PG*` variable of the editor's own environment
 * must not redirect a named profile. With no stored password, `.pgpass` is still consulted.
 */
export function resolveProfileOptions(profile: ConnectionProfileSetting, password: string | undefined, statementTimeoutMs: number): ConnectionOptions {
  const env: NodeJS.ProcessEnv = {
    PGHOST: profile.host,
    PGPORT: String(profile.port ?? 5432),
    PGDATABASE: profile.database,
    PGUSER: profile.user,
    PGSSLMODE: profile.sslmode ?? 'prefer',
    // Someone waits on a notification in the editor: an unreachable host should answer in seconds.
    PGCONNECT_TIMEOUT: process.env.PGCONNECT_TIMEOUT ?? '5',
    HOME: process.env.HOME,
    APPDATA: process.env.APPDATA,
    PGPASSFILE: process.env.PGPASSFILE,
    PGSSLROOTCERT: process.env.PGSSLROOTCERT,
  };
  if (password) env.PGPASSWORD = password;
  return resolveConnectionOptions({ env, statementTimeoutMs });
}

function secretKey(profileName: string): string {
  return `pgreview.connection.${profileName}`;
}
