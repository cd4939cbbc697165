import rule from '../../src/core/rules/policy_infinite_recursion';
import { runRuleTests } from '../support/ruleTester';

// Each case here is about what the rule reads; test/db/policyInfiniteRecursion.test.ts runs the
// same kinds of schema on PostgreSQL and checks that the rule reports exactly what the server refuses.
const groupMembers = `create table public.groups (id uuid primary key, name text not null, owner_id uuid not null);
create table public.group_members (group_id uuid not null references public.groups (id), user_id uuid not null, role text not null default 'member');
alter table public.groups enable row level security;
alter table public.group_members enable row level security;
`;
const isGroupMember = (options: string, language = 'sql') =>
  language === 'sql'
    ? `create function public.is_group_member(target_group uuid) returns boolean language sql stable ${options}
  as $$ select exists (select 1 from public.group_members where group_id = target_group and user_id = (select auth.uid())) $$;
`
    : `create function public.is_group_member(target_group uuid) returns boolean language plpgsql stable ${options}
  as $$ begin return exists (select 1 from public.group_members where group_id = target_group and user_id = (select auth.uid())); end $$;
`;

runRuleTests(rule, {
  valid: [
    // The usual own-row policy: its scalar sub-select reads no table, and nothing reads group_members again.
    groupMembers + `create policy "Members see themselves" on public.group_members for select to authenticated using (user_id = (select auth.uid()));`,
    // The standard fix: a SECURITY DEFINER helper owned by the table's owner reads past RLS.
    groupMembers + isGroupMember(`security definer set search_path = ''`) + `create policy "Members see fellow members" on public.group_members for select to authenticated
  using (public.is_group_member(group_id));`,
    // An UPDATE policy that reads its table is fine when the SELECT policies hold no sub-select.
    groupMembers + `create policy "Members see themselves" on public.group_members for select to authenticated using (user_id = auth.uid());
create policy "Admins update members" on public.group_members for update to authenticated
  using (exists (select 1 from public.group_members admin where admin.group_id = group_members.group_id and admin.user_id = auth.uid() and admin.role = 'admin'));`,
    // A restrictive policy alone lets no row through, so PostgreSQL adds no clause of it.
    groupMembers + `create policy "Only members" on public.group_members as restrictive for select to authenticated
  using (group_id in (select gm.group_id from public.group_members gm where gm.user_id = (select auth.uid())));`,
    // service_role bypasses RLS: a policy only for it is never applied.
    groupMembers + `create policy "Service reads members" on public.group_members for select to service_role
  using (group_id in (select gm.group_id from public.group_members gm));`,
    // Without RLS, policies are not applied at all.
    `create table public.chat_participants (room_id uuid not null, user_id uuid not null);
create policy "Participants see their rooms" on public.chat_participants for select to authenticated
  using (room_id in (select me.room_id from public.chat_participants me where me.user_id = (select auth.uid())));`,
    // A WITH query named like the table is not the table.
    groupMembers + `create policy "Members see their groups" on public.groups for select to authenticated
  using (id in (with group_members as (select '00000000-0000-4000-8000-000000000000'::uuid as group_id) select group_id from group_members));
create policy "Members see themselves" on public.group_members for select to authenticated
  using (exists (select 1 from public.groups g where g.id = group_members.group_id));`,
    groupMembers + isGroupMember(`security definer set search_path = ''`, 'plpgsql') + `create policy "Members see fellow members" on public.group_members for select to authenticated
  using (public.is_group_member(group_id));`,
    // A recursive helper calls itself with its own stop condition, not through a policy.
    `create table public.categories (id uuid primary key, parent_id uuid references public.categories (id), name text not null);
create table public.vendors (id uuid primary key, category_id uuid not null references public.categories (id), owner_id uuid not null);
alter table public.vendors enable row level security;
create function public.category_depth(category uuid) returns integer language sql stable
  as $$ select case when category is null then 0 else 1 + public.category_depth((select parent_id from public.categories where id = category)) end $$;
create policy "Anyone sees vendors in top categories" on public.vendors for select using (public.category_depth(category_id) <= 2);`,
    // A helper in a language pgreview cannot read is not followed: silence rather than a guess.
    groupMembers + `create function public.is_group_member(target_group uuid) returns boolean language plv8 stable
  as $$ return plv8.execute('select 1 from public.group_members where group_id = $1', [target_group]).length > 0 $$;
create policy "Members see fellow members" on public.group_members for select to authenticated
  using (public.is_group_member(group_id));`,
  ],
  invalid: [
    {
      sql: groupMembers + `create policy "Members see their groups' members" on public.group_members for select to authenticated
  using (group_id in (select gm.group_id from public.group_members gm where gm.user_id = (select auth.uid())));`,
      findings: [{
        object: "public.group_members.Members see their groups' members",
        line: 5,
        message: /^SELECT on public\.group_members as authenticated fails with: infinite recursion detected in policy for relation "group_members": public\.group_members select → public\.group_members\. Read the table inside a policy only through a SECURITY DEFINER function/,
      }],
      fix: null,
    },
    {
      // The SELECT policy's `(select auth.uid())` is a sub-select too, and that is enough.
      sql: groupMembers + `create policy "Members see themselves" on public.group_members for select to authenticated using (user_id = (select auth.uid()));
create policy "Admins update members" on public.group_members for update to authenticated
  using (exists (select 1 from public.group_members admin where admin.group_id = group_members.group_id and admin.user_id = auth.uid() and admin.role = 'admin'));`,
      findings: [{
        object: 'public.group_members.Admins update members',
        line: 6,
        message: /^UPDATE on public\.group_members as authenticated fails with: infinite recursion detected in policy for relation "group_members": public\.group_members update → public\.group_members; the SELECT policy "Members see themselves" of public\.group_members holds a sub-select/,
      }],
    },
    {
      // One finding for the cycle, on the policy that closes it, for every role PUBLIC covers.
      sql: groupMembers + `create policy "Members see their groups" on public.groups for select
  using (exists (select 1 from public.group_members gm where gm.group_id = groups.id and gm.user_id = (select auth.uid())));
create policy "Owners see their groups' members" on public.group_members for select
  using (exists (select 1 from public.groups g where g.id = group_members.group_id and g.owner_id = (select auth.uid())));`,
      findings: [{
        object: "public.group_members.Owners see their groups' members",
        line: 7,
        message: /^SELECT on public\.groups as anon and authenticated fails with: infinite recursion detected in policy for relation "groups": public\.groups select → public\.group_members → public\.groups\./,
      }],
    },
    {
      sql: groupMembers + isGroupMember('') + `create policy "Members see fellow members" on public.group_members for select to authenticated
  using (public.is_group_member(group_id));`,
      findings: [{
        object: 'public.group_members.Members see fellow members',
        line: 7,
        message: /stack depth limit exceeded \(public\.is_group_member runs again while it runs\): public\.group_members select → public\.is_group_member\(uuid\) → public\.group_members → public\.is_group_member\(uuid\)/,
      }],
    },
    {
      // PL/pgSQL bodies are read too: the RETURN expression's sub-select reads group_members.
      sql: groupMembers + isGroupMember('', 'plpgsql') + `create policy "Members see fellow members" on public.group_members for select to authenticated
  using (public.is_group_member(group_id));`,
      findings: [{ object: 'public.group_members.Members see fellow members', line: 7, message: /public\.group_members select → public\.is_group_member\(uuid\) → public\.group_members → public\.is_group_member\(uuid\)/ }],
    },
    {
      // ... and so are its assignments and SELECT ... INTO statements.
      sql: groupMembers + `create function public.member_count(target_group uuid) returns integer language plpgsql stable as $$
declare
  total integer;
begin
  select count(*) into total from public.group_members where group_id = target_group;
  return total;
end $$;
create function public.has_members(target_group uuid) returns boolean language plpgsql stable as $$
declare
  found_any boolean;
begin
  found_any := (select public.member_count(target_group) > 0);
  return found_any;
end $$;
create policy "Groups with members are listed" on public.groups for select to authenticated using (public.has_members(id));
create policy "Members of listed groups" on public.group_members for select to authenticated
  using (exists (select 1 from public.groups g where g.id = group_members.group_id));`,
      findings: [{ object: 'public.groups.Groups with members are listed', line: 19, message: /public\.groups select → public\.has_members\(uuid\) → public\.member_count\(uuid\) → public\.group_members → public\.groups → public\.has_members\(uuid\)/ }],
    },
    {
      // A SECURITY DEFINER helper owned by a role that does not own the table reads under that role's policies.
      sql: groupMembers + `create role member_reader;
` + isGroupMember('security definer') + `alter function public.is_group_member(uuid) owner to member_reader;
create policy "Readers see members" on public.group_members for select to member_reader using (public.is_group_member(group_id));
create policy "Members see fellow members" on public.group_members for select to authenticated using (public.is_group_member(group_id));`,
      findings: [{ object: 'public.group_members.Readers see members', line: 9, message: /as authenticated and member_reader fails once a row reaches the call/ }],
    },
    {
      profile: 'postgres',
      sql: `create table chat_participants (room_id uuid not null, user_id uuid not null);
alter table chat_participants enable row level security;
create policy participants_see_room on chat_participants
  using (room_id in (select me.room_id from chat_participants me where me.user_id = current_setting('app.user_id')::uuid));`,
      findings: [{ object: 'public.chat_participants.participants_see_room', line: 3, message: /^SELECT on public\.chat_participants as public fails/ }],
    },
  ],
});
