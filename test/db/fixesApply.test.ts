/**
 * Every fix SQL applies under the project's runner (issue 11, section 5): for each rule that
 * offers a fix, a Supabase project that triggers it is applied to the real server as
 * `supabase db reset` would, then the fix migration ("Generate Fix", or the quick fix's "write fix
 * migration") is applied as the Supabase CLI applies a file: in one transaction, with CREATE/DROP
 * INDEX CONCURRENTLY run on its own. No statement may fail, and the finding must be gone on a
 * re-check, offline (the migrations and the fix file replayed) and on the database itself.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { analyze, type Analysis, type MigrationFile } from '../../src/core/analyze';
import type { ResolvedConfig } from '../../src/core/config';
import type { Finding, Fix } from '../../src/core/finding';
import { loadProject } from '../../src/core/project/loadProject';
import { allRules } from '../../src/core/rules';
import { renderFixMigration } from '../../src/core/rules/renderFixMigration';
import { runRules } from '../../src/core/rules/runRules';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { applyMigrationStatements } from '../../src/db/shadowApply';
import { createFileSystemProjectReader } from '../../src/node/fileSystemProjectReader';
import { applyProjectToServer } from '../support/applyProjectToServer';

interface FixCase {
  rule: string;
  /** The project's migration that triggers the rule. */
  migration: string;
  /** `supabase/config.toml`, when the project exposes more than the default schemas. */
  configToml?: string;
  /** A rule that needs a live database (L) is judged on the database only. */
  liveOnly?: boolean;
}

const WALLETS = `create table public.wallets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  balance_cents bigint not null default 0
);
create index wallets_user_id_idx on public.wallets (user_id);
alter table public.wallets enable row level security;
create policy "Owners read their wallet" on public.wallets
  for select to authenticated using (user_id = (select auth.uid()));
`;

const CREDIT_WALLET = `${WALLETS}
create function public.credit_wallet(p_wallet uuid, p_cents bigint) returns void
  language plpgsql security definer set search_path = ''
  as $$ begin update public.wallets set balance_cents = balance_cents + p_cents where id = p_wallet; end $$;
`;

