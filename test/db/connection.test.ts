/**
 * Connection profiles and their failures, against the real test server: where the details come
 * from, .pgpass, and clear one-line errors that never contain the password.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { CancelledError } from '../../src/core/cancellation';
import { defaultConfig } from '../../src/core/config';
import { AuthenticationError, ConnectionError, InputError, TimeoutError } from '../../src/core/errors';
import { describeTarget, resolveConnectionOptions, SUPABASE_LOCAL_URL, toDatabaseError, toPgClientConfig } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { ReadOnlySession } from '../../src/db/readOnlySession';
import { getTestServer, type TestServer } from '../support/postgresServer';

describe('connection options', () => {
  it('reads a URL, with percent-encoded parts, sslmode and connect_timeout', () => {
    const options = resolveConnectionOptions({ url: 'postgresql://app%40corp:p%3Ass@db.example.com:6543/shop?sslmode=require&connect_timeout=3', env: {} });
    assert.deepEqual(
      { ...options },
      { host: 'db.example.com', port: 6543, database: 'shop', user: 'app@corp', password: 'p:ss', sslMode: 'require', sslRootCert: undefined, connectTimeoutSeconds: 3, statementTimeoutMs: 30_000 },
    );
    assert.equal(describeTarget(options), 'app@corp@db.example.com:6543/shop');
  });

  it('uses DATABASE_URL, then the PG* variables for what the URL leaves out', () => {
    const fromDatabaseUrl = resolveConnectionOptions({ env: { DATABASE_URL: 'postgres://u:pw@h1/db1', PGPORT: '5433' } });
    assert.deepEqual([fromDatabaseUrl.host, fromDatabaseUrl.port, fromDatabaseUrl.database, fromDatabaseUrl.user, fromDatabaseUrl.password], ['h1', 5433, 'db1', 'u', 'pw']);
    const fromPg = resolveConnectionOptions({ env: { PGHOST: 'h2', PGUSER: 'reader', PGPASSWORD: 'secret', PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/etc/ca.pem' } });
    assert.deepEqual([fromPg.host, fromPg.port, fromPg.database, fromPg.user, fromPg.password, fromPg.sslMode, fromPg.sslRootCert], ['h2', 5432, 'reader', 'reader', 'secret', 'verify-full', '/etc/ca.pem']);
  });

  it('uses the Supabase local database for a Supabase project when nothing else is set', () => {
    const options = resolveConnectionOptions({ env: {}, supabaseProject: true });
    assert.equal(describeTarget(options), 'postgres@127.0.0.1:54322/postgres');
    assert.equal(SUPABASE_LOCAL_URL, 'postgresql://postgres:postgres@127.0.0.1:54322/postgres');
    assert.equal(resolveConnectionOptions({ env: { PGHOST: 'elsewhere' }, supabaseProject: true }).host, 'elsewhere');
    assert.equal(resolveConnectionOptions({ env: {}, supabaseProject: false }).port, 5432);
  });

  it('reads a libpq key=value string, with quoted values, escapes and spaces around =', () => {
    const options = resolveConnectionOptions({ url: String.raw`host=db.example.com port = 6543 dbname=shop user='app user' password='it\'s a s\\ecret' sslmode=require connect_timeout=3 application_name=ignored`, env: {} });
    assert.deepEqual(
      { ...options },
      { host: 'db.example.com', port: 6543, database: 'shop', user: 'app user', password: "it's a s\\ecret", sslMode: 'require', sslRootCert: undefined, connectTimeoutSeconds: 3, statementTimeoutMs: 30_000 },
    );
    const partial = resolveConnectionOptions({ url: 'dbname=shop', env: { PGHOST: 'h3', PGUSER: 'reader' } });
    assert.deepEqual([partial.host, partial.database, partial.user], ['h3', 'shop', 'reader']);
  });

  it('reads a URL without a host, and a socket directory in the host parameter', () => {
    const options = resolveConnectionOptions({ url: 'postgresql://reader@/shop?host=/var/run/postgresql', env: {} });
    assert.deepEqual([options.host, options.user, options.database], ['/var/run/postgresql', 'reader', 'shop']);
  });

  it('rejects an unknown sslmode and malformed strings without repeating any part of them', () => {
    for (const url of [
      'postgresql://u:hunter2@h/db?sslmode=sometimes',
      'postgresql://u:hunter2@h:99999/db',
      'postgresql://u:hunter2@[::1/db',
      "host=h password='hunter2",
      'host=h hunter2',
      'host=h password=hunter2\\',
      'host=h port=hunter2',
      'hunter2',
      '   ',
    ]) {
      assert.throws(() => resolveConnectionOptions({ url, env: {} }), (error: Error) => {
        assert.ok(error instanceof InputError, `${url}: ${error.name}: ${error.message}`);
        assert.ok(!error.message.includes('hunter2'), `${url}: ${error.message}`);
        return true;
      });
    }
  });

  it('turns sslmode into pg TLS settings, reading the CA file for verify-full', () => {
    const directory = mkdtempSync(join(tmpdir(), 'pgreview-pgpass-'));
    const caFile = join(directory, 'root.crt');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    try {
      assert.equal(toPgClientConfig(resolveConnectionOptions({ url: 'postgresql://u@h/db?sslmode=disable', env: {} })).ssl, false);
      assert.deepEqual(toPgClientConfig(resolveConnectionOptions({ url: 'postgresql://u@h/db?sslmode=require', env: {} })).ssl, { rejectUnauthorized: false });
      // prefer tries TLS first (connectPgClient falls back to plain), as libpq does.
      assert.deepEqual(toPgClientConfig(resolveConnectionOptions({ url: 'postgresql://u@h/db', env: {} })).ssl, { rejectUnauthorized: false });
      assert.equal(toPgClientConfig(resolveConnectionOptions({ url: 'postgresql://u@h/db?sslmode=allow', env: {} })).ssl, false);
      const verifyFull = toPgClientConfig(resolveConnectionOptions({ url: `postgresql://u@h/db?sslmode=verify-full&sslrootcert=${caFile}`, env: {} }));
      const verifyCa = toPgClientConfig(resolveConnectionOptions({ url: `postgresql://u@h/db?sslmode=verify-ca&sslrootcert=${caFile}`, env: {} }));
      assert.equal((verifyCa.ssl as { ca?: string }).ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      assert.deepEqual(verifyFull.ssl, { ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', rejectUnauthorized: true });
      assert.equal(toPgClientConfig(resolveConnectionOptions({ url: 'postgresql://u@h/db', env: {} })).application_name, 'pgreview');
      assert.throws(() => toPgClientConfig(resolveConnectionOptions({ url: 'postgresql://u@h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem', env: {} })), InputError);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('removes the password from any driver message it wraps', () => {
    const options = resolveConnectionOptions({ url: 'postgresql://u:s%40cret@h/db', env: {} });
    const error = toDatabaseError(new Error('bad thing near postgresql://u:s%40cret@h/db and s@cret'), options);
    assert.equal(error.message, 'Cannot connect to u@h:5432/db: bad thing near postgresql://u:***@h/db and ***');
  });

  it('reads the password from .pgpass (PGPASSFILE), honouring wildcards and escapes', () => {
    const directory = mkdtempSync(join(tmpdir(), 'pgreview-pgpass-'));
    const file = join(directory, 'pgpass');
    writeFileSync(file, '# comment\nother:*:*:*:nope\ndb.example.com:5432:*:app:s3cr\\:et\n');
    chmodSync(file, 0o600);
    const options = resolveConnectionOptions({ url: 'postgresql://app@db.example.com/shop', env: { PGPASSFILE: file } });
    assert.equal(options.password, 's3cr:et');
    chmodSync(file, 0o644);
    assert.equal(resolveConnectionOptions({ url: 'postgresql://app@db.example.com/shop', env: { PGPASSFILE: file } }).password, undefined, 'libpq ignores a file others can read');
    rmSync(directory, { recursive: true, force: true });
  });
});

describe('connection failures', function () {
  this.timeout(60_000);
  let server: TestServer;
  let url: string;

  before(async () => {
    server = await getTestServer();
    url = await server.createDatabase('pgreview_connection');
  });

  it('connects with the password from .pgpass against the real server', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pgreview-pgpass-'));
    const file = join(directory, 'pgpass');
    writeFileSync(file, `${server.host}:${server.port}:*:${server.user}:${server.password}\n`, { mode: 0o600 });
    const options = resolveConnectionOptions({ url: `postgresql://${server.user}@${server.host}:${server.port}/pgreview_connection`, env: { PGPASSFILE: file } });
    try {
      const session = await ReadOnlySession.open(options);
      await session.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('connects with a libpq key=value string', async () => {
    const keyValue = `host=${server.host} port=${server.port} dbname=pgreview_connection user=${server.user} password='${server.password.replace(/['\\]/g, '\\$&')}'`;
    const session = await ReadOnlySession.open(resolveConnectionOptions({ url: keyValue, env: {} }));
    try {
      assert.deepEqual(await session.query('select current_database() as database, current_user as user'), [{ database: 'pgreview_connection', user: server.user }]);
    } finally {
      await session.close();
    }
  });

  it('gives up on a frozen server a little after the statement timeout, naming the target and not the password', async function () {
    // The backend is stopped with SIGSTOP, so it must run on this machine.
    if (process.env.PGREVIEW_TEST_DATABASE_URL) this.skip();
    const options = resolveConnectionOptions({ url, env: {}, statementTimeoutMs: 1_000 });
    const session = await ReadOnlySession.open(options);
    const [{ pid }] = await session.query<{ pid: number }>('select pg_backend_pid() as pid');
    const started = Date.now();
    process.kill(pid, 'SIGSTOP');
    try {
      await assert.rejects(session.query('select 1'), (error: Error) => {
        assert.ok(error instanceof TimeoutError, `${error.name}: ${error.message}`);
        assert.match(error.message, /^No answer from postgres@127\.0\.0\.1:\d+\/pgreview_connection within 6 s, longer than the statement timeout \(1 s\)/);
        assert.ok(!`${error.message}\n${error.stack}`.includes(server.password), 'the password leaked');
        return true;
      });
      // Closing must not wait for the frozen backend either (no ROLLBACK it would never answer).
      await session.close();
      assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
    } finally {
      process.kill(pid, 'SIGCONT');
      await session.close();
    }
  });

  it('says clearly that an unreachable host refused the connection', async () => {
    const port = await closedPort();
    const options = resolveConnectionOptions({ url: `postgresql://postgres:topsecret@127.0.0.1:${port}/postgres`, env: {} });
    await assert.rejects(ReadOnlySession.open(options), (error: Error) => {
      assert.ok(error instanceof ConnectionError);
      assert.equal(error.message, `Cannot connect to postgres@127.0.0.1:${port}/postgres: the server refused the connection (is PostgreSQL running on that port?).`);
      return true;
    });
  });

  it('reports a wrong password without the password, in the message, the cause or the stack', async () => {
    const wrong = 'Wrong-Pass-12345';
    const options = resolveConnectionOptions({ url: `postgresql://${server.user}:${wrong}@${server.host}:${server.port}/pgreview_connection`, env: {} });
    await assert.rejects(ReadOnlySession.open(options), (error: Error) => {
      assert.ok(error instanceof AuthenticationError);
      assert.match(error.message, /^Password authentication failed for postgres@127\.0\.0\.1:\d+\/pgreview_connection/);
      const everything = `${error.message}\n${error.stack}\n${String((error.cause as Error)?.message)}\n${String((error.cause as Error)?.stack)}\n${JSON.stringify(error)}`;
      assert.ok(!everything.includes(wrong), 'the password leaked');
      assert.ok(!everything.includes(server.password), 'the real password leaked');
      return true;
    });
  });

  it('times out connecting to a server that never answers', async () => {
    const silent = await silentServer();
    const port = (silent.address() as { port: number }).port;
    const options = resolveConnectionOptions({ url: `postgresql://u:pw@127.0.0.1:${port}/db?connect_timeout=1`, env: {} });
    try {
      await assert.rejects(ReadOnlySession.open(options), (error: Error) => {
        assert.ok(error instanceof TimeoutError, `${error.name}: ${error.message}`);
        assert.match(error.message, /no answer within 1 s/);
        return true;
      });
    } finally {
      silent.close();
    }
  });

  it('cancels a query that runs past the statement timeout', async () => {
    const session = await ReadOnlySession.open(resolveConnectionOptions({ url, env: {}, statementTimeoutMs: 300 }));
    try {
      await assert.rejects(session.query('select pg_sleep(5)'), (error: Error) => {
        assert.ok(error instanceof TimeoutError);
        assert.match(error.message, /ran longer than the statement timeout \(0\.3 s\)/);
        return true;
      });
    } finally {
      await session.close();
    }
  });

  it('cancels the running query on the server when the token is cancelled', async () => {
    const session = await ReadOnlySession.open(resolveConnectionOptions({ url, env: {} }));
    const token = { isCancellationRequested: false };
    // The token is set once the server runs the query (a timer could fire before the query
    // reaches a busy server). The sleep outlasts the test's timeout, so only a query cancelled
    // on the server lets it pass: one that is awaited never rejects.
    let settled = false;
    const running = waitUntilRunning(server.adminUrl, 'select pg_sleep(600)', () => settled).then(() => (token.isCancellationRequested = true));
    try {
      await assert.rejects(session.query('select pg_sleep(600)', token), CancelledError);
    } finally {
      settled = true;
      await running;
      await session.close();
    }
  });

  it('reports a connection dropped in the middle of introspection', async () => {
    // Introspection reads storage.buckets; a lock held here makes it wait there, so its backend is
    // terminated in the middle of introspection however fast or slow the machine is.
    const locker = new Client({ connectionString: url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table storage.buckets in access exclusive mode');
    const admin = new Client({ connectionString: server.adminUrl });
    await admin.connect();
    let stop = false;
    const killer = (async () => {
      while (!stop) {
        const result = await admin.query(
          "select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = 'pgreview' and datname = 'pgreview_connection' and wait_event_type = 'Lock'",
        );
        if (result.rows.some((row) => row.killed)) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      await assert.rejects(introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config: defaultConfig() }), (error: Error) => {
        assert.ok(error instanceof ConnectionError, `${error.name}: ${error.message}`);
        assert.match(error.message, /pgreview_connection/);
        assert.ok(!error.message.includes(server.password));
        return true;
      });
    } finally {
      stop = true;
      await killer;
      await admin.end();
      await locker.query('rollback');
      await locker.end();
    }
  });
});

/** Resolves once the server runs `sql` in some session, or once the caller no longer waits. */
async function waitUntilRunning(adminUrl: string, sql: string, stopped: () => boolean): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    while (!stopped()) {
      const result = await admin.query("select 1 from pg_stat_activity where state = 'active' and query = $1", [sql]);
      if (result.rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await admin.end();
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that accepts connections and never says anything, like a firewall that swallows packets. */
async function silentServer(): Promise<Server> {
  const sockets: import('node:net').Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    sockets.forEach((socket) => socket.destroy());
    return close(callback);
  }) as typeof server.close;
  return server;
}

