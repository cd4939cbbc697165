import rule from '../../src/core/rules/drop_column_breaks_clients';
import { runSafetyRuleTests } from '../support/safetyTester';

const profiles = `create table public.profiles (id uuid primary key, username text not null, legacy_avatar text, bio text);
alter table public.profiles enable row level security;`;

runSafetyRuleTests(rule, {
  valid: [
    { name: 'a table created in the same pending file', pending: [`${profiles}\nalter table public.profiles drop column legacy_avatar;`] },
    { name: 'a table created in an earlier pending file', pending: [profiles, 'alter table public.profiles drop column legacy_avatar;'] },
    { name: 'an applied drop is never judged', applied: [profiles, 'alter table public.profiles drop column legacy_avatar;'], pending: ['select 1;'] },
    { name: 'a column that does not exist', applied: [profiles], pending: ['alter table public.profiles drop column if exists nowhere;'] },
    { name: 'a schema the API does not expose', applied: ['create schema private;\ncreate table private.ledger (id bigint primary key, memo text);'], pending: ['alter table private.ledger drop column memo;'] },
    {
      name: 'a column no API role may use',
      applied: [`${profiles}\nrevoke all on public.profiles from anon, authenticated;\ngrant select (id, username) on public.profiles to authenticated;`],
      pending: ['alter table public.profiles drop column legacy_avatar;'],
    },
    { name: 'other ALTER TABLE commands', applied: [profiles], pending: ['alter table public.profiles add column website text, alter column bio set default \'\';'] },
  ],
  invalid: [
    {
      name: 'an exposed column: names the view and the policy that use it',
      applied: [
        profiles,
        `create view public.profile_cards as select id, username, legacy_avatar from public.profiles;
create policy "Public profiles" on public.profiles for select to anon using (bio is not null or legacy_avatar is not null);`,
      ],
      pending: ['alter table public.profiles drop column legacy_avatar cascade;'],
      findings: [
        {
          object: 'public.profiles.legacy_avatar',
          file: 2,
          line: 1,
          message: /anon and authenticated use it through the Data API.*without CASCADE\): view public\.profile_cards and policy "Public profiles" on public\.profiles\..*ACCESS EXCLUSIVE lock on public\.profiles: blocks reads and writes\..*deploy clients that no longer use the column first/,
        },
      ],
      fix: null,
    },
    {
      name: 'the function bodies that write the column, not those that use the table only',
      applied: [
        profiles,
        `create function public.set_avatar(p_url text) returns void language sql as $$ insert into public.profiles (id, username, legacy_avatar) values ((select auth.uid()), 'me', p_url) $$;
create function public.usernames() returns setof text language sql stable as $$ select username from public.profiles $$;`,
      ],
      pending: ['alter table public.profiles drop column legacy_avatar;'],
      findings: [{ object: 'public.profiles.legacy_avatar', file: 2, line: 1, message: /fail at their next call: function public\.set_avatar\(text\)\. The statement/ }],
    },
    {
      name: 'one finding per exposed column of one statement',
      applied: [profiles],
      pending: ['alter table public.profiles drop column legacy_avatar, drop column bio, add column website text;'],
      findings: [
        { object: 'public.profiles.bio', file: 1, line: 1 },
        { object: 'public.profiles.legacy_avatar', file: 1, line: 1 },
      ],
    },
    {
      name: 'a column only one role may read',
      applied: [`${profiles}\nrevoke all on public.profiles from anon, authenticated;\ngrant select (id, bio) on public.profiles to authenticated;`],
      pending: ['alter table public.profiles drop column bio;'],
      findings: [{ object: 'public.profiles.bio', file: 1, line: 1, message: /authenticated uses it through the Data API/ }],
    },
  ],
});
