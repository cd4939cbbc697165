import rule from '../../src/core/rules/legacy_table';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    'create table public.bookings (id uuid primary key);',
    // `temp` at the end is usually a temperature, and archives are usually kept on purpose.
    'create table public.sensor_temp (id bigint primary key, celsius numeric);',
    'create table public.orders_archive (id uuid primary key);',
    // The words must stand alone: `bold`, `copyright`, `template`.
    'create table public.copyright_notices (id uuid primary key);',
    'create table public.templates (id uuid primary key);',
    'create table public.old (id uuid primary key);',
  ],
  invalid: [
    {
      sql: `create table public.profiles (id uuid primary key);

create table public.profiles_backup (id uuid primary key);`,
      findings: [{ object: 'public.profiles_backup', line: 3, message: /named like a backup/ }],
      fix: null,
    },
    { sql: 'create table public.bookings_backup_20240105 (id uuid);', findings: [{ object: 'public.bookings_backup_20240105', line: 1 }], fix: null },
    { sql: 'create table public.vendors_bak (id uuid);', findings: [{ object: 'public.vendors_bak', line: 1 }], fix: null },
    { sql: 'create table public.bookings_old (id uuid);', findings: [{ object: 'public.bookings_old', line: 1, message: /leftover/ }], fix: null },
    { sql: 'create table public.posts_copy (id uuid);', findings: [{ object: 'public.posts_copy', line: 1 }], fix: null },
    { sql: 'create table public.v1_wallets (id uuid);', findings: [{ object: 'public.v1_wallets', line: 1 }], fix: null },
    { sql: 'create table public.groups_v1 (id uuid);', findings: [{ object: 'public.groups_v1', line: 1 }], fix: null },
    { sql: 'create table public.tmp_import (id uuid);', findings: [{ object: 'public.tmp_import', line: 1, message: /scratch/ }], fix: null },
    { sql: 'create table public.temp_users (id uuid);', findings: [{ object: 'public.temp_users', line: 1 }], fix: null },
    {
      sql: `create table public.vendors (id uuid primary key, name text);
create table public.vendor_snapshot as select * from public.vendors;`,
      findings: [{ object: 'public.vendor_snapshot', line: 2, message: /CREATE TABLE \.\.\. AS/ }],
      fix: null,
    },
  ],
});
