/**
 * Which PostgreSQL server a connection reaches, asked of the server itself: two URLs with
 * different host names (localhost, 127.0.0.1, a DNS alias, a pooler) can lead to one server, and
 * only the server can tell.
 */
import type { CancellationToken } from '../core/cancellation';
import type { ConnectionOptions } from './connection';
import { withReadOnlySession } from './readOnlySession';

/**
 * A server's identity: when its postmaster started (to the microsecond) and the port it listens
 * on. Restarting the server changes it, and two servers never share it. The system identifier of
 * `pg_control_system()` is not used: a physical copy of a cluster (a restored backup, a staging
 * clone) keeps its original's, so it would call a separate server the same one.
 */
export interface ServerIdentity {
  startedAt: string;
  port: string;
}

/** Reads the identity of the server `connection` reaches, in a read-only session. */
export async function readServerIdentity(connection: ConnectionOptions, token?: CancellationToken): Promise<ServerIdentity> {
  return withReadOnlySession(
    connection,
    async (session) => {
      const [row] = await session.query<{ started_at: string; port: string }>(
        "select extract(epoch from pg_postmaster_start_time())::text as started_at, current_setting('port') as port",
        token,
      );
      return { startedAt: row.started_at, port: row.port };
    },
    token,
  );
}

/** True when both identities are of one running server. */
export function isSameServer(a: ServerIdentity, b: ServerIdentity): boolean {
  return a.startedAt === b.startedAt && a.port === b.port;
}
