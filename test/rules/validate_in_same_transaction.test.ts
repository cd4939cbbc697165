import rule from '../../src/core/rules/validate_in_same_transaction';
import { runSafetyRuleTests } from '../support/safetyTester';

const tables = `create table public.vendors (id bigint primary key);
create table public.bookings (id bigint primary key, vendor_id bigint, nights int);`;
const addForeignKey = 'alter table public.bookings add constraint bookings_vendor_fk foreign key (vendor_id) references public.vendors (id) not valid;';
const validateForeignKey = 'alter table public.bookings validate constraint bookings_vendor_fk;';

runSafetyRuleTests(rule, {
  valid: [
    { name: 'VALIDATE in a later file', applied: [tables], pending: [addForeignKey, validateForeignKey] },
    { name: 'VALIDATE of a constraint an applied migration added', applied: [tables, addForeignKey], pending: [validateForeignKey] },
    { name: 'a table created in a pending file', pending: [tables, `${addForeignKey}\n${validateForeignKey}`] },
    { name: 'a runner whose transaction is not known (golang-migrate) is not judged', layout: 'golang-migrate', applied: [tables], pending: [`${addForeignKey}\n${validateForeignKey}`] },
    { name: 'an unknown runner, each in its own BEGIN ... COMMIT', layout: 'golang-migrate', applied: [tables], pending: [`begin;\n${addForeignKey}\ncommit;\nbegin;\n${validateForeignKey}\ncommit;`] },
    { name: 'an applied migration is never judged', applied: [tables, `${addForeignKey}\n${validateForeignKey}`], pending: ['select 1;'] },
  ],
  invalid: [
    {
      name: 'a foreign key added NOT VALID and validated in one file',
      applied: [tables],
      pending: [`${addForeignKey}\n${validateForeignKey}\n`],
      findings: [{ object: 'public.bookings', file: 1, line: 2, message: /SHARE ROW EXCLUSIVE lock on public\.bookings.*SHARE ROW EXCLUSIVE lock on public\.vendors.*holds it until VALIDATE has read every row/ }],
      fix: validateForeignKey,
      edit: '',
    },
    {
      name: 'an unknown runner, both in one BEGIN ... COMMIT of the file (squawk\'s example)',
      layout: 'golang-migrate',
      applied: [tables],
      pending: [`begin;\n${addForeignKey}\n${validateForeignKey}\ncommit;`],
      findings: [{ object: 'public.bookings', file: 1, line: 3 }],
    },
    {
      name: 'an unnamed CHECK, named as PostgreSQL names it',
      applied: [tables],
      pending: ['alter table public.bookings add check (nights > 0) not valid;\nalter table public.bookings validate constraint bookings_nights_check;'],
      findings: [{ object: 'public.bookings', file: 1, line: 2, message: /ACCESS EXCLUSIVE lock on public\.bookings/ }],
      fix: 'alter table public.bookings validate constraint bookings_nights_check;',
    },
  ],
});
