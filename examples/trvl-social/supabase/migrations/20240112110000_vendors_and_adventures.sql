-- Marketplace: vendors (tour operators) and the adventures they sell.

-- ---------------------------------------------------------------------------------------------
-- Vendors
-- ---------------------------------------------------------------------------------------------

create table public.vendors (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references public.profiles (id) on delete cascade,
  business_name text not null,
  slug text not null unique,
  description text,
  country_code char(2) not null,
  city text,
  verified boolean not null default false,
  rating numeric(3, 2),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index vendors_owner_id_idx on public.vendors (owner_id);

alter table public.vendors enable row level security;

create policy "Vendors are viewable by everyone"
  on public.vendors for select
  to anon, authenticated
  using (true);

create policy "Owners can create their vendor"
  on public.vendors for insert
  to authenticated
  with check (owner_id = (select auth.uid()));

-- Vendor admins (our ops team) manage every vendor. The role is set from the admin dashboard
-- when the account is created.
create policy "Vendor admins can update vendors"
  on public.vendors for update
  to authenticated
  using ((auth.jwt() -> 'user_metadata' ->> 'role') = 'vendor_admin')
  with check ((auth.jwt() -> 'user_metadata' ->> 'role') = 'vendor_admin');

create trigger vendors_set_updated_at
  before update on public.vendors
  for each row execute function public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Categories (a lookup table, readable by all)
-- ---------------------------------------------------------------------------------------------

create table public.adventure_categories (
  id smallint generated always as identity primary key,
  slug text not null unique,
  label text not null
);

alter table public.adventure_categories enable row level security;

create policy "Categories are viewable by everyone"
  on public.adventure_categories for select
  to anon, authenticated
  using (true);

-- ---------------------------------------------------------------------------------------------
-- Adventures
-- ---------------------------------------------------------------------------------------------

create table public.adventures (
  id uuid primary key default gen_random_uuid(),
  vendor_id uuid not null references public.vendors (id) on delete cascade,
  category_id smallint references public.adventure_categories (id),
  title text not null,
  summary text,
  description text,
  status public.adventure_status not null default 'draft',
  price_per_person numeric(10, 2) not null check (price_per_person >= 0),
  currency char(3) not null default 'AED',
  max_group_size integer not null default 12 check (max_group_size > 0),
  duration_hours numeric(5, 1),
  meeting_point text,
  latitude numeric(9, 6),
  longitude numeric(9, 6),
  starts_on date,
  ends_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index adventures_vendor_id_idx on public.adventures (vendor_id);
create index adventures_category_id_idx on public.adventures (category_id);
create index adventures_status_starts_on_idx on public.adventures (status, starts_on);
create index adventures_title_trgm_idx on public.adventures using gin (title gin_trgm_ops);

alter table public.adventures enable row level security;

create policy "Published adventures are viewable by everyone"
  on public.adventures for select
  to anon, authenticated
  using (status = 'published');

-- Vendor staff see their drafts through the vendor dashboard, which uses the service role.

create policy "Vendors can add adventures"
  on public.adventures for insert
  to authenticated
  with check (
    vendor_id in (select v.id from public.vendors v where v.owner_id = (select auth.uid()))
  );

create policy "Vendors can update their adventures"
  on public.adventures for update
  to authenticated
  using (
    vendor_id in (select v.id from public.vendors v where v.owner_id = (select auth.uid()))
  )
  with check (
    vendor_id in (select v.id from public.vendors v where v.owner_id = (select auth.uid()))
  );

create trigger adventures_set_updated_at
  before update on public.adventures
  for each row execute function public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Adventure images
-- ---------------------------------------------------------------------------------------------

create table public.adventure_images (
  id uuid primary key default gen_random_uuid(),
  adventure_id uuid not null references public.adventures (id) on delete cascade,
  storage_path text not null,
  caption text,
  sort_order integer not null default 0,
  created_at timestamptz not null default now()
);

create index adventure_images_adventure_id_idx on public.adventure_images (adventure_id, sort_order);

-- TODO(hamdan): enable RLS once the vendor upload flow is on the new API.
create policy "Adventure images are viewable by everyone"
  on public.adventure_images for select
  using (true);
