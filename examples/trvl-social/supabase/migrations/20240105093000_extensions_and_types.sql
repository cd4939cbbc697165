-- trvl-social: base setup.
-- Extensions, the private schema for helpers, the enums every later migration uses, and the
-- shared updated_at trigger function.

-- ---------------------------------------------------------------------------------------------
-- Extensions
-- ---------------------------------------------------------------------------------------------

create extension if not exists pgcrypto with schema extensions;

-- Trigram search on adventure titles (the explore screen). Added in a hurry during the beta.
create extension if not exists pg_trgm;

-- ---------------------------------------------------------------------------------------------
-- Schemas
-- ---------------------------------------------------------------------------------------------

-- Helpers that policies call live here. The schema is not in [api] schemas, so PostgREST never
-- exposes its functions as RPC endpoints.
create schema if not exists private;
grant usage on schema private to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Enums
-- ---------------------------------------------------------------------------------------------

create type public.booking_status as enum ('pending', 'confirmed', 'cancelled', 'completed', 'refunded');
create type public.payment_status as enum ('requires_payment', 'processing', 'succeeded', 'failed', 'refunded');
create type public.adventure_status as enum ('draft', 'published', 'archived');
create type public.group_role as enum ('owner', 'admin', 'member');
create type public.wallet_transaction_kind as enum ('top_up', 'payment', 'refund', 'payout', 'transfer');
create type public.notification_kind as enum ('booking', 'payment', 'comment', 'like', 'group_invite', 'system');

-- ---------------------------------------------------------------------------------------------
-- updated_at
-- ---------------------------------------------------------------------------------------------

create or replace function public.set_updated_at()
returns trigger
language plpgsql
as $$
begin
  new.updated_at = now();
  return new;
end;
$$;
