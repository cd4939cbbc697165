/**
 * The real PostgreSQL server the database tests share: `PGREVIEW_TEST_DATABASE_URL` when set,
 * otherwise a throwaway cluster made with initdb on a free loopback port and removed when the
 * process exits. As root, the cluster runs as the OS user `pgreview_test` (PostgreSQL refuses to
 * run as root). Each test file asks for its own database, which starts with the Supabase baseline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { supabaseBaselineSql } from '../../src/db/supabaseBaselineSql';

/** The superuser's password in the throwaway cluster; tests use it to check redaction too. */
export const TEST_SUPERUSER_PASSWORD = 'pgreview-secret-pw';

export interface TestServer {
  /** Superuser URL of the cluster's `postgres` database. */
  adminUrl: string;
  host: string;
  port: number;
  user: string;
  password: string;
  /** Creates (or recreates) a database with the Supabase baseline and returns its superuser URL. */
  createDatabase(name: string, options?: { baseline?: boolean }): Promise<string>;
  /** Runs SQL as the superuser in a database of the cluster. */
  runSql(url: string, sql: string): Promise<void>;
}

let serverPromise: Promise<TestServer> | undefined;

/** The shared server; the first call starts it (a few seconds), later calls return the same one. */
export function getTestServer(): Promise<TestServer> {
  serverPromise ??= startServer();
  return serverPromise;
}

async function startServer(): Promise<TestServer> {
  const external = process.env.PGREVIEW_TEST_DATABASE_URL;
  if (external) {
    const url = new URL(external);
    return makeServer(external, url.hostname, Number(url.port || 5432), decodeURIComponent(url.username), decodeURIComponent(url.password));
  }
  const binDir = findPostgresBinaries();
  const osUser = process.getuid?.() === 0 ? ensureOsUser('pgreview_test') : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'pgreview-pg-'));
  chmodSync(dataDir, 0o700);
  if (osUser) execFileSync('chown', [`${osUser}:${osUser}`, dataDir]);
  const pwFile = join(dataDir, '..', `${dataDir.split('/').pop()}.pw`);
  writeFileSync(pwFile, `${TEST_SUPERUSER_PASSWORD}\n`, { mode: 0o644 });
  runAs(osUser, join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--pwfile', pwFile, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale', '-N']);
  rmSync(pwFile, { force: true });
  const port = await findFreePort();
  const logFile = join(dataDir, 'server.log');
  // Autovacuum stays off so that the statistics the L rules read (dead tuples, index scans) are
  // exactly what the tests made; fsync is off because the cluster is thrown away.
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dataDir} -c autovacuum=off -c fsync=off -c full_page_writes=off -c max_connections=60 -c max_locks_per_transaction=1024`;
  runAs(osUser, join(binDir, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
  const stopCluster = (): void => {
    const stop = [join(binDir, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', 'stop'];
    spawnSync(osUser ? 'runuser' : stop[0], osUser ? ['-u', osUser, '--', ...stop] : stop.slice(1), { stdio: 'ignore' });
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('exit', stopCluster);
  // 'exit' does not run when a signal ends the process (Ctrl-C, a CI timeout), so stop the cluster
  // there too and then end as the signal would have.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stopCluster();
      process.kill(process.pid, signal);
    });
  }
  const adminUrl = `postgresql://postgres:${encodeURIComponent(TEST_SUPERUSER_PASSWORD)}@127.0.0.1:${port}/postgres`;
  return makeServer(adminUrl, '127.0.0.1', port, 'postgres', TEST_SUPERUSER_PASSWORD);
}

function makeServer(adminUrl: string, host: string, port: number, user: string, password: string): TestServer {
  const runSql = async (url: string, sql: string): Promise<void> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    adminUrl,
    host,
    port,
    user,
    password,
    runSql,
    async createDatabase(name, options = {}) {
      await runSql(adminUrl, `drop database if exists "${name}" with (force)`);
      await runSql(adminUrl, `create database "${name}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const databaseUrl = url.toString();
      if (options.baseline !== false) await runSql(databaseUrl, supabaseBaselineSql);
      return databaseUrl;
    },
  };
}

function findPostgresBinaries(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin');
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL (scripts/install-test-deps.sh) or set PGREVIEW_TEST_DATABASE_URL.');
}

function ensureOsUser(name: string): string {
  if (spawnSync('id', ['-u', name]).status !== 0) execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  return name;
}

function runAs(osUser: string | undefined, command: string, args: string[]): void {
  const result = osUser
    ? spawnSync('runuser', ['-u', osUser, '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