const CASES: FixCase[] = [
  { rule: 'anon_security_definer_function_executable', migration: CREDIT_WALLET },
  {
    rule: 'auth_rls_initplan',
    migration: `create table public.community_posts (
  id bigint generated always as identity primary key,
  author_id uuid not null references auth.users (id),
  body text not null
);
create index community_posts_author_id_idx on public.community_posts (author_id);
alter table public.community_posts enable row level security;
create policy "Authors edit their posts" on public.community_posts
  for update to authenticated
  using (auth.uid() = author_id)
  with check (auth.uid() = author_id and auth.jwt() ->> 'role' = 'authenticated');
`,
  },
  {
    rule: 'duplicate_index',
    migration: `${WALLETS}
create index wallets_user_lookup_idx on public.wallets (user_id);
`,
  },
  { rule: 'extension_in_public', migration: `create extension if not exists citext with schema public;\n` },
  { rule: 'extension_versions_outdated', migration: `create extension if not exists hstore with schema extensions version '1.4';\n`, liveOnly: true },
  {
    rule: 'foreign_table_in_api',
    migration: `create extension if not exists postgres_fdw with schema extensions;
create server billing_server foreign data wrapper postgres_fdw options (host '127.0.0.1', dbname 'billing');
create foreign table public.billing_invoices (id bigint, vendor_id uuid, amount_cents bigint) server billing_server;
`,
  },
  {
    rule: 'function_search_path_mutable',
    migration: `${WALLETS}
create function public.wallet_balance(p_user uuid) returns bigint language sql stable
  as $$ select coalesce(sum(balance_cents), 0) from public.wallets where user_id = p_user $$;
`,
  },
  {
    rule: 'insecure_queue_exposed_in_api',
    configToml: 'project_id = "fixes"\n\n[api]\nschemas = ["public", "graphql_public", "pgmq_public"]\n',
    migration: `create schema if not exists pgmq;
create table pgmq.q_booking_emails (msg_id bigint primary key, message jsonb);
grant usage on schema pgmq to anon, authenticated;
grant select, insert, update, delete on pgmq.q_booking_emails to anon, authenticated;
`,
  },
  {
    rule: 'materialized_view_in_api',
    migration: `create table public.vendors (id uuid primary key default gen_random_uuid(), name text not null);
alter table public.vendors enable row level security;
create policy "Vendors are public" on public.vendors for select using (true);
create materialized view public.vendor_directory as select id, name from public.vendors;
`,
  },
  {
    rule: 'policy_column_unindexed',
    migration: `create table public.chat_messages (
  id bigint generated always as identity primary key,
  room_id bigint not null,
  sender_id uuid not null,
  body text not null
);
alter table public.chat_messages enable row level security;
create policy "Senders read their messages" on public.chat_messages
  for select to authenticated using (sender_id = (select auth.uid()));
`,
  },
  {
    rule: 'policy_exists_rls_disabled',
    migration: `create table public.groups (id uuid primary key default gen_random_uuid(), owner_id uuid not null, name text not null);
create index groups_owner_id_idx on public.groups (owner_id);
create policy "Owners manage their groups" on public.groups
  for all to authenticated using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
`,
  },
  { rule: 'rls_disabled_in_public', migration: `create table public.vendor_categories (id bigint generated always as identity primary key, name text not null);\n` },
  {
    rule: 'security_definer_view',
    migration: `create table public.bookings (id uuid primary key default gen_random_uuid(), user_id uuid not null, vendor_id uuid not null, amount_cents integer not null);
create index bookings_user_id_idx on public.bookings (user_id);
alter table public.bookings enable row level security;
create policy "Users read their bookings" on public.bookings for select to authenticated using (user_id = (select auth.uid()));
create view public.vendor_revenue as select vendor_id, sum(amount_cents) as revenue_cents from public.bookings group by vendor_id;
`,
  },
  {
    rule: 'sensitive_columns_exposed',
    migration: `create table public.payment_methods (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  card_token text not null,
  iban text
);
`,
  },
  {
    rule: 'unindexed_foreign_keys',
    migration: `create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, username text not null);
alter table public.profiles enable row level security;
create policy "Profiles are public" on public.profiles for select using (true);
create table public.group_members (
  group_id uuid not null,
  profile_id uuid not null references public.profiles (id) on delete cascade,
  primary key (group_id, profile_id)
);
alter table public.group_members enable row level security;
create policy "Members see their memberships" on public.group_members for select to authenticated using (profile_id = (select auth.uid()));
`,
  },
];

