/**
 * DROP without CASCADE of an object others depend on, and DROP ... CASCADE, as PostgreSQL does
 * them: the replay fixture test/fixtures/replay/drop_dependents runs on the real server. Each
 * refused drop fails there with "cannot drop ... because other objects depend on it" and changes
 * nothing, and the replay reports the same statements; the cascades then take the same triggers,
 * views, foreign keys, functions and types as the replay's.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { Catalog } from '../../src/core/catalog/model';
import { defaultConfig } from '../../src/core/config';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { introspectDatabase } from '../../src/db/introspect';
import { getTestServer, type TestServer } from '../support/postgresServer';

const config = defaultConfig('supabase');
const fixture = join(__dirname, '..', 'fixtures', 'replay', 'drop_dependents');
const files = readdirSync(fixture)
  .filter((name) => name.endsWith('.sql'))
  .sort()
  .map((name) => ({ path: `supabase/migrations/${name}`, text: readFileSync(join(fixture, name), 'utf8') }));
const REFUSED = 'supabase/migrations/20240102000000_refused_drops.sql';

/** The public schema's tables with columns, foreign keys, triggers and policies, views, functions and types, one line each. */
function publicObjects(catalog: Catalog): string[] {
  const lines: string[] = [];
  for (const [qualified, table] of catalog.tables) {
    if (table.schema !== 'public') continue;
    for (const column of table.columns.values()) lines.push(`column ${qualified}.${column.name} ${column.type}`);
    for (const constraint of table.constraints.values()) if (constraint.references) lines.push(`foreign key ${qualified}/${constraint.name} ${constraint.references.table}`);
    for (const trigger of table.triggers.values()) lines.push(`trigger ${qualified}/${trigger.name} ${trigger.function}`);
    for (const policy of table.policies.values()) lines.push(`policy ${qualified}/${policy.name}`);
  }
  for (const view of catalog.views.values()) if (view.schema === 'public') lines.push(`view public.${view.name}`);
  for (const func of catalog.functions.values()) if (func.schema === 'public') lines.push(`function ${func.key}`);
  for (const type of catalog.types.values()) if (type.schema === 'public') lines.push(`type public.${type.name} ${type.kind}`);
  return lines.sort();
}

/**
 * Runs SQL of one statement a line, each alone, as a migration would stop at the first failure,
 * and returns the errors as `<line> <message>`.
 */
async function refusedLines(server: TestServer, url: string, sql: string): Promise<string[]> {
  const refusals: string[] = [];
  for (const [index, line] of sql.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      await server.runSql(url, line);
    } catch (error) {
      refusals.push(`${index + 1} ${(error as Error).message}`);
    }
  }
  return refusals;
}

describe('DROP with and without CASCADE on PostgreSQL', function () {
  this.timeout(120_000);

  it('refuses the drops the replay reports, and cascades as the replay does', async () => {
    await loadParser();
    const replayed = analyze({ files, config });
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_drop_dependents');
    const refusals: string[] = [];
    for (const file of files) {
      if (file.path !== REFUSED) {
        if (refusals.length > 0) {
          // Before the cascades: the refused drops left everything in place, on both sides.
          const before = await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config });
          assert.deepEqual(publicObjects(analyze({ files: files.slice(0, 2), config }).catalog), publicObjects(before.catalog));
          for (const line of ['trigger public.bookings/bookings_touch public.touch_updated_at()', 'policy public.payments/Guests read their payments', 'function public.my_bookings()', 'view public.unpaid_bookings']) {
            assert.ok(publicObjects(before.catalog).includes(line), line);
          }
          assert.ok(!publicObjects(before.catalog).some((line) => line.includes('chat_kind')));
        }
        await server.runSql(url, file.text);
        continue;
      }
      refusals.push(...(await refusedLines(server, url, file.text)));
    }
    assert.deepEqual(refusals, [
      '1 cannot drop type booking_status because other objects depend on it',
      '2 cannot drop type positive_cents because other objects depend on it',
      '3 cannot drop table bookings because other objects depend on it',
      '4 cannot drop table wallets because other objects depend on it',
      '5 cannot drop view booking_totals because other objects depend on it',
      '6 cannot drop function touch_updated_at() because other objects depend on it',
    ]);
    const reported = replayed.findings
      .filter((finding) => finding.rule === 'object_dropped_but_referenced')
      .map((finding) => `${finding.span?.line} ${finding.object}`);
    assert.deepEqual(reported, ['1 public.booking_status', '2 public.positive_cents', '3 public.bookings', '4 public.wallets', '5 public.booking_totals', '6 public.touch_updated_at()']);
    const { catalog } = await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config });
    const database = publicObjects(catalog);
    assert.deepEqual(publicObjects(replayed.catalog), database);
    // What PostgreSQL kept: the cascades took the triggers, the views, the foreign keys into
    // bookings and wallets, the policy reading bookings, and the functions over bookings and booking_status.
    assert.deepEqual(database, [
      'column public.chat_messages.body text',
      'column public.chat_messages.booking_id uuid',
      'column public.chat_messages.id bigint',
      'column public.chat_messages.updated_at timestamp with time zone',
      'column public.payments.amount positive_cents',
      'column public.payments.booking_id uuid',
      'column public.payments.id uuid',
      'column public.payments.wallet_id uuid',
      'column public.payouts.amount positive_cents',
      'column public.payouts.id uuid',
      'column public.payouts.wallet_id uuid',
      'type public.positive_cents domain',
    ]);
  });

  it('finds what depends on a partition, for a refused DROP and for CASCADE alike', async () => {
    await loadParser();
    const applied = `create type public.event_kind as enum ('view', 'book');
create table public.events (id bigint, at date not null, kind public.event_kind) partition by range (at);
create table public.events_2024 partition of public.events for values from ('2024-01-01') to ('2025-01-01');
create view public.events_2024_kinds as select kind from public.events_2024;
create table public.archive (id bigint);
create table public.archive_2023 () inherits (public.archive);`;
    // One statement a line, in the order a migration would meet them.
    const drops = ['drop table public.events;', 'drop type public.event_kind;', 'drop table public.archive;', 'drop table public.events cascade;', 'drop table public.archive cascade;'];
    const migrations = [
      { path: 'supabase/migrations/20240101000000_events.sql', text: applied },
      { path: 'supabase/migrations/20240102000000_drops.sql', text: drops.join('\n') },
    ];
    const replayed = analyze({ files: migrations, config });
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_drop_partitions');
    await server.runSql(url, applied);
    assert.deepEqual(await refusedLines(server, url, drops.join('\n')), [
      '1 cannot drop table events because other objects depend on it',
      '2 cannot drop type event_kind because other objects depend on it',
      '3 cannot drop table archive because other objects depend on it',
    ]);
    const reported = replayed.findings.filter((finding) => finding.rule === 'object_dropped_but_referenced').map((finding) => `${finding.span?.line} ${finding.message}`);
    assert.equal(reported.length, 3, reported.join('\n'));
    assert.match(reported[0], /^1 .*drops table public\.events without CASCADE while view public\.events_2024_kinds still depends on it/);
    assert.match(reported[1], /^2 .*column public\.events\.kind and column public\.events_2024\.kind still depend on it/);
    assert.match(reported[2], /^3 .*drops table public\.archive without CASCADE while table public\.archive_2023 still depends on it/);
    const { catalog } = await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config });
    assert.deepEqual(publicObjects(replayed.catalog), publicObjects(catalog));
    assert.deepEqual(publicObjects(catalog), ['type public.event_kind enum']);
  });
});
