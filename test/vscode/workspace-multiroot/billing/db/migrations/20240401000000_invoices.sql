-- migrate:up
-- Invoices of the billing service, exposed through the Data API without row level security.
create table public.invoices (
  id bigint generated always as identity primary key,
  customer_id uuid not null,
  total_cents integer not null,
  issued_at timestamptz not null default now()
);

-- migrate:down
drop table public.invoices;
