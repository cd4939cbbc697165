import rule from '../../src/core/rules/fkey_to_auth_unique';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    'create table public.profiles (id uuid primary key references auth.users (id) on delete cascade);',
    // No column list references the primary key.
    'create table public.wallets (id uuid primary key, owner_id uuid not null references auth.users);',
    'create table public.vendors (id uuid primary key, owner_id uuid not null);\nalter table public.vendors add constraint vendors_owner_id_fkey foreign key (owner_id) references auth.users (id);',
  ],
  invalid: [
    {
      sql: `create table public.profiles (
  id uuid primary key,
  phone text references auth.users (phone)
);`,
      findings: [{ object: 'public.profiles.profiles_phone_fkey', line: 3, message: /auth\.users\(phone\) through the unique index users_phone_key/ }],
      fix: null,
    },
    {
      sql: `create table public.vendors (id uuid primary key, contact_phone text);

alter table public.vendors add constraint vendors_contact_phone_fkey foreign key (contact_phone) references auth.users (phone);`,
      findings: [{ object: 'public.vendors.vendors_contact_phone_fkey', line: 3 }],
      fix: null,
    },
  ],
});
