/**
 * What every editor's code actions write, from core: ignore comments that really silence the
 * finding once applied, and the names of fix migrations.
 */
import assert from 'node:assert/strict';
import { analyze, type MigrationFile } from '../../src/core/analyze';
import { defaultConfig } from '../../src/core/config';
import type { Finding, TextEdit } from '../../src/core/finding';
import { loadParser } from '../../src/core/sql/parser';
import { ignoreFileComment, ignoreStatementComment } from '../../src/core/suppression';

const PATH = 'supabase/migrations/20240301000000_notes.sql';

function review(text: string): { findings: Finding[]; file: ReturnType<typeof analyze>['files'][number] } {
  const files: MigrationFile[] = [{ path: PATH, text }];
  const analysis = analyze({ files, config: defaultConfig('supabase') });
  return { findings: analysis.findings, file: analysis.files[0] };
}

function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

const rlsOff = (findings: Finding[], table: string) => findings.find((finding) => finding.rule === 'rls_disabled_in_public' && finding.object === table);

describe('editor actions from core', () => {
  before(() => loadParser());

  it('writes an ignore comment above the statement that silences its finding, keeping the indentation', () => {
    const text = 'create schema app;\n\n  create table public.notes (\n    id bigint primary key\n  );\n';
    const { findings, file } = review(text);
    const finding = rlsOff(findings, 'public.notes');
    assert.ok(finding);
    const ignore = ignoreStatementComment(file, finding, findings);
    assert.ok(ignore);
    assert.equal(ignore.title, 'Ignore rls_disabled_in_public for this statement');
    const edited = applyEdit(text, ignore.edit);
    assert.equal(edited, 'create schema app;\n\n  -- pgreview-ignore rls_disabled_in_public\n  create table public.notes (\n    id bigint primary key\n  );\n');
    assert.equal(rlsOff(review(edited).findings, 'public.notes'), undefined);
  });

  it('adds the rule to an ignore comment already above the statement', () => {
    const text = '-- pgreview-ignore no_primary_key\ncreate table public.notes (body text);\n';
    const { findings, file } = review(text);
    const finding = rlsOff(findings, 'public.notes');
    assert.ok(finding);
    const edited = applyEdit(text, ignoreStatementComment(file, finding, findings)!.edit);
    assert.equal(edited.split('\n')[0], '-- pgreview-ignore no_primary_key, rls_disabled_in_public');
    assert.equal(rlsOff(review(edited).findings, 'public.notes'), undefined);
  });

  it('writes an ignore-file comment on the first line, or adds the rule to the one there', () => {
    const text = 'create table public.notes (id bigint primary key);\ncreate table public.tags (id bigint primary key);\n';
    const { findings, file } = review(text);
    const ignore = ignoreFileComment(file, 'rls_disabled_in_public');
    assert.equal(ignore.title, 'Ignore rls_disabled_in_public in this file');
    const edited = applyEdit(text, ignore.edit);
    assert.ok(findings.some((finding) => finding.rule === 'rls_disabled_in_public'));
    assert.ok(!review(edited).findings.some((finding) => finding.rule === 'rls_disabled_in_public'));

    const withComment = '-- pgreview-ignore-file no_primary_key\ncreate table public.notes (body text);\n';
    const again = applyEdit(withComment, ignoreFileComment(review(withComment).file, 'rls_disabled_in_public').edit);
    assert.equal(again.split('\n')[0], '-- pgreview-ignore-file no_primary_key, rls_disabled_in_public');
  });
});
