-- Bookings and their payments.
-- الحجوزات والمدفوعات: كل حجز يخص مستخدمًا واحدًا، والمورد يرى حجوزات مغامراته فقط.
-- (Bookings and payments: each booking belongs to one user; a vendor sees only the bookings of
-- their own adventures.)

-- ---------------------------------------------------------------------------------------------
-- Bookings 🧳
-- ---------------------------------------------------------------------------------------------

create table public.bookings (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  adventure_id uuid not null references public.adventures (id) on delete restrict,
  status public.booking_status not null default 'pending',
  participants integer not null default 1 check (participants > 0),
  starts_at timestamptz not null,
  total_amount numeric(10, 2) not null check (total_amount >= 0),
  currency char(3) not null default 'AED',
  special_requests text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- فهارس للمفاتيح الأجنبية وللسياسات (indexes for the foreign keys and the policies)
create index bookings_user_id_idx on public.bookings (user_id);
create index bookings_adventure_id_idx on public.bookings (adventure_id);

alter table public.bookings enable row level security;

-- المسافر يرى حجوزاته، والمورد يرى حجوزات مغامراته.
create policy "Travellers and vendors can view bookings"
  on public.bookings for select
  to authenticated
  using (
    user_id = (select auth.uid())
    or adventure_id in (
      select a.id
      from public.adventures a
      join public.vendors v on v.id = a.vendor_id
      where v.owner_id = (select auth.uid())
    )
  );

create policy "Travellers can create their bookings"
  on public.bookings for insert
  to authenticated
  with check (user_id = (select auth.uid()));

-- Travellers may only cancel; the status machine runs in the payments edge function.
create policy "Travellers can update their pending bookings"
  on public.bookings for update
  to authenticated
  using (user_id = (select auth.uid()) and status = 'pending')
  with check (user_id = (select auth.uid()));

create trigger bookings_set_updated_at
  before update on public.bookings
  for each row execute function public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Booking payments 💳
-- ---------------------------------------------------------------------------------------------

-- One row per payment attempt (Stripe payment intent). Written by the webhook with the service
-- role; travellers read their own.
create table public.booking_payments (
  id uuid primary key default gen_random_uuid(),
  booking_id uuid not null references public.bookings (id) on delete cascade,
  payer_id uuid not null references public.profiles (id),
  amount numeric(10, 2) not null check (amount > 0),
  currency char(3) not null default 'AED',
  status public.payment_status not null default 'requires_payment',
  provider text not null default 'stripe',
  provider_payment_id text unique,
  created_at timestamptz not null default now()
);

-- ملاحظة: الاستعلام حسب الدافع فقط (queries filter by payer)
create index booking_payments_payer_id_idx on public.booking_payments (payer_id);

alter table public.booking_payments enable row level security;

create policy "Payers can view their payments"
  on public.booking_payments for select
  to authenticated
  using (payer_id = (select auth.uid()));
