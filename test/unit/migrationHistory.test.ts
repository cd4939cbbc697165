/**
 * Matching a runner's history table with the migration files (pure): versions as each runner reads
 * them, Flyway's checksum, the Supabase CLI's recorded statements, entries whose file is missing.
 */
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { flywayChecksum } from '../../src/core/history/flywayChecksum';
import { matchMigrationHistory, migrationVersion, pendingFromHistory, type HistoryMatch, type MigrationHistory } from '../../src/core/history/matchMigrationHistory';
import { historySectionOf, renderHistorySectionMarkdown, renderHistorySectionText } from '../../src/core/history/historySection';
import { createCatalog } from '../../src/core/catalog/model';
import type { Finding } from '../../src/core/finding';
import { describeRowCount, scaleByRowEstimates } from '../../src/core/safety/scaleByRowEstimates';

/** `status path` per file, then `missing version` per entry without a file. */
function statuses(match: HistoryMatch): string[] {
  return [...match.files.map((file) => `${file.status} ${file.path}`), ...match.missing.map((entry) => `missing ${entry.version ?? entry.name}`)];
}

describe('flywayChecksum', () => {
  it('is java.util.zip.CRC32 over the lines without their endings, as a signed int', () => {
    // CRC-32's check value: crc32("123456789") = 0xCBF43926, which Java stores as an int.
    assert.equal(flywayChecksum('123456789'), 0xcbf43926 | 0);
    assert.equal(flywayChecksum('create table a (id int);'), crc32('create table a (id int);') | 0);
    const lines = 'create table a (id int);\ncreate table b (id int);\n';
    assert.equal(flywayChecksum(lines), crc32('create table a (id int);create table b (id int);') | 0);
  });

  it('ignores line endings, a final line break and a byte-order mark', () => {
    const unix = 'create table a (id int);\n-- é\ncreate table b (id int);';
    assert.equal(flywayChecksum(unix.replace(/\n/g, '\r\n')), flywayChecksum(unix));
    assert.equal(flywayChecksum(`${unix}\n`), flywayChecksum(unix));
    assert.equal(flywayChecksum(`\uFEFF${unix}`), flywayChecksum(unix));
    assert.notEqual(flywayChecksum(unix.replace('a (', 'a  (')), flywayChecksum(unix));
  });
});

describe('migrationVersion', () => {
  const cases: [Parameters<typeof migrationVersion>[0], string, string | undefined][] = [
    ['supabase', 'supabase/migrations/20240101000000_init.sql', '20240101000000'],
    ['supabase', 'supabase/migrations/20240101_short.sql', '20240101'],
    ['flyway', 'db/migration/V1__init.sql', '1'],
    ['flyway', 'db/migration/V1_1__x.sql', '1.1'],
    ['flyway', 'db/migration/V1.01.0__x.sql', '1.1'],
    ['flyway', 'db/migration/R__views.sql', undefined],
    ['golang-migrate', 'migrations/000012_bookings.up.sql', '12'],
    ['dbmate', 'db/migrations/20240101000000_init.sql', '20240101000000'],
    ['diesel', 'migrations/2024-01-01-000000_create_bookings/up.sql', '20240101000000'],
    ['diesel', 'migrations/00000000000000_diesel_initial_setup/up.sql', '0'],
  ];
  for (const [runner, path, version] of cases) {
    it(`${runner}: ${path} → ${version}`, () => assert.equal(migrationVersion(runner, path), version));
  }
});

