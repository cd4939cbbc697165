/**
 * The four report formats over one realistic result: a Supabase migration with a syntax error in
 * the middle, a table whose RLS has no policy, and a finding with a fix (built by hand, so this
 * test does not depend on which rules exist yet).
 */
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/finding';
import { renderCodeQuality, type CodeQualityIssue } from '../../src/core/report/renderCodeQuality';
import { buildJsonReport, renderJson } from '../../src/core/report/renderJson';
import { renderMarkdown } from '../../src/core/report/renderMarkdown';
import { buildSarifLog, renderSarif, SARIF_SCHEMA_URL } from '../../src/core/report/renderSarif';
import { MAX_MESSAGE_LENGTH } from '../../src/core/report/printableMessage';
import { renderText } from '../../src/core/report/renderText';
import type { ReportInput } from '../../src/core/report/summarizeReport';
import { allRules } from '../../src/core/rules';
import { loadParser } from '../../src/core/sql/parser';
import { analyzeSql } from '../support/ruleTester';

const MIGRATION = `create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text
);
alter table public.profiles enable row level security;
create policy "Profiles are readable by everyone" on public.profiles for select using (true);

create tabel public.broken (id int);

create table public.bookings (id uuid primary key, user_id uuid not null);
alter table public.bookings enable row level security;
`;

