/** Replay fixtures: one test per folder of test/fixtures/replay (see test/support/checkReplay.ts). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadParser } from '../../src/core/sql/parser';
import { checkReplay } from '../support/checkReplay';

const fixtures = join(__dirname, '..', 'fixtures', 'replay');

describe('replay fixtures', () => {
  before(() => loadParser());
  for (const name of readdirSync(fixtures, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()) {
    it(name, () => checkReplay(join(fixtures, name)));
  }
});
