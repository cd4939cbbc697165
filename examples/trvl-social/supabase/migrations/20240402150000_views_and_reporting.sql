-- Views for the app and for the ops dashboard.

-- ---------------------------------------------------------------------------------------------
-- App views
-- ---------------------------------------------------------------------------------------------

-- Explore screen: published adventures with their vendor. security_invoker makes the view apply
-- the RLS of the caller, like a direct query would.
create view public.adventure_listings
with (security_invoker = true)
as
select
  a.id,
  a.title,
  a.summary,
  a.price_per_person,
  a.currency,
  a.starts_on,
  v.business_name as vendor_name,
  v.slug as vendor_slug,
  v.verified as vendor_verified
from public.adventures a
join public.vendors v on v.id = a.vendor_id
where a.status = 'published';

-- ---------------------------------------------------------------------------------------------
-- Ops dashboard
-- ---------------------------------------------------------------------------------------------

-- Booking figures per adventure for the vendor dashboard.
create view public.adventure_booking_stats as
select
  b.adventure_id,
  count(*) filter (where b.status = 'confirmed') as confirmed_bookings,
  count(*) filter (where b.status = 'cancelled') as cancelled_bookings,
  sum(b.total_amount) filter (where b.status in ('confirmed', 'completed')) as revenue
from public.bookings b
group by b.adventure_id;

-- Who is who, for the support team's lookup page.
create view public.user_directory as
select
  u.id,
  u.email,
  u.created_at,
  u.raw_user_meta_data ->> 'full_name' as full_name,
  p.username
from auth.users u
left join public.profiles p on p.id = u.id;

grant select on public.user_directory to anon, authenticated;
