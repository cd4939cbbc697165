-- Seed data for the RLS simulator and tests: two users, their profiles, a vendor and a booking each.
insert into auth.users (id, email) values
  ('11111111-1111-4111-8111-111111111111', 'alice@example.com'),
  ('22222222-2222-4222-8222-222222222222', 'bob@example.com');

insert into public.profiles (id, display_name) values
  ('11111111-1111-4111-8111-111111111111', 'Alice'),
  ('22222222-2222-4222-8222-222222222222', 'Bob');

insert into public.vendors (owner_id, name) values
  ('11111111-1111-4111-8111-111111111111', 'Alice''s Bikes'),
  ('22222222-2222-4222-8222-222222222222', 'Bob''s Boats');

insert into public.bookings (user_id, vendor_id, starts_at) values
  ('11111111-1111-4111-8111-111111111111', 2, '2024-06-01 10:00+00'),
  ('22222222-2222-4222-8222-222222222222', 1, '2024-06-02 10:00+00');
