-- Listings: what sellers offer. RLS is on, but no policy was written yet.
create table public.listings (
  id bigint generated always as identity primary key,
  seller_id uuid not null references auth.users (id) on delete cascade,
  title text not null,
  price_cents integer not null check (price_cents >= 0),
  created_at timestamptz not null default now()
);

alter table public.listings enable row level security;
