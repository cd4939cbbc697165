/**
 * pgreview.json and supabase/config.toml parsing, their merge, and project loading over an
 * in-memory reader (binary and huge files, no migrations, Supabase detection).
 */
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import { parsePgreviewJson, parseSupabaseConfigToml, resolveConfig } from '../../src/core/config';
import { InputError } from '../../src/core/errors';
import { loadProject, MAX_MIGRATION_BYTES, MAX_PROJECT_BYTES, type ProjectProblem, type ProjectReader } from '../../src/core/project/loadProject';
import { rulesById } from '../../src/core/rules';
import { loadParser } from '../../src/core/sql/parser';

describe('parsePgreviewJson', () => {
  it('reads every field', () => {
    const { config, problems } = parsePgreviewJson(
      JSON.stringify({ profile: 'postgres', migrations: 'db/*.sql', exposedSchemas: ['api'], rules: { rls_enabled_no_policy: 'off', syntax_error: 'warning' } }),
    );
    assert.deepEqual(config, { profile: 'postgres', migrations: ['db/*.sql'], exposedSchemas: ['api'], rules: { rls_enabled_no_policy: 'off', syntax_error: 'warning' } });
    assert.deepEqual(problems, []);
  });

  it('treats "auto" as no profile, and warns about unknown keys', () => {
    const { config, problems } = parsePgreviewJson('{ "profile": "auto", "rulez": {} }');
    assert.equal(config.profile, undefined);
    assert.deepEqual(problems.map((problem) => problem.message), ['unknown key "rulez" is ignored (known keys: profile, migrations, exposedSchemas, rules)']);
  });

  it('rejects broken JSON with an InputError naming the file', () => {
    assert.throws(() => parsePgreviewJson('{ "rules": ', 'config/pgreview.json'), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /^config\/pgreview\.json: invalid JSON/);
      return true;
    });
  });

  it('rejects values of the wrong type', () => {
    assert.throws(() => parsePgreviewJson('[]'), /pgreview\.json: expected a JSON object/);
    assert.throws(() => parsePgreviewJson('{ "profile": "mysql" }'), /"profile" must be "supabase", "postgres" or "auto"/);
    assert.throws(() => parsePgreviewJson('{ "rules": { "syntax_error": "warn" } }'), /rule "syntax_error" is set to "warn"/);
    assert.throws(() => parsePgreviewJson('{ "exposedSchemas": [1] }'), /"exposedSchemas" must be a list of strings/);
  });
});

describe('parseSupabaseConfigToml', () => {
  it('reads [api] schemas', () => {
    const toml = 'project_id = "trvl"\n\n[api]\nenabled = true\nport = 54321\nschemas = ["public", "graphql_public", "api"]\n\n[db]\nport = 54322\n';
    assert.deepEqual(parseSupabaseConfigToml(toml), { exposedSchemas: ['public', 'graphql_public', 'api'] });
  });

  it('exposes nothing when the API is disabled, and keeps the defaults when schemas is absent', () => {
    assert.deepEqual(parseSupabaseConfigToml('[api]\nenabled = false\nschemas = ["public"]\n'), { exposedSchemas: [] });
    assert.deepEqual(parseSupabaseConfigToml('project_id = "trvl"\n'), {});
  });

  it('rejects invalid TOML with an InputError naming the file', () => {
    assert.throws(() => parseSupabaseConfigToml('[api\nschemas = 1'), (error: unknown) => error instanceof InputError && /^supabase\/config\.toml: invalid TOML/.test(error.message));
  });
});