describe('every fix applies under the Supabase runner and removes its finding', function () {
  this.timeout(120_000);

  before(() => loadParser());

  it('covers every rule that offers a fix', () => {
    // A rule offers a fix when its source gives a report a `fix` property (outside comments): a new
    // rule with a fix fails here until it has a case above.
    // Migration-safety rules (M) fix a pending migration, not the schema: their fixes are applied
    // on a server with rows by their own tests (test/db/constraintSafety.test.ts, lockModes.test.ts).
    const rulesWithFixes = allRules
      .filter((rule) => rule.needs !== 'M')
      .map((rule) => rule.id)
      .filter((id) => {
        const code = readFileSync(join(__dirname, '..', '..', 'src', 'core', 'rules', `${id}.ts`), 'utf8').split('\n').filter((line) => !/^\s*(\/\/|\*)/.test(line));
        return code.some((line) => /\bfix: /.test(line)) && !code.some((line) => /\beditOnly: true\b/.test(line));
      })
      .sort();
    assert.deepEqual(CASES.map((fixCase) => fixCase.rule).sort(), rulesWithFixes);
  });

  for (const fixCase of CASES) {
    it(fixCase.rule, async () => {
      const project = writeProject(fixCase);
      const url = await applyProjectToServer(project, `pgreview_fix_${fixCase.rule}`.slice(0, 63));
      const { config, files } = loadProject(createFileSystemProjectReader(project));
      const before = fixCase.liveOnly ? await liveFindings(url, config, fixCase.rule) : analyze({ files, config }).findings.filter((finding) => finding.rule === fixCase.rule);
      assert.ok(before.length > 0, `the fixture does not trigger ${fixCase.rule}`);
      const fixes = before.map((finding) => finding.fix);
      assert.ok(fixes.every((fix) => fix !== undefined), `a ${fixCase.rule} finding has no fix`);

      const { fixFile, withFix } = await applyFixMigration(url, config, files, fixes.map((fix) => fix!));

      assert.deepEqual(await liveFindings(url, config, fixCase.rule), [], `on the database after:\n${fixFile.text}`);
      if (!fixCase.liveOnly) assert.deepEqual(withFix.findings.filter((finding) => finding.rule === fixCase.rule).map((finding) => finding.message), [], `offline after:\n${fixFile.text}`);

      // A fix that can also edit the offending statement in place: the edited migration applies on
      // a fresh database and no longer triggers the rule.
      const edits = fixes.flatMap((fix) => (fix?.edit ? [fix.edit] : []));
      if (edits.length === 0) return;
      const edited = edits.sort((a, b) => b.start - a.start).reduce((text, edit) => text.slice(0, edit.start) + edit.text + text.slice(edit.end), fixCase.migration);
      const editedProject = writeProject({ ...fixCase, migration: edited });
      await applyProjectToServer(editedProject, `pgreview_fix_edit_${fixCase.rule}`.slice(0, 63));
      const editedAnalysis = loadProject(createFileSystemProjectReader(editedProject));
      assert.deepEqual(analyze(editedAnalysis).findings.filter((finding) => finding.rule === fixCase.rule).map((finding) => finding.message), [], edited);
    });
  }

  it('applies every fix of a project together, as one migration ("Generate Fix")', async () => {
    const project = writeProject({
      rule: 'all',
      migration: `create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, username text not null);
alter table public.profiles enable row level security;
create policy "Profiles are public" on public.profiles for select using (true);
create table public.payments (
  id uuid primary key default gen_random_uuid(),
  profile_id uuid not null references public.profiles (id),
  booking_ref text not null,
  card_token text
);
create policy "Payers read their payments" on public.payments for select to authenticated using (profile_id = auth.uid());
create view public.payment_totals as select profile_id, count(*) as payments from public.payments group by profile_id;
create function public.payment_count(p_profile uuid) returns bigint language sql stable
  as $$ select count(*) from public.payments where profile_id = p_profile $$;
`,
    });
    const url = await applyProjectToServer(project, 'pgreview_fix_all');
    const { config, files } = loadProject(createFileSystemProjectReader(project));
    const fixed = analyze({ files, config }).findings.filter((finding) => finding.fix);
    assert.deepEqual([...new Set(fixed.map((finding) => finding.rule))].sort(), [
      'function_search_path_mutable', 'policy_exists_rls_disabled', 'rls_disabled_in_public', 'security_definer_view', 'sensitive_columns_exposed',
      'unindexed_foreign_keys',
    ]);
    const { withFix } = await applyFixMigration(url, config, files, fixed.map((finding) => finding.fix!));
    const keys = new Set(fixed.map((finding) => finding.key));
    assert.deepEqual(withFix.findings.filter((finding) => keys.has(finding.key)).map((finding) => finding.key), []);
  });
});

function writeProject(fixCase: FixCase): string {
  const project = mkdtempSync(join(tmpdir(), 'pgreview-fix-'));
  mkdirSync(join(project, 'supabase', 'migrations'), { recursive: true });
  writeFileSync(join(project, 'supabase', 'config.toml'), fixCase.configToml ?? 'project_id = "fixes"\n');
  writeFileSync(join(project, 'supabase', 'migrations', '20240101000000_schema.sql'), fixCase.migration);
  return project;
}

/**
 * Writes the fixes as the migration after the project's ("Generate Fix"), applies it to the
 * database as the Supabase CLI applies a file, and asserts that no statement fails. Returns the
 * file and the offline analysis of the project with it.
 */
async function applyFixMigration(url: string, config: ResolvedConfig, files: readonly MigrationFile[], fixes: readonly Fix[]): Promise<{ fixFile: MigrationFile; withFix: Analysis }> {
  const fixFile = { path: 'supabase/migrations/20240601000000_pgreview_fixes.sql', text: `${renderFixMigration(fixes)}\n` };
  const withFix = analyze({ files: [...files, fixFile], config });
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const outcome = await applyMigrationStatements({ exec: async (sql) => void (await client.query(sql)) }, withFix.files.slice(-1), config, 'test server');
    assert.deepEqual(outcome.findings.map((finding) => finding.message), [], fixFile.text);
  } finally {
    await client.end();
  }
  return { fixFile, withFix };
}

async function liveFindings(url: string, config: ResolvedConfig, rule: string): Promise<Finding[]> {
  const { catalog } = await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config });
  return runRules(catalog, config).filter((finding) => finding.rule === rule);
}
