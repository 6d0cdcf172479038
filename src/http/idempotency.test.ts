import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { LedgerRefusal } from '../ledger/model.ts';
import { programmeAccounts } from '../ledger/test-accounts.ts';
import { transfer } from '../ledger/transfer.ts';
import { verifyLedger } from '../ledger/verify-ledger.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { idempotent, keyedId, purgeIdempotencyKeys } from './idempotency.ts';
import { conflict, errorHandler, unauthorized } from './problem.ts';

/**
 * The Idempotency-Key machinery on a test-only money route: POST /pay spends from a budget into a
 * provider's account, its transfer id derived from the caller's key. The caller is named by a test
 * header here, where a real route has authenticated it.
 */
for (const backend of testBackends()) {
  describe(`Idempotency-Key (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let accounts: Awaited<ReturnType<typeof programmeAccounts>>;
    let runs = 0;
    let gate: Promise<void> | undefined;

    before(async () => {
      database = await createTestDatabase(backend);
      accounts = await programmeAccounts(database.db, 10_000);
      app = Fastify();
      app.setErrorHandler(errorHandler);
      app.post<{ Body: { amount: number; fail?: boolean } }>(
        '/pay',
        {
          schema: { body: { type: 'object', required: ['amount'], properties: { amount: { type: 'integer' }, fail: { type: 'boolean' } }, additionalProperties: false } },
          onRequest: async (request) => {
            if (!request.headers['x-caller']) throw unauthorized('who are you');
          },
          ...idempotent({ callerOf: (request) => String(request.headers['x-caller']), db: () => database.db }),
        },
        async (request, reply) => {
          runs++;
          await gate;
          if (request.body.fail) throw new Error('the handler broke');
          try {
            const { transfer: t } = await transfer(database.db, {
              id: keyedId(request, 'pay'),
              kind: 'single',
              debitAccountId: accounts.budget.id,
              creditAccountId: accounts.provider.id,
              amount: request.body.amount,
            });
            return reply.code(201).send({ transfer: t.id, amount: t.amount, at: t.createdAt.toISOString(), run: runs });
          } catch (error) {
            if (error instanceof LedgerRefusal) throw conflict('ledger-refused', 'The ledger refused the transfer', error.refusal);
            throw error;
          }
        },
      );
      await app.ready();
    });
    after(async () => {
      await app.close();
      await database.close();
    });

    const pay = (key: string | undefined, body: object, caller = 'client:a') =>
      app.inject({ method: 'POST', url: '/pay', headers: { 'x-caller': caller, ...(key === undefined ? {} : { 'idempotency-key': key }) }, payload: body });

    test('the same key and request: the same answer, the money moved once', async () => {
      const key = randomUUID();
      const first = await pay(key, { amount: 100 });
      assert.equal(first.statusCode, 201, first.body);
      const again = await pay(`"${key}"`, { amount: 100 });
      assert.equal(again.statusCode, 201);
      assert.equal(again.body, first.body);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.match(String(again.headers['content-type']), /application\/json/);
      const moved = await sql<{ n: number }>`select count(*)::int as n from ledger_transfers where id = ${first.json().transfer}`.execute(database.db);
      assert.equal(moved.rows[0]!.n, 1);
    });

    test('the same key with another request: 422; another caller\'s same key is its own', async () => {
      const key = randomUUID();
      assert.equal((await pay(key, { amount: 100 })).statusCode, 201);
      assertProblem(await pay(key, { amount: 101 }), 422, 'idempotency-key-reused');
      const theirs = await pay(key, { amount: 101 }, 'client:b');
      assert.equal(theirs.statusCode, 201);
      assert.equal(theirs.json().amount, 101);
    });

    test('no key or a malformed one: 400; no caller: 401 before the key is looked at', async () => {
      assertProblem(await pay(undefined, { amount: 1 }), 400, 'invalid-request');
      for (const bad of ['', 'tab\there', 'ä', 'x'.repeat(256), '"a"b"']) assertProblem(await pay(bad, { amount: 1 }), 400, 'invalid-request');
      const anonymous = await app.inject({ method: 'POST', url: '/pay', headers: { 'idempotency-key': randomUUID() }, payload: { amount: 1 } });
      assertProblem(anonymous, 401, 'unauthorized');
    });

    test('while the first request is being answered, the same key is 409; afterwards its answer', async () => {
      const key = randomUUID();
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      const runsBefore = runs;
      const first = pay(key, { amount: 50 });
      // Until the first request is in its handler, its key claimed (a fixed wait was too short on a loaded machine).
      while (runs === runsBefore) await new Promise((r) => setTimeout(r, 5));
      const during = await Promise.all([pay(key, { amount: 50 }), pay(key, { amount: 50 })]);
      for (const res of during) assertProblem(res, 409, 'idempotency-key-in-flight');
      open();
      gate = undefined;
      const answered = await first;
      assert.equal(answered.statusCode, 201);
      assert.equal((await pay(key, { amount: 50 })).body, answered.body);
    });

    test('a key is held for AURORA_IDEMPOTENCY_LOCK_SECONDS while answered, 60 s where it is unset', async () => {
      // A route made with the variable as given, whose handler reads how long its own key is held.
      const heldFor = async (lockSetting: string | undefined) => {
        const was = process.env.AURORA_IDEMPOTENCY_LOCK_SECONDS;
        if (lockSetting === undefined) delete process.env.AURORA_IDEMPOTENCY_LOCK_SECONDS;
        else process.env.AURORA_IDEMPOTENCY_LOCK_SECONDS = lockSetting;
        let hooks: ReturnType<typeof idempotent>;
        try {
          hooks = idempotent({ callerOf: () => 'client:lock', db: () => database.db });
        } finally {
          if (was === undefined) delete process.env.AURORA_IDEMPOTENCY_LOCK_SECONDS;
          else process.env.AURORA_IDEMPOTENCY_LOCK_SECONDS = was;
        }
        const small = Fastify();
        small.post('/hold', { ...hooks }, async (request) => {
          const held = await sql<{ seconds: number }>`
            select extract(epoch from locked_until - created_at)::int as seconds from idempotency_keys
            where caller = 'client:lock' and key = ${String(request.headers['idempotency-key'])}`.execute(database.db);
          return { seconds: held.rows[0]!.seconds };
        });
        try {
          const res = await small.inject({ method: 'POST', url: '/hold', headers: { 'idempotency-key': randomUUID() }, payload: {} });
          assert.equal(res.statusCode, 200, res.body);
          return res.json().seconds as number;
        } finally {
          await small.close();
        }
      };
      assert.equal(await heldFor(undefined), 60);
      assert.equal(await heldFor(' '), 60, 'blank is unset');
      assert.equal(await heldFor('7'), 7);
    });

    test('a refusal is an answer kept; a 5xx lets the key go', async () => {
      const key = randomUUID();
      const refused = await pay(key, { amount: 1_000_000 });
      assertProblem(refused, 409, 'ledger-refused');
      assert.equal((await pay(key, { amount: 1_000_000 })).body, refused.body);
      const failing = randomUUID();
      const before = runs;
      assert.equal((await pay(failing, { amount: 1, fail: true })).statusCode, 500);
      assert.equal((await pay(failing, { amount: 1, fail: true })).statusCode, 500);
      assert.equal(runs, before + 2, 'run again after a 5xx');
    });

    test('a key held by a server that died is taken over after its lock, and the ledger answers what it wrote', async () => {
      const key = randomUUID();
      const first = await pay(key, { amount: 70 });
      // As if the answer had never been stored: the server died after the transfer committed.
      await sql`update idempotency_keys set status = null, body = null, locked_until = now() + interval '1 hour' where key = ${key}`.execute(database.db);
      assertProblem(await pay(key, { amount: 70 }), 409, 'idempotency-key-in-flight');
      await sql`update idempotency_keys set locked_until = now() - interval '1 second' where key = ${key}`.execute(database.db);
      assertProblem(await pay(key, { amount: 71 }), 422, 'idempotency-key-reused');
      const retried = await pay(key, { amount: 70 });
      assert.equal(retried.statusCode, 201);
      assert.equal(retried.json().transfer, first.json().transfer);
      assert.equal(retried.json().at, first.json().at, 'the original transfer, not a second one');
      assert.ok((await verifyLedger(database.db)).ok);
    });

    test('concurrent requests with one key run the handler once', async () => {
      const key = randomUUID();
      const before = runs;
      const answers = await Promise.all(Array.from({ length: 8 }, () => pay(key, { amount: 5 })));
      assert.equal(runs, before + 1);
      const ok = answers.filter((a) => a.statusCode === 201);
      assert.ok(ok.length >= 1);
      assert.ok(answers.every((a) => a.statusCode === 201 || a.statusCode === 409));
      assert.equal(new Set(ok.map((a) => a.json().transfer)).size, 1);
    });

    test('an expired answer is forgotten: the key is new again, and purged', async () => {
      const key = randomUUID();
      const first = await pay(key, { amount: 10 });
      await sql`update idempotency_keys set expires_at = now() - interval '1 second' where key = ${key}`.execute(database.db);
      const reused = await pay(key, { amount: 11 });
      assert.equal(reused.statusCode, 201);
      assert.notEqual(reused.json().transfer, undefined);
      void first;
      await sql`update idempotency_keys set expires_at = now() - interval '1 second' where key = ${key}`.execute(database.db);
      assert.ok((await purgeIdempotencyKeys(database.db)) >= 1);
      const left = await sql<{ n: number }>`select count(*)::int as n from idempotency_keys where key = ${key}`.execute(database.db);
      assert.equal(left.rows[0]!.n, 0);
    });
  });
}
