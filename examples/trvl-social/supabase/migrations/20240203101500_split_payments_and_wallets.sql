-- Split payments (friends share the cost of a booking) and in-app wallets.

-- ---------------------------------------------------------------------------------------------
-- Split payments
-- ---------------------------------------------------------------------------------------------

create table public.split_payments (
  id uuid primary key default gen_random_uuid(),
  booking_id uuid not null references public.bookings (id) on delete cascade,
  organizer_id uuid not null references public.profiles (id),
  total_amount numeric(10, 2) not null check (total_amount > 0),
  currency char(3) not null default 'AED',
  due_at timestamptz not null,
  status public.payment_status not null default 'requires_payment',
  created_at timestamptz not null default now()
);

create index split_payments_booking_id_idx on public.split_payments (booking_id);
create index split_payments_organizer_id_idx on public.split_payments (organizer_id);

create table public.split_payment_participants (
  split_payment_id uuid not null references public.split_payments (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  share_amount numeric(10, 2) not null check (share_amount > 0),
  paid_at timestamptz,
  primary key (split_payment_id, user_id)
);

create index split_payment_participants_user_id_idx on public.split_payment_participants (user_id);

alter table public.split_payments enable row level security;
alter table public.split_payment_participants enable row level security;

-- The organizer and every participant see the split.
create policy "Organizers and participants can view splits"
  on public.split_payments for select
  to authenticated
  using (
    organizer_id = (select auth.uid())
    or id in (
      select p.split_payment_id
      from public.split_payment_participants p
      where p.user_id = (select auth.uid())
    )
  );

create policy "Organizers can create splits"
  on public.split_payments for insert
  to authenticated
  with check (organizer_id = (select auth.uid()));

create policy "Participants can view their shares"
  on public.split_payment_participants for select
  to authenticated
  using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------------------------
-- Wallets
-- ---------------------------------------------------------------------------------------------

create table public.wallets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique references public.profiles (id) on delete cascade,
  balance numeric(12, 2) not null default 0 check (balance >= 0),
  currency char(3) not null default 'AED',
  nickname text,
  updated_at timestamptz not null default now()
);

alter table public.wallets enable row level security;

create policy "Users can view their wallet"
  on public.wallets for select
  to authenticated
  using (user_id = (select auth.uid()));

-- Lets the app rename the wallet.
create policy "Users can update their wallet"
  on public.wallets for update
  to authenticated
  using (user_id = (select auth.uid()));

create table public.wallet_transactions (
  id bigint generated always as identity primary key,
  wallet_id uuid not null references public.wallets (id) on delete cascade,
  kind public.wallet_transaction_kind not null,
  amount numeric(12, 2) not null,
  booking_id uuid references public.bookings (id) on delete set null,
  reference text,
  created_at timestamptz not null default now()
);

create index wallet_transactions_wallet_id_idx on public.wallet_transactions (wallet_id, created_at desc);
create index wallet_transactions_booking_id_idx on public.wallet_transactions (booking_id);

-- Only the ledger service (service role) reads and writes transactions for now.
alter table public.wallet_transactions enable row level security;

-- ---------------------------------------------------------------------------------------------
-- Wallet transfers
-- ---------------------------------------------------------------------------------------------

-- Called from the app when a participant pays their share from the wallet.
create or replace function public.transfer_wallet_funds(from_wallet uuid, to_wallet uuid, amount numeric)
returns void
language plpgsql
security definer
as $$
begin
  update public.wallets set balance = balance - amount, updated_at = now() where id = from_wallet;
  update public.wallets set balance = balance + amount, updated_at = now() where id = to_wallet;
  insert into public.wallet_transactions (wallet_id, kind, amount) values (from_wallet, 'transfer', -amount);
  insert into public.wallet_transactions (wallet_id, kind, amount) values (to_wallet, 'transfer', amount);
end;
$$;
