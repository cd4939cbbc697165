/**
 * The runners' history tables as each runner creates them, and project folders to match them
 * with, for the tests that read a history from the real server.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes `files` (path → text) into a new project folder under the system's temporary folder. */
export function makeProjectFolder(files: Record<string, string>): string {
  const project = mkdtempSync(join(tmpdir(), 'pgreview-history-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(project, dirname(path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
  return project;
}

/** Flyway's `flyway_schema_history`, as Flyway 9 creates it in public. */
export const FLYWAY_SCHEMA_HISTORY_SQL = `create table public.flyway_schema_history (
  installed_rank int primary key, version varchar(50), description varchar(200) not null, type varchar(20) not null,
  script varchar(1000) not null, checksum int, installed_by varchar(100) not null, installed_on timestamp not null default now(),
  execution_time int not null, success boolean not null);`;

/** The Supabase CLI's history table, with the `statements` and `name` columns of recent CLI versions. */
export const SUPABASE_SCHEMA_MIGRATIONS_SQL = `create schema supabase_migrations;
create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);`;
