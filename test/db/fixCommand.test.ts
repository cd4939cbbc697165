/**
 * `pgreview fix` (issue 13, section 5): one new migration with the fixes that need no choice. On
 * the example project and on a generated project with 300 policies that call auth.uid() per row
 * and 99 functions with a mutable search_path, a re-run of `check` no longer reports the fixed
 * findings, and the project with the written migration applies on the real server as
 * `supabase db reset` would.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import check from '../../src/cli/commands/check';
import fix from '../../src/cli/commands/fix';
import type { JsonReport } from '../../src/core/report/renderJson';
import { applyProjectToServer } from '../support/applyProjectToServer';
import { runCliCommand } from '../support/runCliCommand';

const EXAMPLE_PROJECT = join(__dirname, '..', '..', 'examples', 'trvl-social');
const MIGRATIONS = join('supabase', 'migrations');

describe('pgreview fix', function () {
  this.timeout(180_000);

  it('fixes the example project: check no longer reports the fixed findings, and the migrations apply', async () => {
    const project = copyOfExample();
    const before = await checkJson(project);
    // Migration-safety fixes edit the pending statement in place (CONCURRENTLY, lock_timeout): never in a new migration.
    const fixable = before.findings.filter((finding) => finding.fix && finding.category !== 'safety');
    assert.ok(fixable.length >= 10, `the example has only ${fixable.length} fixable findings`);

    const run = await runCliCommand(fix, project, []);
    assert.equal(run.code, 0, run.stderr);
    const written = newMigrations(project);
    assert.equal(written.length, 1);
    assert.match(written[0], /^\d{14}_pgreview_fixes\.sql$/);
    assert.match(run.stdout, new RegExp(`^Wrote supabase/migrations/${written[0]}: \\d+ fixes for ${fixable.length} findings of \\d+ rules\\. Nothing was applied`));
    assert.match(run.stdout, /^ {2}auth_rls_initplan +4 fixes for 4 findings$/m);
    // The CREATE INDEX of a pending migration is fixed by adding CONCURRENTLY in place, never beside it.
    assert.match(run.stdout, /^Skipped \d+ fix(es)? that a new migration cannot hold:\n(.*\n)*? {2}supabase\/migrations\/20240410083000_bookings_v2\.sql:10: create_index_non_concurrently on public\.bookings: /m);
    const text = readFileSync(join(project, MIGRATIONS, written[0]), 'utf8');
    assert.match(text, /^-- Fixes\n-- Written by pgreview\. Review this migration before you apply it; pgreview never applies it\.\n\nset lock_timeout = '5s';\n\n-- anon_security_definer_function_executable: 1 fix for 1 finding\n/);

    const after = await checkJson(project);
    assert.deepEqual(fixable.filter((finding) => after.findings.some((other) => other.rule === finding.rule && other.object === finding.object)).map(describeFinding), []);
    await applyProjectToServer(project, 'pgreview_fix_cli_example');
  });

  it('prints the migration with --dry-run and writes nothing; --rule keeps one rule', async () => {
    const project = copyOfExample();
    const dryRun = await runCliCommand(fix, project, ['--dry-run', '--rule', 'function_search_path_mutable']);
    assert.equal(dryRun.code, 0, dryRun.stderr);
    assert.deepEqual(newMigrations(project), []);
    assert.match(dryRun.stdout, /^-- Fixes of function_search_path_mutable\n/);
    assert.deepEqual(dryRun.stdout.match(/^-- [a-z_]+: .*$/gm), ['-- function_search_path_mutable: 2 fixes for 2 findings']);
    assert.match(dryRun.stderr, /^pgreview: dry run: would write supabase\/migrations\/\d{14}_pgreview_fixes_of_function_search_path_mutable\.sql \(2 fixes for 2 findings of 1 rule\); nothing written\n$/);

    const nothing = await runCliCommand(fix, project, ['--rule', 'no_primary_key']);
    assert.deepEqual([nothing.code, nothing.stdout], [0, 'Nothing to fix: no finding of no_primary_key has a fix that needs no choice.\n']);
    const unknown = await runCliCommand(fix, project, ['--rule', 'no_such_rule']);
    assert.deepEqual([unknown.code, unknown.stderr.trim()], [2, 'pgreview: unknown rule "no_such_rule" (the rules are listed in the README\'s rule table)']);
  });

  it('fixes 300 policies and 99 functions in one migration, which applies on the server', async () => {
    const project = generatedProject(100, 99);
    const before = await checkJson(project);
    const count = (report: JsonReport, rule: string) => report.findings.filter((finding) => finding.rule === rule).length;
    assert.deepEqual([count(before, 'auth_rls_initplan'), count(before, 'function_search_path_mutable')], [300, 99]);

    const started = process.hrtime.bigint();
    const run = await runCliCommand(fix, project, []);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ {2}auth_rls_initplan +300 fixes for 300 findings$/m);
    assert.match(run.stdout, /^ {2}function_search_path_mutable +99 fixes for 99 findings$/m);
    // Measured on a loaded 2-core machine: the whole command, parse to written file, in seconds.
    console.log(`      pgreview fix on 100 tables, 300 policies, 99 functions: ${Math.round(elapsedMs)} ms`);

    const after = await checkJson(project);
    assert.deepEqual(after.findings.filter((finding) => finding.fix).map(describeFinding), []);
    await applyProjectToServer(project, 'pgreview_fix_cli_generated');
  });
});

function copyOfExample(): string {
  const project = mkdtempSync(join(tmpdir(), 'pgreview-fix-cli-'));
  cpSync(EXAMPLE_PROJECT, project, { recursive: true });
  return project;
}

/** The migrations of a project that pgreview wrote. */
function newMigrations(project: string): string[] {
  return readdirSync(join(project, MIGRATIONS)).filter((name) => name.includes('_pgreview_'));
}

