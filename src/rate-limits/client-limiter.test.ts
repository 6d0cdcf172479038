import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { ClientRateLimiter } from './client-limiter.ts';

for (const backend of testBackends()) {
  describe(`client rate limits for the whole network (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database?.close());

    const used = async (client: string) =>
      (await sql<{ minute: string; used: number }>`select minute::text as minute, used from client_call_windows where client_id = ${client} order by minute`.execute(database.db)).rows.map((r) => [Number(r.minute), r.used]);

    test("a clock minute's allowance, then refused until the next minute (Retry-After says when); other clients have their own", async () => {
      let now = 10 * 60_000 + 15_000;
      const limiter = new ClientRateLimiter(database.db, () => now);
      const [a, b] = [randomUUID(), randomUUID()];
      for (let i = 0; i < 60; i++) assert.ok((await limiter.take(a, 60)).allowed, `call ${i + 1}`);
      const refused = await limiter.take(a, 60);
      assert.equal(refused.allowed, false);
      assert.equal(refused.retryAfterSeconds, 45);
      assert.ok((await limiter.take(b, 60)).allowed, 'another client has its own minute');
      now += 45_000;
      assert.ok((await limiter.take(a, 60)).allowed, 'a new minute');
      assert.deepEqual(await used(a), [[11, 6]], "a share of the new minute reserved; the spent minute's row is gone");
    });

    test('the database sees a share at a time, not every call', async () => {
      const limiter = new ClientRateLimiter(database.db, () => 20 * 60_000);
      const client = randomUUID();
      for (let i = 0; i < 50; i++) assert.ok((await limiter.take(client, 600)).allowed);
      assert.deepEqual(await used(client), [[20, 60]], 'one reservation of a tenth of 600 served all 50');
    });

    test('servers on one database together admit the limit once, also when the calls come at once', async () => {
      const now = () => 30 * 60_000;
      const servers = [new ClientRateLimiter(database.db, now), new ClientRateLimiter(database.db, now), new ClientRateLimiter(database.db, now)];
      const client = randomUUID();
      const decisions = await Promise.all(Array.from({ length: 90 }, (_, i) => servers[i % 3]!.take(client, 25)));
      assert.equal(decisions.filter((d) => d.allowed).length, 25);
      assert.deepEqual(await used(client), [[30, 25]]);
      for (const server of servers) assert.equal((await server.take(client, 25)).allowed, false);
      assert.ok((await servers[0]!.take(client, 26)).allowed, 'a raised limit counts at once');
    });
  });
}
