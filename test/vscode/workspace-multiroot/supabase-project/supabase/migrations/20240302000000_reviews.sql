-- Reviews of listings; row level security was forgotten.
create table public.reviews (
  id bigint generated always as identity primary key,
  listing_id bigint not null references public.listings (id) on delete cascade,
  author_id uuid not null references auth.users (id),
  rating smallint not null check (rating between 1 and 5),
  body text
);