describe('resolveConfig', () => {
  it('chooses the profile: pgreview.json, then what the project looks like', () => {
    assert.equal(resolveConfig({ looksLikeSupabase: true, knownRules: rulesById }).config.profile, 'supabase');
    assert.equal(resolveConfig({ looksLikeSupabase: false, knownRules: rulesById }).config.profile, 'postgres');
    assert.equal(resolveConfig({ pgreview: { profile: 'postgres' }, looksLikeSupabase: true, knownRules: rulesById }).config.profile, 'postgres');
  });

  it('takes exposed schemas from pgreview.json over config.toml over the defaults', () => {
    const defaults = resolveConfig({ looksLikeSupabase: true, knownRules: rulesById }).config;
    assert.deepEqual(defaults.exposedSchemas, ['public', 'graphql_public']);
    const fromToml = resolveConfig({ supabaseToml: { exposedSchemas: ['public', 'api'] }, looksLikeSupabase: true, knownRules: rulesById }).config;
    assert.deepEqual(fromToml.exposedSchemas, ['public', 'api']);
    const fromJson = resolveConfig({ pgreview: { exposedSchemas: ['api'] }, supabaseToml: { exposedSchemas: ['public'] }, looksLikeSupabase: true, knownRules: rulesById }).config;
    assert.deepEqual(fromJson.exposedSchemas, ['api']);
  });

  it('warns about unknown rule names and keeps the known ones', () => {
    const { config, problems } = resolveConfig({
      pgreview: { rules: { rls_enabled_no_policy: 'error', no_such_rule: 'off' } },
      looksLikeSupabase: true,
      knownRules: rulesById,
    });
    assert.deepEqual(config.rules, { rls_enabled_no_policy: 'error' });
    assert.deepEqual(problems, [{ file: 'pgreview.json', level: 'warning', message: 'unknown rule "no_such_rule" in "rules" is ignored' }]);
  });
});

