import rule from '../../src/core/rules/column_type_change_rewrite';
import { runSafetyRuleTests } from '../support/safetyTester';

const orders = `create table public.orders (
  id bigint primary key,
  code varchar(20),
  note text,
  amount numeric(10,2),
  placed_at timestamp(3),
  quantity int,
  tags varchar(10)[],
  state text
);`;
const withCheck = 'create table public.orders (id bigint primary key, code varchar(20) check (length(code) > 1));';
const alter = (command: string) => `alter table public.orders alter column ${command};`;

runSafetyRuleTests(rule, {
  valid: [
    { name: 'varchar(n) to a larger n', applied: [orders], pending: [alter('code type varchar(50)')] },
    { name: 'varchar(n) to varchar', applied: [orders], pending: [alter('code type varchar')] },
    { name: 'varchar(n) to text', applied: [orders], pending: [alter('code type text')] },
    { name: 'text to varchar', applied: [orders], pending: [alter('note type character varying')] },
    { name: 'numeric precision widening, same scale', applied: [orders], pending: [alter('amount type numeric(12,2)')] },
    { name: 'numeric(p,s) to numeric', applied: [orders], pending: [alter('amount type numeric')] },
    { name: 'the same type', applied: [orders], pending: [alter('quantity type integer')] },
    { name: 'the same type spelled otherwise', applied: [orders], pending: [alter('quantity type int4')] },
    { name: 'timestamp precision widening', applied: [orders], pending: [alter('placed_at type timestamp(6)')] },
    { name: 'USING the column itself', applied: [orders], pending: [alter('code type varchar(30) using code::varchar(30)')] },
    { name: 'an extension type pgreview does not know', applied: [orders], pending: [alter('note type citext')] },
    { name: 'a NOT VALID CHECK is not re-checked', applied: ['create table public.orders (id bigint primary key, code varchar(20));', 'alter table public.orders add constraint code_long check (length(code) > 1) not valid;'], pending: [alter('code type varchar(50)')] },
    { name: 'a plain index on the column is kept', applied: [orders, 'create index orders_code on public.orders (code);'], pending: [alter('code type text')] },
    { name: 'an expression index on another column', applied: [orders, 'create index orders_note_lower on public.orders (lower(note));'], pending: [alter('code type text')] },
    { name: 'a table created in the same pending file', pending: [`${orders}\n${alter('quantity type bigint')}`] },
    { name: 'a table created in an earlier pending file', pending: [orders, alter('quantity type bigint')] },
    { name: 'an applied migration is never judged', applied: [orders, alter('quantity type bigint')], pending: ['select 1;'] },
    { name: 'a column that does not exist', applied: [orders], pending: [alter('nowhere type bigint')] },
  ],
  invalid: [
    {
      name: 'int to bigint',
      applied: [orders],
      pending: ['alter table public.orders\n  alter column quantity type bigint;'],
      findings: [{ object: 'public.orders.quantity', file: 1, line: 2, message: /TYPE bigint on public\.orders \(was integer\) is not binary-coercible, .*ACCESS EXCLUSIVE lock on public\.orders: blocks reads and writes; it rewrites the whole table/ }],
      fix: null,
    },
    { name: 'varchar(n) to a smaller n', applied: [orders], pending: [alter('code type varchar(10)')], findings: [{ object: 'public.orders.code', file: 1, line: 1 }] },
    { name: 'text to varchar(n)', applied: [orders], pending: [alter('note type varchar(100)')], findings: [{ object: 'public.orders.note', file: 1, line: 1 }] },
    { name: 'numeric scale change', applied: [orders], pending: [alter('amount type numeric(12,3)')], findings: [{ object: 'public.orders.amount', file: 1, line: 1 }] },
    { name: 'timestamp to timestamptz', applied: [orders], pending: [alter('placed_at type timestamptz')], findings: [{ object: 'public.orders.placed_at', file: 1, line: 1, message: /session time zone is UTC/ }] },
    { name: 'timestamptz to timestamp', applied: ['create table public.orders (id bigint primary key, paid_at timestamptz);'], pending: [alter('paid_at type timestamp')], findings: [{ object: 'public.orders.paid_at', file: 1, line: 1, message: /session time zone is UTC/ }] },
    { name: 'an array of a wider varchar', applied: [orders], pending: [alter('tags type text[]')], findings: [{ object: 'public.orders.tags', file: 1, line: 1 }] },
    { name: 'USING an expression, even to the same type', applied: [orders], pending: [alter('note type text using lower(note)')], findings: [{ object: 'public.orders.note', file: 1, line: 1, message: /USING expression/ }] },
    {
      name: 'text to an enum',
      applied: [orders, "create type public.order_state as enum ('open', 'paid');"],
      pending: [alter('state type public.order_state using state::public.order_state')],
      findings: [{ object: 'public.orders.state', file: 2, line: 1 }],
    },
    {
      name: 'a binary-coercible change re-checks a validated CHECK',
      applied: [withCheck],
      pending: [alter('code type varchar(50)')],
      findings: [{ object: 'public.orders.code', file: 1, line: 1, message: /re-checks the CHECK constraint orders_code_check against every row, .*it reads every row while holding it/ }],
    },
    {
      name: 'a binary-coercible change rebuilds an expression index and a partial index on the column',
      applied: [orders, 'create index orders_code_lower on public.orders (lower(code));\ncreate index orders_coded on public.orders (id) where code is not null;'],
      pending: [alter('code type text')],
      findings: [{ object: 'public.orders.code', file: 2, line: 1, message: /rebuilds the expression or partial indexes orders_code_lower, orders_coded, .*it reads every row while holding it/ }],
    },
    {
      name: 'no pending list: a table from an earlier file',
      withPendingList: false,
      pending: [orders, 'alter table orders alter column quantity type bigint, alter column code type text;'],
      findings: [{ object: 'public.orders.quantity', file: 1, line: 1 }],
    },
  ],
});
