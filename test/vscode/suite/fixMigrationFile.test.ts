import * as assert from 'assert';
import { nextMigrationTimestamp } from '../../../src/core/project/fixMigrationFile';

suite('fix migration names', () => {
  test('a new migration is named with the current UTC time', () => {
    assert.strictEqual(nextMigrationTimestamp(new Date(Date.UTC(2026, 10, 22, 1, 2, 3)), '20240103000000'), '20261122010203');
    assert.strictEqual(nextMigrationTimestamp(new Date(Date.UTC(2026, 10, 22, 1, 2, 3)), undefined), '20261122010203');
  });

  test('it sorts after a latest migration dated in the future, one second later', () => {
    assert.strictEqual(nextMigrationTimestamp(new Date(Date.UTC(2026, 0, 1)), '20301231235959'), '20310101000000');
    assert.strictEqual(nextMigrationTimestamp(new Date(Date.UTC(2026, 10, 22, 1, 2, 3)), '20261122010203'), '20261122010204');
  });
});
