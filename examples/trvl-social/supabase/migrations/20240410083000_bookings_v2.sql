-- Bookings v2: bookings can belong to a travel group.
-- We keep a copy of the v1 rows until finance has reconciled March.

create table public.bookings_backup as
  select * from public.bookings;

alter table public.bookings
  add column group_id uuid references public.groups (id) on delete set null;

create index bookings_group_id_idx on public.bookings (group_id);

comment on column public.bookings.group_id is 'The travel group the booking was made for, if any.';
