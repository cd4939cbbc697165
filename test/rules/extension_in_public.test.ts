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
    // Extensions whose control file fixes their schema land there, whatever the search path says.
    'create extension pg_cron;',
    'create extension if not exists pg_cron with schema extensions;\ngrant usage on schema cron to postgres;',
    'create extension supabase_vault;',
    'create extension pgsodium;',
    'create extension if not exists pg_graphql;',
    'create extension pg_tle;',
    'create extension adminpack;',
    // Not relocatable: ALTER EXTENSION ... SET SCHEMA public fails and changes nothing.
    'create extension pg_cron;\nalter extension pg_cron set schema public;',
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
      // pg_net's control file names no schema: the extension lands in public (its objects in net).
      sql: 'create extension if not exists pg_net;',
      findings: [{ object: 'pg_net', line: 1 }],
      fix: null,
    },
    {
      // PostGIS cannot be relocated: reinstalling it is a person's call.
      sql: 'create extension postgis;',
      findings: [{ object: 'postgis', line: 1 }],
      fix: null,
    },
  ],
});
