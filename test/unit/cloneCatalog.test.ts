/**
 * cloneCatalog copies the catalog model by hand, so a field added to the model without a line in
 * cloneCatalog.ts would be shared between the checkpoint and the replay that mutates the copy.
 * These tests replay every replay fixture and the example project and check that the copy equals
 * the original and shares no mutable object with it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { cloneCatalog, cloneCatalogForReplay, settleCatalog } from '../../src/core/catalog/cloneCatalog';
import { defaultConfig } from '../../src/core/config';
import { loadParser } from '../../src/core/sql/parser';

const fixturesDir = join(__dirname, '..', 'fixtures', 'replay');
const exampleDir = join(__dirname, '..', '..', 'examples', 'trvl-social', 'supabase', 'migrations');

/** Fields that hold immutable values, which the copy shares on purpose: parse trees and source spans. */
const IMMUTABLE_FIELDS = new Set(['ast', 'definedAt', 'changedAt', 'rlsChangedAt', 'writtenAt', 'clauseAt', 'span']);
/** Fields that hold an Expression: the replay replaces an Expression and never edits one. */
const EXPRESSION_FIELDS = new Set(['default', 'generated', 'check', 'where', 'expression', 'using', 'withCheck', 'when', 'definition']);

/** Every object reachable from `value` that the replay could mutate in place. */
function mutableObjects(value: unknown, found = new Set<object>()): Set<object> {
  if (value === null || typeof value !== 'object' || found.has(value)) return found;
  found.add(value);
  if (value instanceof Map) {
    for (const item of value.values()) mutableObjects(item, found);
  } else if (value instanceof Set || Array.isArray(value)) {
    for (const item of value) mutableObjects(item, found);
  } else {
    for (const [key, item] of Object.entries(value)) {
      if (IMMUTABLE_FIELDS.has(key)) continue;
      // A function argument's `default` is text; other `default` fields are Expressions.
      if (EXPRESSION_FIELDS.has(key) && item !== null && typeof item === 'object' && 'ast' in item) continue;
      mutableObjects(item, found);
    }
  }
  return found;
}

function readMigrations(dir: string): { path: string; text: string }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ path: name, text: readFileSync(join(dir, name), 'utf8') }));
}

describe('cloneCatalog', () => {
  before(() => loadParser());

  const projects = [
    ...readdirSync(fixturesDir).map((name) => ({ name, dir: join(fixturesDir, name) })),
    { name: 'examples/trvl-social', dir: exampleDir },
  ];
  for (const project of projects) {
    it(`copies the catalog of ${project.name} without sharing anything mutable`, () => {
      const { catalog } = analyze({ files: readMigrations(project.dir), config: defaultConfig('supabase') });
      const copy = cloneCatalog(catalog);
      assert.deepStrictEqual(copy, catalog);
      const originals = mutableObjects(catalog);
      const shared = [...mutableObjects(copy)].filter((object) => originals.has(object));
      assert.deepEqual(shared, []);
    });
  }

  it('copies each column and shares its clause span, which the replay only ever replaces', () => {
    const { catalog } = analyze({ files: readMigrations(exampleDir), config: defaultConfig('supabase') });
    const column = catalog.tables.get('public.bookings')!.columns.get('user_id')!;
    assert.ok(column.clauseAt, 'a column from CREATE TABLE has its clause');
    const copy = cloneCatalog(catalog).tables.get('public.bookings')!.columns.get('user_id')!;
    assert.notEqual(copy, column);
    assert.equal(copy.clauseAt, column.clauseAt);
  });

  it('copies a table for a replay only when the replay first reads it, and shares the rest once settled', () => {
    const { catalog } = analyze({ files: readMigrations(exampleDir), config: defaultConfig('supabase') });
    const copy = cloneCatalogForReplay(catalog);
    const profiles = copy.tables.get('public.profiles')!;
    assert.notEqual(profiles, catalog.tables.get('public.profiles'));
    assert.deepStrictEqual(profiles, catalog.tables.get('public.profiles'));
    assert.equal(copy.tables.get('public.profiles'), profiles, 'a second read gives the same copy');
    assert.ok(copy.tables.has('public.reviews'));
    settleCatalog(copy);
    assert.equal(copy.tables.constructor, Map);
    assert.equal(copy.tables.get('public.profiles'), profiles);
    assert.equal(copy.tables.get('public.reviews'), catalog.tables.get('public.reviews'), 'a table never read is shared');

    const iterated = cloneCatalogForReplay(catalog);
    const tables = [...iterated.tables.values()];
    assert.ok(tables.every((table) => table !== catalog.tables.get(`${table.schema}.${table.name}`)), 'iterating copies every table');
    settleCatalog(iterated);
    assert.deepStrictEqual(iterated, catalog);
    const originals = mutableObjects(catalog);
    assert.deepEqual([...mutableObjects(iterated)].filter((object) => originals.has(object)), []);
  });
});
