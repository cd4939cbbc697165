import rule from '../../src/core/rules/security_definer_function_in_exposed_schema_without_auth_check';
import { runRuleTests } from '../support/ruleTester';

runRuleTests(rule, {
  valid: [
    `create function public.my_wallet_balance() returns numeric language sql stable security definer set search_path = ''
     as $$ select balance from public.wallets where owner_id = (select auth.uid()) $$;`,
    `create function public.transfer(to_wallet uuid, amount numeric) returns void language plpgsql security definer set search_path = ''
     as $$
     begin
       if auth.uid() is null then raise exception 'not signed in'; end if;
       update public.wallets set balance = balance - amount where owner_id = auth.uid();
     end;
     $$;`,
    `create function public.current_tenant() returns text language plpgsql security definer set search_path = ''
     as $$ begin return current_setting('request.jwt.claims', true)::jsonb ->> 'tenant_id'; end $$;`,
    `create function public.is_admin() returns boolean language sql stable security definer set search_path = ''
     as $$ select coalesce((auth.jwt() -> 'app_metadata' ->> 'role') = 'admin', false) $$;`,
    // Only the server may call it.
    `create function public.reset_all_wallets() returns void language sql security definer set search_path = ''
     as $$ update public.wallets set balance = 0 $$;
     revoke execute on function public.reset_all_wallets() from public, anon, authenticated;`,
  ],
  invalid: [
    {
      sql: `create table public.wallets (id uuid primary key, owner_id uuid, balance numeric);

create function public.reset_wallet(wallet uuid) returns void
language sql security definer set search_path = ''
as $$ update public.wallets set balance = 0 where id = wallet $$;`,
      findings: [{ object: 'public.reset_wallet(uuid)', line: 3, message: /called by anon and authenticated from the API but never checks who the caller is/ }],
      fix: null,
    },
    {
      // A mention in a comment or a string is not a check.
      sql: `create function public.delete_group(target uuid) returns void
language plpgsql security definer set search_path = ''
as $$
begin
  -- TODO: check auth.uid() is the group owner
  raise notice 'auth.uid() not checked yet';
  delete from public.groups where id = target;
end;
$$;`,
      findings: [{ object: 'public.delete_group(uuid)', line: 1 }],
      fix: null,
    },
  ],
});
