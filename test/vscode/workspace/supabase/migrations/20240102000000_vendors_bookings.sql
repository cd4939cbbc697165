-- Vendors offer services; users book them.
create table public.vendors (
  id bigint generated always as identity primary key,
  owner_id uuid not null references auth.users (id),
  name text not null
);

alter table public.vendors enable row level security;

create policy "Vendors are public" on public.vendors
  for select to anon, authenticated
  using (true);

create table public.bookings (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id),
  vendor_id bigint not null references public.vendors (id),
  starts_at timestamptz not null
);

create index bookings_user_id_idx on public.bookings (user_id);

-- The planted mistake: RLS is switched on, but the policies were never written.
alter table public.bookings enable row level security;

create or replace function public.booking_count(p_vendor bigint)
returns bigint
language sql
stable
as $$
  select count(*) from public.bookings where vendor_id = p_vendor
$$;