describe('sslmode against the real server', function () {
  this.timeout(120_000);
  let server: TestServer;
  let url: string;
  /** Whether the session pgreview opens with this sslmode (as this role) uses TLS. */
  const usesTls = async (sslMode: string, role?: string): Promise<boolean> => {
    const roleUrl = new URL(url);
    if (role) [roleUrl.username, roleUrl.password] = [role, `${role}-pw`];
    const session = await ReadOnlySession.open(resolveConnectionOptions({ url: `${roleUrl.toString()}?sslmode=${sslMode}`, env: {} }));
    try {
      const [row] = await session.query<{ ssl: boolean }>('select ssl from pg_catalog.pg_stat_ssl where pid = pg_backend_pid()');
      return row.ssl;
    } finally {
      await session.close();
    }
  };

  before(async () => {
    server = await getTestServer();
    url = await server.createDatabase('pgreview_sslmode', { baseline: false });
  });

  it('connects without TLS under prefer and allow when the server offers none, and says so under require', async function () {
    if (!(await serverHasTls(server, false))) {
      assert.equal(await usesTls('prefer'), false);
      assert.equal(await usesTls('allow'), false);
      await assert.rejects(ReadOnlySession.open(resolveConnectionOptions({ url: `${url}?sslmode=require`, env: {} })), (error: Error) => {
        assert.ok(error instanceof ConnectionError, `${error.name}: ${error.message}`);
        assert.match(error.message, /^TLS failed for postgres@127\.0\.0\.1:\d+\/pgreview_sslmode \(sslmode require\): The server does not support SSL connections/);
        return true;
      });
    } else {
      this.skip();
    }
  });

  describe('with TLS on (a self-signed certificate)', () => {
    let turnTlsOff: (() => Promise<void>) | undefined;

    before(async function () {
      turnTlsOff = await turnTlsOn(server, url);
      if (!turnTlsOff) this.skip();
    });

    after(async () => {
      await turnTlsOff?.();
    });

    it('uses TLS under prefer and require, without it under allow and disable, as libpq does', async () => {
      assert.deepEqual(
        { prefer: await usesTls('prefer'), require: await usesTls('require'), allow: await usesTls('allow'), disable: await usesTls('disable') },
        { prefer: true, require: true, allow: false, disable: false },
      );
    });

    it('falls back as libpq does when pg_hba.conf rejects TLS (prefer) or plain connections (allow) for the role', async () => {
      const restoreHba = await rejectByTls(server, url);
      try {
        assert.equal(await usesTls('prefer', 'pgreview_no_tls'), false);
        assert.equal(await usesTls('allow', 'pgreview_tls_only'), true);
        const noTls = new URL(url);
        [noTls.username, noTls.password] = ['pgreview_no_tls', 'pgreview_no_tls-pw'];
        await assert.rejects(ReadOnlySession.open(resolveConnectionOptions({ url: `${noTls.toString()}?sslmode=require`, env: {} })), (error: Error) => {
          assert.ok(error instanceof AuthenticationError, `${error.name}: ${error.message}`);
          assert.match(error.message, /^The server rejected pgreview_no_tls@127\.0\.0\.1:\d+\/pgreview_sslmode: .*pg_hba\.conf rejects connection/);
          return true;
        });
      } finally {
        await restoreHba();
      }
    });

    it('refuses under verify-full a certificate it cannot check, and does not fall back', async () => {
      await assert.rejects(ReadOnlySession.open(resolveConnectionOptions({ url: `${url}?sslmode=verify-full`, env: {} })), (error: Error) => {
        assert.ok(error instanceof ConnectionError, `${error.name}: ${error.message}`);
        assert.match(error.message, /^TLS failed for postgres@127\.0\.0\.1:\d+\/pgreview_sslmode \(sslmode verify-full\)/);
        assert.ok(!error.message.includes(server.password));
        return true;
      });
    });
  });
});

