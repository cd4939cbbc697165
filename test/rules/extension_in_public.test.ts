import rule from '../../src/core/rules/extension_in_public';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    'create extension if not exists pg_trgm with schema extensions;',
    'create extension vector schema extensions;',
    // Pre-installed in extensions on Supabase: nothing changes.
    'create extension if not exists "uuid-ossp";',
    // Only the final schema counts.
    'create extension citext;\nalter extension citext set schema extensions;',
  ],
  invalid: [
    {
      // A bare CREATE EXTENSION lands in the first schema of the search path: public.
      sql: `create table public.profiles (id uuid primary key);

create extension pg_trgm;`,
      findings: [{ object: 'pg_trgm', line: 3, message: /pg_trgm is installed in schema public/ }],
      fix: 'create schema if not exists extensions;\nalter extension pg_trgm set schema extensions;',
    },
    {
      sql: 'create extension if not exists "hstore" with schema public;',
      findings: [{ object: 'hstore', line: 1 }],
      fix: /alter extension hstore set schema extensions;/,
    },
    {
      // PostGIS cannot be relocated: reinstalling it is a person's call.
      sql: 'create extension postgis;',
      findings: [{ object: 'postgis', line: 1 }],
      fix: null,
    },
  ],
});
