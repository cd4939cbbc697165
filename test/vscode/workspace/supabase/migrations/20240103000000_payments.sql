-- Payments belong to a booking.
create table public.payments (
  id bigint generated always as identity primary key,
  booking_id bigint not null references public.bookings (id),
  amount_cents integer not null check (amount_cents > 0),
  paid_at timestamptz
);

alter table public.payments enable row level security;

create policy "Payers can read their payments" on public.payments
  for select to authenticated
  using (exists (select 1 from public.bookings b where b.id = booking_id and b.user_id = (select auth.uid())));

-- Trigram search over vendor names, and a view the API may read with the caller's rights.
create extension if not exists pg_trgm with schema extensions;

create view public.vendor_names with (security_invoker = true) as
  select id, name from public.vendors;
