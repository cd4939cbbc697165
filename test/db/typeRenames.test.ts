/**
 * Renames and schema moves of types, and DROP TYPE ... CASCADE, as PostgreSQL does them: the
 * replay fixture test/fixtures/replay/type_renames runs on the real server, and the catalog
 * introspected from it names the same types in the same places as the replayed one (columns,
 * composite attributes, domain base types, function arguments, results and keys, triggers).
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
import { getTestServer } from '../support/postgresServer';

const config = defaultConfig('supabase');
const fixture = join(__dirname, '..', 'fixtures', 'replay', 'type_renames');
const files = readdirSync(fixture)
  .filter((name) => name.endsWith('.sql'))
  .sort()
  .map((name) => ({ path: `supabase/migrations/${name}`, text: readFileSync(join(fixture, name), 'utf8') }));

/** Where the catalog names types: one line per column, attribute, domain, function and trigger of the project's schemas. */
function typeUses(catalog: Catalog): string[] {
  const project = (schema: string) => schema === 'public' || schema === 'finance' || schema === 'billing';
  const lines: string[] = [];
  for (const [qualified, table] of catalog.tables) {
    if (!project(table.schema)) continue;
    for (const column of table.columns.values()) lines.push(`column ${qualified}.${column.name} ${column.type}`);
    for (const trigger of table.triggers.values()) lines.push(`trigger ${qualified}/${trigger.name} ${trigger.function}`);
    lines.push(`indexes ${qualified} ${[...table.indexes.keys()].sort().join(',')}`);
  }
  for (const [qualified, type] of catalog.types) {
    if (!project(type.schema)) continue;
    const shape = type.kind === 'composite' ? (type.attributes ?? []).map((attribute) => `${attribute.name} ${attribute.type}`).join(', ') : type.baseType ?? '';
    lines.push(`type ${qualified} ${type.kind} ${shape}`);
  }
  for (const func of catalog.functions.values()) {
    if (!project(func.schema)) continue;
    const args = func.arguments.map((argument) => `${argument.mode} ${argument.name ?? ''} ${argument.type}`).join(', ');
    lines.push(`function ${func.key} (${args}) returns ${func.returns} security_definer=${func.securityDefiner} volatility=${func.volatility} comment=${func.comment}`);
  }
  return lines.sort();
}

describe('type renames, moves and drops on PostgreSQL', function () {
  this.timeout(120_000);

  it('names types where PostgreSQL names them after the migrations ran', async () => {
    await loadParser();
    const replayed = analyze({ files, config });
    assert.deepEqual(replayed.findings.filter((finding) => finding.rule === 'object_dropped_but_referenced').map((finding) => finding.message), []);
    const server = await getTestServer();
    const url = await server.createDatabase('pgreview_type_renames');
    for (const file of files) await server.runSql(url, file.text);
    const { catalog } = await introspectDatabase(resolveConnectionOptions({ url, env: {} }), { config });
    const database = typeUses(catalog);
    assert.deepEqual(typeUses(replayed.catalog), database);
    // What PostgreSQL made of it: the renamed domain under its columns, the re-keyed functions,
    // and DROP ... CASCADE took the columns, attribute, domain and functions of the dropped types.
    for (const line of [
      'column public.wallets.balance money_cents',
      'column public.bookings.status_history booking_state[]',
      'column public.payments.amount finance.positive_cents',
      'type public.invoice_line composite label text, amount money_cents, status booking_state',
      'type public.payout_info composite note text',
      'trigger public.payments/payments_touch finance.touch_payment()',
      'indexes public.wallets wallets_pkey',
    ]) assert.ok(database.includes(line), line);
    assert.deepEqual(database.filter((line) => /payout_(method|code)|legacy|payout_label|default_payouts|entry|ledger/i.test(line)), []);
    assert.ok(database.some((line) => line.startsWith('function public.snapshot_balance(finance.balance_snapshots) ') && line.includes('returns money_cents')));
  });
});