describe('loadProject', () => {
  const init = 'create table public.profiles (id uuid primary key);\n';

  it('loads a Supabase project: ordered migrations, exposed schemas from config.toml, no seed', () => {
    const project = loadProject(
      memoryReader({
        'supabase/config.toml': '[api]\nschemas = ["public", "api"]\n',
        'supabase/migrations/20240102000000_b.sql': 'select 2;',
        'supabase/migrations/20240101000000_a.sql': init,
        'supabase/seed.sql': 'insert into public.profiles values (gen_random_uuid());',
      }),
    );
    assert.equal(project.layout, 'supabase');
    assert.deepEqual(project.files.map((file) => file.path), ['supabase/migrations/20240101000000_a.sql', 'supabase/migrations/20240102000000_b.sql']);
    assert.equal(project.files[0].text, init);
    assert.equal(project.config.profile, 'supabase');
    assert.deepEqual(project.config.exposedSchemas, ['public', 'api']);
    assert.deepEqual(project.problems, []);
  });

  it('uses the plain PostgreSQL profile for a project without supabase/', () => {
    const project = loadProject(memoryReader({ 'migrations/1_init.up.sql': init, 'migrations/1_init.down.sql': 'drop table public.profiles;' }));
    assert.equal(project.layout, 'golang-migrate');
    assert.equal(project.config.profile, 'postgres');
    assert.deepEqual(project.config.exposedSchemas, []);
  });

  it('replays Supabase migrations in the CLI\'s file-name order and warns where a short version prefix moves one', () => {
    const project = loadProject(
      memoryReader({
        'supabase/migrations/20250127000000_init.sql': init,
        'supabase/migrations/20250906_add_discounts.sql': 'alter table public.profiles add column discount numeric;',
      }),
    );
    assert.deepEqual(project.files.map((file) => file.path), ['supabase/migrations/20250127000000_init.sql', 'supabase/migrations/20250906_add_discounts.sql']);
    assert.deepEqual(project.problems.map((problem) => [problem.kind, problem.level, problem.file]), [['migration_order', 'warning', 'supabase/migrations/20250906_add_discounts.sql']]);
  });

  describe('profile of a project without supabase/', () => {
    before(() => loadParser());
    const bookings = `create table public.bookings (id uuid primary key, user_id uuid not null, status text not null);
`;
    const profileNotes = (problems: readonly ProjectProblem[]) => problems.filter((problem) => problem.kind === 'profile').map((problem) => `${problem.level} ${problem.file ?? '-'}: ${problem.message}`);

    it('is Supabase when a migration calls auth.uid(), and says so: the exposure rules then speak', () => {
      const project = loadProject(
        memoryReader({
          'db/migrations/001_bookings.sql': bookings,
          'db/migrations/002_policies.sql': `alter table public.bookings enable row level security;
create policy "Owners read bookings" on public.bookings for select using (user_id = (select auth.uid()));
create table public.vendors (id uuid primary key, name text not null);`,
        }),
      );
      assert.equal(project.config.profile, 'supabase');
      assert.deepEqual(profileNotes(project.problems), [
        'info db/migrations/002_policies.sql: using the Supabase profile: the project has no supabase/ folder, but this migration calls auth.uid(); set "profile" to "supabase" or "postgres" in pgreview.json to choose',
      ]);
      const analysis = analyze({ files: project.files, config: project.config });
      assert.deepEqual(analysis.findings.filter((finding) => finding.rule === 'rls_disabled_in_public').map((finding) => finding.object), ['public.vendors']);
    });

    it('is Supabase when a migration grants to authenticated or references auth.users', () => {
      const granted = loadProject(memoryReader({ 'db/migrations/001_bookings.sql': `${bookings}grant select on public.bookings to anon, authenticated;` }));
      assert.equal(granted.config.profile, 'supabase');
      assert.match(profileNotes(granted.problems)[0], /names the role anon \(to anon\)/);
      const referenced = loadProject(memoryReader({ 'db/migrations/001_profiles.sql': 'create table public.profiles (id uuid primary key references auth.users (id));' }));
      assert.equal(referenced.config.profile, 'supabase');
      assert.match(profileNotes(referenced.problems)[0], /references auth\.users/);
    });

    it('is plain PostgreSQL without such signs (comments, strings and an anon column are none), and says so', () => {
      const project = loadProject(
        memoryReader({
          'db/migrations/001_bookings.sql': `-- Policies will call auth.uid() once we move to Supabase.
${bookings}comment on table public.bookings is 'read by authenticated users';
create table public.chat_messages (id uuid primary key, body text, anon boolean not null default false);
create index on public.chat_messages (id, anon);`,
        }),
      );
      assert.equal(project.config.profile, 'postgres');
      assert.deepEqual(profileNotes(project.problems), [
        'info -: using the plain PostgreSQL profile (no supabase/ folder, and no migration calls auth.uid() or names the anon, authenticated or service_role role): the rules about the Supabase API stay silent; set "profile" to "supabase" or "postgres" in pgreview.json to choose',
      ]);
    });

    it('says nothing when pgreview.json sets the profile', () => {
      const project = loadProject(memoryReader({ 'pgreview.json': '{ "profile": "postgres" }', 'db/migrations/001_bookings.sql': `${bookings}grant select on public.bookings to authenticated;` }));
      assert.equal(project.config.profile, 'postgres');
      assert.deepEqual(profileNotes(project.problems), []);
    });
  });

  it('selects migrations with the globs of pgreview.json, or of the --config file', () => {
    const files = { 'pgreview.json': '{ "migrations": ["schema/*.sql"] }', 'schema/2_b.sql': 'select 2;', 'schema/1_a.sql': init, 'other/1_x.sql': 'select 3;' };
    assert.deepEqual(loadProject(memoryReader(files)).paths, ['schema/1_a.sql', 'schema/2_b.sql']);
    const withConfig = loadProject(memoryReader(files), { configFile: { path: 'ci/pgreview.json', text: '{ "migrations": ["other/*.sql"] }' } });
    assert.deepEqual(withConfig.paths, ['other/1_x.sql']);
  });

  it('replays the globs of pgreview.json in the order listed: database/ builds on the Supabase migrations', async () => {
    await loadParser();
    const files = {
      'pgreview.json': '{ "migrations": ["supabase/migrations/*.sql", "database/*.sql"] }',
      'supabase/config.toml': 'project_id = "globs"\n',
      'supabase/migrations/20240101000000_profiles.sql': 'create table public.profiles (id uuid primary key references auth.users (id), username text not null);\n',
      'supabase/migrations/20240102000000_bookings.sql': `create table public.bookings (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id),
  starts_at timestamptz not null
);
create index bookings_user_id_idx on public.bookings (user_id);
alter table public.bookings enable row level security;
create policy "Users read their bookings" on public.bookings for select to authenticated using (user_id = (select auth.uid()));`,
      'database/booking_views.sql': `create view public.upcoming_bookings with (security_invoker = true) as
  select b.id, b.starts_at, p.username from public.bookings b join public.profiles p on p.id = b.user_id where b.starts_at > now();`,
      'database/booking_functions.sql': `create function public.booking_count(p_user uuid) returns bigint language sql stable set search_path = ''
  as $$ select count(*) from public.bookings where user_id = p_user $$;`,
    };
    const project = loadProject(memoryReader(files));
    assert.deepEqual(project.paths, [
      'supabase/migrations/20240101000000_profiles.sql', 'supabase/migrations/20240102000000_bookings.sql', 'database/booking_functions.sql', 'database/booking_views.sql',
    ]);
    const analysis = analyze({ files: project.files, config: project.config });
    assert.deepEqual(analysis.findings.filter((finding) => finding.rule === 'object_dropped_but_referenced').map((finding) => finding.message), []);
    assert.ok(analysis.catalog.views.has('public.upcoming_bookings'));
  });

  it('skips binary and huge files with a file_skipped finding at the file', () => {
    const reader = memoryReader({
      'supabase/migrations/20240101000000_init.sql': init,
      'supabase/migrations/20240102000000_blob.sql': 'PK\u0003\u0004\u0000\u0000binary',
      'supabase/migrations/20240103000000_dump.sql': 'copy ...',
    });
    reader.sizeOf = (path) => (path.endsWith('_dump.sql') ? MAX_MIGRATION_BYTES + 1 : 100);
    const project = loadProject(reader);
    assert.deepEqual(project.files.map((file) => file.path), ['supabase/migrations/20240101000000_init.sql']);
    assert.equal(project.paths.length, 3);
    assert.deepEqual(
      project.findings.map((finding) => [finding.rule, finding.level, finding.span?.file, finding.span?.line, finding.span?.column]),
      [
        ['file_skipped', 'warning', 'supabase/migrations/20240102000000_blob.sql', 1, 1],
        ['file_skipped', 'warning', 'supabase/migrations/20240103000000_dump.sql', 1, 1],
      ],
    );
    assert.match(project.findings[0].message, /binary file/);
    assert.match(project.findings[1].message, /10\.0 MB, above the 10 MB limit/);
  });

  it('keeps to MAX_PROJECT_BYTES in apply order when the reader cannot tell sizes before reading', () => {
    const third = 'select 1;\n'.padEnd(MAX_PROJECT_BYTES / 3, ' ');
    const project = loadProject(
      memoryReader({
        'supabase/migrations/20240101000000_a.sql': third,
        'supabase/migrations/20240102000000_b.sql': third,
        'supabase/migrations/20240103000000_c.sql': `${third}${' '.repeat(10)}`,
        'supabase/migrations/20240104000000_d.sql': init,
      }),
    );
    assert.deepEqual(project.files.map((file) => file.path.slice(20)), ['20240101000000_a.sql', '20240102000000_b.sql', '20240104000000_d.sql']);
    assert.deepEqual(project.findings.map((finding) => finding.message), [
      'supabase/migrations/20240103000000_c.sql is 6.7 MB, and the migrations come to 20.0 MB, above the 20 MB that pgreview reviews in one run (the largest files are left out first): it is not checked.',
    ]);
  });

  it('honours a rule setting for file_skipped', () => {
    const project = loadProject(
      memoryReader({ 'pgreview.json': '{ "rules": { "file_skipped": "off" } }', 'supabase/migrations/20240102000000_blob.sql': '\u0000' }),
    );
    assert.deepEqual(project.findings, []);
  });

  it('reports a project without migrations as a problem', () => {
    const project = loadProject(memoryReader({ 'README.md': '# app', 'supabase/seed.sql': 'select 1;' }));
    assert.deepEqual(project.files, []);
    assert.equal(project.problems.length, 1);
    assert.equal(project.problems[0].kind, 'no_migrations');
    assert.match(project.problems[0].message, /No migration files found: looked for supabase\/migrations/);
  });

  it('turns a broken pgreview.json into an InputError, and a broken config.toml into a warning', () => {
    assert.throws(() => loadProject(memoryReader({ 'pgreview.json': '{ oops' })), /^InputError: pgreview\.json: invalid JSON/);
    const project = loadProject(memoryReader({ 'supabase/config.toml': '[api', 'supabase/migrations/20240101000000_a.sql': init }));
    assert.deepEqual(project.config.exposedSchemas, ['public', 'graphql_public']);
    assert.equal(project.problems[0].file, 'supabase/config.toml');
    assert.match(project.problems[0].message, /invalid TOML .*; using the default exposed schemas/);
  });
});

function memoryReader(files: Record<string, string>): ProjectReader {
  return {
    listFiles: () => Object.keys(files),
    readFile: (path) => files[path],
  };
}
