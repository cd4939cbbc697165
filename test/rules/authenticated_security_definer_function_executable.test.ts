import rule from '../../src/core/rules/authenticated_security_definer_function_executable';
import { runRuleTests } from '../support/ruleTester';

const vendorStats = `create function public.vendor_booking_count(vendor uuid) returns bigint
language sql stable security definer set search_path = ''
as $$ select count(*) from public.bookings where vendor_id = vendor $$;`;

runRuleTests(rule, {
  valid: [
    // SECURITY INVOKER runs with the caller's rights and RLS.
    `create function public.my_bookings_count() returns bigint language sql stable set search_path = ''
     as $$ select count(*) from public.bookings where user_id = (select auth.uid()) $$;`,
    `${vendorStats}
     revoke execute on function public.vendor_booking_count(uuid) from public, authenticated;`,
    // A schema the API does not expose.
    `create schema private;
     create function private.vendor_booking_count(vendor uuid) returns bigint language sql security definer set search_path = ''
     as $$ select 0::bigint $$;`,
    // The API exposes only the schemas config.toml lists.
    { sql: vendorStats, config: { exposedSchemas: ['api'] } },
    // Trigger functions cannot be called through the API.
    `create function public.handle_new_user() returns trigger language plpgsql security definer set search_path = ''
     as $$ begin insert into public.profiles (id) values (new.id); return new; end $$;`,
  ],
  invalid: [
    {
      sql: `create table public.bookings (id uuid primary key, vendor_id uuid);

${vendorStats}`,
      findings: [{ object: 'public.vendor_booking_count(uuid)', line: 3, message: /vendor_booking_count\(uuid\) can be executed by authenticated/ }],
      fix: null,
      suggestion: `revoke execute on function public.vendor_booking_count(uuid) from authenticated;
revoke execute on function public.vendor_booking_count(uuid) from public;`,
    },
    {
      // Revoking from PUBLIC leaves the default privilege Supabase grants authenticated on public functions.
      sql: `${vendorStats}
revoke execute on function public.vendor_booking_count(uuid) from public;`,
      findings: [{ object: 'public.vendor_booking_count(uuid)', line: 1 }],
      fix: null,
      suggestion: 'revoke execute on function public.vendor_booking_count(uuid) from authenticated;',
    },
  ],
});