/** Whether the server accepts TLS now; `wait` polls until it does (after a reload). */
async function serverHasTls(server: TestServer, wait: boolean): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new Client({ connectionString: server.adminUrl, ssl: { rejectUnauthorized: false } });
    try {
      await client.connect();
      return true;
    } catch {
      if (!wait || Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * Turns TLS on in the throwaway cluster with a self-signed certificate made by openssl, and
 * returns how to turn it off again; undefined when the cluster is not on this machine (an
 * external PGREVIEW_TEST_DATABASE_URL) or openssl is missing.
 */
async function turnTlsOn(server: TestServer, url: string): Promise<(() => Promise<void>) | undefined> {
  if (process.env.PGREVIEW_TEST_DATABASE_URL) return undefined;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    const dataDirectory = (await admin.query<{ data_directory: string }>('show data_directory')).rows[0].data_directory;
    if (!existsSync(dataDirectory)) return undefined;
    const key = join(dataDirectory, 'server.key');
    const certificate = join(dataDirectory, 'server.crt');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', certificate, '-days', '2', '-subj', '/CN=pgreview-test'], { encoding: 'utf8' });
    if (made.status !== 0) return undefined;
    // PostgreSQL reads the key only when its owner runs the server and nobody else may read it.
    const owner = statSync(dataDirectory);
    for (const file of [key, certificate]) chownSync(file, owner.uid, owner.gid);
    chmodSync(key, 0o600);
    await admin.query('alter system set ssl = on');
    await admin.query('select pg_reload_conf()');
  } finally {
    await admin.end();
  }
  assert.ok(await serverHasTls(server, true), 'the server did not start TLS after the reload');
  return async () => {
    await server.runSql(url, 'alter system reset ssl');
    await server.runSql(url, 'select pg_reload_conf()');
  };
}

/**
 * Adds pg_hba.conf lines that reject the role pgreview_no_tls over TLS and pgreview_tls_only
 * without it, reloads, and returns how to put the file back.
 */
async function rejectByTls(server: TestServer, url: string): Promise<() => Promise<void>> {
  await server.runSql(server.adminUrl, `drop role if exists pgreview_no_tls; drop role if exists pgreview_tls_only;
    create role pgreview_no_tls login password 'pgreview_no_tls-pw'; create role pgreview_tls_only login password 'pgreview_tls_only-pw';`);
  const admin = new Client({ connectionString: url });
  await admin.connect();
  let hbaFile: string;
  let original: string;
  try {
    hbaFile = (await admin.query<{ hba_file: string }>('show hba_file')).rows[0].hba_file;
    original = readFileSync(hbaFile, 'utf8');
    writeFileSync(hbaFile, `hostssl all pgreview_no_tls all reject\nhostnossl all pgreview_tls_only all reject\n${original}`);
    await admin.query('select pg_reload_conf()');
  } finally {
    await admin.end();
  }
  // The postmaster reads the file when it handles the reload signal; wait until it has.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const check = new Client({ connectionString: url.replace(/\/\/[^@]*@/, '//pgreview_tls_only:pgreview_tls_only-pw@'), ssl: false });
    const rejected = await check.connect().then(() => false, () => true);
    await check.end().catch(() => undefined);
    if (rejected) break;
    assert.ok(Date.now() < deadline, 'the server did not read the new pg_hba.conf');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return async () => {
    writeFileSync(hbaFile, original);
    await server.runSql(url, 'select pg_reload_conf()');
  };
}
