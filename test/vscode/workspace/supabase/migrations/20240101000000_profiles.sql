-- Profiles: one row per user, readable and editable by its owner.
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text not null,
  avatar_url text,
  created_at timestamptz not null default now()
);

alter table public.profiles enable row level security;

create policy "Owners can read their profile" on public.profiles
  for select to authenticated
  using (id = auth.uid());

create policy "Owners can update their profile" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()));
