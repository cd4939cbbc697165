/**
 * Discovery finds each migration tool's layout and applies its order. Each layout has a tiny tree
 * under test/fixtures/discovery/<layout>/, listed by the file-system reader as the CLI lists it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareNatural } from '../../src/core/discovery/compareNatural';
import { discoverMigrations, type MigrationLayout } from '../../src/core/discovery/discoverMigrations';
import { createFileSystemProjectReader } from '../../src/node/fileSystemProjectReader';

const FIXTURES = join(__dirname, '..', 'fixtures', 'discovery');

function discoverFixture(layout: string) {
  const reader = createFileSystemProjectReader(join(FIXTURES, layout));
  return discoverMigrations(reader.listFiles(), undefined, (path) => reader.readFile(path));
}

describe('discoverMigrations', () => {
  const cases: { fixture: string; layout: MigrationLayout; paths: string[] }[] = [
    {
      fixture: 'supabase',
      layout: 'supabase',
      paths: [
        'supabase/migrations/20240101000000_init.sql',
        'supabase/migrations/20240102000000_vendors.sql',
        'supabase/migrations/20240110120000_bookings.sql',
      ],
    },
    {
      fixture: 'flyway',
      layout: 'flyway',
      paths: ['V1__init.sql', 'V1_1__profiles.sql', 'V1.2__vendors.sql', 'V1_10__bookings.sql', 'V2__payments.sql', 'R__a_functions.sql', 'R__views.sql'].map(
        (name) => `src/main/resources/db/migration/${name}`,
      ),
    },
    {
      fixture: 'golang-migrate',
      layout: 'golang-migrate',
      paths: ['migrations/1_init.up.sql', 'migrations/2_profiles.up.sql', 'migrations/10_bookings.up.sql'],
    },
    {
      fixture: 'dbmate',
      layout: 'dbmate',
      paths: ['db/migrations/20231231000000_profiles.sql', 'db/migrations/20240105000000_bookings.sql'],
    },
    {
      fixture: 'diesel',
      layout: 'diesel',
      paths: [
        'migrations/00000000000000_diesel_initial_setup/up.sql',
        'migrations/2024-01-01-000000_create_users/up.sql',
        'migrations/2024-01-02-000000_create_posts/up.sql',
      ],
    },
    {
      fixture: 'prisma',
      layout: 'prisma',
      paths: ['20240101090000_init', '20240110083000_vendors', '20240215120000_bookings'].map((folder) => `prisma/migrations/${folder}/migration.sql`),
    },
    {
      // In the order of meta/_journal.json; 0003, which it does not list, is never applied.
      fixture: 'drizzle',
      layout: 'drizzle',
      paths: ['drizzle/0000_black_widow.sql', 'drizzle/0001_silly_storm.sql', 'drizzle/0002_quiet_thor.sql'],
    },
    {
      fixture: 'atlas',
      layout: 'atlas',
      paths: ['20240301000000_posts.sql', '20240302000000_comments.sql', '20240303000000_comment_index.sql'].map((name) => `migrations/${name}`),
    },
    {
      // In plan order, not by name: the first group_members is the version reworked after @v1.0.
      fixture: 'sqitch',
      layout: 'sqitch',
      paths: ['deploy/profiles.sql', 'deploy/groups.sql', 'deploy/group_members@v1.0.sql', 'deploy/group_members.sql'],
    },
    {
      // Committed migrations by number (10 after 2), then the one being written.
      fixture: 'graphile-migrate',
      layout: 'graphile-migrate',
      paths: ['migrations/committed/000001.sql', 'migrations/committed/000002-chat-messages.sql', 'migrations/committed/000010.sql', 'migrations/current.sql'],
    },
    {
      fixture: 'numbered',
      layout: 'numbered',
      paths: ['sql/001_init.sql', 'sql/002_profiles.sql', 'sql/9_bookings.sql', 'sql/10_payments.sql'],
    },
  ];
  for (const { fixture, layout, paths } of cases) {
    it(`finds the ${layout} layout and orders it`, () => {
      const found = discoverFixture(fixture);
      assert.equal(found.layout, layout);
      assert.deepEqual(found.paths, paths);
    });
  }

  it('reports the Drizzle files its journal does not list, which drizzle-kit never applies', () => {
    assert.deepEqual(discoverFixture('drizzle').ignored.map((file) => file.path), ['drizzle/0003_draft_not_generated.sql']);
  });

  it('orders Drizzle files by number when the journal cannot be read, and Sqitch and Atlas files by name without their plan', () => {
    const drizzle = discoverMigrations(['drizzle/0010_b.sql', 'drizzle/0002_a.sql', 'drizzle/meta/_journal.json'], undefined, () => '{ not json');
    assert.deepEqual(drizzle.paths, ['drizzle/0002_a.sql', 'drizzle/0010_b.sql']);
    const sqitch = discoverMigrations(['sqitch.plan', 'deploy/b.sql', 'deploy/a.sql']);
    assert.deepEqual([sqitch.layout, ...sqitch.paths], ['sqitch', 'deploy/a.sql', 'deploy/b.sql']);
    const atlas = discoverMigrations(['db/atlas.sum', 'db/2_b.sql', 'db/1_a.sql']);
    assert.deepEqual([atlas.layout, ...atlas.paths], ['atlas', 'db/1_a.sql', 'db/2_b.sql']);
  });

  it('reports an Atlas file the sum does not list', () => {
    const found = discoverMigrations(['m/atlas.sum', 'm/1_a.sql', 'm/2_b.sql'], undefined, () => 'h1:x\n1_a.sql h1:y\n');
    assert.deepEqual(found.paths, ['m/1_a.sql']);
    assert.match(found.ignored[0].reason, /atlas migrate hash/);
  });

  it('never treats supabase/seed.sql as a migration, and reports files the Supabase CLI would skip', () => {
    const found = discoverFixture('supabase');
    assert.ok(!found.paths.some((path) => path.endsWith('seed.sql')));
    assert.deepEqual(found.ignored.map((entry) => entry.path), ['supabase/migrations/notes.sql']);
    assert.match(found.ignored[0].reason, /no version prefix/);
  });

  it('orders Supabase migrations by file name, as the Supabase CLI does, and says where that differs from their versions', () => {
    const found = discoverMigrations([
      'supabase/migrations/20250906_add_discounts.sql',
      'supabase/migrations/20250127000000_init.sql',
      'supabase/migrations/20250301120000_bookings.sql',
      'supabase/migrations/20251001090000_payments.sql',
    ]);
    assert.deepEqual(found.paths, [
      'supabase/migrations/20250127000000_init.sql',
      'supabase/migrations/20250301120000_bookings.sql',
      'supabase/migrations/20250906_add_discounts.sql',
      'supabase/migrations/20251001090000_payments.sql',
    ]);
    assert.deepEqual(found.reordered?.map((entry) => entry.path), ['supabase/migrations/20250906_add_discounts.sql']);
    assert.match(
      found.reordered![0].reason,
      /^20250906_add_discounts\.sql's version has 8 digits where 20250127000000_init\.sql's has 14: the Supabase CLI applies migrations in file-name order, so it runs after 20250127000000_init\.sql although its version 20250906 is smaller/,
    );
  });

  it('says nothing about the order when every Supabase version has the same length', () => {
    const found = discoverMigrations(['supabase/migrations/20240201000000_vendors.sql', 'supabase/migrations/20240101000000_profiles.sql']);
    assert.deepEqual(found.paths, ['supabase/migrations/20240101000000_profiles.sql', 'supabase/migrations/20240201000000_vendors.sql']);
    assert.deepEqual(found.reordered, []);
  });

  it('skips what the Supabase CLI skips: upper-case .SQL, and an old CLI\'s init migration when it is the folder\'s first entry', () => {
    const found = discoverMigrations([
      'supabase/migrations/20211130000000_init.sql',
      'supabase/migrations/20240101000000_profiles.SQL',
      'supabase/migrations/20240102000000_vendors.sql',
    ]);
    assert.deepEqual(found.paths, ['supabase/migrations/20240102000000_vendors.sql']);
    assert.deepEqual(found.ignored.map((entry) => entry.reason), [
      '20211130000000_init.sql is the folder\'s first file and an init migration of an old Supabase CLI, so the CLI skips it (rename it to apply it)',
      '20240101000000_profiles.SQL does not end in .sql (lower case), so the Supabase CLI skips it',
    ]);
    // Another entry sorts first (a .gitkeep): the CLI applies the init migration.
    assert.deepEqual(discoverMigrations(['supabase/migrations/.gitkeep', 'supabase/migrations/20211130000000_init.sql']).paths, ['supabase/migrations/20211130000000_init.sql']);
  });

  it('prefers the Supabase layout over other numbered folders in the same project', () => {
    const found = discoverMigrations(['scripts/001_backfill.sql', 'supabase/migrations/20240101000000_init.sql']);
    assert.equal(found.layout, 'supabase');
    assert.deepEqual(found.paths, ['supabase/migrations/20240101000000_init.sql']);
  });

  it('picks the shallowest folder when a layout appears more than once', () => {
    const found = discoverMigrations([
      'test/fixtures/app/supabase/migrations/20240101000000_fixture.sql',
      'supabase/migrations/20240201000000_real.sql',
    ]);
    assert.deepEqual(found.paths, ['supabase/migrations/20240201000000_real.sql']);
    assert.equal(found.directory, 'supabase/migrations');
  });

  it('lets pgreview.json globs override discovery, in natural order, still without seed.sql', () => {
    const paths = ['db/10_c.sql', 'db/2_b.sql', 'db/1_a.sql', 'db/notes.txt', 'supabase/seed.sql', 'supabase/migrations/20240101000000_init.sql'];
    const found = discoverMigrations(paths, ['db/*.sql', 'supabase/*.sql']);
    assert.equal(found.layout, 'globs');
    assert.deepEqual(found.paths, ['db/1_a.sql', 'db/2_b.sql', 'db/10_c.sql']);
  });

  it('replays pgreview.json globs in the order listed, each in its layout\'s order', () => {
    // A Supabase project whose views and functions live in database/, applied after the migrations.
    const paths = [
      'database/01_views.sql', 'database/02_functions.sql', 'database/10_grants.sql',
      'supabase/migrations/20240301000000_payments.sql', 'supabase/migrations/20240101000000_profiles.sql', 'supabase/migrations/20240201000000_bookings.sql',
    ];
    const found = discoverMigrations(paths, ['supabase/migrations/*.sql', 'database/*.sql']);
    assert.deepEqual(found.paths, [
      'supabase/migrations/20240101000000_profiles.sql', 'supabase/migrations/20240201000000_bookings.sql', 'supabase/migrations/20240301000000_payments.sql',
      'database/01_views.sql', 'database/02_functions.sql', 'database/10_grants.sql',
    ]);
    // A file that two globs match comes with the first; Flyway versions keep their numeric order.
    const flyway = discoverMigrations(['sql/V10__wallets.sql', 'sql/V2__groups.sql', 'sql/V1__profiles.sql', 'sql/R__views.sql', 'seed/demo.sql'], ['sql/V*.sql', 'sql/*.sql', 'seed/*.sql']);
    assert.deepEqual(flyway.paths, ['sql/V1__profiles.sql', 'sql/V2__groups.sql', 'sql/V10__wallets.sql', 'sql/R__views.sql', 'seed/demo.sql']);
  });

  it('finds nothing in a project without migrations', () => {
    const found = discoverMigrations(['README.md', 'src/index.ts', 'supabase/seed.sql']);
    assert.equal(found.layout, undefined);
    assert.deepEqual(found.paths, []);
  });

  it('accepts Windows separators', () => {
    const found = discoverMigrations(['supabase\\migrations\\20240101000000_init.sql']);
    assert.deepEqual(found.paths, ['supabase/migrations/20240101000000_init.sql']);
  });
});

describe('compareNatural', () => {
  it('compares digit runs as numbers', () => {
    assert.deepEqual(['V2', 'V1_10', 'V1_1', '10_x', '9_x'].sort(compareNatural), ['9_x', '10_x', 'V1_1', 'V1_10', 'V2']);
  });
});

describe('createFileSystemProjectReader', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pgreview-reader-'));
    for (const folder of ['node_modules/some-package/supabase/migrations', '.git/objects', 'supabase/migrations', 'supabase/.temp']) {
      mkdirSync(join(root, folder), { recursive: true });
    }
    writeFileSync(join(root, 'node_modules/some-package/supabase/migrations/20200101000000_x.sql'), 'select 1;');
    writeFileSync(join(root, '.git/objects/ab.sql'), 'select 1;');
    writeFileSync(join(root, 'supabase/.temp/cli-latest'), 'v2');
    writeFileSync(join(root, 'supabase/migrations/20240101000000_init.sql'), '\uFEFFcreate table t (id int);');
    // A link back to the root would loop forever if the reader followed links.
    symlinkSync(root, join(root, 'supabase/loop'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('skips node_modules, hidden folders and symbolic links', () => {
    assert.deepEqual(createFileSystemProjectReader(root).listFiles(), ['supabase/migrations/20240101000000_init.sql']);
  });

  it('reads text without the byte order mark, and says undefined for a missing file', () => {
    const reader = createFileSystemProjectReader(root);
    assert.equal(reader.readFile('supabase/migrations/20240101000000_init.sql'), 'create table t (id int);');
    assert.equal(reader.readFile('pgreview.json'), undefined);
    assert.equal(reader.sizeOf?.('pgreview.json'), undefined);
  });
});
