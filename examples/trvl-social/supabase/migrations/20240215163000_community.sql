-- Community feed: posts, comments and likes.

-- ---------------------------------------------------------------------------------------------
-- Posts
-- ---------------------------------------------------------------------------------------------

create table public.community_posts (
  id uuid primary key default gen_random_uuid(),
  author_id uuid not null references public.profiles (id) on delete cascade,
  adventure_id uuid references public.adventures (id) on delete set null,
  body text not null check (char_length(body) <= 5000),
  photo_paths text[] not null default '{}',
  is_published boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index community_posts_author_id_idx on public.community_posts (author_id);
create index community_posts_adventure_id_idx on public.community_posts (adventure_id);
create index community_posts_feed_idx on public.community_posts (is_published, created_at desc);

alter table public.community_posts enable row level security;

create policy "Published posts are viewable by everyone"
  on public.community_posts for select
  to anon, authenticated
  using (is_published);

-- Added for the drafts screen.
create policy "Authors can view their drafts"
  on public.community_posts for select
  to authenticated
  using (author_id = (select auth.uid()));

create policy "Authors can create posts"
  on public.community_posts for insert
  to authenticated
  with check (author_id = (select auth.uid()));

create policy "Authors can update their posts"
  on public.community_posts for update
  to authenticated
  using (author_id = (select auth.uid()))
  with check (author_id = (select auth.uid()));

create policy "Authors can delete their posts"
  on public.community_posts for delete
  to authenticated
  using (author_id = (select auth.uid()));

create trigger community_posts_set_updated_at
  before update on public.community_posts
  for each row execute function public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Comments
-- ---------------------------------------------------------------------------------------------

create table public.post_comments (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null references public.community_posts (id) on delete cascade,
  author_id uuid not null references public.profiles (id) on delete cascade,
  body text not null check (char_length(body) <= 2000),
  created_at timestamptz not null default now()
);

create index post_comments_post_id_idx on public.post_comments (post_id, created_at);
create index post_comments_author_id_idx on public.post_comments (author_id);

alter table public.post_comments enable row level security;

create policy "Comments are viewable by everyone"
  on public.post_comments for select
  to anon, authenticated
  using (true);

create policy "Users can comment as themselves"
  on public.post_comments for insert
  to authenticated
  with check (author_id = auth.uid());

create policy "Users can delete their comments"
  on public.post_comments for delete
  to authenticated
  using (author_id = auth.uid());

-- ---------------------------------------------------------------------------------------------
-- Likes
-- ---------------------------------------------------------------------------------------------

-- One like per user and post; the unique constraint is the natural key.
create table public.post_likes (
  post_id uuid not null references public.community_posts (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  unique (post_id, user_id)
);

create index post_likes_user_id_idx on public.post_likes (user_id);

alter table public.post_likes enable row level security;

create policy "Likes are viewable by everyone"
  on public.post_likes for select
  to anon, authenticated
  using (true);

create policy "Users can like as themselves"
  on public.post_likes for insert
  to authenticated
  with check (user_id = (select auth.uid()));

create policy "Users can remove their likes"
  on public.post_likes for delete
  to authenticated
  using (user_id = (select auth.uid()));
