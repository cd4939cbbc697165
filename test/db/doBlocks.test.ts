/**
 * DDL written out inside DO blocks (issue 11): Drizzle's exception-guarded foreign keys, policies
 * and tables created under IF NOT EXISTS, a function created in a block, and RLS enabled by an
 * EXECUTE loop. The replay fixture test/fixtures/replay/do_blocks runs on the real server, and the catalog introspected from it has the same objects as the
 * replayed one. Then the rules see what PostgreSQL has: the foreign key, the policy, RLS on.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { defaultConfig } from '../../src/core/config';
import { diffCatalogs } from '../../src/core/diff/diffCatalogs';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { getTestServer } from '../support/postgresServer';

const config = defaultConfig('supabase');
const fixture = join(__dirname, '..', 'fixtures', 'replay', 'do_blocks');
const files = readdirSync(fixture)
  .filter((name) => name.endsWith('.sql'))
  .sort()
  .map((name) => ({ path: `supabase/migrations/${name}`, text: readFileSync(join(fixture, name), 'utf8') }));

describe('DO blocks on PostgreSQL', function () {
  this.timeout(120_000);

  it('replays the DDL of DO blocks as PostgreSQL runs it, and the rules see it', async () => {
    await loadParser();
    const replayed = analyze({ files, config });
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_do_blocks');
    for (const file of files) await server.runSql(url, file.text);
    const { catalog } = await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config });
    const changes = diffCatalogs(replayed.catalog, catalog, { profile: 'supabase' });
    assert.deepEqual(changes.map((change) => `${change.status} ${change.key}`), []);

    const rules = replayed.findings.map((finding) => `${finding.rule} ${finding.object}`);
    assert.ok(rules.includes('unindexed_foreign_keys public.group_members.group_members_group_id_fk'), rules.join('\n'));
    assert.ok(!rules.some((rule) => rule.startsWith('rls_enabled_no_policy public.groups')), 'the guarded policy counts');
    assert.ok(!rules.some((rule) => rule.startsWith('rls_disabled_in_public')), 'the EXECUTE loop enabled RLS');
    assert.ok(rules.includes('rls_enabled_no_policy public.chat_messages'), rules.join('\n'));
    assert.deepEqual(rules.filter((rule) => rule.startsWith('dynamic_sql_not_replayed')).length, 1, 'only the EXECUTE block is not replayed');
  });
});
