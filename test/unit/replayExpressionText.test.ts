/**
 * The replay cuts an expression's text out of its statement only when the text is first read
 * (SourceExpression). Whenever it is read (before or after a copy of the catalog, through
 * serialization, by a rule's fix), it must be the text as written.
 */
import assert from 'node:assert/strict';
import { analyze } from '../../src/core/analyze';
import { cloneCatalog, cloneCatalogForReplay, settleCatalog } from '../../src/core/catalog/cloneCatalog';
import type { Catalog, Expression } from '../../src/core/catalog/model';
import { renderCatalog } from '../../src/core/catalog/renderCatalog';
import { SourceExpression } from '../../src/core/catalog/replay/expressions';
import { serializeCatalog } from '../../src/core/catalog/serializeCatalog';
import { defaultConfig } from '../../src/core/config';
import { loadParser } from '../../src/core/sql/parser';

const MIGRATION = `
create table public.notes (
  id bigint generated always as identity primary key,
  owner_id uuid not null default auth.uid() references auth.users (id),
  title text not null default 'untitled' check (length(title) < 200),
  slug text generated always as (lower(title)) stored,
  -- a comment inside the statement
  created_at timestamptz default now() not null,
  constraint title_not_blank check (title <> '')
);
alter table public.notes enable row level security;
create policy "Owners read" on public.notes for select to authenticated using (owner_id = (select auth.uid()));
create policy "Owners insert" on public.notes for insert to authenticated with check ( owner_id = auth.uid() );
create policy "Owners update" on public.notes for update to authenticated using (owner_id = /* me */ auth.uid() or owner_id is null);
create index notes_lower_title_idx on public.notes (lower(title) text_pattern_ops, (created_at::date)) where title is not null;
create view public.recent_notes as select id, title from public.notes where created_at > now() - interval '1 day';
create function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger notes_touch before update on public.notes for each row when (old.title is distinct from new.title) execute function public.touch();
alter table public.notes add column archived boolean not null default false, add column body text default '';
alter policy "Owners read" on public.notes using (owner_id = auth.uid() and not archived);
`;

/** Every expression's text as written in MIGRATION, by where it sits in the catalog. */
const EXPECTED: Record<string, string> = {
  'default owner_id': 'auth.uid()',
  'default title': "'untitled'",
  'generated slug': 'lower(title)',
  'default created_at': 'now()',
  'check notes_title_check': 'length(title) < 200',
  'check title_not_blank': "title <> ''",
  'default archived': 'false',
  'default body': "''",
  'using Owners read': 'owner_id = auth.uid() and not archived',
  'withCheck Owners insert': 'owner_id = auth.uid()',
  'using Owners update': 'owner_id = /* me */ auth.uid() or owner_id is null',
  'key notes_lower_title_idx 0': 'lower(title)',
  'key notes_lower_title_idx 1': 'created_at::date',
  'where notes_lower_title_idx': 'title is not null',
  'definition recent_notes': "select id, title from public.notes where created_at > now() - interval '1 day'",
  'when notes_touch': 'old.title is distinct from new.title',
};

function replay(): Catalog {
  return analyze({ files: [{ path: 'supabase/migrations/1_notes.sql', text: MIGRATION }], config: defaultConfig('supabase') }).catalog;
}

/** The expressions of the test migration, found where EXPECTED says they are. */
function expressions(catalog: Catalog): Map<string, Expression | undefined> {
  const table = catalog.tables.get('public.notes')!;
  const found = new Map<string, Expression | undefined>();
  for (const column of table.columns.values()) {
    if (column.default) found.set(`default ${column.name}`, column.default);
    if (column.generated) found.set(`generated ${column.name}`, column.generated);
  }
  for (const constraint of table.constraints.values()) if (constraint.check) found.set(`check ${constraint.name}`, constraint.check);
  for (const policy of table.policies.values()) {
    if (policy.using) found.set(`using ${policy.name}`, policy.using);
    if (policy.withCheck) found.set(`withCheck ${policy.name}`, policy.withCheck);
  }
  for (const index of table.indexes.values()) {
    index.keys.forEach((key, position) => key.expression && found.set(`key ${index.name} ${position}`, key.expression));
    if (index.where) found.set(`where ${index.name}`, index.where);
  }
  for (const trigger of table.triggers.values()) if (trigger.when) found.set(`when ${trigger.name}`, trigger.when);
  found.set('definition recent_notes', catalog.views.get('public.recent_notes')?.definition);
  return found;
}