async function checkJson(project: string): Promise<JsonReport> {
  const run = await runCliCommand(check, project, ['--format', 'json', '--fail-on', 'none']);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as JsonReport;
}

function describeFinding(finding: JsonReport['findings'][number]): string {
  return `${finding.file}:${finding.line}: ${finding.rule}: ${finding.message}`;
}

/**
 * A Supabase project as real ones grow: `tables` tables, each with its owner column indexed and
 * three policies that call auth.uid() for every row, and `functions` SQL functions with no
 * search_path. Written as one migration per table, the way teams add them.
 */
function generatedProject(tables: number, functions: number): string {
  const project = mkdtempSync(join(tmpdir(), 'pgreview-fix-generated-'));
  mkdirSync(join(project, MIGRATIONS), { recursive: true });
  writeFileSync(join(project, 'supabase', 'config.toml'), 'project_id = "generated"\n');
  for (let i = 0; i < tables; i++) {
    const table = `public.workspace_items_${i}`;
    writeFileSync(
      join(project, MIGRATIONS, `2024${String(100000000 + i * 100).padStart(10, '0')}_items_${i}.sql`),
      `create table ${table} (
  id bigint generated always as identity primary key,
  owner_id uuid not null references auth.users (id) on delete cascade,
  title text not null
);
create index workspace_items_${i}_owner_id_idx on ${table} (owner_id);
alter table ${table} enable row level security;
create policy "Owners read their items" on ${table} for select to authenticated using (owner_id = auth.uid());
create policy "Owners rename their items" on ${table} for update to authenticated using (owner_id = auth.uid()) with check (owner_id = auth.uid());
create policy "Owners delete their items" on ${table} for delete to authenticated using (auth.uid() = owner_id);
`,
    );
  }
  const bodies = Array.from({ length: functions }, (_, i) => `create function public.item_count_${i}(p_owner uuid) returns bigint language sql stable
  as $$ select count(*) from public.workspace_items_${i % tables} where owner_id = p_owner $$;
revoke execute on function public.item_count_${i}(uuid) from anon, public;`);
  writeFileSync(join(project, MIGRATIONS, '20250101000000_item_counts.sql'), `${bodies.join('\n')}\n`);
  return project;
}