describe('reports', () => {
  let report: ReportInput;
  let fixFinding: Finding;
  before(async () => {
    await loadParser();
    const analysis = analyzeSql(MIGRATION);
    const file = 'supabase/migrations/0001_test.sql';
    const fixStart = MIGRATION.indexOf('using (true)');
    fixFinding = {
      rule: 'rls_enabled_no_policy',
      level: 'warning',
      category: 'security',
      message: 'Policy <Profiles are readable by everyone> uses `true`',
      object: 'public.profiles.Profiles are readable by everyone',
      objectKey: 'policy:public.profiles/Profiles are readable by everyone',
      key: 'rls_enabled_no_policy:policy:public.profiles/Profiles are readable by everyone',
      span: { file, start: fixStart, end: fixStart + 12, line: 6, column: 80, endLine: 6, endColumn: 92 },
      fix: { title: 'Limit the policy to signed-in users', sql: 'alter policy "Profiles are readable by everyone" on public.profiles to authenticated;\n', edit: { file, start: fixStart, end: fixStart + 12, text: 'using ((select auth.uid()) is not null)' } },
    };
    report = {
      findings: [...analysis.findings.filter((finding) => ['syntax_error', 'rls_enabled_no_policy'].includes(finding.rule)), fixFinding],
      files: 1,
      statements: analysis.files[0].statements.length,
    };
  });

  it('text: one `path:line:col: level rule: message` line per finding, then the summary', () => {
    const lines = renderText(report, (file) => `project/${file}`).trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 3), [
      'project/supabase/migrations/0001_test.sql:8:8: error syntax_error: Syntax error at or near "tabel"',
      'project/supabase/migrations/0001_test.sql:11:1: info rls_enabled_no_policy: Table public.bookings has RLS enabled but no policies: every request through the API is denied.',
      'project/supabase/migrations/0001_test.sql:6:80: warning rls_enabled_no_policy: Policy <Profiles are readable by everyone> uses `true`',
    ]);
    assert.equal(lines[3], '');
    assert.equal(lines[4], '1 error, 1 warning, 1 info in 1 migration file (5 statements)');
  });

  it('json: version 1, findings with 1-based places relative to the project, and a summary', () => {
    const json = JSON.parse(renderJson(report));
    assert.deepEqual(json, buildJsonReport(report));
    assert.equal(json.version, 1);
    assert.deepEqual(json.findings[0], {
      rule: 'syntax_error',
      level: 'error',
      category: 'correctness',
      message: 'Syntax error at or near "tabel"',
      object: json.findings[0].object,
      file: 'supabase/migrations/0001_test.sql',
      line: 8,
      column: 8,
      endLine: json.findings[0].endLine,
      endColumn: json.findings[0].endColumn,
    });
    assert.deepEqual(json.findings[1].object, 'public.bookings');
    assert.deepEqual(json.findings[2].fix, { title: 'Limit the policy to signed-in users', sql: fixFinding.fix?.sql });
    assert.deepEqual(json.summary, { byLevel: { error: 1, warning: 1, info: 1 }, byRule: { rls_enabled_no_policy: 2, syntax_error: 1 }, files: 1, statements: 5 });
    for (const { line, column, endLine, endColumn } of json.findings) {
      assert.ok(line !== null && column !== null && endLine !== null && endColumn !== null, 'every finding has a place');
      assert.ok(line >= 1 && column >= 1 && endLine >= line && endColumn >= 1);
    }
  });

  it('sarif: a valid 2.1.0 log whose rules cover every result, each result with a 1-based region', () => {
    const docs = new Map([['rls_enabled_no_policy', '# rls_enabled_no_policy\n\nThe doc.\n']]);
    const log = JSON.parse(renderSarif(report, { rules: allRules, docs, toolVersion: '0.1.0' }));
    assert.deepEqual(log, JSON.parse(JSON.stringify(buildSarifLog(report, { rules: allRules, docs, toolVersion: '0.1.0' }))));
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, SARIF_SCHEMA_URL);
    assert.equal(log.runs.length, 1);
    const { driver } = log.runs[0].tool;
    assert.equal(driver.name, 'pgreview');
    assert.equal(driver.version, '0.1.0');
    const ruleIds: string[] = driver.rules.map((rule: { id: string }) => rule.id);
    assert.equal(new Set(ruleIds).size, ruleIds.length, 'rule ids are unique');
    for (const rule of driver.rules) {
      assert.match(rule.helpUri, /^https:\/\/.*\/docs\/rules\/\w+\.md$/);
      assert.ok(rule.help.text.length > 0 && rule.shortDescription.text && rule.fullDescription.text);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.equal(driver.rules[ruleIds.indexOf('rls_enabled_no_policy')].help.markdown, docs.get('rls_enabled_no_policy'));
    const results = log.runs[0].results;
    assert.equal(results.length, 3);
    for (const result of results) {
      assert.ok(ruleIds.includes(result.ruleId), `rule ${result.ruleId} is described`);
      assert.equal(ruleIds[result.ruleIndex], result.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(result.level));
      assert.ok(result.message.text);
      const region = result.locations[0].physicalLocation.region;
      assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'supabase/migrations/0001_test.sql');
      for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(Number.isInteger(region[key]) && region[key] >= 1, key);
    }
    assert.deepEqual(results.map((result: { level: string }) => result.level), ['error', 'note', 'warning']);
    assert.deepEqual(results[2].fixes[0].artifactChanges[0].replacements[0], {
      deletedRegion: { charOffset: MIGRATION.indexOf('using (true)'), charLength: 12 },
      insertedContent: { text: 'using ((select auth.uid()) is not null)' },
    });
  });

  it('codequality: GitLab Code Quality issues with a severity, a stable fingerprint and 1-based lines', () => {
    const issues = JSON.parse(renderCodeQuality(report, (file) => `project/${file}`)) as CodeQualityIssue[];
    assert.equal(issues.length, report.findings.length);
    const syntax = issues.find((issue) => issue.check_name === 'syntax_error')!;
    assert.deepEqual(syntax.location, { path: 'project/supabase/migrations/0001_test.sql', lines: { begin: 8, end: 8 } });
    assert.equal(syntax.severity, 'critical');
    assert.ok(issues.every((issue) => /^[0-9a-f]{16}$/.test(issue.fingerprint)));
    assert.equal(new Set(issues.map((issue) => issue.fingerprint)).size, issues.length, 'fingerprints are unique');
    // The same finding a few lines further down keeps its fingerprint.
    const moved = { ...report, findings: report.findings.map((finding) => (finding.span ? { ...finding, span: { ...finding.span, line: finding.span.line + 3 } } : finding)) };
    const movedIssues = JSON.parse(renderCodeQuality(moved, (file) => `project/${file}`)) as CodeQualityIssue[];
    assert.deepEqual(movedIssues.map((issue) => issue.fingerprint), issues.map((issue) => issue.fingerprint));
  });

  it('markdown: counts, then one section per table, worst first, with fix SQL in a code block', () => {
    const markdown = renderMarkdown(report);
    assert.match(markdown, /^## pgreview schema review\n\n\*\*1 error, 1 warning, 1 info in 1 migration file \(5 statements\)\*\*\n/);
    assert.match(markdown, /\| `rls_enabled_no_policy` \| warning \| 2 \|/);
    const sections = [...markdown.matchAll(/^### (.*)$/gm)].map((match) => match[1]);
    assert.deepEqual(sections, ['File `supabase/migrations/0001_test.sql`', 'Table `public.profiles`', 'Table `public.bookings`']);
    const profiles = markdown.split('### Table `public.profiles`')[1].split('###')[0];
    assert.match(profiles, /- \*\*warning\*\* `rls_enabled_no_policy`: Policy &lt;Profiles are readable by everyone&gt; uses `true` \(`supabase\/migrations\/0001_test.sql:6`\)/);
    assert.match(profiles, /```sql\n  alter policy "Profiles are readable by everyone" on public.profiles to authenticated;\n  ```/);
    const bookings = markdown.split('### Table `public.bookings`')[1];
    assert.match(bookings, /<details><summary>Suggestion: Add an owner policy to public.bookings<\/summary>\n\n  ```sql\n  create policy "Owners can read their rows" on public.bookings\n/);
  });

  it('markdown: leaves out sections beyond maxLength and says how many findings are missing', () => {
    const markdown = renderMarkdown(report, { maxLength: 450 });
    assert.ok(markdown.length < 600);
    assert.ok(markdown.includes('### File `supabase/migrations/0001_test.sql`'));
    assert.ok(!markdown.includes('### Table `public.bookings`'));
    assert.match(markdown, /_2 more findings are not shown, to keep this comment short: run `pgreview check` for the full list._\n$/);
  });

  it('markdown: says so when there is nothing to report', () => {
    assert.equal(renderMarkdown({ findings: [], files: 3, statements: 40 }), '## pgreview schema review\n\n**0 errors, 0 warnings, 0 info in 3 migration files (40 statements)**\n\nNo findings.\n');
  });

  it('every format shows a message on one line, escaped and cut to MAX_MESSAGE_LENGTH', () => {
    // PostgreSQL quotes the rest of the file after an unterminated string: here, 5,000 lines.
    const text = `select 'abc\n${'insert into public.profiles values (1);\n'.repeat(5000)}`;
    const syntax = analyzeSql(text).findings.find((finding) => finding.rule === 'syntax_error');
    assert.ok(syntax && syntax.message.length > 100_000 && syntax.message.includes('\n'));
    const escape: Finding = { ...syntax, message: 'Column \u001b[31mred\u001b[0m\r\nand \u202eevil\u2028' };
    const long: ReportInput = { findings: [syntax, escape], files: 1, statements: 1 };
    const lines = renderText(long).split('\n');
    assert.equal(lines.length, 5);
    assert.ok(lines[0].length < MAX_MESSAGE_LENGTH + 200, `${lines[0].length}`);
    assert.match(lines[0], /^supabase\/migrations\/0001_test\.sql:1:8: error syntax_error: unterminated quoted string at or near "'abc\\ninsert into public\.profiles values \(1\);\\ninsert .*… \(\d+ more characters\)$/);
    assert.equal(lines[1], 'supabase/migrations/0001_test.sql:1:8: error syntax_error: Column \\u001b[31mred\\u001b[0m\\r\\nand \\u202eevil\\u2028');
    const shown = [
      buildJsonReport(long).findings.map((finding) => finding.message),
      buildSarifLog(long, { rules: allRules, docs: new Map(), toolVersion: '0.0.0' }).runs[0].results.map((result) => result.message.text),
    ];
    for (const messages of shown) assert.deepEqual(messages, lines.slice(0, 2).map((line) => line.replace(/^.*? syntax_error: /, '')));
    const markdown = renderMarkdown(long).split('\n').filter((line) => line.includes('`syntax_error`: '));
    assert.equal(markdown.length, 2);
    assert.ok(markdown.every((line) => line.length < MAX_MESSAGE_LENGTH + 200));
  });
});
