import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { importDemo } from '../testing/fixtures.ts';
import { RecommenderService } from './service.ts';

const HOUR = 3_600_000;

for (const backend of testBackends()) {
  describe(`catalogue changes reach every server's recommender (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
      await importDemo(database.db);
    });
    after(() => database.close());

    test("another server's change is in the next answer, heard through the database rather than waited for on the poll", async () => {
      // Polls an hour apart: only the notification can bring the change in time.
      const listening = new RecommenderService(database.db, HOUR);
      const deaf = new RecommenderService(database.db, HOUR);
      const stop = await listening.listen(database);
      try {
        await listening.start();
        await deaf.start();
        const [row] = await database.db.selectFrom('services').select('id').orderBy('id').limit(1).execute();
        const finds = async (service: RecommenderService, word: string) =>
          (await service.ready()).recommend({ text: word, limit: 3 }).some((r) => r.serviceId === row!.id);
        assert.equal(await finds(listening, 'zqxjwv'), false);
        // As another process would change it: plain SQL, nothing told in this process.
        await sql`update services set name = ${JSON.stringify({ fi: 'Zqxjwv-neuvonta' })}::jsonb, content_hash = 'renamed' where id = ${row!.id}`.execute(database.db);
        let found = false;
        for (let tries = 0; tries < 50 && !found; tries++) {
          found = await finds(listening, 'zqxjwv');
          if (!found) await new Promise((r) => setTimeout(r, 100));
        }
        assert.ok(found, 'the listening server found the renamed service within 5 s');
        assert.equal(await finds(deaf, 'zqxjwv'), false, 'a server that does not listen still answers from its index until its next poll');
      } finally {
        await stop();
        listening.stop();
        deaf.stop();
      }
    });
  });
}
