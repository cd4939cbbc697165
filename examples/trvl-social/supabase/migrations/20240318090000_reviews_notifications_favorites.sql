-- Reviews of adventures, in-app notifications and saved adventures.

-- ---------------------------------------------------------------------------------------------
-- Reviews
-- ---------------------------------------------------------------------------------------------

create table public.reviews (
  id uuid primary key default gen_random_uuid(),
  adventure_id uuid not null references public.adventures (id) on delete cascade,
  booking_id uuid not null unique references public.bookings (id) on delete cascade,
  author_id uuid not null references public.profiles (id) on delete cascade,
  rating smallint not null check (rating between 1 and 5),
  title text,
  body text,
  created_at timestamptz not null default now()
);

create index reviews_adventure_id_idx on public.reviews (adventure_id, created_at desc);

alter table public.reviews enable row level security;

create policy "Reviews are viewable by everyone"
  on public.reviews for select
  to anon, authenticated
  using (true);

create policy "Travellers can review their completed bookings"
  on public.reviews for insert
  to authenticated
  with check (
    author_id = (select auth.uid())
    and booking_id in (
      select b.id from public.bookings b
      where b.user_id = (select auth.uid()) and b.status = 'completed'
    )
  );

create policy "Authors can edit their reviews"
  on public.reviews for update
  to authenticated
  using (author_id = (select auth.uid()))
  with check (author_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
-- Notifications
-- ---------------------------------------------------------------------------------------------

create table public.notifications (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  kind public.notification_kind not null,
  title text not null,
  body text,
  link text,
  read_at timestamptz,
  created_at timestamptz not null default now()
);

create index notifications_user_id_created_at_idx on public.notifications (user_id, created_at desc);

alter table public.notifications enable row level security;

create policy "Users can view their notifications"
  on public.notifications for select
  to authenticated
  using (user_id = (select auth.uid()));

-- The app marks notifications as read.
create policy "Users can mark notifications read"
  on public.notifications for update
  to authenticated
  using (true);

-- ---------------------------------------------------------------------------------------------
-- Favorites
-- ---------------------------------------------------------------------------------------------

create table public.favorites (
  user_id uuid not null references public.profiles (id) on delete cascade,
  adventure_id uuid not null references public.adventures (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (user_id, adventure_id)
);

create index favorites_adventure_id_idx on public.favorites (adventure_id);

alter table public.favorites enable row level security;

create policy "Users can view their favorites"
  on public.favorites for select
  to authenticated
  using (user_id = auth.uid());

create policy "Users can add favorites"
  on public.favorites for insert
  to authenticated
  with check (user_id = (select auth.uid()));

create policy "Users can remove favorites"
  on public.favorites for delete
  to authenticated
  using (user_id = (select auth.uid()));