describe('matchMigrationHistory', () => {
  it('Supabase: applied, changed (statements differ), pending, and a missing file', () => {
    const files = [
      { path: 'supabase/migrations/20240101000000_init.sql', text: '-- vendors\ncreate table public.vendors (id bigint primary key);\n' },
      { path: 'supabase/migrations/20240102000000_bookings.sql', text: 'create table public.bookings (id bigint primary key, note text);' },
      { path: 'supabase/migrations/20240103000000_index.sql', text: 'create index on public.bookings (note);' },
      { path: 'supabase/migrations/20240104000000_old_cli.sql', text: 'select 1;' },
    ];
    const history: MigrationHistory = {
      runner: 'supabase',
      table: 'supabase_migrations.schema_migrations',
      entries: [
        // Whitespace, comments and semicolons are not changes.
        { version: '20240101000000', name: 'init', statements: ['create table public.vendors (\n  id bigint primary key\n)'] },
        { version: '20240102000000', name: 'bookings', statements: ['create table public.bookings (id bigint primary key)'] },
        // An old CLI recorded no statements: applied, nothing to compare.
        { version: '20240104000000', name: 'old_cli' },
        { version: '20231231000000', name: 'hotfix', statements: ['select 1'] },
      ],
    };
    const match = matchMigrationHistory(history, files);
    assert.deepEqual(statuses(match), [
      'applied supabase/migrations/20240101000000_init.sql',
      'changed supabase/migrations/20240102000000_bookings.sql',
      'pending supabase/migrations/20240103000000_index.sql',
      'applied supabase/migrations/20240104000000_old_cli.sql',
      'missing 20231231000000',
    ]);
    assert.deepEqual(pendingFromHistory(match), { paths: new Set(['supabase/migrations/20240103000000_index.sql']), source: 'not listed in supabase_migrations.schema_migrations' });
  });

  it('Flyway: checksums, versions compared as numbers, failed runs, repeatables and the baseline', () => {
    const init = 'create table vendors (id bigint primary key);\n';
    const views = 'create or replace view v as select 1;\n';
    const files = [
      { path: 'sql/V1__old.sql', text: 'select 0;' },
      { path: 'sql/V2__init.sql', text: init },
      { path: 'sql/V2_1__bookings.sql', text: 'create table bookings (id bigint);' },
      { path: 'sql/V3__failed.sql', text: 'select 3;' },
      { path: 'sql/V4__new.sql', text: 'select 4;' },
      { path: 'sql/R__views.sql', text: views },
      { path: 'sql/R__functions.sql', text: 'select 5;' },
    ];
    const history: MigrationHistory = {
      runner: 'flyway',
      table: 'flyway_schema_history',
      entries: [
        { version: '1', name: '<< Flyway Baseline >>', type: 'BASELINE' },
        // Flyway stores 2.1 for V2_1; 2.01 is the same version.
        { version: '2', name: 'V2__init.sql', checksum: flywayChecksum(init.replace(/\n/g, '\r\n')), type: 'SQL' },
        { version: '2.01', name: 'V2_1__bookings.sql', checksum: flywayChecksum('create table bookings (id int);'), type: 'SQL' },
        { version: '3', name: 'V3__failed.sql', checksum: flywayChecksum('select 3;'), success: false, type: 'SQL' },
        { name: 'R__views.sql', checksum: flywayChecksum(views), type: 'SQL' },
        { name: 'R__functions.sql', checksum: flywayChecksum('select 4;'), type: 'SQL' },
        { version: '1.5', name: 'V1_5__gone.sql', checksum: 1, type: 'SQL' },
      ],
    };
    const match = matchMigrationHistory(history, files);
    assert.deepEqual(statuses(match), [
      'applied sql/V1__old.sql',
      'applied sql/V2__init.sql',
      'changed sql/V2_1__bookings.sql',
      'pending sql/V3__failed.sql',
      'pending sql/V4__new.sql',
      'applied sql/R__views.sql',
      'pending sql/R__functions.sql',
      'missing 1.5',
    ]);
    assert.match(match.files[2].note ?? '', /checksum -?\d+ differs from -?\d+/);
    assert.match(match.files[3].note ?? '', /failed/);
  });

  it('golang-migrate: every file up to the current version is applied; a dirty version says so', () => {
    const files = ['000001_init.up.sql', '000002_bookings.up.sql', '000010_index.up.sql'].map((name) => ({ path: `migrations/${name}`, text: 'select 1;' }));
    const clean = matchMigrationHistory({ runner: 'golang-migrate', table: 'schema_migrations', entries: [{ version: '2' }] }, files);
    assert.deepEqual(statuses(clean), ['applied migrations/000001_init.up.sql', 'applied migrations/000002_bookings.up.sql', 'pending migrations/000010_index.up.sql']);
    const dirty = matchMigrationHistory({ runner: 'golang-migrate', table: 'schema_migrations', entries: [{ version: '2', success: false }] }, files);
    assert.match(dirty.files[1].note ?? '', /dirty/);
    const ahead = matchMigrationHistory({ runner: 'golang-migrate', table: 'schema_migrations', entries: [{ version: '11' }] }, files);
    assert.deepEqual(statuses(ahead).slice(-1), ['missing 11']);
  });

  it('dbmate and diesel: versions from the file or folder name', () => {
    const dbmate = matchMigrationHistory({ runner: 'dbmate', table: 'schema_migrations', entries: [{ version: '20240101000000' }, { version: '20240301000000' }] }, [
      { path: 'db/migrations/20240101000000_init.sql', text: '' },
      { path: 'db/migrations/20240201000000_bookings.sql', text: '' },
    ]);
    assert.deepEqual(statuses(dbmate), ['applied db/migrations/20240101000000_init.sql', 'pending db/migrations/20240201000000_bookings.sql', 'missing 20240301000000']);
    const diesel = matchMigrationHistory({ runner: 'diesel', table: '__diesel_schema_migrations', entries: [{ version: '20240101000000' }] }, [
      { path: 'migrations/2024-01-01-000000_init/up.sql', text: '' },
      { path: 'migrations/2024-02-01-000000_bookings/up.sql', text: '' },
    ]);
    assert.deepEqual(statuses(diesel), ['applied migrations/2024-01-01-000000_init/up.sql', 'pending migrations/2024-02-01-000000_bookings/up.sql']);
  });
});

