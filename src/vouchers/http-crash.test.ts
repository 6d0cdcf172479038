import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { buildServer } from '../http/server.ts';
import { verifyLedger } from '../ledger/verify-ledger.ts';
import { createSharedDatabase, openWhenUnlocked, testBackends } from '../testing/databases.ts';
import { sharedPayloadKeys } from '../testing/life-events.ts';
import { startServer, stopServers, type ServerProcess } from '../testing/server-processes.ts';
import { citizenAccessToken, personAccount, voucherWorld } from './testing.ts';

/**
 * The crash test of issue #17: a real `aurora serve` gets a burst of voucher issues and bookings
 * from many people at once, each call with its Idempotency-Key, and is SIGKILLed in the middle. A
 * new server on the same database then gets every call again with the same key, as retrying apps
 * would. Every call answered before the kill gets the same answer; each issue and each booking
 * exists once; no voucher has more units booked than it holds; every ledger balance equals its
 * journal.
 */
const PEOPLE = 12;
const ISSUES = 2;
const BOOKINGS = 4;
const UNITS = 3;
/** How long the servers' keys stay locked to their requests (AURORA_IDEMPOTENCY_LOCK_SECONDS). */
const LOCK_SECONDS = 5;

interface Call {
  key: string;
  kind: 'issue' | 'book';
  person: number;
  /** book: the issue call whose voucher it books. */
  issue?: string;
}

interface Answer {
  status: number;
  body: string;
}

