-- Storage buckets and their policies.
-- Objects are stored under <user id>/<file name>, so the first folder of the path is the owner.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values
  ('avatars', 'avatars', true, 5242880, array['image/jpeg', 'image/png', 'image/webp']),
  ('adventure-images', 'adventure-images', true, 10485760, array['image/jpeg', 'image/png', 'image/webp']),
  ('booking-documents', 'booking-documents', false, 10485760, array['application/pdf'])
on conflict (id) do nothing;

-- ---------------------------------------------------------------------------------------------
-- Avatars: public read, owners write
-- ---------------------------------------------------------------------------------------------

create policy "Avatar images are publicly accessible"
  on storage.objects for select
  to anon, authenticated
  using (bucket_id = 'avatars');

create policy "Users can upload their avatar"
  on storage.objects for insert
  to authenticated
  with check (
    bucket_id = 'avatars'
    and (storage.foldername(name))[1] = (select auth.uid())::text
  );

create policy "Users can replace their avatar"
  on storage.objects for update
  to authenticated
  using (
    bucket_id = 'avatars'
    and (storage.foldername(name))[1] = (select auth.uid())::text
  )
  with check (
    bucket_id = 'avatars'
    and (storage.foldername(name))[1] = (select auth.uid())::text
  );

-- ---------------------------------------------------------------------------------------------
-- Booking documents: private, owners only
-- ---------------------------------------------------------------------------------------------

create policy "Travellers can read their booking documents"
  on storage.objects for select
  to authenticated
  using (
    bucket_id = 'booking-documents'
    and (storage.foldername(name))[1] = (select auth.uid())::text
  );

create policy "Travellers can upload booking documents"
  on storage.objects for insert
  to authenticated
  with check (
    bucket_id = 'booking-documents'
    and (storage.foldername(name))[1] = (select auth.uid())::text
  );
