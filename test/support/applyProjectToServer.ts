/**
 * Builds a project's database on the test server the way `supabase db reset` does: a fresh
 * database with the Supabase baseline, the extensions Supabase pre-installs, the migrations, then
 * the seed. Returns the database's superuser URL.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { analyze } from '../../src/core/analyze';
import { loadProject } from '../../src/core/project/loadProject';
import { applyMigrationStatements } from '../../src/db/shadowApply';
import { createFileSystemProjectReader } from '../../src/node/fileSystemProjectReader';
import { getTestServer } from './postgresServer';

export async function applyProjectToServer(projectDir: string, databaseName: string): Promise<string> {
  const project = loadProject(createFileSystemProjectReader(projectDir));
  const analysis = analyze({ files: project.files, config: project.config });
  const server = await getTestServer();
  const url = await server.createDatabase(databaseName);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create extension if not exists "uuid-ossp" with schema extensions');
    await client.query('create extension if not exists pgcrypto with schema extensions');
    await client.query(`alter database ${databaseName} set search_path = "$user", public, extensions`);
    await client.query('set search_path = "$user", public, extensions');
    const outcome = await applyMigrationStatements({ exec: async (sql) => void (await client.query(sql)) }, analysis.files, project.config, 'test server');
    assert.deepEqual(outcome.findings.map((finding) => finding.message), []);
    const seed = join(projectDir, 'supabase', 'seed.sql');
    if (existsSync(seed)) await client.query(readFileSync(seed, 'utf8'));
  } finally {
    await client.end();
  }
  return url;
}
