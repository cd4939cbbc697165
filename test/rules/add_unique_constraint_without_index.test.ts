import assert from 'node:assert/strict';
import rule from '../../src/core/rules/add_unique_constraint_without_index';
import { analyzeMigrations, runSafetyRuleTests } from '../support/safetyTester';

const profiles = 'create table public.profiles (id bigint primary key, username text, email text, tenant_id bigint);';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'USING INDEX', applied: [profiles, 'create unique index concurrently profiles_username_key on public.profiles (username);'], pending: ['alter table public.profiles add constraint profiles_username_key unique using index profiles_username_key;'] },
    { name: 'a PRIMARY KEY is the other rule\'s', applied: ['create table public.tags (id bigint not null);'], pending: ['alter table public.tags add primary key (id);'] },
    { name: 'a table created in the same pending file', pending: [`${profiles}\nalter table public.profiles add unique (username);`] },
    { name: 'a table created in an earlier pending file', pending: [profiles, 'alter table public.profiles add unique (username);'] },
    { name: 'an applied migration is never judged', applied: [profiles, 'alter table public.profiles add unique (username);'], pending: ['select 1;'] },
    { name: 'a table that does not exist', pending: ['alter table public.nowhere add unique (username);'] },
  ],
  invalid: [
    {
      name: 'ADD UNIQUE',
      applied: [profiles],
      pending: ['alter table public.profiles\n  add unique (username);'],
      findings: [{ object: 'public.profiles.profiles_username_key', file: 1, line: 2, message: /ADD UNIQUE \(username\) on public\.profiles builds its unique index inside the ALTER TABLE, which takes an ACCESS EXCLUSIVE lock on public\.profiles: blocks reads and writes; it reads every row/ }],
      fix: null,
    },
    {
      name: 'ADD CONSTRAINT name UNIQUE on two columns',
      applied: [profiles],
      pending: ['alter table public.profiles add constraint profiles_tenant_email unique (tenant_id, email);'],
      findings: [{ object: 'public.profiles.profiles_tenant_email', file: 1, line: 1 }],
    },
    {
      name: 'a column added with UNIQUE',
      applied: [profiles],
      pending: ['alter table public.profiles add column handle text unique;'],
      findings: [{ object: 'public.profiles.handle', file: 1, line: 1, message: /ADD COLUMN handle UNIQUE/ }],
    },
    {
      name: 'no pending list: a table from an earlier file',
      withPendingList: false,
      pending: [profiles, 'alter table profiles add unique (email);'],
      findings: [{ object: 'public.profiles.profiles_email_key', file: 1, line: 1 }],
    },
  ],
});

describe(`${rule.id} suggestion`, () => {
  const suggestionOf = (pending: string) => analyzeMigrations({ applied: [profiles], pending: [pending] }).findings.find((f) => f.rule === rule.id)?.suggestions;

  it('builds the index concurrently under the name PostgreSQL would choose, then adds the constraint using it', () => {
    assert.deepEqual(suggestionOf('alter table public.profiles add unique (tenant_id, email);')?.map((s) => s.sql.trim().split('\n')), [[
      'create unique index concurrently profiles_tenant_id_email_key on public.profiles (tenant_id, email);',
      '-- In a later migration:',
      'alter table public.profiles add constraint profiles_tenant_id_email_key unique using index profiles_tenant_id_email_key;',
    ]]);
  });

  it('keeps INCLUDE, NULLS NOT DISTINCT and DEFERRABLE', () => {
    const sql = suggestionOf('alter table public.profiles add constraint one_email unique nulls not distinct (email) include (username) deferrable initially deferred;')?.[0].sql ?? '';
    assert.match(sql, /^create unique index concurrently one_email on public\.profiles \(email\) include \(username\) nulls not distinct;$/m);
    assert.match(sql, /^alter table public\.profiles add constraint one_email unique using index one_email deferrable initially deferred;$/m);
  });
});
