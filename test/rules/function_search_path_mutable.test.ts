import assert from 'node:assert/strict';
import rule from '../../src/core/rules/function_search_path_mutable';
import { loadParser } from '../../src/core/sql/parser';
import { analyzeSql, runRuleTests } from '../support/ruleTester';

const handleNewUser = `create function public.handle_new_user()
returns trigger
language plpgsql
security definer
as $$
begin
  insert into public.profiles (id) values (new.id);
  return new;
end;
$$;`;

runRuleTests(rule, {
  valid: [
    `create function public.booking_total(booking uuid) returns bigint
     language sql stable set search_path = ''
     as $$ select sum(amount_cents) from public.booking_payments where booking_id = booking $$;`,
    // Any fixed search_path satisfies splinter's check.
    `create function public.is_group_member(group_id uuid) returns boolean
     language sql stable set search_path = public, pg_temp
     as $$ select true $$;`,
    // Fixed later by ALTER FUNCTION.
    `create function public.touch_updated_at() returns trigger language plpgsql as $$ begin new.updated_at = now(); return new; end $$;
     alter function public.touch_updated_at() set search_path = '';`,
  ],
  invalid: [
    {
      sql: `create table public.profiles (id uuid primary key);

${handleNewUser}`,
      findings: [{ object: 'public.handle_new_user()', line: 3, message: /handle_new_user\(\) has no fixed search_path, and it is SECURITY DEFINER/ }],
      fix: "alter function public.handle_new_user() set search_path = '';",
    },
    {
      sql: `create or replace function public.wallet_balance(wallet uuid, currency text default 'eur') returns numeric
language sql stable as $$ select 0::numeric $$;`,
      findings: [{ object: 'public.wallet_balance(uuid, text)', line: 1 }],
      fix: "alter function public.wallet_balance(uuid, text) set search_path = '';",
    },
    {
      sql: `create procedure public.archive_old_messages() language sql begin atomic delete from public.messages where false; end;`,
      findings: [{ object: 'public.archive_old_messages()', line: 1 }],
      fix: "alter procedure public.archive_old_messages() set search_path = '';",
    },
  ],
});

describe('function_search_path_mutable edit', () => {
  before(() => loadParser());

  function applyEdit(sql: string): string {
    const finding = analyzeSql(sql).findings.find((f) => f.rule === rule.id);
    const edit = finding?.fix?.edit;
    assert.ok(edit, 'the fix edits the CREATE FUNCTION statement');
    return sql.slice(0, edit.start) + edit.text + sql.slice(edit.end);
  }

  it('puts set search_path on its own line before a body that starts a line', () => {
    const fixed = applyEdit(handleNewUser);
    assert.match(fixed, /security definer\nset search_path = ''\nas \$\$/);
    assert.deepEqual(analyzeSql(fixed).findings.filter((f) => f.rule === rule.id), []);
  });

  it('skips an `as` in a default value, and counts offsets in UTF-16 after non-ASCII text', () => {
    const sql = `-- Geldbörse: Saldo 💶
create function public.wallet_label(wallet uuid, label text default 'as is') returns text language sql as $$ select label $$;`;
    const fixed = applyEdit(sql);
    assert.match(fixed, /default 'as is'\) returns text language sql set search_path = '' as \$\$ select label \$\$;$/);
  });

  it('repeats only the white space after a comment that precedes the body', () => {
    const fixed = applyEdit(`create function public.one() returns int language sql\n  /* body */ as $$ select 1 $$;`);
    assert.match(fixed, /language sql\n {2}\/\* body \*\/ set search_path = '' as \$\$/);
    const afterLineComment = applyEdit(`create function public.one() returns int language sql -- body\n  as $$ select 1 $$;`);
    assert.match(afterLineComment, /-- body\n {2}set search_path = ''\n {2}as \$\$/);
  });

  it('keeps CRLF line endings', () => {
    const fixed = applyEdit(handleNewUser.replace(/\n/g, '\r\n'));
    assert.match(fixed, /security definer\r\nset search_path = ''\r\nas \$\$/);
  });

  it('inserts before a SQL-standard body', () => {
    const fixed = applyEdit('create function public.one() returns int language sql return 1;');
    assert.equal(fixed, "create function public.one() returns int language sql set search_path = '' return 1;");
  });
});