function texts(catalog: Catalog): Record<string, string | undefined> {
  return Object.fromEntries([...expressions(catalog)].map(([where, expression]) => [where, expression?.text]));
}

describe('expression text cut on first read', () => {
  before(() => loadParser());

  it('replays expressions as SourceExpressions that hold their parse trees', () => {
    const found = expressions(replay());
    assert.deepEqual([...found.keys()].sort(), Object.keys(EXPECTED).sort());
    for (const expression of found.values()) {
      assert.ok(expression instanceof SourceExpression, 'replayed expressions are SourceExpressions');
      assert.ok(expression.ast, 'the parse tree is there before any read');
    }
  });

  it('reads the text as written', () => {
    assert.deepEqual(texts(replay()), EXPECTED);
  });

  it('reads the same text before and after a copy of the catalog', () => {
    const readFirst = replay();
    assert.deepEqual(texts(readFirst), EXPECTED);
    assert.deepEqual(texts(cloneCatalog(readFirst)), EXPECTED);

    const copiedFirst = replay();
    const copy = cloneCatalog(copiedFirst);
    assert.deepEqual(texts(copy), EXPECTED);
    assert.deepEqual(texts(copiedFirst), EXPECTED);

    const replayCopy = cloneCatalogForReplay(replay());
    settleCatalog(replayCopy);
    assert.deepEqual(texts(replayCopy), EXPECTED);
  });

  it('serializes the text', () => {
    const serialized = serializeCatalog(replay());
    const table = serialized.tables.find((found) => found.name === 'notes')!;
    assert.equal(table.policies.find((policy) => policy.name === 'Owners read')?.using, EXPECTED['using Owners read']);
    assert.equal(table.columns.find((column) => column.name === 'owner_id')?.default, EXPECTED['default owner_id']);
    assert.equal(serialized.views.find((view) => view.name === 'recent_notes')?.definition, EXPECTED['definition recent_notes']);

    const using = replay().tables.get('public.notes')!.policies.get('Owners read')!.using!;
    const json = JSON.parse(JSON.stringify(using)) as { text: string; ast: unknown };
    assert.equal(json.text, EXPECTED['using Owners read']);
    assert.ok(json.ast);
    assert.equal({ ...using }.text, undefined, 'a spread copies own fields only: text is an accessor');
  });

  it('renders the catalog with the texts as written', () => {
    const rendered = renderCatalog(replay());
    assert.match(rendered, /using \(owner_id = auth\.uid\(\) and not archived\)/);
    assert.match(rendered, /default 'untitled'/);
  });

  it('gives a rule\'s fix the text of a clause never read before', () => {
    const analysis = analyze({ files: [{ path: 'supabase/migrations/1_notes.sql', text: MIGRATION }], config: defaultConfig('supabase') });
    const finding = analysis.findings.find((candidate) => candidate.rule === 'update_policy_without_with_check');
    assert.ok(finding, 'the UPDATE policy without WITH CHECK is reported');
    const sql = [finding.fix?.sql ?? '', ...(finding.suggestions ?? []).map((suggestion) => suggestion.sql)].join('\n');
    assert.match(sql, /with check \(owner_id = \/\* me \*\/ auth\.uid\(\) or owner_id is null\);/);
  });

  it('keeps a text assigned to it', () => {
    const using = replay().tables.get('public.notes')!.policies.get('Owners read')!.using!;
    using.text = 'true';
    assert.equal(using.text, 'true');
  });
});
