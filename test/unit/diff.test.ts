/**
 * Diff fixtures: each folder of test/fixtures/diff holds `before.sql` (the database) and
 * `after.sql` (the migrations). Both are replayed into catalogs; `changes.txt` is the diff and
 * `migration.sql` the alignment SQL. Missing expected files are written on the first run, and
 * `UPDATE_EXPECT=1` rewrites them. Then the alignment SQL is replayed on top of `before.sql`, and
 * the diff against `after.sql` must be empty: the round trip, offline.
 *
 * The first line of after.sql may hold options: `-- diff: with-privileges allow-drops`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { Catalog } from '../../src/core/catalog/model';
import { defaultConfig } from '../../src/core/config';
import { diffCatalogs } from '../../src/core/diff/diffCatalogs';
import { renderAlignmentSql } from '../../src/core/diff/renderAlignmentSql';
import { describeChange, renderChangesJson, renderChangesMarkdown, renderChangesText } from '../../src/core/diff/renderChanges';
import type { Change } from '../../src/core/diff/change';
import { loadParser } from '../../src/core/sql/parser';

const FIXTURES = join(__dirname, '..', 'fixtures', 'diff');

function replay(path: string, text: string): Catalog {
  return analyze({ files: [{ path, text }], config: defaultConfig('supabase') }).catalog;
}

function diffOptions(afterSql: string) {
  const options = /^--\s*diff:(.*)$/m.exec(afterSql.split('\n')[0] ?? '')?.[1] ?? '';
  return { withPrivileges: options.includes('with-privileges'), allowDrops: options.includes('allow-drops') };
}

function changesText(changes: readonly Change[]): string {
  return changes.map((change) => `${describeChange(change)}${change.file ? `  (${change.file}:${change.line})` : ''}\n`).join('');
}

/** Compares text with the expected file, writing it when missing or when UPDATE_EXPECT=1. */
function expectFile(path: string, actual: string): void {
  if (!existsSync(path) || process.env.UPDATE_EXPECT === '1') {
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${path} differs (UPDATE_EXPECT=1 rewrites it)`);
}

/** The one function these tests call the engine through. */
function checkDiff(dir: string): void {
  const beforeSql = readFileSync(join(dir, 'before.sql'), 'utf8');
  const afterSql = readFileSync(join(dir, 'after.sql'), 'utf8');
  const options = diffOptions(afterSql);
  const database = replay('before.sql', beforeSql);
  const migrations = replay('after.sql', afterSql);
  const changes = diffCatalogs(migrations, database, { profile: 'supabase', withPrivileges: options.withPrivileges });
  expectFile(join(dir, 'changes.txt'), changesText(changes));
  const sql = renderAlignmentSql(changes, migrations, database, { allowDrops: options.allowDrops });
  expectFile(join(dir, 'migration.sql'), sql);

  const aligned = replay('before.sql', `${beforeSql}\n${sql}`);
  const remaining = diffCatalogs(migrations, aligned, { profile: 'supabase', withPrivileges: options.withPrivileges });
  const expectedRemaining = existsSync(join(dir, 'remaining.txt')) ? readFileSync(join(dir, 'remaining.txt'), 'utf8') : '';
  assert.equal(changesText(remaining), expectedRemaining, 'replaying migration.sql on before.sql leaves these differences (a FIXME in remaining.txt records known ones)');
}

describe('diff fixtures', () => {
  before(() => loadParser());
  for (const name of readdirSync(FIXTURES).sort()) {
    it(name, () => checkDiff(join(FIXTURES, name)));
  }
});

describe('diff renderers', () => {
  const changes: Change[] = [
    { status: 'missing_in_database', type: 'table', object: 'public.reviews', key: 'table:public.reviews', file: 'supabase/migrations/0003_reviews.sql', line: 4 },
    {
      status: 'changed', type: 'policy', object: 'public.bookings.Owners read bookings', key: 'policy:public.bookings/Owners read bookings',
      property: 'roles', migrations: ['authenticated'], database: ['public'], file: 'supabase/migrations/0002_bookings.sql', line: 17,
    },
    { status: 'extra_in_database', type: 'column', object: 'public.bookings.legacy_ref', key: 'column:public.bookings.legacy_ref' },
  ];

  it('renders the JSON contract: version 1, the contract fields only, a summary', () => {
    const json = JSON.parse(renderChangesJson(changes));
    assert.equal(json.version, 1);
    assert.deepEqual(json.changes[1], {
      status: 'changed', type: 'policy', object: 'public.bookings.Owners read bookings', property: 'roles',
      migrations: ['authenticated'], database: ['public'], file: 'supabase/migrations/0002_bookings.sql', line: 17,
    });
    assert.deepEqual(json.changes[2], { status: 'extra_in_database', type: 'column', object: 'public.bookings.legacy_ref' });
    assert.deepEqual(json.summary, { total: 3, missing_in_database: 1, extra_in_database: 1, changed: 1, byType: { table: 1, policy: 1, column: 1 } });
  });

  it('renders text with locations and a closing count', () => {
    assert.equal(
      renderChangesText(changes),
      [
        'supabase/migrations/0003_reviews.sql:4: missing_in_database table public.reviews',
        'supabase/migrations/0002_bookings.sql:17: changed policy public.bookings.Owners read bookings roles: migrations [authenticated], database [public]',
        'extra_in_database column public.bookings.legacy_ref',
        '3 differences: 1 missing in the database, 1 extra in the database, 1 changed.',
        '',
      ].join('\n'),
    );
    assert.equal(renderChangesText([]), 'No differences: the database matches the migrations.\n');
  });

  it('renders a Markdown table', () => {
    const markdown = renderChangesMarkdown(changes);
    assert.match(markdown, /^## Schema drift\n\n3 differences/);
    assert.match(markdown, /\| changed \| policy \| `public\.bookings\.Owners read bookings` \| `roles` \| `\[authenticated\]` \| `\[public\]` \| supabase\/migrations\/0002_bookings\.sql:17 \|/);
  });
});
