-- Local development data. `supabase db reset` runs it after the migrations.
-- Two travellers with fixed ids, so RLS tests can act as them:
--   alice  11111111-1111-4111-8111-111111111111  (also runs the vendor "Desert Trails")
--   bob    22222222-2222-4222-8222-222222222222
-- Inserting into auth.users fires handle_new_user, which creates their profiles.

insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data, created_at)
values
  ('11111111-1111-4111-8111-111111111111', 'alice@example.com',
   '{"full_name": "Alice Haddad", "avatar_url": null}', '{"provider": "email"}', '2024-01-10 09:00:00+00'),
  ('22222222-2222-4222-8222-222222222222', 'bob@example.com',
   '{"full_name": "Bob Martin", "avatar_url": null}', '{"provider": "email"}', '2024-01-11 10:30:00+00');

update public.profiles set username = 'alice', home_city = 'Dubai'
where id = '11111111-1111-4111-8111-111111111111';

update public.profiles set username = 'bob', home_city = 'Lyon', preferred_currency = 'EUR'
where id = '22222222-2222-4222-8222-222222222222';

insert into public.adventure_categories (slug, label)
values ('desert', 'Desert'), ('diving', 'Diving'), ('hiking', 'Hiking');

insert into public.vendors (id, owner_id, business_name, slug, description, country_code, city, verified)
values
  ('aaaaaaaa-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'Desert Trails', 'desert-trails', 'Sunrise dune walks and overnight camps.', 'AE', 'Dubai', true);

insert into public.adventures (id, vendor_id, category_id, title, summary, status, price_per_person, max_group_size, duration_hours, starts_on)
values
  ('bbbbbbbb-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001',
   (select id from public.adventure_categories where slug = 'desert'),
   'Sunrise dune walk', 'Three hours in the Al Qudra dunes, breakfast included.', 'published', 250.00, 10, 3.0, '2024-11-15'),
  ('bbbbbbbb-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000001',
   (select id from public.adventure_categories where slug = 'desert'),
   'Overnight desert camp', 'Draft: waiting for the permit.', 'draft', 900.00, 8, 20.0, null);

insert into public.bookings (id, user_id, adventure_id, status, participants, starts_at, total_amount)
values
  ('cccccccc-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'bbbbbbbb-0000-4000-8000-000000000001', 'confirmed', 2, '2024-11-15 04:30:00+00', 500.00),
  ('cccccccc-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222',
   'bbbbbbbb-0000-4000-8000-000000000001', 'pending', 1, '2024-11-15 04:30:00+00', 250.00);

insert into public.booking_payments (booking_id, payer_id, amount, status, provider_payment_id)
values
  ('cccccccc-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 500.00, 'succeeded', 'pi_seed_alice_1');

insert into public.wallets (user_id, balance)
values
  ('11111111-1111-4111-8111-111111111111', 120.00),
  ('22222222-2222-4222-8222-222222222222', 0);