for (const backend of testBackends()) {
  describe(`voucher calls after a SIGKILLed aurora serve (${backend})`, () => {
    test('a burst of issues and bookings, killed midway and retried on a new server: same answers, each once, units never over, balances equal to the journal', { timeout: 400_000 }, async () => {
      const { target, drop } = await createSharedDatabase(backend, 'aurora-voucher-crash-');
      const keys = sharedPayloadKeys();
      const servers: ServerProcess[] = [];
      try {
        // The network as it is before the burst: a programme, a priced provider, people with the app's tokens.
        let database = await openWhenUnlocked(target);
        const setup = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0, ledgerExpiryIntervalMs: 0, voucherJobsIntervalMs: 0, consent: { payloadKeys: keys.env } });
        const world = await voucherWorld(setup, database.db, { programme: { per_person_limit: { vouchers: ISSUES, period: 'year' } } });
        const tokens: string[] = [];
        for (let i = 0; i < PEOPLE; i++) tokens.push(await citizenAccessToken(setup, await personAccount(database.db)));
        await setup.close();
        await database.close();

        const calls: Call[] = [];
        for (let person = 0; person < PEOPLE; person++)
          for (let i = 0; i < ISSUES; i++) {
            const issue = randomUUID();
            calls.push({ key: issue, kind: 'issue', person });
            for (let b = 0; b < BOOKINGS; b++) calls.push({ key: randomUUID(), kind: 'book', person, issue });
          }

        const serverOptions = {
          ...(target.kind === 'postgres' ? { databaseUrl: target.url, args: ['--no-demo'] } : { args: ['--data-dir', target.dataDir, '--no-demo'] }),
          // The keys the killed server held are waited out below: a lock of 5 s, not the default 60 s,
          // keeps that wait short (no call here takes that long, and none is sent twice at once).
          env: { AURORA_PAYLOAD_KEYS: keys.env, AURORA_REGISTER_POLL_INTERVAL_SECONDS: '0', AURORA_IDEMPOTENCY_LOCK_SECONDS: String(LOCK_SECONDS) },
          timeoutMs: 300_000,
        };
        const send = async (url: string, call: Call, voucherOf: Map<string, string>): Promise<Answer | undefined> => {
          const headers = { authorization: `Bearer ${tokens[call.person]}`, 'content-type': 'application/json', 'idempotency-key': call.key };
          let path = '/api/v1/accounts/me/vouchers';
          let body: object = { programme_id: world.programmeId };
          if (call.kind === 'book') {
            const voucherId = voucherOf.get(call.issue!);
            if (!voucherId) return undefined;
            path = `/api/v1/accounts/me/vouchers/${voucherId}/orders`;
            body = { provider_id: world.provider.memberId, service_id: world.serviceId, units: UNITS };
          }
          const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
          return { status: res.status, body: await res.text() };
        };
        const learn = (call: Call, answer: Answer, voucherOf: Map<string, string>) => {
          if (call.kind === 'issue' && answer.status === 201) voucherOf.set(call.key, JSON.parse(answer.body).id);
        };

        // Each person's calls in order (an issue, then its bookings at once), all people at once.
        const runAll = async (url: string, answered: Map<string, Answer>, alive: () => boolean, afterCrash: boolean) => {
          const voucherOf = new Map<string, string>();
          const runOne = async (call: Call) => {
            for (;;) {
              if (!alive()) return;
              let answer: Answer | undefined;
              try {
                answer = await send(url, call, voucherOf);
              } catch {
                return; // The connection died with the server.
              }
              if (!answer) return; // Its voucher's issue got no answer.
              // A key the killed server held stays in flight until its lock passes (LOCK_SECONDS): wait it out.
              if (afterCrash && answer.status === 409 && answer.body.includes('idempotency-key-in-flight')) {
                await new Promise((r) => setTimeout(r, 2000));
                continue;
              }
              learn(call, answer, voucherOf);
              answered.set(call.key, answer);
              if (!afterCrash && answered.size >= calls.length / 3) killFirst();
              return;
            }
          };
          await Promise.all(
            Array.from({ length: PEOPLE }, async (_, person) => {
              for (const issue of calls.filter((c) => c.person === person && c.kind === 'issue')) {
                await runOne(issue);
                await Promise.all(calls.filter((c) => c.issue === issue.key).map(runOne));
              }
            }),
          );
        };

        let killFirst = () => {};
        const first = await startServer('A', serverOptions);
        servers.push(first);
        let killed = false;
        killFirst = () => {
          if (!killed) first.child.kill('SIGKILL');
          killed = true;
        };
        const beforeKill = new Map<string, Answer>();
        await runAll(first.url, beforeKill, () => !killed, false);
        killFirst();
        assert.equal(await first.exited, 'SIGKILL');
        assert.ok(beforeKill.size > 0 && beforeKill.size < calls.length, `killed midway (${beforeKill.size} of ${calls.length} answered)`);

        // A PGlite folder the killed server held is locked until its lock goes stale: wait it out here.
        if (target.kind === 'pglite') await (await openWhenUnlocked(target, { migrate: false })).close();
        const second = await startServer('B', serverOptions);
        servers.push(second);
        const afterRestart = new Map<string, Answer>();
        await runAll(second.url, afterRestart, () => true, true);
        assert.equal(afterRestart.size, calls.length, 'every call answered on the new server');
        for (const [key, answer] of beforeKill) {
          const again = afterRestart.get(key)!;
          assert.equal(again.status, answer.status, `the same status for ${key}`);
          assert.deepEqual(JSON.parse(again.body), JSON.parse(answer.body), `the same answer for ${key}`);
        }
        const statuses = [...afterRestart.values()].map((a) => a.status);
        assert.ok(statuses.every((s) => s === 201 || s === 409), `only 201 and 409 (not enough units): ${[...new Set(statuses)]}`);
        await stopServers(servers);

        database = await openWhenUnlocked(target);
        try {
          const vouchers = await database.db.selectFrom('vouchers').select(['id', 'units', 'account_id']).execute();
          assert.equal(vouchers.length, PEOPLE * ISSUES, 'each issue once');
          const orders = await database.db.selectFrom('voucher_orders').select(['id', 'voucher_id', 'units']).execute();
          const booked = calls.filter((c) => c.kind === 'book' && afterRestart.get(c.key)!.status === 201);
          assert.equal(orders.length, booked.length, 'each booking once');
          assert.deepEqual(new Set(orders.map((o) => o.id)), new Set(booked.map((c) => JSON.parse(afterRestart.get(c.key)!.body).id)));
          for (const voucher of vouchers) {
            const held = orders.filter((o) => o.voucher_id === voucher.id).reduce((sum, o) => sum + o.units, 0);
            assert.ok(held <= voucher.units, `voucher ${voucher.id}: ${held} of ${voucher.units} units booked`);
            // 10 units, 3 a booking: three bookings fit, the fourth never.
            assert.equal(held, 9);
          }
          const ledger = await verifyLedger(database.db);
          assert.equal(ledger.ok, true, JSON.stringify(ledger).slice(0, 2000));
          process.stderr.write(`voucher crash: ${beforeKill.size} of ${calls.length} calls answered before the kill, ${orders.length} bookings, ledger balanced\n`);
        } finally {
          await database.close();
        }
      } finally {
        await stopServers(servers);
        await drop();
      }
    });
  });
}
