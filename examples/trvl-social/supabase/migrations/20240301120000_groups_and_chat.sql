-- Travel groups and their chat rooms.

-- ---------------------------------------------------------------------------------------------
-- Groups
-- ---------------------------------------------------------------------------------------------

create table public.groups (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  description text,
  owner_id uuid not null references public.profiles (id) on delete cascade,
  adventure_id uuid references public.adventures (id) on delete set null,
  is_private boolean not null default true,
  created_at timestamptz not null default now()
);

create index groups_owner_id_idx on public.groups (owner_id);
create index groups_adventure_id_idx on public.groups (adventure_id);

create table public.group_members (
  group_id uuid not null references public.groups (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role public.group_role not null default 'member',
  joined_at timestamptz not null default now(),
  primary key (group_id, user_id)
);

create index group_members_user_id_idx on public.group_members (user_id);

-- Policies on group_members that query group_members recurse forever, so membership checks go
-- through this function, which runs as its owner and therefore skips RLS on group_members.
create or replace function private.is_group_member(target_group uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.group_members m
    where m.group_id = target_group
      and m.user_id = (select auth.uid())
  );
$$;

revoke execute on function private.is_group_member(uuid) from public, anon;
grant execute on function private.is_group_member(uuid) to authenticated;

alter table public.groups enable row level security;
alter table public.group_members enable row level security;

create policy "Public groups and my groups are viewable"
  on public.groups for select
  to authenticated
  using (not is_private or (select private.is_group_member(id)));

create policy "Users can create groups they own"
  on public.groups for insert
  to authenticated
  with check (owner_id = (select auth.uid()));

create policy "Owners can update their groups"
  on public.groups for update
  to authenticated
  using (owner_id = (select auth.uid()))
  with check (owner_id = (select auth.uid()));

create policy "Members can view the members of their groups"
  on public.group_members for select
  to authenticated
  using ((select private.is_group_member(group_id)));

create policy "Users can join as themselves"
  on public.group_members for insert
  to authenticated
  with check (user_id = (select auth.uid()));

create policy "Members can leave"
  on public.group_members for delete
  to authenticated
  using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
-- Chat
-- ---------------------------------------------------------------------------------------------

create table public.chat_rooms (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references public.groups (id) on delete cascade,
  title text not null,
  created_at timestamptz not null default now()
);

create index chat_rooms_group_id_idx on public.chat_rooms (group_id);

create table public.chat_messages (
  id bigint generated always as identity primary key,
  room_id uuid not null references public.chat_rooms (id) on delete cascade,
  sender_id uuid not null references public.profiles (id) on delete cascade,
  body text not null check (char_length(body) <= 4000),
  attachment_path text,
  created_at timestamptz not null default now()
);

create index chat_messages_room_id_created_at_idx on public.chat_messages (room_id, created_at);
create index chat_messages_sender_id_idx on public.chat_messages (sender_id);

alter table public.chat_rooms enable row level security;
alter table public.chat_messages enable row level security;

create policy "Members can view their group rooms"
  on public.chat_rooms for select
  to authenticated
  using ((select private.is_group_member(group_id)));

create policy "Members can read messages of their rooms"
  on public.chat_messages for select
  to authenticated
  using (
    room_id in (
      select r.id from public.chat_rooms r where (select private.is_group_member(r.group_id))
    )
  );

create policy "Members can post in their rooms"
  on public.chat_messages for insert
  to authenticated
  with check (
    sender_id = (select auth.uid())
    and room_id in (
      select r.id from public.chat_rooms r where (select private.is_group_member(r.group_id))
    )
  );

-- The chat screen was slow in the beta; this index went in from the performance ticket.
create index idx_chat_messages_room on public.chat_messages (room_id, created_at);

-- Realtime: stream new messages to the app. The publication does not exist when the migrations
-- run against a plain Postgres (CI), hence the check.
do $$
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    alter publication supabase_realtime add table public.chat_messages;
  end if;
end
$$;
