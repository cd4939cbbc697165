/**
 * The RLS simulator on the example project (trvl-social, with its seed: alice runs a vendor, bob is
 * a traveller): rows per identity, RLS errors, the rollback guarantee, the live database's
 * SELECT-only rule, and the same rows on PGlite and on a real PostgreSQL server.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { analyze } from '../../src/core/analyze';
import type { Catalog } from '../../src/core/catalog/model';
import { InputError } from '../../src/core/errors';
import { loadProject } from '../../src/core/project/loadProject';
import { loadParser } from '../../src/core/sql/parser';
import { resolveConnectionOptions } from '../../src/db/connection';
import { openShadowSession, type ShadowSession } from '../../src/db/shadowSession';
import { createFileSystemProjectReader } from '../../src/node/fileSystemProjectReader';
import { checkLiveSimulation, simulateOnDatabase, simulateOnPglite, type SimulationRequest } from '../../src/db/simulate';
import { applyProjectToServer } from '../support/applyProjectToServer';

const PROJECT_DIR = join(__dirname, '..', '..', 'examples', 'trvl-social');
const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const ALICE_BOOKING = 'cccccccc-0000-4000-8000-000000000001';
const BOB_BOOKING = 'cccccccc-0000-4000-8000-000000000002';

function loadExample() {
  const project = loadProject(createFileSystemProjectReader(PROJECT_DIR));
  const analysis = analyze({ files: project.files, config: project.config });
  const seed = { path: 'supabase/seed.sql', text: readFileSync(join(PROJECT_DIR, 'supabase', 'seed.sql'), 'utf8') };
  return { analysis, config: project.config, seed };
}

const asAlice = (sql: string): SimulationRequest => ({ role: 'authenticated', claims: { sub: ALICE, email: 'alice@example.com' }, sql });
const asBob = (sql: string): SimulationRequest => ({ role: 'authenticated', claims: { sub: BOB, email: 'bob@example.com' }, sql });

describe('RLS simulator', function () {
  this.timeout(300_000);
  let session: ShadowSession;
  let catalog: Catalog;

  before(async () => {
    await loadParser();
    const { analysis, config, seed } = loadExample();
    catalog = analysis.catalog;
    session = await openShadowSession(analysis.files, { config, seed });
    assert.deepEqual(session.findings.map((finding) => finding.message), []);
  });

  after(async () => {
    await session?.close();
  });

  describe('on the PGlite shadow with the seed', () => {
    it('shows each identity the rows its policies allow, and which policies applied', async () => {
      const sql = 'select id, user_id, status, total_amount from public.bookings order by id';
      const bob = await simulateOnPglite(session.db, asBob(sql), catalog);
      assert.equal(bob.error, undefined);
      assert.deepEqual(bob.rows, [{ id: BOB_BOOKING, user_id: BOB, status: 'pending', total_amount: '250.00' }]);
      assert.equal(bob.rowCount, 1);
      assert.deepEqual(bob.columns, ['id', 'user_id', 'status', 'total_amount']);
      assert.deepEqual(bob.policies.map((applied) => `${applied.table} ${applied.command} ${applied.cell.access}`), ['public.bookings select filtered']);
      assert.deepEqual(bob.policies[0].cell.policies.map((policy) => policy.name), ['Travellers and vendors can view bookings']);
      assert.equal(bob.claims.role, 'authenticated');

      // Alice runs the vendor of the adventure both booked, so she sees both bookings.
      const alice = await simulateOnPglite(session.db, asAlice(sql), catalog);
      assert.deepEqual(alice.rows.map((row) => row.id), [ALICE_BOOKING, BOB_BOOKING]);

      const anon = await simulateOnPglite(session.db, { role: 'anon', sql }, catalog);
      assert.equal(anon.rowCount, 0);
      assert.deepEqual(anon.policies.map((applied) => applied.cell.access), ['blocked']);
    });

    it('reports the error RLS raises for a row the policies refuse', async () => {
      const result = await simulateOnPglite(
        session.db,
        asBob(`insert into public.bookings (user_id, adventure_id, status, participants, starts_at, total_amount)
               values ('${ALICE}', 'bbbbbbbb-0000-4000-8000-000000000001', 'pending', 1, now(), 250)`),
        catalog,
      );
      assert.equal(result.kind, 'insert');
      assert.equal(result.error?.code, '42501');
      assert.match(result.error?.message ?? '', /new row violates row-level security policy for table "bookings"/);
      assert.deepEqual(result.policies.map((applied) => `${applied.command} ${applied.cell.access}`), ['insert filtered']);
    });

    it('reads the legacy request.jwt.claim.sub as well as request.jwt.claims', async () => {
      const result = await simulateOnPglite(
        session.db,
        asBob("select auth.uid() as uid, auth.role() as role, current_setting('request.jwt.claim.sub') as legacy_sub, current_user as who"),
      );
      assert.deepEqual(result.rows, [{ uid: BOB, role: 'authenticated', legacy_sub: BOB, who: 'authenticated' }]);
    });

    it('rolls back every INSERT, UPDATE and DELETE: the data is the same afterwards', async () => {
      const fingerprint = async () => {
        const result = await session.db.query<{ bookings: string; wallets: string; profiles: string }>(`select
          (select md5(coalesce(string_agg(b::text, ',' order by b.id), '')) from public.bookings b) as bookings,
          (select md5(coalesce(string_agg(w::text, ',' order by w.user_id), '')) from public.wallets w) as wallets,
          (select md5(coalesce(string_agg(p::text, ',' order by p.id), '')) from public.profiles p) as profiles`);
        return result.rows[0];
      };
      const before = await fingerprint();
      const insert = await simulateOnPglite(
        session.db,
        asBob(`insert into public.bookings (user_id, adventure_id, status, participants, starts_at, total_amount)
               values ('${BOB}', 'bbbbbbbb-0000-4000-8000-000000000001', 'pending', 3, now(), 750) returning status, participants`),
        catalog,
      );
      assert.equal(insert.error, undefined);
      assert.deepEqual(insert.rows, [{ status: 'pending', participants: '3' }]);
      const update = await simulateOnPglite(session.db, asBob("update public.profiles set home_city = 'Paris' where id = auth.uid()"), catalog);
      assert.equal(update.error, undefined);
      assert.equal(update.rowCount, 1);
      const serviceDelete = await simulateOnPglite(session.db, { role: 'service_role', sql: 'delete from public.wallets' }, catalog);
      assert.equal(serviceDelete.error, undefined);
      assert.equal(serviceDelete.rowCount, 2);
      assert.deepEqual(await fingerprint(), before);
      const outsideTransaction = await session.db.query<{ role: string; claims: string | null }>(
        "select current_user as role, nullif(current_setting('request.jwt.claims', true), '') as claims",
      );
      assert.deepEqual(outsideTransaction.rows, [{ role: 'postgres', claims: null }]);
    });

    it("gives bob 0 rows when he updates alice's profile", async () => {
      const result = await simulateOnPglite(session.db, asBob(`update public.profiles set home_city = 'Paris' where id = '${ALICE}'`), catalog);
      assert.equal(result.error, undefined);
      assert.equal(result.rowCount, 0);
    });

    it('refuses several statements, SQL that does not parse, statements that leave the transaction or the role, and unknown roles', async () => {
      await assert.rejects(simulateOnPglite(session.db, asBob('select 1; select 2')), (error: Error) => error instanceof InputError && /2 statements/.test(error.message));
      await assert.rejects(simulateOnPglite(session.db, asBob('selec 1')), (error: Error) => error instanceof InputError && /syntax error/.test(error.message));
      for (const sql of ['commit', 'reset role', "set role 'postgres'", 'discard all']) {
        await assert.rejects(simulateOnPglite(session.db, asBob(sql)), (error: Error) => error instanceof InputError && /transaction control, SET, RESET and DISCARD/.test(error.message), sql);
      }
      await assert.rejects(simulateOnPglite(session.db, { role: 'no_such_role', sql: 'select 1' }), (error: Error) => error instanceof InputError && /cannot act as role "no_such_role"/.test(error.message));
    });
  });

  describe('on a live database', () => {
    it('refuses anything but a plain SELECT, before connecting, with a clear message', async () => {
      // Port 9 on loopback has no server: a refusal must come before any connection attempt.
      const nowhere = resolveConnectionOptions({ url: 'postgresql://postgres@127.0.0.1:9/postgres', env: {} });
      const refused: [string, RegExp][] = [
        ["update public.bookings set status = 'cancelled'", /it is an UPDATE, not a SELECT/],
        ['delete from public.bookings', /it is a DELETE, not a SELECT/],
        ["insert into public.bookings (status) values ('x')", /it is an INSERT, not a SELECT/],
        ['create table public.t (id int)', /it is a CREATE statement, not a SELECT/],
        ['select * from public.bookings for update', /FOR UPDATE\/SHARE locks rows/],
        ['select * into public.copy from public.bookings', /SELECT \.\.\. INTO creates a table/],
        ['with gone as (delete from public.bookings returning *) select * from gone', /its WITH clause modifies data/],
      ];
      for (const [sql, reason] of refused) {
        await assert.rejects(simulateOnDatabase(nowhere, asAlice(sql)), (error: Error) => {
          assert.ok(error instanceof InputError, `${sql}: ${error.message}`);
          assert.match(error.message, /On a live database, only a plain SELECT may run/);
          assert.match(error.message, reason);
          return true;
        });
      }
      assert.equal(checkLiveSimulation('select * from public.bookings where user_id = auth.uid()').kind, 'select');
    });

    it('gives the same rows on PGlite and on PostgreSQL, and runs in a READ ONLY transaction', async () => {
      const url = await applyProjectToServer(PROJECT_DIR, 'pgreview_simulate');
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query("create function public.add_category() returns int language sql as $$ insert into public.adventure_categories (slug, label) values ('x', 'X') returning 1 $$");
      await client.end();
      const connection = resolveConnectionOptions({ url, env: {} });
      const queries: SimulationRequest[] = [
        asAlice('select id, user_id, status, total_amount, starts_at from public.bookings order by id'),
        asBob('select id, user_id, status, total_amount, starts_at from public.bookings order by id'),
        asBob('select id, username, home_city, preferred_currency from public.profiles order by id'),
        { role: 'anon', sql: 'select id, title, price_per_person, status from public.adventures order by id' },
        asAlice('select user_id, balance from public.wallets order by user_id'),
      ];
      for (const request of queries) {
        const onPglite = await simulateOnPglite(session.db, request, catalog);
        const onServer = await simulateOnDatabase(connection, request, catalog);
        assert.equal(onServer.error, undefined, onServer.error?.message);
        assert.deepEqual(onServer.columns, onPglite.columns, request.sql);
        assert.deepEqual(onServer.rows, onPglite.rows, `${request.role} ${request.claims?.sub ?? ''}: ${request.sql}`);
        assert.ok(onServer.rowCount > 0, request.sql);
      }
      // A SELECT that calls a function that writes is refused by the function's volatility, before it runs.
      await assert.rejects(
        simulateOnDatabase(connection, { role: 'postgres', sql: 'select public.add_category()' }),
        (error: Error) => error instanceof InputError && /calls public\.add_category \(public\.add_category, VOLATILE\)/.test(error.message),
      );
      const readOnly = await simulateOnDatabase(connection, { role: 'postgres', sql: "select current_setting('transaction_read_only') as read_only" });
      assert.deepEqual(readOnly.rows, [{ read_only: 'on' }]);
    });
  });
});