describe('the history section of diff', () => {
  const history: MigrationHistory = { runner: 'dbmate', table: 'public.schema_migrations', entries: [{ version: '20240101000000' }, { version: '20240201000000' }] };
  const files = [
    { path: 'db/migrations/20240101000000_init.sql', text: 'select 1;' },
    { path: 'db/migrations/20240201000000_bookings.sql', text: 'select 2;' },
  ];

  it('is empty when every file is applied as it stands', () => {
    const section = historySectionOf(matchMigrationHistory(history, files));
    assert.equal(renderHistorySectionText(section), '');
    assert.equal(renderHistorySectionMarkdown(section), '');
  });

  it('names files as the rest of the output does', () => {
    const section = historySectionOf(matchMigrationHistory(history, [...files, { path: 'db/migrations/20240301000000_reviews.sql', text: 'select 3;' }]), (file) => `project/${file}`);
    assert.equal(renderHistorySectionText(section), 'Migration history (public.schema_migrations): 1 pending, 0 changed after applied, 0 applied but file missing\n  pending  project/db/migrations/20240301000000_reviews.sql\n');
  });
});

describe('scaleByRowEstimates', () => {
  const safety = (object: string): Finding => ({
    rule: 'create_index_non_concurrently',
    level: 'warning',
    category: 'safety',
    message: `CREATE INDEX on ${object} takes a SHARE lock.`,
    object,
    objectKey: `index:${object}/x`,
    key: `create_index_non_concurrently:index:${object}/x`,
  });

  it('lowers a safety finding on a small table to info, keeps a large one, and says how many rows', () => {
    const live = createCatalog('database');
    const table = (name: string, estimatedRows?: number, liveRows?: number) =>
      ({ schema: 'public', name, statistics: { estimatedRows, liveRows } }) as unknown as Parameters<typeof live.tables.set>[1];
    live.tables.set('public.small', table('small', 340));
    live.tables.set('public.large', table('large', 2_140_000));
    live.tables.set('public.never_analysed', table('never_analysed', undefined, 12_000));
    live.tables.set('public.unknown', table('unknown'));
    const other: Finding = { ...safety('public.small'), category: 'performance', rule: 'unindexed_foreign_keys' };
    const scaled = scaleByRowEstimates([safety('public.small'), safety('public.large'), safety('public.never_analysed'), safety('public.unknown'), safety('public.new'), other], live);
    assert.deepEqual(
      scaled.map((finding) => `${finding.level}: ${finding.message}`),
      [
        'info: CREATE INDEX on public.small takes a SHARE lock. public.small holds ~340 rows in the database, under 10,000: reported as info, not warning.',
        'warning: CREATE INDEX on public.large takes a SHARE lock. public.large holds ~2.1 M rows in the database.',
        'warning: CREATE INDEX on public.never_analysed takes a SHARE lock. public.never_analysed holds ~12 k rows in the database.',
        'warning: CREATE INDEX on public.unknown takes a SHARE lock.',
        'warning: CREATE INDEX on public.new takes a SHARE lock.',
        'warning: CREATE INDEX on public.small takes a SHARE lock.',
      ],
    );
  });

  it('sums the partitions of a partitioned table, which holds no rows itself', () => {
    const live = createCatalog('database');
    const table = (name: string, fields: object) => ({ schema: 'public', name, kind: 'table', ...fields }) as unknown as Parameters<typeof live.tables.set>[1];
    live.tables.set('public.events', table('events', { kind: 'partitioned', statistics: { estimatedRows: undefined, liveRows: 0 } }));
    live.tables.set('public.events_2024', table('events_2024', { partitionOf: 'public.events', statistics: { estimatedRows: 6_000 } }));
    live.tables.set('public.events_2025', table('events_2025', { partitionOf: 'public.events', statistics: { estimatedRows: 7_000 } }));
    const [scaled] = scaleByRowEstimates([safety('public.events')], live);
    assert.equal(scaled.level, 'warning');
    assert.match(scaled.message, /public\.events holds ~13 k rows in the database\.$/);
  });

  it('rounds row counts as estimates', () => {
    assert.deepEqual([0, 1, 999, 1000, 12_345, 999_000, 2_140_000, 3_000_000_000].map(describeRowCount), [
      '~0 rows',
      '~1 row',
      '~999 rows',
      '~1 k rows',
      '~12 k rows',
      '~999 k rows',
      '~2.1 M rows',
      '~3 B rows',
    ]);
  });
});
