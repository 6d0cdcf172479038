import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import Fastify from 'fastify';
import { runIfDue, scheduleJob } from './schedule.ts';

for (const backend of testBackends()) {
  describe(`background jobs run once per network (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database?.close());

    test('of servers that try a due job at once, one runs it; then nobody until its interval has passed', async () => {
      let runs = 0;
      const job = { name: 'count', everyMs: 60_000, run: async () => void runs++ };
      const servers = ['a', 'b', 'c', 'd'];
      const took = await Promise.all(servers.map((server) => runIfDue(database.db, job, server)));
      assert.equal(took.filter(Boolean).length, 1);
      assert.equal(runs, 1);
      assert.deepEqual(await Promise.all(servers.map((server) => runIfDue(database.db, job, server))), [false, false, false, false], 'ran a moment ago');
      // As if its last run finished two minutes ago.
      await sql`update job_leases set finished_at = now() - interval '2 minutes' where name = 'count'`.execute(database.db);
      assert.equal(await runIfDue(database.db, job, 'b'), true);
      assert.equal(runs, 2);
      const lease = await database.db.selectFrom('job_leases').select('runs').where('name', '=', 'count').executeTakeFirstOrThrow();
      assert.equal(Number(lease.runs), 2, 'the network counts its runs, whichever server took them');
    });

    test('a server that stops finishes the job it is running and gives the lease back before it closes', async () => {
      const app = Fastify();
      let finished = false;
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      scheduleJob(app, database.db, {
        name: 'slow',
        everyMs: 60_000,
        firstAfterMs: 1,
        run: async () => {
          started();
          await new Promise((r) => setTimeout(r, 300));
          finished = true;
        },
      });
      await running;
      await app.close();
      assert.equal(finished, true, 'close waited for the run');
      const [row] = (await sql<{ leased_until: Date | null; finished_at: Date | null }>`select leased_until, finished_at from job_leases where name = 'slow'`.execute(database.db)).rows;
      assert.equal(row!.leased_until, null, 'the lease was given back');
      assert.ok(row!.finished_at);
    });

    test('a job held by a server that died is taken over once its lease has passed, not before', async () => {
      let runs = 0;
      const job = { name: 'takeover', everyMs: 1, leaseMs: 60_000, run: async () => void runs++ };
      // Server a took the lease and died without giving it back.
      await sql`insert into job_leases (name, leased_by, leased_until, started_at) values ('takeover', 'a', now() + interval '1 minute', now())`.execute(database.db);
      assert.equal(await runIfDue(database.db, job, 'b'), false, 'a still holds it');
      await sql`update job_leases set leased_until = now() - interval '1 second' where name = 'takeover'`.execute(database.db);
      assert.equal(await runIfDue(database.db, job, 'b'), true);
      assert.equal(runs, 1);
      const [row] = (await sql<{ leased_by: string; leased_until: Date | null }>`select leased_by, leased_until from job_leases where name = 'takeover'`.execute(database.db)).rows;
      assert.equal(row!.leased_by, 'b');
      assert.equal(row!.leased_until, null, 'given back when done');
    });

    test('a failing job gives its lease back with the error kept, and is tried again at its next turn', async () => {
      let tries = 0;
      const job = {
        name: 'failing',
        everyMs: 1,
        run: async () => {
          tries++;
          throw new Error('the disk is full');
        },
      };
      await assert.rejects(runIfDue(database.db, job, 'a'), /the disk is full/);
      const [row] = (await sql<{ last_error: string | null; leased_until: Date | null }>`select last_error, leased_until from job_leases where name = 'failing'`.execute(database.db)).rows;
      assert.equal(row!.last_error, 'the disk is full');
      assert.equal(row!.leased_until, null);
      await new Promise((r) => setTimeout(r, 5));
      await assert.rejects(runIfDue(database.db, job, 'b'));
      assert.equal(tries, 2);
    });
  });
}
