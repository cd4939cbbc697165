import assert from 'node:assert/strict';
import { discoverMigrations } from '../../src/core/discovery/discoverMigrations';
import { nextMigrationPath, nextMigrationTimestamp, renderNewMigrationText } from '../../src/core/discovery/nextMigrationPath';

const NOW = new Date(Date.UTC(2026, 10, 22, 1, 2, 3));

/** The path of the next migration of a project with these files, as discovery sees them. */
function nextOf(paths: string[], taken = 0): string {
  return nextMigrationPath(discoverMigrations(paths), 'fixes', NOW, taken);
}

describe('nextMigrationPath', () => {
  it('names a new migration with the current UTC time', () => {
    assert.equal(nextMigrationTimestamp(NOW, '20240103000000'), '20261122010203');
    assert.equal(nextMigrationTimestamp(NOW, undefined), '20261122010203');
  });

  it('sorts after a latest migration dated in the future, one second later', () => {
    assert.equal(nextMigrationTimestamp(new Date(Date.UTC(2026, 0, 1)), '20301231235959'), '20310101000000');
    assert.equal(nextMigrationTimestamp(NOW, '20261122010203'), '20261122010204');
  });

  it('follows each layout, after every existing migration', () => {
    const cases: [string[], string][] = [
      [['supabase/migrations/20240101000000_init.sql', 'supabase/migrations/20240102000000_bookings.sql'], 'supabase/migrations/20261122010203_pgreview_fixes.sql'],
      [['db/migrations/20240101000000_init.sql'], 'db/migrations/20261122010203_pgreview_fixes.sql'],
      [['sql/V1__init.sql', 'sql/V1.1__bookings.sql', 'sql/V2__vendors.sql'], 'sql/V3__pgreview_fixes.sql'],
      [['migrations/000001_init.up.sql', 'migrations/000001_init.down.sql', 'migrations/000002_bookings.up.sql'], 'migrations/000003_pgreview_fixes.up.sql'],
      [['migrations/20240101000000_init.up.sql'], 'migrations/20261122010203_pgreview_fixes.up.sql'],
      [['migrations/2024-01-01-000000_init/up.sql', 'migrations/2024-01-01-000000_init/down.sql'], 'migrations/2026-11-22-010203_pgreview_fixes/up.sql'],
      [['schema/001_init.sql', 'schema/009_bookings.sql'], 'schema/010_pgreview_fixes.sql'],
      [[], 'supabase/migrations/20261122010203_pgreview_fixes.sql'],
    ];
    for (const [paths, expected] of cases) assert.equal(nextOf(paths), expected, paths.join(', '));
  });

  it('moves one version on for each candidate a caller found taken', () => {
    assert.equal(nextOf(['supabase/migrations/20240101000000_init.sql'], 2), 'supabase/migrations/20261122010205_pgreview_fixes.sql');
    assert.equal(nextOf(['sql/V1__init.sql'], 1), 'sql/V3__pgreview_fixes.sql');
  });

  it('starts a dbmate migration with its up marker', () => {
    assert.equal(renderNewMigrationText('dbmate', 'Fixes', 'select 1;').split('\n')[0], '-- migrate:up');
    assert.equal(renderNewMigrationText('supabase', 'Fixes', 'select 1;').split('\n')[0], '-- Fixes');
  });
});
